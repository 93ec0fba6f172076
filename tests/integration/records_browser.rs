//! In a real browser: the quality manager builds a three-field form in
//! the builder, it is approved, the process owner fills in a record from
//! the list of forms, and the register shows it. Screenshots at desktop
//! and phone size are kept for looking at.

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::browser::{both_sizes, browser_login, open_browser, screenshot, start_driver};
use crate::helpers::{Backend, PASSWORD, spawn_app};

type Step = Result<(), fantoccini::error::CmdError>;

async fn type_into(b: &fantoccini::Client, css: &str, text: &str) -> Step {
    b.wait()
        .for_element(Locator::Css(css))
        .await?
        .send_keys(text)
        .await
}

async fn click(b: &fantoccini::Client, css: &str) -> Step {
    b.wait().for_element(Locator::Css(css)).await?.click().await
}

/// Adds a field of `kind` with the builder's button and waits for it.
async fn add_field(b: &fantoccini::Client, kind: &str, index: usize) -> Step {
    b.find(Locator::Css("select[name=new_type]"))
        .await?
        .select_by_value(kind)
        .await?;
    click(b, "button[name=op][value=add]").await?;
    b.wait()
        .for_element(Locator::Css(&format!("select[name='f.{index}.type']")))
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_is_built_approved_filled_and_registered_in_the_browser() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let qm2 = app.user_with_roles("qm2", &["quality_manager"]).await;
    app.user_with_roles("ann", &["process_owner"]).await;
    let res = qm
        .post(app.url("/api/v1/processes"))
        .json(&json!({ "code": "PROD", "name": "Production", "owner": "ann" }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let res = qm
        .post(app.url("/api/v1/documents"))
        .json(&json!({ "title": "Daily line check", "kind": "form", "process": "PROD" }))
        .send()
        .await
        .unwrap();
    let number = res.json::<Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string();
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let built = async {
        browser_login(&browser, &app, "qm", PASSWORD).await?;
        browser
            .goto(&app.url(&format!("/documents/{number}")))
            .await?;
        click(&browser, &format!("a[href='/documents/{number}/form']")).await?;
        add_field(&browser, "number", 0).await?;
        type_into(&browser, "input[name='f.0.label_en']", "Temperature").await?;
        type_into(&browser, "input[name='f.0.label_fi']", "Lämpötila").await?;
        type_into(&browser, "input[name='f.0.unit']", "°C").await?;
        type_into(&browser, "input[name='f.0.min']", "18").await?;
        type_into(&browser, "input[name='f.0.max']", "25").await?;
        click(
            &browser,
            "input[name='f.0.deviation'][value=outside_limits]",
        )
        .await?;
        add_field(&browser, "yes_no", 1).await?;
        type_into(&browser, "input[name='f.1.label_en']", "Guards in place").await?;
        type_into(&browser, "input[name='f.1.label_fi']", "Suojat paikallaan").await?;
        browser
            .find(Locator::Css("select[name='f.1.deviation']"))
            .await?
            .select_by_value("no")
            .await?;
        add_field(&browser, "long_text", 2).await?;
        type_into(&browser, "input[name='f.2.label_en']", "Remarks").await?;
        type_into(&browser, "input[name='f.2.label_fi']", "Huomiot").await?;
        click(&browser, "button[name=op][value=preview]").await?;
        browser.wait().for_element(Locator::Css("#preview")).await?;
        both_sizes(&browser, "records-builder").await?;
        click(&browser, "button[name=op][value=save]").await?;
        let notice = browser
            .wait()
            .for_element(Locator::Css("p.notice"))
            .await?
            .text()
            .await?;
        assert!(notice.contains("fields were saved"), "{notice}");
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    if let Err(e) = built {
        let _ = browser.close().await;
        panic!("building the form: {e}");
    }

    // Approved like any document.
    let res = qm
        .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let res = qm2
        .post(app.url(&format!("/api/v1/documents/{number}/draft/signatures")))
        .json(&json!({ "password": PASSWORD, "meaning": "approved" }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());

    let filled = async {
        click(&browser, "form[action='/logout'] button").await?;
        browser_login(&browser, &app, "ann", PASSWORD).await?;
        click(&browser, "header nav a[href='/forms']").await?;
        click(&browser, &format!("a[href='/forms/{number}/fill']")).await?;
        type_into(&browser, "input[name='v.temperature']", "26,5").await?;
        click(&browser, "input[name='v.guards_in_place'][value=no]").await?;
        type_into(
            &browser,
            "textarea[name='v.remarks']",
            "Guard of press 2 was open.",
        )
        .await?;
        both_sizes(&browser, "records-fill").await?;
        click(&browser, "button[name=op][value=submit]").await?;
        let notice = browser
            .wait()
            .for_element(Locator::Css("p.notice"))
            .await?
            .text()
            .await?;
        assert!(notice.contains("submitted"), "{notice}");
        let banner = browser
            .find(Locator::Css("#deviation"))
            .await?
            .text()
            .await?;
        assert!(
            banner.contains("Temperature") && banner.contains("Guards in place"),
            "{banner}"
        );
        both_sizes(&browser, "records-record").await?;
        click(&browser, &format!("a[href='/forms/{number}']")).await?;
        let row = browser
            .wait()
            .for_element(Locator::Css("table.register tbody tr"))
            .await?
            .text()
            .await?;
        assert!(
            row.contains(&format!("{number}-0001")) && row.contains("26.5"),
            "{row}"
        );
        both_sizes(&browser, "records-register").await?;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    if filled.is_err()
        && let Ok(png) = browser.screenshot().await
    {
        screenshot("records-failed.png", png);
    }
    let _ = browser.close().await;
    filled.expect("filling in the record");

    let r: Value = qm
        .get(app.url(&format!("/api/v1/records/{number}-0001")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["created_by"], "ann");
    assert_eq!(r["values"]["temperature"], 26.5);
    assert_eq!(r["values"]["guards_in_place"], false);
    assert_eq!(r["process"], "PROD");
}

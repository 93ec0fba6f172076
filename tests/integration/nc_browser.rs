//! In a real browser: a staff member complains about a late input, the
//! supplying process's owner finds it in their tasks, accepts it and
//! records the root cause with five whys.

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::browser::{browser_login, open_browser, screenshot, start_driver};
use crate::helpers::{Backend, PASSWORD, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_is_reported_accepted_and_analysed_in_the_browser() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    app.user_with_roles("bea", &["process_owner"]).await;
    app.user_with_roles("ann", &["process_owner"]).await;
    app.user_with_roles("sam", &["staff"]).await;
    for (code, name, owner) in [
        ("PROD", "Production", "ann"),
        ("PURCH", "Purchasing", "bea"),
    ] {
        let res = qm
            .post(app.url("/api/v1/processes"))
            .json(&json!({ "code": code, "name": name, "owner": owner }))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = async {
        // Sam complains: purchased steel came two days late.
        browser_login(&browser, &app, "sam", PASSWORD).await?;
        browser
            .find(Locator::Css("header nav a[href='/nonconformities']"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("a[href='/nonconformities/new']"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("select[name=kind]"))
            .await?
            .select_by_value("internal_complaint")
            .await?;
        browser
            .find(Locator::Css("input[name=title]"))
            .await?
            .send_keys("Steel bar two days late")
            .await?;
        browser
            .find(Locator::Css("textarea[name=description]"))
            .await?
            .send_keys("Order 4711 waited for material; the lathe stood idle.")
            .await?;
        browser
            .find(Locator::Css("select[name=detected_in]"))
            .await?
            .select_by_value("PROD")
            .await?;
        browser
            .find(Locator::Css("select[name=responsible]"))
            .await?
            .select_by_value("PURCH")
            .await?;
        browser
            .find(Locator::Css("select[name=severity]"))
            .await?
            .select_by_value("major")
            .await?;
        browser
            .find(Locator::Css("#report button[type=submit]"))
            .await?
            .click()
            .await?;
        let notice = browser
            .wait()
            .for_element(Locator::Css("p.notice"))
            .await?
            .text()
            .await?;
        assert!(notice.contains("responsible process"), "{notice}");
        let status = browser
            .find(Locator::Css("#nc-status"))
            .await?
            .text()
            .await?;
        assert_eq!(status, "Reported");
        screenshot("nc-reported.png", browser.screenshot().await?);
        browser
            .find(Locator::Css("form[action='/logout'] button"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("input[name=username]"))
            .await?;

        // Bea, who owns purchasing, finds it in her tasks and accepts it.
        browser_login(&browser, &app, "bea", PASSWORD).await?;
        browser.goto(&app.url("/tasks")).await?;
        browser
            .wait()
            .for_element(Locator::Css("table.tasks a[href^='/nonconformities/']"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("form[action$='/accept'] button"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("form[action$='/analysis']"))
            .await?;
        let status = browser
            .find(Locator::Css("#nc-status"))
            .await?
            .text()
            .await?;
        assert_eq!(status, "Accepted");
        let whys = browser.find_all(Locator::Css("input[name=why]")).await?;
        assert_eq!(whys.len(), 5);
        whys[0].send_keys("The steel was ordered late").await?;
        whys[1].send_keys("Stock ran out unnoticed").await?;
        browser
            .find(Locator::Css("textarea[name=root_cause]"))
            .await?
            .send_keys("No reorder point for bar stock")
            .await?;
        browser
            .find(Locator::Css("select[name=cause_category]"))
            .await?
            .select_by_value("method")
            .await?;
        browser
            .find(Locator::Css(
                "form[action$='/analysis'] button[type=submit]",
            ))
            .await?
            .click()
            .await?;
        browser.wait().for_element(Locator::Css("ol.whys")).await?;
        let status = browser
            .find(Locator::Css("#nc-status"))
            .await?
            .text()
            .await?;
        assert_eq!(status, "Analysed");
        screenshot("nc-analysed.png", browser.screenshot().await?);
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = browser.close().await;
    result.expect("browser steps");

    let list: Value = qm
        .get(app.url("/api/v1/nonconformities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let number = list["items"][0]["number"].as_str().unwrap().to_string();
    let nc: Value = qm
        .get(app.url(&format!("/api/v1/nonconformities/{number}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nc["kind"], "internal_complaint");
    assert_eq!(nc["responsible"], "PURCH");
    assert_eq!(nc["detected_in"], "PROD");
    assert_eq!(nc["reporter"], "sam");
    assert_eq!(nc["accepted_by"], "bea");
    assert_eq!(
        nc["analysis"]["whys"],
        json!(["The steel was ordered late", "Stock ran out unnoticed"])
    );
    assert_eq!(nc["analysis"]["cause_category"], "method");
}

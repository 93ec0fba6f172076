//! In a real browser: a staff member records the certificate they hold and
//! acknowledges the document they work by, with the password prompt; a
//! quality manager sees the matrix change.

use fantoccini::Locator;
use serde_json::json;

use super::competence::post;
use crate::browser::{browser_login, open_browser, screenshot, start_driver};
use crate::helpers::{Backend, PASSWORD, spawn_app};

/// The state the matrix page shows for a person and a column.
async fn cell(
    browser: &fantoccini::Client,
    user: &str,
    key: &str,
) -> Result<String, fantoccini::error::CmdError> {
    let css = format!("td[data-user='{user}'][data-key='{key}']");
    let td = browser.wait().for_element(Locator::Css(&css)).await?;
    Ok(td.attr("data-state").await?.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_acknowledge_and_record_and_the_matrix_follows_in_the_browser() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await;
    let qm = app.user_with_roles("quinn", &["quality_manager"]).await;
    app.user_with_roles("olga", &["process_owner"]).await;
    app.user_with_roles("ville", &["staff"]).await;
    post(
        &app,
        &qm,
        "/api/v1/processes",
        json!({ "code": "PROD", "name": "Production", "owner": "olga", "members": ["ville"] }),
    )
    .await;
    post(
        &app,
        &qm,
        "/api/v1/competences",
        json!({ "code": "FORK", "name": "Forklift licence", "validity_months": 60 }),
    )
    .await;
    post(
        &app,
        &qm,
        "/api/v1/competences/FORK/requirements",
        json!({ "process": "PROD" }),
    )
    .await;
    // A work instruction of PROD in force: ville, who works in PROD, must read it.
    let olga = app.login("olga", PASSWORD).await;
    let number = crate::helpers::create_document(
        &app,
        &olga,
        json!({ "title": "Forklift loading", "kind": "work_instruction", "process": "PROD" }),
    )
    .await;
    for (c, path, body) in [
        (
            &olga,
            format!("/api/v1/documents/{number}/draft"),
            json!({ "content": "# Loading\n\nForks low.", "change_reason": "first" }),
        ),
        (
            &olga,
            format!("/api/v1/documents/{number}/draft/submit"),
            json!({}),
        ),
        (
            &qm,
            format!("/api/v1/documents/{number}/draft/signatures"),
            json!({ "password": PASSWORD, "meaning": "approved" }),
        ),
    ] {
        let method = if path.ends_with("/draft") {
            reqwest::Method::PUT
        } else {
            reqwest::Method::POST
        };
        let res = c
            .request(method, app.url(&path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_success(),
            "{path}: {}",
            res.text().await.unwrap()
        );
    }

    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = async {
        // The quality manager sees what ville lacks.
        browser_login(&browser, &app, "quinn", PASSWORD).await?;
        browser.goto(&app.url("/competence?process=PROD")).await?;
        assert_eq!(cell(&browser, "ville", "FORK").await?, "missing");
        assert_eq!(cell(&browser, "ville", &number).await?, "missing");
        browser
            .find(Locator::Css("form[action='/logout'] button"))
            .await?
            .click()
            .await?;

        // Ville acknowledges the document with his password, from his tasks.
        browser_login(&browser, &app, "ville", PASSWORD).await?;
        let count = browser
            .find(Locator::Css("#nav-tasks .nav-count"))
            .await?
            .text()
            .await?;
        assert_eq!(count, "1");
        browser
            .find(Locator::Css("#nav-tasks"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css(&format!("a[href^='/documents/{number}']")))
            .await?
            .click()
            .await?;
        let form = browser
            .wait()
            .for_element(Locator::Css("#acknowledge form"))
            .await?;
        form.find(Locator::Css("input[name=password]"))
            .await?
            .send_keys(PASSWORD)
            .await?;
        form.find(Locator::Css("button[type=submit]"))
            .await?
            .click()
            .await?;
        browser.wait().for_element(Locator::Css("p.notice")).await?;
        assert!(
            browser
                .find_all(Locator::Css("#acknowledge form"))
                .await?
                .is_empty()
        );
        screenshot("acknowledged.png", browser.screenshot().await?);

        // He records the forklift licence he holds, on his own page.
        browser.goto(&app.url("/competence")).await?;
        browser
            .wait()
            .for_element(Locator::Css("a[href='/competence/certifications#record']"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css("#record select[name=competence]"))
            .await?
            .select_by_value("FORK")
            .await?;
        let issued = app.today().format("%m%d%Y").to_string();
        browser
            .find(Locator::Css("#record input[name=issued_on]"))
            .await?
            .send_keys(&issued)
            .await?;
        browser
            .find(Locator::Css("#record input[name=issuer]"))
            .await?
            .send_keys("Ajokoulu Oy")
            .await?;
        browser
            .find(Locator::Css("#record button[type=submit]"))
            .await?
            .click()
            .await?;
        let state = browser
            .wait()
            .for_element(Locator::Css("#cert-state"))
            .await?
            .text()
            .await?;
        assert_eq!(state, "Valid");
        browser
            .find(Locator::Css("form[action='/logout'] button"))
            .await?
            .click()
            .await?;

        // The quality manager sees the matrix change.
        browser_login(&browser, &app, "quinn", PASSWORD).await?;
        browser.goto(&app.url("/competence?process=PROD")).await?;
        assert_eq!(cell(&browser, "ville", "FORK").await?, "valid");
        assert_eq!(cell(&browser, "ville", &number).await?, "valid");
        screenshot("competence-matrix.png", browser.screenshot().await?);
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    if result.is_err() {
        let url = browser.current_url().await.map(|u| u.to_string());
        let source = browser.source().await.unwrap_or_default();
        let main = source
            .split("<main")
            .nth(1)
            .unwrap_or(&source)
            .chars()
            .take(1500)
            .collect::<String>();
        eprintln!("browser stopped at {url:?}: {main}");
    }
    let _ = browser.close().await;
    result.expect("browser steps");
}

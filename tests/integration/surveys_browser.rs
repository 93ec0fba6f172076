//! In a real browser at a phone's size (390×844): a customer opens their
//! personal link, reads the survey in Finnish, answers it without logging
//! in and is thanked; the link then gives the refusal page. The survey's
//! page is shot too, at desktop and phone size, in English and Finnish.

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::browser::{both_sizes, browser_login, open_browser, screenshot, start_driver};
use crate::helpers::{Backend, PASSWORD, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_answers_a_survey_in_finnish_on_a_phone() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    app.user_with_roles("ann", &["process_owner"]).await;
    let res = qm
        .post(app.url("/api/v1/processes"))
        .json(&json!({ "code": "SALES", "name": "Sales", "owner": "ann" }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let l = |en: &str, fi: &str| json!({ "en": en, "fi": fi });
    let survey: Value = qm
        .post(app.url("/api/v1/surveys"))
        .json(&json!({
            "title": l("After delivery", "Toimituksen jälkeen"),
            "touchpoint": "order_delivered",
            "process": "SALES",
            "questions": [
                { "key": "nps", "type": "nps", "required": true,
                  "label": l("How likely are you to recommend us?", "Kuinka todennäköisesti suosittelisit meitä?") },
                { "key": "csat", "type": "csat", "label": l("How satisfied are you?", "Kuinka tyytyväinen olet?") },
                { "key": "idea", "type": "idea", "label": l("An idea for us?", "Onko sinulla meille idea?") }
            ]
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = survey["id"].as_str().unwrap().to_string();
    let links: Value = qm
        .post(app.url(&format!("/api/v1/surveys/{id}/invitations")))
        .json(&json!({ "contacts": [{ "name": "Aino Asiakas", "company": "Asiakas Oy", "language": "fi" }] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = app.url(links[0]["path"].as_str().unwrap());

    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let answered = async {
        browser.set_window_size(390, 844).await?;
        browser.goto(&link).await?;
        let heading = browser
            .wait()
            .for_element(Locator::Css("h1"))
            .await?
            .text()
            .await?;
        assert_eq!(heading, "Toimituksen jälkeen");
        let body = browser.find(Locator::Css("body")).await?.text().await?;
        assert!(
            body.contains("Kuinka todennäköisesti suosittelisit meitä?"),
            "{body}"
        );
        assert!(body.contains("10 = erittäin todennäköisesti"), "{body}");
        // The page fits the phone: nothing is wider than the window.
        let wide: Value = browser
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                vec![],
            )
            .await?;
        assert_eq!(wide, Value::Bool(true), "the answer page scrolls sideways");
        screenshot("survey-answer-phone.png", browser.screenshot().await?);
        // Sending without the required score shows the question's refusal.
        browser
            .find(Locator::Css("button[type=submit]"))
            .await?
            .click()
            .await?;
        let err = browser
            .wait()
            .for_element(Locator::Css("#err-nps"))
            .await?
            .text()
            .await?;
        assert_eq!(err, "Vastaa tähän kysymykseen.");
        screenshot("survey-answer-error-phone.png", browser.screenshot().await?);
        browser
            .find(Locator::Css(".scale-nps label:nth-child(10) span"))
            .await?
            .click()
            .await?;
        browser
            .find(Locator::Css(".scale-csat label:nth-child(4) span"))
            .await?
            .click()
            .await?;
        browser
            .find(Locator::Css("textarea[name=idea]"))
            .await?
            .send_keys("Soittakaa ennen toimitusta")
            .await?;
        browser
            .find(Locator::Css("button[type=submit]"))
            .await?
            .click()
            .await?;
        // The thanks page's own heading: the answer page's heading is still
        // there until the browser has moved on.
        let thanks = browser
            .wait()
            .for_element(Locator::Css("h1#thanks"))
            .await?
            .text()
            .await?;
        assert_eq!(thanks, "Kiitos!");
        screenshot("survey-thanks-phone.png", browser.screenshot().await?);
        browser.goto(&link).await?;
        let again = browser.find(Locator::Css("main")).await?.text().await?;
        // The refusal page is in the browser's language (English here): a
        // used link says no more than an unknown one.
        assert!(again.contains("This survey link cannot be used"), "{again}");

        // The survey's page for the quality manager, in English and Finnish.
        browser.set_window_size(1400, 1000).await?;
        browser_login(&browser, &app, "qm", PASSWORD).await?;
        browser.goto(&app.url(&format!("/surveys/{id}"))).await?;
        browser.wait().for_element(Locator::Css(".figures")).await?;
        both_sizes(&browser, "survey-page-en").await?;
        browser.goto(&app.url("/surveys/new")).await?;
        both_sizes(&browser, "survey-new-en").await?;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    if answered.is_err()
        && let Ok(png) = browser.screenshot().await
    {
        screenshot("survey-failed.png", png);
    }
    let _ = browser.close().await;
    answered.expect("answering the survey");

    let r: Value = qm
        .get(app.url(&format!("/api/v1/surveys/{id}/results")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["nps"]["promoters"], 1, "{r}");
    assert_eq!(r["csat"]["mean"], 4.0);
    assert_eq!(r["ideas"][0]["idea"], "Soittakaa ennen toimitusta");
}

//! In a real browser on the demo data: each role's home page is a
//! dashboard whose every figure leads to a page its reader may open, that
//! fits a phone without sideways scrolling; and the new-document form's
//! number follows the chosen kind. Screenshots at desktop and phone size
//! are kept for looking at.

use fantoccini::Locator;

use crate::browser::{both_sizes, browser_login, open_browser, start_driver};
use crate::helpers::{Backend, spawn_demo_app};

type Step = Result<(), fantoccini::error::CmdError>;

const DEMO_PASSWORD: &str = "laatu-demo-2026";

/// How far the page is wider than the window at phone size, in CSS pixels.
async fn overflow_at_phone_size(
    b: &fantoccini::Client,
) -> Result<i64, fantoccini::error::CmdError> {
    b.set_window_size(390, 844).await?;
    let v = b
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await?;
    b.set_window_size(1400, 1000).await?;
    Ok(v.as_i64().unwrap_or(i64::MAX))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_gets_a_dashboard_whose_figures_lead_somewhere() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_demo_app(Backend::Sqlite).await;
    // (user, the cards the role must see)
    let roles: [(&str, &[&str]); 4] = [
        (
            "laura",
            &["dash-card-nc", "dash-card-documents", "dash-card-kpis"],
        ),
        ("pekka", &["dash-card-nc", "dash-card-kpis"]),
        ("emma", &["dash-card-tasks"]),
        ("aino", &["dash-card-audit"]),
    ];
    for (user, cards) in roles {
        let profile = tempfile::tempdir().unwrap();
        let browser = open_browser(&driver, profile.path()).await;
        let result: Result<(), fantoccini::error::CmdError> = async {
            browser_login(&browser, &app, user, DEMO_PASSWORD).await?;
            browser.goto(&app.url("/")).await?;
            browser
                .wait()
                .for_element(Locator::Css("ul.dashboard li.dash-card"))
                .await?;
            both_sizes(&browser, &format!("dashboard-{user}")).await?;
            let shown: Vec<String> = browser
                .execute(
                    "return [...document.querySelectorAll('li.dash-card')].map(c => c.dataset.card);",
                    vec![],
                )
                .await?
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect();
            for card in cards {
                assert!(shown.iter().any(|s| s == card), "{user} lacks {card}: {shown:?}");
            }
            let overflow = overflow_at_phone_size(&browser).await?;
            assert!(overflow <= 0, "{user}'s dashboard scrolls sideways on a phone by {overflow}px");
            let links: Vec<String> = browser
                .execute(
                    "return [...document.querySelectorAll('ul.dashboard a')].map(a => a.getAttribute('href'));",
                    vec![],
                )
                .await?
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect();
            assert!(!links.is_empty(), "{user}'s dashboard has figures");
            for link in &links {
                browser.goto(&app.url(link)).await?;
                let h1 = browser
                    .wait()
                    .for_element(Locator::Css("main h1"))
                    .await?
                    .text()
                    .await?;
                let error = browser
                    .execute("return document.querySelector('main p.error[data-code]') !== null;", vec![])
                    .await?;
                assert_eq!(
                    error,
                    serde_json::Value::Bool(false),
                    "{user}: {link} leads to an error page ({h1})"
                );
            }
            Ok(())
        }
        .await;
        browser.close().await.ok();
        result.unwrap_or_else(|e| panic!("{user}: {e}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_document_number_follows_the_kind() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_demo_app(Backend::Sqlite).await;
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result: Step = async {
        browser_login(&browser, &app, "laura", DEMO_PASSWORD).await?;
        browser.goto(&app.url("/documents/new")).await?;
        let number = browser
            .wait()
            .for_element(Locator::Css("input[name=number]"))
            .await?;
        let first = number.attr("placeholder").await?.unwrap_or_default();
        assert!(first.starts_with("QP-"), "{first}");
        browser
            .find(Locator::Css("select[name=kind]"))
            .await?
            .select_by_value("work_instruction")
            .await?;
        let promised = browser
            .find(Locator::Css(
                "select[name=kind] option[value=work_instruction]",
            ))
            .await?
            .attr("data-next-number")
            .await?
            .unwrap_or_default();
        assert!(promised.starts_with("WI-"), "{promised}");
        let now = number.attr("placeholder").await?.unwrap_or_default();
        assert_eq!(now, promised, "the placeholder follows the kind");
        both_sizes(&browser, "document-new").await?;
        Ok(())
    }
    .await;
    browser.close().await.ok();
    result.unwrap();
}

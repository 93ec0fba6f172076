//! The demo's value promise: in force in both languages, served by every
//! process, with CX measures on most processes and a gap to show.

use reqwest::StatusCode;

use crate::backend_tests;
use crate::helpers::{Backend, get, spawn_demo_app};

backend_tests!(the_demo_promise_is_in_force_and_the_dashboard_shows_its_gaps);

async fn the_demo_promise_is_in_force_and_the_dashboard_shows_its_gaps(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let laura = app.login("laura", laatu::demo::DEMO_PASSWORD).await;
    let p = get(&app, &laura, "/api/v1/promise").await;
    assert_eq!(p["number"], "VP-001");
    assert_eq!(p["rev"], 1);
    let experiences = p["promise"]["experiences"].as_array().unwrap();
    assert_eq!(experiences.len(), 5);
    for e in experiences {
        for part in ["sentence", "measured_by"] {
            for lang in ["en", "fi"] {
                assert!(!e[part][lang].as_str().unwrap().is_empty(), "{e}");
            }
        }
    }
    let doc = get(&app, &laura, "/api/v1/documents/VP-001").await;
    assert_eq!(doc["kind"], "value_promise");
    assert_eq!(doc["status"], "effective");

    // Every process serves something; most have CX measures.
    let list = get(&app, &laura, "/api/v1/processes?per_page=200").await;
    let items = list["items"].as_array().unwrap();
    let status = |s: &str| -> Vec<&str> {
        items
            .iter()
            .filter(|p| p["cx"]["status"] == s)
            .map(|p| p["code"].as_str().unwrap())
            .collect()
    };
    assert!(
        items
            .iter()
            .all(|p| !p["experiences"].as_array().unwrap().is_empty())
    );
    assert_eq!(status("none"), ["HR", "IMPR", "MGMT"]);
    assert_eq!(status("lagging_only"), ["PURCH"]);
    assert_eq!(status("leading").len(), 4);

    // The dashboard flags them, and the list it links to shows them.
    let home = laura
        .get(app.url("/"))
        .header("Accept-Language", "fi")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let card: String = home
        .split(r#"data-card="dash-card-cx""#)
        .nth(1)
        .expect("the CX card")
        .split("data-card=")
        .next()
        .unwrap()
        .into();
    let figures = scraper::Html::parse_fragment(&card);
    let counts: Vec<String> = figures
        .select(&scraper::Selector::parse(".figure").unwrap())
        .map(|f| {
            f.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        counts,
        [
            "3 prosessia ilman asiakaskokemusmittaria",
            "1 prosessi, jolla vain jälkijättöisiä asiakaskokemusmittareita",
        ]
    );
    let res = laura
        .get(app.url("/processes?cx=lagging_only"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"href="/processes/PURCH""#));
    assert!(!html.contains(r#"href="/processes/PROD""#));

    // The promise page in Finnish.
    let sanna = app.login("sanna", laatu::demo::DEMO_PASSWORD).await;
    let page = sanna
        .get(app.url("/promise"))
        .header("Accept-Language", "fi")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Oikea osa luvattuna päivänä"), "{page}");
    assert!(page.contains("Osat saapuvat luvattuna päivänä."));
}

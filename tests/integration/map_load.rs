//! The process map is laid out off the actix workers and once per change:
//! while people open it, the rest of the server answers, and a change to
//! the processes shows on the next drawing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, spawn_demo_app};

backend_tests!(the_map_never_holds_up_other_requests_and_follows_changes);

async fn the_map_never_holds_up_other_requests_and_follows_changes(backend: Backend) {
    // One worker, as on the smallest server: a map drawn on it would hold
    // every other request until it was done (and trips an assertion).
    let app = spawn_demo_app(backend).await;
    let qm = app.login("laura", laatu::demo::DEMO_PASSWORD).await;
    let maps: Vec<_> = (0..3)
        .map(|_| {
            let c = qm.clone();
            let url = app.url("/processes/map.svg");
            tokio::spawn(async move { c.get(url).send().await.unwrap() })
        })
        .collect();
    let me = app.client_get(&qm, "/api/v1/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    let mut drawn = Vec::new();
    for m in maps {
        let res = m.await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        drawn.push(res.text().await.unwrap());
    }
    assert!(
        drawn.iter().all(|svg| svg == &drawn[0]),
        "one drawing for one map"
    );
    assert!(!drawn[0].contains("Calibrated gauges for the audit"));

    // A new output is on the next map, without anyone clearing anything.
    let list: Value = app
        .client_get(&qm, "/api/v1/processes?status=active")
        .await
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    let (from, to) = (codes[0], codes[1]);
    let res = qm
        .post(app.url(&format!("/api/v1/processes/{from}/outputs")))
        .json(&json!({ "name": "Calibrated gauges for the audit", "to": [to] }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let svg = app
        .client_get(&qm, "/processes/map.svg")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        svg.contains("Calibrated gauges for the audit"),
        "redrawn after the change"
    );
    // Each language its own drawing, with its own title.
    let admin = app.admin().await;
    let mut by_lang = Vec::new();
    for lang in ["en", "fi"] {
        let svg = admin
            .get(app.url("/processes/map.svg"))
            .header("accept-language", lang)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(svg.contains("Calibrated gauges for the audit"), "{lang}");
        by_lang.push(svg);
    }
    assert_ne!(by_lang[0], by_lang[1]);
}

//! Document numbers allocated at the same time: distinct and consecutive on
//! both databases, with numbers given by hand skipped, never reused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, spawn_app};

backend_tests!(fifty_concurrent_creations_get_fifty_consecutive_numbers);

async fn fifty_concurrent_creations_get_fifty_consecutive_numbers(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    // A number given by hand in the middle of the range is skipped.
    let res = qm
        .post(app.url("/api/v1/documents"))
        .json(&json!({ "title": "Given by hand", "kind": "procedure", "number": "QP-010" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    let mut tasks = Vec::new();
    for i in 0..50 {
        let c = if i % 2 == 0 {
            owner.clone()
        } else {
            qm.clone()
        };
        let url = app.url("/api/v1/documents");
        tasks.push(tokio::spawn(async move {
            let res = c
                .post(url)
                .json(&json!({ "title": format!("Procedure {i}"), "kind": "procedure" }))
                .send()
                .await
                .unwrap();
            let status = res.status();
            let body: Value = res.json().await.unwrap();
            assert_eq!(status, StatusCode::CREATED, "{body}");
            body["number"].as_str().unwrap().to_string()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=51)
        .filter(|n| *n != 10)
        .map(|n| format!("QP-{n:03}"))
        .collect();
    assert_eq!(numbers, expected);

    // Hand-given numbers and allocation at the same time never collide.
    let mut tasks = Vec::new();
    for i in 0..10 {
        let c = qm.clone();
        let url = app.url("/api/v1/documents");
        let body = if i % 2 == 0 {
            json!({ "title": format!("Auto {i}"), "kind": "procedure" })
        } else {
            json!({ "title": format!("Hand {i}"), "kind": "procedure", "number": format!("QP-{:03}", 52 + i) })
        };
        tasks.push(tokio::spawn(async move {
            let res = c.post(url).json(&body).send().await.unwrap();
            let status = res.status();
            let body: Value = res.json().await.unwrap();
            (status, body)
        }));
    }
    let mut created = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => created.push(body["number"].as_str().unwrap().to_string()),
            // A hand-given number the allocator took a moment earlier.
            StatusCode::CONFLICT => assert_eq!(body["error"]["code"], "document_number_taken"),
            other => panic!("{other}: {body}"),
        }
    }
    let distinct: std::collections::BTreeSet<&String> = created.iter().collect();
    assert_eq!(distinct.len(), created.len(), "{created:?}");
    assert!(created.len() >= 5, "every allocation succeeds: {created:?}");
}

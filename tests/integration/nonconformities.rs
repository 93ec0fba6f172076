//! Nonconformities over HTTP: gapless numbering under concurrency, and who
//! may accept or reject a report.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, error_code, spawn_app};

backend_tests!(
    fifty_concurrent_reports_get_fifty_consecutive_numbers,
    a_complaint_lands_with_the_supplying_process_owner,
);

async fn setup(app: &TestApp) -> (reqwest::Client, reqwest::Client) {
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let owner = app.user_with_roles("bea", &["process_owner"]).await;
    app.user_with_roles("ann", &["process_owner"]).await;
    for (code, owner) in [("PROD", "ann"), ("PURCH", "bea")] {
        let res = qm
            .post(app.url("/api/v1/processes"))
            .json(&json!({ "code": code, "name": code, "owner": owner, "members": ["sam"] }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "{}",
            res.text().await.unwrap()
        );
    }
    (qm, owner)
}

async fn fifty_concurrent_reports_get_fifty_consecutive_numbers(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("sam", &["staff"]).await;
    setup(&app).await;
    let sam = app.login("sam", crate::helpers::PASSWORD).await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let c = sam.clone();
        let url = app.url("/api/v1/nonconformities");
        tasks.push(tokio::spawn(async move {
            let res = c
                .post(url)
                .json(&json!({ "kind": "deviation", "title": format!("Burr on part {i}"), "responsible": "PROD", "detected_in": "PROD", "severity": "minor" }))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::CREATED);
            let body: Value = res.json().await.unwrap();
            body["number"].as_str().unwrap().to_string()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let year = chrono::Utc::now().format("%Y").to_string();
    let expected: Vec<String> = (1..=50).map(|n| format!("NC-{year}-{n:03}")).collect();
    assert_eq!(numbers, expected);
    let list: Value = sam
        .get(app.url("/api/v1/nonconformities?per_page=5"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 50);
    assert_eq!(
        list["items"][0]["number"],
        format!("NC-{year}-050"),
        "newest first"
    );
}

async fn a_complaint_lands_with_the_supplying_process_owner(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (qm, purch_owner) = setup(&app).await;
    let auditor = app.user_with_roles("aud", &["auditor"]).await;

    // Sam works in PROD and complains that purchased material came late.
    let complaint = |c: &reqwest::Client, body: Value| {
        c.post(app.url("/api/v1/nonconformities"))
            .json(&body)
            .send()
    };
    let body = json!({ "kind": "internal_complaint", "title": "Steel bar two days late", "description": "Order 4711 waited for material.", "detected_in": "PROD", "responsible": "PURCH", "severity": "major", "references": "order 4711" });
    let res = complaint(&sam, body.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let nc: Value = res.json().await.unwrap();
    let number = nc["number"].as_str().unwrap().to_string();
    assert_eq!(nc["responsible"], "PURCH");
    assert_eq!(nc["status"], "reported");
    assert_eq!(
        complaint(&auditor, body.clone()).await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "auditors change nothing"
    );
    for (field, value, code) in [
        ("kind", "gossip", "invalid_nc_kind"),
        ("severity", "huge", "invalid_severity"),
        ("responsible", "NOPE", "process_not_found"),
        ("detected_on", "2999-01-01", "detected_in_future"),
    ] {
        let mut b = body.clone();
        b[field] = json!(value);
        assert_eq!(
            error_code(complaint(&sam, b).await.unwrap()).await,
            code,
            "{field}"
        );
    }

    // Neither the reporter, a quality manager nor the other owner accepts on behalf of PURCH's owner.
    let accept = |c: &reqwest::Client, n: &str| {
        c.post(app.url(&format!("/api/v1/nonconformities/{n}/accept")))
            .send()
    };
    for c in [&sam, &qm] {
        let res = accept(c, &number).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(error_code(res).await, "not_responsible_owner");
    }
    let nc: Value = accept(&purch_owner, &number)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nc["status"], "accepted");
    assert_eq!(nc["decided_by"], "bea");
    let res = accept(&purch_owner, &number).await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "invalid_transition");

    // The rejection path needs a reason and changes nothing without one.
    let res = complaint(&sam, json!({ "kind": "internal_complaint", "title": "Wrong colour", "responsible": "PURCH", "severity": "minor" })).await.unwrap();
    let second: Value = res.json().await.unwrap();
    let n2 = second["number"].as_str().unwrap().to_string();
    let reject = |reason: &str| {
        purch_owner
            .post(app.url(&format!("/api/v1/nonconformities/{n2}/reject")))
            .json(&json!({ "reason": reason }))
            .send()
    };
    assert_eq!(
        error_code(reject(" ").await.unwrap()).await,
        "reason_required"
    );
    let still: Value = sam
        .get(app.url(&format!("/api/v1/nonconformities/{n2}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(still["status"], "reported");
    let rejected: Value = reject("The colour follows the drawing rev C")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        rejected["rejection_reason"],
        "The colour follows the drawing rev C"
    );
    let events = app.audit_events("entity_type=nonconformity").await;
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "nonconformity.reported",
            "nonconformity.accepted",
            "nonconformity.reported",
            "nonconformity.rejected"
        ]
    );
    let by_process: Value = sam
        .get(app.url("/api/v1/nonconformities?process=PROD"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_process["total"], 1, "detected in PROD");

    // A process with nonconformities is retired, not deleted.
    let res = qm
        .delete(app.url("/api/v1/processes/PURCH"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "process_in_use");
}

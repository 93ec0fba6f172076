//! Evidence files on a nonconformity: kept byte for byte with the record,
//! names checked, only for those who take part, never after closure.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, error_code, spawn_app};
use crate::nonconformities::{days_from_today, ok, report, setup};

backend_tests!(evidence_files_are_kept_with_the_record);

async fn evidence_files_are_kept_with_the_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (qm, bea, ann) = setup(&app).await;
    let james = app.user_with_roles("james", &["staff"]).await;
    let number = report(&app, &sam, json!({ "kind": "customer_property", "title": "Customer's gauge dropped", "responsible": "PROD", "severity": "major" })).await;
    let upload = |c: &reqwest::Client, query: String, bytes: Vec<u8>| {
        c.post(app.url(&format!(
            "/api/v1/nonconformities/{number}/attachments{query}"
        )))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
    };
    let photo: Vec<u8> = (0u8..=255).cycle().take(70_000).collect();
    let res = upload(&sam, "?name=gauge.jpg".into(), photo.clone())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let meta = &created["nonconformity"]["attachments"][0];
    assert_eq!(meta["filename"], "gauge.jpg");
    assert_eq!(meta["content_type"], "image/jpeg");
    assert_eq!(meta["size"], 70_000);
    assert_eq!(meta["uploaded_by"], "sam");

    let res = james
        .get(app.url(&format!(
            "/api/v1/nonconformities/{number}/attachments/{id}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("gauge.jpg")
    );
    assert_eq!(
        res.bytes().await.unwrap().to_vec(),
        photo,
        "every byte comes back"
    );

    // Names that could be paths, empty files, outsiders and missing names are refused.
    for (query, code) in [
        ("?name=../../etc/passwd", "invalid_attachment_name"),
        ("?name=.hidden", "invalid_attachment_name"),
        ("", "name_required"),
    ] {
        let res = upload(&sam, query.into(), b"x".to_vec()).await.unwrap();
        assert_eq!(error_code(res).await, code, "{query}");
    }
    let res = upload(&sam, "?name=empty.txt".into(), Vec::new())
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "empty_file");
    let res = upload(&james, "?name=x.txt".into(), b"x".to_vec())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "not_involved");
    let res = upload(&bea, "?name=x.txt&action=nope".into(), b"x".to_vec())
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "not_involved");

    // Evidence for an action, then the record is complete and takes no more.
    let base = format!("/api/v1/nonconformities/{number}");
    ok(&app, &ann, &format!("{base}/accept"), json!({})).await;
    ok(
        &app,
        &ann,
        &format!("{base}/analysis"),
        json!({ "root_cause": "Gauge carried without its case", "cause_category": "method" }),
    )
    .await;
    let action = ok(&app, &ann, &format!("{base}/actions"), json!({ "description": "Carry gauges in their case", "owner": "sam", "due_on": days_from_today(2) })).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = upload(
        &sam,
        format!("?name=case.png&action={action}"),
        b"\x89PNG....".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["nonconformity"]["attachments"][1]["action"],
        action.as_str()
    );
    // A second action, given to the quality manager, turns out unnecessary.
    let spare = ok(&app, &ann, &format!("{base}/actions"), json!({ "description": "Buy a padded cabinet", "owner": "qm", "due_on": days_from_today(5) })).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok(
        &app,
        &qm,
        &format!("{base}/actions/{spare}/cancel"),
        json!({ "reason": "The cases protect the gauges well enough" }),
    )
    .await;
    ok(
        &app,
        &sam,
        &format!("{base}/actions/{action}/done"),
        json!({ "note": "Cases issued" }),
    )
    .await;
    // Cancelling an action is not doing it: the same quality manager verifies.
    let tasks: Value = qm
        .get(app.url("/api/v1/tasks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "nc_verify" && t["reference"] == number.as_str()),
        "{tasks}"
    );
    ok(
        &app,
        &qm,
        &format!("{base}/verify"),
        json!({ "result": "effective", "comment": "No damage since" }),
    )
    .await;
    ok(&app, &qm, &format!("{base}/close"), json!({})).await;
    let res = upload(&sam, "?name=late.txt".into(), b"x".to_vec())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "nonconformity_final");
    let res = sam
        .get(app.url(&format!(
            "/api/v1/nonconformities/{number}/attachments/nope"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "attachment_not_found");
    let events = app
        .audit_events("action=nonconformity.attachment_added")
        .await;
    assert_eq!(events.len(), 2);
    let first: Value = serde_json::from_str(events[0]["changes"].as_str().unwrap()).unwrap();
    assert_eq!(first["size"]["after"], 70_000);
    assert_eq!(first["filename"]["after"], "gauge.jpg");
}

//! Processes over HTTP: links between processes stay symmetric under
//! create, edit and delete; a process in use is retired, not deleted.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, error_code, spawn_app};

backend_tests!(
    links_stay_symmetric_under_create_edit_and_delete,
    process_rules_and_permissions,
);

async fn json_ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn process(app: &TestApp, c: &reqwest::Client, code: &str) -> Value {
    json_ok(
        app.client_get(c, &format!("/api/v1/processes/{code}"))
            .await,
    )
    .await
}

fn input_names(p: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = p["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["from"]
                    .as_str()
                    .or(i["external_supplier"].as_str())
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

async fn create(app: &TestApp, qm: &reqwest::Client, code: &str, owner: &str) {
    let res = qm
        .post(app.url("/api/v1/processes"))
        .json(&json!({ "code": code, "name": format!("Process {code}"), "owner": owner }))
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

async fn links_stay_symmetric_under_create_edit_and_delete(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let sales_owner = app.user_with_roles("sam", &["process_owner"]).await;
    for (code, owner) in [("SALES", "sam"), ("PROD", "qm"), ("DELIV", "qm")] {
        create(&app, &qm, code, owner).await;
    }

    // SALES sends orders to PROD and DELIV: both see the input.
    let out = json_ok(
        sales_owner
            .post(app.url("/api/v1/processes/SALES/outputs"))
            .json(&json!({ "name": "Confirmed order", "to": ["PROD", "DELIV"] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let id = out["id"].as_str().unwrap().to_string();
    assert_eq!(out["to"], json!(["DELIV", "PROD"]));
    for code in ["PROD", "DELIV"] {
        let p = process(&app, &qm, code).await;
        assert_eq!(
            input_names(&p),
            [("Confirmed order".to_string(), "SALES".to_string())],
            "{code}"
        );
    }

    // Edit: only PROD now, renamed; DELIV loses the input at once.
    json_ok(
        sales_owner
            .patch(app.url(&format!("/api/v1/processes/SALES/outputs/{id}")))
            .json(
                &json!({ "name": "Sales order", "to": ["PROD"], "external_customer": "Customer" }),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        input_names(&process(&app, &qm, "PROD").await),
        [("Sales order".to_string(), "SALES".to_string())]
    );
    assert!(input_names(&process(&app, &qm, "DELIV").await).is_empty());
    let sales = process(&app, &qm, "SALES").await;
    assert_eq!(sales["outputs"][0]["external_customer"], "Customer");

    // An external supplier's input sits beside the internal one.
    json_ok(
        qm.post(app.url("/api/v1/processes/PROD/inputs"))
            .json(&json!({ "name": "Steel bar", "external_supplier": "Teräs Oy" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        input_names(&process(&app, &qm, "PROD").await),
        [
            ("Sales order".to_string(), "SALES".to_string()),
            ("Steel bar".to_string(), "Teräs Oy".to_string())
        ]
    );

    // Delete: the customer's view follows.
    let res = sales_owner
        .delete(app.url(&format!("/api/v1/processes/SALES/outputs/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        input_names(&process(&app, &qm, "PROD").await),
        [("Steel bar".to_string(), "Teräs Oy".to_string())]
    );
    assert!(
        process(&app, &qm, "SALES").await["outputs"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let events = app.audit_events("entity_type=process").await;
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "process.created",
        "process.output_added",
        "process.output_changed",
        "process.output_removed",
        "process.input_added",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

async fn process_rules_and_permissions(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let owner = app.user_with_roles("olga", &["process_owner"]).await;
    let other = app.user_with_roles("otto", &["process_owner"]).await;
    app.user_with_roles("stan", &["staff"]).await;
    create(&app, &qm, "PURCH", "olga").await;
    create(&app, &qm, "HR", "qm").await;

    let bad = [
        (
            json!({ "code": "purch", "name": "x", "owner": "olga" }),
            "invalid_process_code",
        ),
        (
            json!({ "code": "PURCH", "name": "x", "owner": "olga" }),
            "process_code_taken",
        ),
        (
            json!({ "code": "NEW", "name": "x", "owner": "stan" }),
            "owner_cannot_own",
        ),
        (
            json!({ "code": "NEW", "name": " ", "owner": "olga" }),
            "invalid_process_name",
        ),
    ];
    for (body, code) in bad {
        let res = qm
            .post(app.url("/api/v1/processes"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(res).await, code, "{body}");
    }
    let res = qm
        .post(app.url("/api/v1/processes/PURCH/outputs"))
        .json(&json!({ "name": "Loop", "to": ["PURCH"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(res).await,
        "invalid_output",
        "not its own customer"
    );

    // The owner edits their own process, not someone else's, and not its owner.
    let p = process(&app, &owner, "PURCH").await;
    json_ok(
        owner
            .patch(app.url("/api/v1/processes/PURCH"))
            .json(&json!({ "purpose": "Buy what production needs", "members": ["stan"], "version": p["version"] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let res = owner
        .patch(app.url("/api/v1/processes/PURCH"))
        .json(&json!({ "purpose": "stale", "version": p["version"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "version_conflict");
    let res = owner
        .patch(app.url("/api/v1/processes/PURCH"))
        .json(&json!({ "owner": "otto" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = other
        .patch(app.url("/api/v1/processes/PURCH"))
        .json(&json!({ "purpose": "mine" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = other
        .post(app.url("/api/v1/processes/PURCH/outputs"))
        .json(&json!({ "name": "x", "to": ["HR"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let p = process(&app, &qm, "PURCH").await;
    assert_eq!(p["members"], json!(["stan"]));
    assert_eq!(p["purpose"], "Buy what production needs");

    // A process with links or documents is retired, not deleted.
    json_ok(
        owner
            .post(app.url("/api/v1/processes/PURCH/outputs"))
            .json(&json!({ "name": "Purchased goods", "to": ["HR"] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let res = qm
        .delete(app.url("/api/v1/processes/HR"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "process_in_use");
    json_ok(
        qm.patch(app.url("/api/v1/processes/HR"))
            .json(&json!({ "status": "retired" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let active = json_ok(app.client_get(&qm, "/api/v1/processes?status=active").await).await;
    assert_eq!(active["total"], 1);
    create(&app, &qm, "TEMP", "qm").await;
    let res = qm
        .delete(app.url("/api/v1/processes/TEMP"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app.client_get(&qm, "/api/v1/processes/TEMP").await;
    assert_eq!(error_code(res).await, "process_not_found");
}

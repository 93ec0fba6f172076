//! Who may sign: an approval route never names an auditor (or someone
//! without a signing role), and such a person's signature is refused even
//! when a route set earlier names them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, create_document, error_code, spawn_app};

backend_tests!(
    routes_naming_auditors_or_admins_are_refused,
    an_auditor_named_by_an_older_route_cannot_sign,
);

async fn document(app: &TestApp, owner: &reqwest::Client) -> String {
    let number = create_document(
        app,
        owner,
        json!({ "title": "Audit programme", "kind": "procedure" }),
    )
    .await;
    let res = owner
        .put(app.url(&format!("/api/v1/documents/{number}/draft")))
        .json(&json!({ "content": "# Audit programme\n\nOnce a year." }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    number
}

async fn set_route(
    app: &TestApp,
    qm: &reqwest::Client,
    number: &str,
    steps: Value,
) -> reqwest::Response {
    qm.put(app.url(&format!("/api/v1/documents/{number}/route")))
        .json(&json!({ "steps": steps }))
        .send()
        .await
        .unwrap()
}

async fn sign(app: &TestApp, c: &reqwest::Client, number: &str) -> reqwest::Response {
    c.post(app.url(&format!("/api/v1/documents/{number}/draft/signatures")))
        .json(&json!({ "password": PASSWORD, "meaning": "approved", "comment": "fine" }))
        .send()
        .await
        .unwrap()
}

async fn routes_naming_auditors_or_admins_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    app.user_with_roles("aud", &["auditor"]).await;
    app.user_with_roles("aud-qm", &["auditor", "quality_manager"])
        .await;
    let number = document(&app, &owner).await;
    for steps in [
        json!([{ "rule": "all_users", "users": ["aud"] }]),
        json!([{ "rule": "all_users", "users": ["qm", "aud-qm"] }]),
        json!([{ "rule": "all_users", "users": ["admin"] }]),
        json!([{ "rule": "n_of_role", "role": "auditor", "n": 1 }]),
        json!([{ "rule": "n_of_role", "role": "admin", "n": 1 }]),
    ] {
        let res = set_route(&app, &qm, &number, steps.clone()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{steps}");
        assert_eq!(error_code(res).await, "route_signer_not_allowed", "{steps}");
    }
    // An auditor who is also a quality manager does not count towards "n of".
    let res = set_route(
        &app,
        &qm,
        &number,
        json!([{ "rule": "n_of_role", "role": "quality_manager", "n": 2 }]),
    )
    .await;
    assert_eq!(error_code(res).await, "invalid_route");
    // The kind's route is checked the same way, and nothing was set.
    let res = qm
        .put(app.url("/api/v1/approval-routes/procedure"))
        .json(&json!({ "steps": [{ "rule": "all_users", "users": ["aud"] }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "route_signer_not_allowed");
    assert!(
        app.audit_events("action=approval_route.set")
            .await
            .is_empty()
    );
}

async fn an_auditor_named_by_an_older_route_cannot_sign(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let later = app.user_with_roles("later", &["staff"]).await;
    let number = document(&app, &owner).await;
    // The route names a staff member, who then becomes an auditor.
    let res = set_route(
        &app,
        &qm,
        &number,
        json!([{ "rule": "all_users", "users": ["later"] }]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let admin = app.admin().await;
    let res = admin
        .patch(app.url("/api/v1/users/later"))
        .json(&json!({ "roles": ["auditor"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = owner
        .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let res = sign(&app, &later, &number).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "signer_not_allowed");
    let res = later
        .post(app.url(&format!("/api/v1/documents/{number}/draft/reject")))
        .json(&json!({ "comment": "no" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "signer_not_allowed");
    let doc: Value = qm
        .get(app.url(&format!("/api/v1/documents/{number}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(doc["status"], "effective", "{doc}");
    assert!(app.audit_events("action=document.signed").await.is_empty());
    assert!(
        app.audit_events("action=document.approved")
            .await
            .is_empty()
    );
}

//! The authorisation table: every route in the OpenAPI document is called
//! anonymously and with each role, and must answer as the table says.
//! A route missing from the table fails the test, so new routes must be added.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, spawn_app};

backend_tests!(every_route_answers_as_the_role_table_says);

#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in user.
    AnyUser,
    /// Logged-in users holding one of these roles.
    Roles(&'static [&'static str]),
}

const READERS: &[&str] = &["admin", "quality_manager", "auditor"];
const ADMIN: &[&str] = &["admin"];
const AUTHORS: &[&str] = &["quality_manager", "process_owner"];
const QMS: &[&str] = &["quality_manager"];
const REPORTERS: &[&str] = &["staff", "process_owner", "quality_manager"];
const HANDLERS: &[&str] = &["process_owner", "quality_manager"];
/// Everyone but the auditor: routes whose service decides from the record
/// who may write, and that refuse a read-only user before anything else.
const WRITERS: &[&str] = &["admin", "quality_manager", "process_owner", "staff"];
/// Those who may sign documents: never auditors or admins, who are refused
/// with `signer_not_allowed`.
const SIGNERS: &[&str] = &["quality_manager", "process_owner", "staff"];
const EXPORTERS: &[&str] = &["quality_manager", "auditor"];
const COMPETENCE_READERS: &[&str] = &["quality_manager", "process_owner", "auditor"];
/// Who reads customer surveys (their contacts are personal data).
const SURVEY_READERS: &[&str] = &["quality_manager", "process_owner", "auditor"];

/// The role table, (method, path) as in the OpenAPI document.
const TABLE: &[(&str, &str, Access)] = &[
    ("GET", "/api/v1/openapi.json", Access::Public),
    ("POST", "/api/v1/session", Access::Public),
    ("DELETE", "/api/v1/session", Access::AnyUser),
    ("GET", "/api/v1/me", Access::AnyUser),
    ("PATCH", "/api/v1/me", Access::AnyUser),
    ("POST", "/api/v1/me/password", Access::AnyUser),
    ("GET", "/api/v1/tokens", Access::AnyUser),
    ("POST", "/api/v1/tokens", Access::AnyUser),
    ("DELETE", "/api/v1/tokens/{id}", Access::AnyUser),
    ("GET", "/api/v1/users", Access::Roles(READERS)),
    ("POST", "/api/v1/users", Access::Roles(ADMIN)),
    ("GET", "/api/v1/users/{username}", Access::Roles(READERS)),
    ("PATCH", "/api/v1/users/{username}", Access::Roles(ADMIN)),
    (
        "POST",
        "/api/v1/users/{username}/password",
        Access::Roles(ADMIN),
    ),
    ("GET", "/api/v1/audit-events", Access::Roles(READERS)),
    ("GET", "/api/v1/evidence", Access::Roles(EXPORTERS)),
    ("GET", "/api/v1/evidence/exports", Access::Roles(EXPORTERS)),
    ("POST", "/api/v1/documents", Access::Roles(AUTHORS)),
    ("GET", "/api/v1/documents", Access::AnyUser),
    ("GET", "/api/v1/documents/{number}", Access::AnyUser),
    (
        "PUT",
        "/api/v1/documents/{number}/draft",
        Access::Roles(WRITERS),
    ),
    (
        "POST",
        "/api/v1/documents/{number}/draft/submit",
        Access::Roles(WRITERS),
    ),
    (
        "POST",
        "/api/v1/documents/{number}/draft/signatures",
        Access::Roles(SIGNERS),
    ),
    (
        "POST",
        "/api/v1/documents/{number}/draft/reject",
        Access::Roles(SIGNERS),
    ),
    (
        "GET",
        "/api/v1/documents/{number}/revisions",
        Access::AnyUser,
    ),
    (
        "GET",
        "/api/v1/documents/{number}/revisions/{n}/content",
        Access::AnyUser,
    ),
    ("GET", "/api/v1/documents/{number}/diff", Access::AnyUser),
    (
        "PUT",
        "/api/v1/documents/{number}/route",
        Access::Roles(QMS),
    ),
    ("PUT", "/api/v1/approval-routes/{kind}", Access::Roles(QMS)),
    (
        "POST",
        "/api/v1/documents/{number}/withdraw",
        Access::Roles(QMS),
    ),
    (
        "POST",
        "/api/v1/documents/{number}/reviews",
        Access::Roles(WRITERS),
    ),
    (
        "PUT",
        "/api/v1/documents/{number}/draft/attachments/{name}",
        Access::AnyUser,
    ),
    (
        "DELETE",
        "/api/v1/documents/{number}/draft/attachments/{name}",
        Access::AnyUser,
    ),
    (
        "GET",
        "/api/v1/documents/{number}/revisions/{n}/attachments/{name}",
        Access::AnyUser,
    ),
    (
        "POST",
        "/api/v1/documents/{number}/acknowledgements",
        Access::Roles(REPORTERS),
    ),
    (
        "GET",
        "/api/v1/documents/{number}/acknowledgements",
        Access::AnyUser,
    ),
    (
        "PUT",
        "/api/v1/documents/{number}/reader-roles",
        Access::Roles(AUTHORS),
    ),
    ("GET", "/api/v1/processes", Access::AnyUser),
    ("POST", "/api/v1/processes", Access::Roles(QMS)),
    ("GET", "/api/v1/processes/{code}", Access::AnyUser),
    ("PATCH", "/api/v1/processes/{code}", Access::Roles(AUTHORS)),
    ("DELETE", "/api/v1/processes/{code}", Access::Roles(QMS)),
    (
        "POST",
        "/api/v1/processes/{code}/outputs",
        Access::Roles(AUTHORS),
    ),
    (
        "PATCH",
        "/api/v1/processes/{code}/outputs/{id}",
        Access::Roles(AUTHORS),
    ),
    (
        "DELETE",
        "/api/v1/processes/{code}/outputs/{id}",
        Access::Roles(AUTHORS),
    ),
    (
        "POST",
        "/api/v1/processes/{code}/inputs",
        Access::Roles(AUTHORS),
    ),
    (
        "DELETE",
        "/api/v1/processes/{code}/inputs/{id}",
        Access::Roles(AUTHORS),
    ),
    ("GET", "/api/v1/processes/{code}/kpis", Access::AnyUser),
    (
        "POST",
        "/api/v1/processes/{code}/kpis",
        Access::Roles(AUTHORS),
    ),
    (
        "PUT",
        "/api/v1/processes/{code}/experiences",
        Access::Roles(AUTHORS),
    ),
    (
        "PUT",
        "/api/v1/kpis/{id}/experience",
        Access::Roles(AUTHORS),
    ),
    ("GET", "/api/v1/promise", Access::AnyUser),
    ("GET", "/api/v1/scorecards", Access::AnyUser),
    ("GET", "/api/v1/kpis/{id}/measurements", Access::AnyUser),
    (
        "POST",
        "/api/v1/kpis/{id}/measurements",
        Access::Roles(WRITERS),
    ),
    ("GET", "/api/v1/internal-ratings", Access::AnyUser),
    ("POST", "/api/v1/internal-ratings", Access::Roles(WRITERS)),
    ("GET", "/api/v1/internal-ratings/requests", Access::AnyUser),
    (
        "POST",
        "/api/v1/internal-ratings/{id}/corrections",
        Access::Roles(WRITERS),
    ),
    ("GET", "/api/v1/nonconformities", Access::AnyUser),
    ("GET", "/api/v1/nonconformities/stats", Access::AnyUser),
    ("POST", "/api/v1/nonconformities", Access::Roles(REPORTERS)),
    ("GET", "/api/v1/nonconformities/{number}", Access::AnyUser),
    (
        "POST",
        "/api/v1/nonconformities/{number}/accept",
        Access::Roles(HANDLERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/reject",
        Access::Roles(HANDLERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/transfer",
        Access::Roles(HANDLERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/disposition",
        Access::Roles(HANDLERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/analysis",
        Access::Roles(HANDLERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/actions",
        Access::Roles(HANDLERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/actions/{id}/done",
        Access::Roles(WRITERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/actions/{id}/cancel",
        Access::Roles(HANDLERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/verify",
        Access::Roles(QMS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/close",
        Access::Roles(QMS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/documents",
        Access::Roles(HANDLERS),
    ),
    (
        "POST",
        "/api/v1/nonconformities/{number}/attachments",
        Access::Roles(REPORTERS),
    ),
    (
        "GET",
        "/api/v1/nonconformities/{number}/attachments/{id}",
        Access::AnyUser,
    ),
    ("GET", "/api/v1/tasks", Access::AnyUser),
    ("GET", "/api/v1/competences", Access::AnyUser),
    ("POST", "/api/v1/competences", Access::Roles(QMS)),
    ("GET", "/api/v1/competences/{code}", Access::AnyUser),
    ("PATCH", "/api/v1/competences/{code}", Access::Roles(QMS)),
    (
        "POST",
        "/api/v1/competences/{code}/requirements",
        Access::Roles(QMS),
    ),
    (
        "DELETE",
        "/api/v1/competences/{code}/requirements/{id}",
        Access::Roles(QMS),
    ),
    (
        "GET",
        "/api/v1/certifications",
        Access::Roles(COMPETENCE_READERS),
    ),
    ("POST", "/api/v1/certifications", Access::Roles(REPORTERS)),
    ("GET", "/api/v1/certifications/{id}", Access::AnyUser),
    (
        "POST",
        "/api/v1/certifications/{id}/corrections",
        Access::Roles(REPORTERS),
    ),
    (
        "POST",
        "/api/v1/certifications/{id}/verification",
        Access::Roles(QMS),
    ),
    (
        "POST",
        "/api/v1/certifications/{id}/evidence",
        Access::Roles(REPORTERS),
    ),
    (
        "GET",
        "/api/v1/certifications/{id}/evidence/{file}",
        Access::AnyUser,
    ),
    (
        "GET",
        "/api/v1/trainings",
        Access::Roles(COMPETENCE_READERS),
    ),
    ("POST", "/api/v1/trainings", Access::Roles(HANDLERS)),
    ("GET", "/api/v1/trainings/{id}", Access::AnyUser),
    (
        "POST",
        "/api/v1/trainings/{id}/complete",
        Access::Roles(REPORTERS),
    ),
    (
        "POST",
        "/api/v1/trainings/{id}/cancel",
        Access::Roles(HANDLERS),
    ),
    (
        "GET",
        "/api/v1/competence-matrix",
        Access::Roles(COMPETENCE_READERS),
    ),
    ("GET", "/api/v1/forms/{number}/records", Access::AnyUser),
    (
        "POST",
        "/api/v1/forms/{number}/records",
        Access::Roles(REPORTERS),
    ),
    (
        "POST",
        "/api/v1/forms/{number}/files",
        Access::Roles(REPORTERS),
    ),
    ("GET", "/api/v1/records/{number}", Access::AnyUser),
    (
        "POST",
        "/api/v1/records/{number}/corrections",
        Access::Roles(REPORTERS),
    ),
    (
        "POST",
        "/api/v1/records/{number}/signatures",
        Access::Roles(REPORTERS),
    ),
    (
        "GET",
        "/api/v1/records/{number}/files/{id}",
        Access::AnyUser,
    ),
    ("GET", "/api/v1/forms/{number}/schedules", Access::AnyUser),
    (
        "POST",
        "/api/v1/forms/{number}/schedules",
        Access::Roles(AUTHORS),
    ),
    (
        "POST",
        "/api/v1/forms/{number}/schedules/{id}/stop",
        Access::Roles(AUTHORS),
    ),
    (
        "GET",
        "/api/v1/processes/{code}/record-schedules",
        Access::AnyUser,
    ),
    ("GET", "/api/v1/surveys", Access::Roles(SURVEY_READERS)),
    ("POST", "/api/v1/surveys", Access::Roles(AUTHORS)),
    ("GET", "/api/v1/surveys/{id}", Access::Roles(SURVEY_READERS)),
    (
        "GET",
        "/api/v1/surveys/{id}/invitations",
        Access::Roles(SURVEY_READERS),
    ),
    (
        "POST",
        "/api/v1/surveys/{id}/invitations",
        Access::Roles(AUTHORS),
    ),
    (
        "GET",
        "/api/v1/surveys/{id}/results",
        Access::Roles(SURVEY_READERS),
    ),
    (
        "POST",
        "/api/v1/surveys/{id}/invitations/{invitation}/erase",
        Access::Roles(QMS),
    ),
    (
        "GET",
        "/api/v1/surveys/{id}/followups",
        Access::Roles(SURVEY_READERS),
    ),
    (
        "POST",
        "/api/v1/surveys/{id}/followups/{followup}/done",
        Access::Roles(AUTHORS),
    ),
];

const ROLES: &[&str] = &[
    "admin",
    "quality_manager",
    "process_owner",
    "staff",
    "auditor",
];

fn concrete(path: &str) -> String {
    path.replace("{id}", "00000000-0000-0000-0000-000000000000")
        .replace("{username}", "target")
        .replace("{number}", "QP-999")
        .replace("{n}", "1")
        .replace("{invitation}", "00000000-0000-0000-0000-000000000001")
        .replace("{followup}", "00000000-0000-0000-0000-000000000002")
        .replace("{kind}", "procedure")
        .replace("{name}", "file.pdf")
        .replace("{code}", "NOPE")
        .replace("{name}", "file.pdf")
        .replace("{code}", "NOPE")
}

/// A body that parses where one is needed but changes nothing that matters:
/// allowed callers get a validation error or a harmless no-op.
fn body_for(method: &str, path: &str) -> Option<Value> {
    match (method, path) {
        ("GET", _) | ("DELETE", _) => None,
        ("POST", "/api/v1/session") => Some(json!({"username": "nobody", "password": "x"})),
        _ => Some(json!({})),
    }
}

async fn every_route_answers_as_the_role_table_says(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("target", &["staff"]).await;
    let mut tokens = Vec::new();
    for role in ROLES {
        let name = format!("as-{}", role.replace('_', "-"));
        let c = app.user_with_roles(&name, &[role]).await;
        tokens.push((*role, app.token_for(&c).await));
    }

    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                documented.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    documented.sort();
    let mut tabled: Vec<(String, String)> = TABLE
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    tabled.sort();
    assert_eq!(
        documented, tabled,
        "the role table and the OpenAPI document list the same routes"
    );

    let mut failures = Vec::new();
    for (method, path, access) in TABLE {
        let url = app.url(&concrete(path));
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let send = async |token: Option<&str>| -> (StatusCode, String) {
            let mut req = crate::helpers::client().request(m.clone(), &url);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            if let Some(b) = body_for(method, path) {
                req = req.json(&b);
            }
            let res = req.send().await.unwrap();
            let status = res.status();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            let code = body["error"]["code"].as_str().unwrap_or("").to_string();
            (status, code)
        };
        // A refusal for who you are, as opposed to what you sent.
        let refused = |status: StatusCode, code: &str| {
            matches!(code, "not_authenticated" | "invalid_token" | "forbidden")
                || status == StatusCode::FORBIDDEN
        };
        let (anon, code) = send(None).await;
        let anon_ok = match access {
            Access::Public => !refused(anon, &code) && !anon.is_server_error(),
            _ => anon == StatusCode::UNAUTHORIZED && code == "not_authenticated",
        };
        if !anon_ok {
            failures.push(format!("{method} {path} anonymous -> {anon} {code}"));
        }
        for (role, token) in &tokens {
            let (status, code) = send(Some(token)).await;
            let allowed = match access {
                Access::Public | Access::AnyUser => true,
                Access::Roles(roles) => roles.contains(role),
            };
            let ok = if allowed {
                !refused(status, &code) && !status.is_server_error()
            } else {
                status == StatusCode::FORBIDDEN
                    && (code == "forbidden" || code == "signer_not_allowed")
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {role} -> {status} {code} (allowed: {allowed})"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation table violated:\n{}",
        failures.join("\n")
    );

    // The harmless bodies changed nothing about the target user.
    let admin = app.admin().await;
    let target: Value = admin
        .get(app.url("/api/v1/users/target"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(target["roles"], json!(["staff"]));
    assert_eq!(target["active"], true);
}

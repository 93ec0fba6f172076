//! The API keeps the promises of its OpenAPI document: RFC 3339 times,
//! documented error answers, 413 for bodies over the limit, 405 with
//! `Allow` for a known path asked with another method, enumerations and
//! length limits in the schema.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, error_code, page_login, spawn_app, spawn_app_with};

backend_tests!(times_are_rfc3339_in_utc);

/// Every `*_at` string in `v`, with its path.
fn times(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{path}.{k}");
                match x {
                    Value::String(s) if k.ends_with("_at") => out.push((p, s.clone())),
                    // An audit event's change: `{"expires_at":{"before":..,"after":..}}`.
                    Value::Object(change) if k.ends_with("_at") => {
                        for (side, s) in change {
                            if let Value::String(s) = s {
                                out.push((format!("{p}.{side}"), s.clone()));
                            }
                        }
                    }
                    _ => times(x, &p, out),
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                times(x, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn assert_rfc3339(v: &Value) -> usize {
    let mut found = Vec::new();
    times(v, "", &mut found);
    for (path, s) in &found {
        let ok =
            s.len() == 27 && s.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(s).is_ok();
        assert!(ok, "{path} = {s} is not RFC 3339 UTC with microseconds");
    }
    found.len()
}

async fn times_are_rfc3339_in_utc(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    // An offset is converted to UTC; no offset means UTC.
    let res = admin
        .post(app.url("/api/v1/users"))
        .json(
            &json!({"username": "erkki", "display_name": "Erkki", "email": "e@example.com",
            "password": "correct-horse-battery", "roles": ["auditor"],
            "expires_at": "2030-01-31T12:00:00+02:00"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let user: Value = res.json().await.unwrap();
    assert_eq!(user["expires_at"], "2030-01-31T10:00:00.000000Z");
    assert_rfc3339(&user);

    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let res = qm
        .post(app.url("/api/v1/documents"))
        .json(&json!({"title": "Control of records", "kind": "procedure"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let number = res.json::<Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string();
    let mut seen = 0;
    for path in [
        "/api/v1/me".to_string(),
        "/api/v1/tokens".to_string(),
        format!("/api/v1/documents/{number}"),
        format!("/api/v1/documents/{number}/revisions"),
        "/api/v1/documents".to_string(),
        "/api/v1/users".to_string(),
        "/api/v1/audit-events?from=2000-01-01T00:00:00Z".to_string(),
    ] {
        let c = if path.contains("users") || path.contains("audit") {
            &admin
        } else {
            &qm
        };
        let res = c.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        seen += assert_rfc3339(&res.json::<Value>().await.unwrap());
    }
    assert!(seen > 10, "only {seen} times seen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_the_limit_are_413() {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.max_json_bytes = 2048;
        c.max_form_bytes = 2048;
        c.max_attachment_bytes = 4096;
    })
    .await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let too_large = |res: reqwest::Response| async move {
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error_code(res).await, "payload_too_large");
    };
    // JSON.
    let res = qm
        .post(app.url("/api/v1/documents"))
        .json(&json!({"title": "x".repeat(3000), "kind": "procedure"}))
        .send()
        .await
        .unwrap();
    too_large(res).await;
    let res = qm
        .post(app.url("/api/v1/documents"))
        .json(&json!({"title": "Records", "kind": "procedure"}))
        .send()
        .await
        .unwrap();
    let number = res.json::<Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string();
    // A raw upload.
    let res = qm
        .put(app.url(&format!(
            "/api/v1/documents/{number}/draft/attachments/big.bin"
        )))
        .body(vec![0u8; 5000])
        .send()
        .await
        .unwrap();
    too_large(res).await;
    // A form.
    let res = app
        .client
        .post(app.url("/login"))
        .form(&[("username", "x".repeat(3000)), ("password", "y".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A multipart upload from the editor page.
    let browser = page_login(&app, "qm", crate::helpers::PASSWORD).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", "whatever")
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![1u8; 5000]).file_name("big.bin"),
        );
    let res = browser
        .post(app.url(&format!("/documents/{number}/attachments")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_methods_on_known_paths_are_405_with_allow() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = &app.client;
    let trace = reqwest::Method::TRACE;
    for (method, path, allow) in [
        (trace.clone(), "/api/v1/documents", "GET, POST"),
        (reqwest::Method::DELETE, "/api/v1/me", "GET, PATCH"),
        (reqwest::Method::GET, "/api/v1/session", "POST, DELETE"),
        (trace.clone(), "/api/v1/documents/QP-001/draft", "PUT"),
    ] {
        let res = c
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
        assert_eq!(error_code(res).await, "method_not_allowed");
    }
    for (method, path, allow) in [
        (trace.clone(), "/documents", "GET, POST"),
        (reqwest::Method::PUT, "/login", "GET, POST"),
        (trace.clone(), "/healthz", "GET"),
        (
            reqwest::Method::DELETE,
            "/nonconformities/NC-2026-1/accept",
            "POST",
        ),
    ] {
        let res = c
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
    }
    let res = c
        .request(trace.clone(), app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(res).await, "route_not_found");
    let res = c
        .request(trace, app.url("/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

/// The enumeration a property refers to (directly, through `$ref`, or
/// through `oneOf`/`allOf` with null).
fn enum_of<'a>(doc: &'a Value, prop: &'a Value) -> Vec<String> {
    let target = if let Some(r) = prop["$ref"].as_str() {
        schema(doc, r.rsplit('/').next().unwrap())
    } else if let Some(list) = prop["oneOf"].as_array().or(prop["allOf"].as_array()) {
        return list.iter().flat_map(|p| enum_of(doc, p)).collect();
    } else if prop["items"].is_object() {
        return enum_of(doc, &prop["items"]);
    } else {
        prop
    };
    target["enum"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_tells_errors_enumerations_and_limits() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut ids = std::collections::HashSet::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_string()), "operationId {id} twice");
            let responses = &op["responses"];
            let error = |status: &str| {
                let r = &responses[status]["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(
                    r, "#/components/schemas/ErrorBody",
                    "{method} {path} does not document {status}"
                );
            };
            if op["requestBody"].is_object() {
                for s in ["400", "413", "422"] {
                    error(s);
                }
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            if params.iter().any(|p| p["in"] == "query") {
                error("400");
            }
            if params.iter().any(|p| p["in"] == "path") {
                error("404");
            }
            let anonymous = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.as_object().unwrap().is_empty()));
            if !anonymous {
                error("401");
                error("403");
            }
        }
    }
    assert!(operations > 60, "{operations} operations");
    let props = |name: &str| schema(&doc, name)["properties"].clone();
    let kinds = [
        "policy",
        "scope",
        "manual",
        "procedure",
        "work_instruction",
        "form",
        "external",
        "value_promise",
    ];
    assert_eq!(enum_of(&doc, &props("CreateDocument")["kind"]), kinds);
    assert_eq!(props("CreateDocument")["title"]["maxLength"], 300);
    assert_eq!(
        enum_of(&doc, &props("SignRequest")["meaning"]),
        ["reviewed", "approved"]
    );
    assert_eq!(enum_of(&doc, &props("NewNonconformity")["kind"]).len(), 7);
    assert_eq!(
        enum_of(&doc, &props("NewNonconformity")["severity"]),
        ["minor", "major", "critical"]
    );
    assert_eq!(props("NewNonconformity")["title"]["maxLength"], 200);
    assert_eq!(enum_of(&doc, &props("NcSummary")["status"]).len(), 8);
    assert_eq!(
        enum_of(&doc, &props("NewKpi")["frequency"]),
        ["weekly", "monthly", "quarterly", "yearly"]
    );
    assert_eq!(
        enum_of(&doc, &props("NewKpi")["direction"]),
        ["higher_is_better", "lower_is_better"]
    );
    assert_eq!(enum_of(&doc, &props("UserRequest")["roles"]).len(), 5);
    assert_eq!(props("UserRequest")["username"]["maxLength"], 64);
    assert_eq!(props("TokenRequest")["name"]["maxLength"], 100);
    assert!(props("User")["created_at"]["format"] == "date-time");
    let list_nc = &doc["paths"]["/api/v1/nonconformities"]["get"]["parameters"];
    let status = list_nc
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "status")
        .unwrap();
    let states = enum_of(&doc, &status["schema"]);
    assert!(
        states.contains(&"open".to_string()) && states.len() == 9,
        "{states:?}"
    );
}

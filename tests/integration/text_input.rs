//! Text that a database cannot hold or a person cannot see is refused in
//! every way it can come in (JSON, forms, uploads, addresses), with a stable
//! code, and nothing is stored. On PostgreSQL a NUL used to be a 500.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, csrf_token, error_code, page_login, spawn_app};

backend_tests!(
    names_refuse_control_bidi_and_blank_text,
    forms_uploads_and_addresses_refuse_them_too,
    downloads_are_named_in_utf8
);

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> reqwest::Response {
    c.post(app.url(path)).json(&body).send().await.unwrap()
}

/// A work instruction with a saved draft; its number.
async fn draft(app: &TestApp, c: &reqwest::Client, title: &str, content: &str) -> String {
    let res = post(
        app,
        c,
        "/api/v1/documents",
        json!({ "title": title, "kind": "work_instruction" }),
    )
    .await;
    let number = res.json::<Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string();
    let res = c
        .put(app.url(&format!("/api/v1/documents/{number}/draft")))
        .json(&json!({ "content": content }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    number
}

async fn documents_count(app: &TestApp, c: &reqwest::Client) -> u64 {
    let body: Value = app
        .client_get(c, "/api/v1/documents")
        .await
        .json()
        .await
        .unwrap();
    body["total"].as_u64().unwrap()
}

async fn names_refuse_control_bidi_and_blank_text(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let doc = |title: &str| json!({ "title": title, "kind": "procedure" });
    for (title, code) in [
        ("Calibration\u{0}", "control_character"),
        ("Two\nlines", "control_character"),
        ("\u{202E}txt.exe", "bidi_control"),
        ("a\u{2067}b", "bidi_control"),
        ("\u{200B}\u{200B}\u{200B}", "invalid_title"),
        ("   ", "invalid_title"),
    ] {
        let res = post(&app, &qm, "/api/v1/documents", doc(title)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{title:?}");
        assert_eq!(error_code(res).await, code, "{title:?}");
    }
    assert_eq!(documents_count(&app, &qm).await, 0, "nothing half written");
    // A NUL anywhere in a body, whatever field it lands in.
    let res = post(
        &app,
        &qm,
        "/api/v1/documents",
        json!({ "title": "Fine", "kind": "procedure", "owner": "q\u{0}m" }),
    )
    .await;
    assert_eq!(error_code(res).await, "control_character");
    // Finnish, right-to-left and emoji are text like any other.
    let res = post(
        &app,
        &qm,
        "/api/v1/documents",
        doc("Mittalaitteiden kalibrointi – עברית ✓"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // A nonconformity's title and description.
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    drop(owner);
    let res = post(
        &app,
        &qm,
        "/api/v1/processes",
        json!({ "code": "PROD", "name": "Production", "owner": "po" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let nc = |title: &str, description: &str| json!({ "kind": "deviation", "title": title, "description": description, "responsible": "PROD", "severity": "minor" });
    let res = post(&app, &qm, "/api/v1/nonconformities", nc("Burr\u{0}", "")).await;
    assert_eq!(error_code(res).await, "control_character");
    let res = post(
        &app,
        &qm,
        "/api/v1/nonconformities",
        nc("\u{FEFF}\u{200D}", ""),
    )
    .await;
    assert_eq!(error_code(res).await, "invalid_title");
    let res = post(
        &app,
        &qm,
        "/api/v1/nonconformities",
        nc("Burr", "bell\u{7}"),
    )
    .await;
    assert_eq!(error_code(res).await, "control_character");
    let res = post(
        &app,
        &qm,
        "/api/v1/nonconformities",
        nc("Burr", "line 1\n\tline 2"),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "descriptions keep lines and tabs"
    );

    // A display name.
    let admin = app.admin().await;
    for (name, code) in [
        ("Olli\u{0}", "control_character"),
        ("\u{202E}illO", "bidi_control"),
        ("\u{200B}", "invalid_display_name"),
    ] {
        let res = admin
            .patch(app.url("/api/v1/users/qm"))
            .json(&json!({ "display_name": name }))
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(res).await, code, "{name:?}");
    }
    let me: Value = app
        .client_get(&qm, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "Test qm", "unchanged");
}

async fn forms_uploads_and_addresses_refuse_them_too(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    // Addresses: a NUL in a search or a path never reaches the database.
    for path in [
        "/api/v1/documents?q=%00",
        "/api/v1/documents/QP-001%00",
        "/api/v1/nonconformities?q=%E2%80%AE",
        "/documents?q=x%00",
    ] {
        let res = app.client_get(&qm, path).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }
    let res = app.client_get(&qm, "/api/v1/documents?q=%00").await;
    assert_eq!(error_code(res).await, "control_character");

    // A page form.
    let page = page_login(&app, "qm", PASSWORD).await;
    let html = page
        .get(app.url("/documents/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token(&html);
    let res = page
        .post(app.url("/documents"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("title", "Form\u{0}title"),
            ("kind", "procedure"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(documents_count(&app, &qm).await, 0);

    // Attachment names, through the API.
    let number = draft(&app, &qm, "Drawing check", "See the drawing.").await;
    let put = |name: &str| {
        qm.put(app.url(&format!(
            "/api/v1/documents/{number}/draft/attachments/{name}"
        )))
        .header("content-type", "application/octet-stream")
        .body(vec![1u8, 2, 3])
        .send()
    };
    let res = put("%20").await.unwrap();
    assert_eq!(error_code(res).await, "invalid_attachment_name");
    let res = put("%E2%80%AEtxt.exe").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "bidi_control");
    let res = put("%E2%80%8B").await.unwrap();
    assert_eq!(error_code(res).await, "invalid_attachment_name");
    let res = put("%20padded.pdf").await.unwrap();
    assert_eq!(error_code(res).await, "invalid_attachment_name");
    let doc: Value = app
        .client_get(&qm, &format!("/api/v1/documents/{number}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        doc["draft"]["attachments"]
            .as_array()
            .is_none_or(|a| a.is_empty()),
        "{doc}"
    );
}

async fn downloads_are_named_in_utf8(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let number = draft(&app, &qm, "Kalibrointi", "Katso liite.").await;
    let res = qm
        .put(app.url(&format!(
            "/api/v1/documents/{number}/draft/attachments/Mittaus%C3%B6ljy%20%22A%22.pdf"
        )))
        .header("content-type", "application/octet-stream")
        .body(b"%PDF-1.7".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = app
        .client_get(&qm, &format!("/api/v1/documents/{number}"))
        .await
        .json()
        .await
        .unwrap();
    let rev = doc["draft"]["rev"].as_i64().unwrap();
    let res = app
        .client_get(
            &qm,
            &format!(
                "/api/v1/documents/{number}/revisions/{rev}/attachments/Mittaus%C3%B6ljy%20%22A%22.pdf"
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cd = res
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cd.starts_with("attachment"), "{cd}");
    assert!(
        cd.contains("filename*=UTF-8''Mittaus%C3%B6ljy%20%22A%22.pdf"),
        "{cd}"
    );
    assert!(cd.contains("filename=\"Mittaus_ljy _A_.pdf\""), "{cd}");
}

//! The document page offers exactly the review steps the server accepts:
//! a draft's `allowed_steps` name them, the page shows those forms only,
//! and every step not offered is refused. Before the review flow, every
//! reader who could see a revision in review (an auditor, say) was shown
//! the signing form.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, create_document, page_login, spawn_app};

backend_tests!(the_document_page_offers_what_the_review_accepts);

async fn detail(app: &TestApp, c: &reqwest::Client, number: &str) -> Value {
    let res = c
        .get(app.url(&format!("/api/v1/documents/{number}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

fn steps(d: &Value) -> BTreeSet<String> {
    d["draft"]["allowed_steps"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// The review forms of the document page: `submit`, `sign`, `reject`.
async fn page_steps(app: &TestApp, page: &reqwest::Client, number: &str) -> BTreeSet<String> {
    let html = page
        .get(app.url(&format!("/documents/{number}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let base = format!("/documents/{number}/");
    doc.select(&scraper::Selector::parse("form[method=post]").unwrap())
        .filter_map(|f| f.value().attr("action"))
        .filter_map(|a| a.strip_prefix(&base))
        .filter(|a| ["submit", "sign", "reject"].contains(a))
        .map(str::to_string)
        .collect()
}

async fn try_step(app: &TestApp, c: &reqwest::Client, number: &str, step: &str) -> StatusCode {
    let (path, body) = match step {
        "submit" => ("draft/submit", json!({})),
        "sign" => (
            "draft/signatures",
            json!({ "password": PASSWORD, "meaning": "approved" }),
        ),
        "reject" => ("draft/reject", json!({ "comment": "Not like this" })),
        other => panic!("{other}"),
    };
    c.post(app.url(&format!("/api/v1/documents/{number}/{path}")))
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
}

async fn the_document_page_offers_what_the_review_accepts(backend: Backend) {
    let app = spawn_app(backend).await;
    let names = ["po", "qm", "qm2", "aud", "sam"];
    for (name, role) in [
        ("po", "process_owner"),
        ("qm", "quality_manager"),
        ("qm2", "quality_manager"),
        ("aud", "auditor"),
        ("sam", "staff"),
    ] {
        app.user_with_roles(name, &[role]).await;
    }
    let mut api = Vec::new();
    let mut pages = Vec::new();
    for n in names {
        api.push(app.login(n, PASSWORD).await);
        pages.push(page_login(&app, n, PASSWORD).await);
    }
    let po = &api[0];
    let number = create_document(
        &app,
        po,
        json!({ "title": "Receiving inspection", "kind": "procedure" }),
    )
    .await;

    // An empty draft cannot be submitted, so nobody is offered that.
    assert!(steps(&detail(&app, po, &number).await).is_empty());
    let res = po
        .put(app.url(&format!("/api/v1/documents/{number}/draft")))
        .json(&json!({ "content": "# Receiving inspection\n\nCheck every lot." }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());

    let expected_draft: [&[&str]; 5] = [&["submit"], &["submit"], &["submit"], &[], &[]];
    check_stage(&app, &names, &api, &pages, &number, &expected_draft).await;

    let res = po
        .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    // In review on the default route (one quality manager): the author's
    // owner and the auditor may read it, but only quality managers sign.
    let expected_review: [&[&str]; 5] = [&[], &["reject", "sign"], &["reject", "sign"], &[], &[]];
    check_stage(&app, &names, &api, &pages, &number, &expected_review).await;
}

async fn check_stage(
    app: &TestApp,
    names: &[&str],
    api: &[reqwest::Client],
    pages: &[reqwest::Client],
    number: &str,
    expected: &[&[&str]],
) {
    for (i, name) in names.iter().enumerate() {
        let d = detail(app, &api[i], number).await;
        let allowed = steps(&d);
        let want: BTreeSet<String> = expected[i].iter().map(|s| s.to_string()).collect();
        assert_eq!(allowed, want, "{name}'s allowed steps");
        assert_eq!(
            page_steps(app, &pages[i], number).await,
            want,
            "{name}'s page"
        );
        for step in ["submit", "sign", "reject"] {
            if allowed.contains(step) {
                continue;
            }
            let status = try_step(app, &api[i], number, step).await;
            assert!(status.is_client_error(), "{name} took {step}: {status}");
        }
        assert_eq!(
            detail(app, &api[i], number).await["draft"]["status"],
            d["draft"]["status"],
            "refused steps of {name} changed the revision"
        );
    }
}

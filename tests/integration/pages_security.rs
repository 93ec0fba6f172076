//! Security headers on every answer, and `Secure` cookies by the public address.

use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{
    ADMIN_PASSWORD, Backend, TestApp, client, page_login, spawn_app, spawn_app_with,
};

backend_tests!(
    every_answer_carries_the_security_headers,
    cookies_are_secure_when_the_public_address_is_https,
);

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .unwrap_or_else(|| panic!("{} has no {name}", res.url()))
        .to_str()
        .unwrap()
}

fn assert_protected(res: &reqwest::Response, csp: &str) {
    assert_eq!(header(res, "content-security-policy"), csp, "{}", res.url());
    assert_eq!(header(res, "x-frame-options"), "DENY");
    assert_eq!(header(res, "x-content-type-options"), "nosniff");
    assert_eq!(header(res, "referrer-policy"), "same-origin");
}

async fn every_answer_carries_the_security_headers(backend: Backend) {
    let app = spawn_app(backend).await;
    let anon = client();
    for (path, status) in [
        ("/login", StatusCode::OK),
        ("/no-such-page", StatusCode::NOT_FOUND),
        ("/healthz", StatusCode::OK),
        ("/static/laatu.css", StatusCode::OK),
        ("/api/v1/me", StatusCode::UNAUTHORIZED),
        ("/api/v1/openapi.json", StatusCode::OK),
        ("/documents", StatusCode::SEE_OTHER),
    ] {
        let res = anon.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), status, "{path}");
        assert_protected(&res, CSP);
    }
    let c = page_login(&app, "admin", ADMIN_PASSWORD).await;
    for path in ["/", "/processes/map", "/nonconformities/stats"] {
        let res = app.client_get(&c, path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_protected(&res, CSP);
    }
    // The map page draws the map inline, without the SVG's own <style>.
    let html = app
        .client_get(&c, "/processes/map")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<svg"), "{html}");
    assert!(!html.contains("<style"), "{html}");
    assert!(!html.contains("<object"), "{html}");
    // The standalone map keeps its style, under a policy that allows it.
    let res = app.client_get(&c, "/processes/map.svg").await;
    assert_eq!(header(&res, "content-type"), "image/svg+xml; charset=utf-8");
    assert_protected(
        &res,
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
    );
    assert!(res.text().await.unwrap().contains("<style>"));
    // Downloads keep their own, stricter policy.
    let res = app
        .client_get(&c, "/nonconformities/stats/by-kind.csv")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-security-policy"), "sandbox");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert!(header(&res, "content-disposition").starts_with("attachment"));
}

async fn set_cookies(app: &TestApp) -> Vec<String> {
    let res = client()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mut all: Vec<String> = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let res = client().get(app.url("/login")).send().await.unwrap();
    all.extend(
        res.headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string()),
    );
    assert_eq!(all.len(), 2, "{all:?}");
    all
}

fn secure(cookie: &str) -> bool {
    cookie
        .split(';')
        .any(|part| part.trim().eq_ignore_ascii_case("secure"))
}

async fn cookies_are_secure_when_the_public_address_is_https(backend: Backend) {
    let app = spawn_app_with(backend.clone(), |c| {
        c.public_url = Some("https://laatu.example.com".into());
    })
    .await;
    let cookies = set_cookies(&app).await;
    assert!(cookies.iter().all(|c| secure(c)), "{cookies:?}");
    drop(app);

    let app = spawn_app_with(backend.clone(), |c| {
        c.public_url = Some("http://laatu.internal:8080".into());
    })
    .await;
    let cookies = set_cookies(&app).await;
    assert!(!cookies.iter().any(|c| secure(c)), "{cookies:?}");
    drop(app);

    // An explicit setting wins.
    let app = spawn_app_with(backend, |c| {
        c.public_url = Some("https://laatu.example.com".into());
        c.secure_cookies = Some(false);
    })
    .await;
    let cookies = set_cookies(&app).await;
    assert!(!cookies.iter().any(|c| secure(c)), "{cookies:?}");
}

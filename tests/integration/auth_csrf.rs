//! CSRF tokens are bound to the session, and unsafe requests from another
//! site are refused by their `Origin` / `Sec-Fetch-Site`.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{
    ADMIN_PASSWORD, Backend, TestApp, client, csrf_token, error_code, spawn_app, spawn_app_with,
};

backend_tests!(
    a_token_from_another_browser_or_session_is_refused,
    cross_site_posts_are_refused_before_anything_else,
    the_public_address_counts_as_same_origin,
);

/// A client that keeps no cookies: each test names the cookies it sends.
fn bare() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers().get_all(SET_COOKIE).iter().find_map(|v| {
        let v = v.to_str().ok()?;
        let (pair, _) = v.split_once(';').unwrap_or((v, ""));
        let (k, val) = pair.split_once('=')?;
        (k == name && !val.is_empty()).then(|| val.to_string())
    })
}

/// An anonymous visit to the login page: its CSRF cookie and form token.
async fn login_page(app: &TestApp) -> (String, String) {
    let res = bare().get(app.url("/login")).send().await.unwrap();
    let cookie = cookie_value(&res, "laatu_csrf").expect("a CSRF cookie");
    let token = csrf_token(&res.text().await.unwrap());
    (cookie, token)
}

/// Logs in through the form; returns the session cookie value.
async fn form_login(app: &TestApp, user: &str, password: &str) -> String {
    let (csrf, token) = login_page(app).await;
    let res = bare()
        .post(app.url("/login"))
        .header(COOKIE, format!("laatu_csrf={csrf}"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", user),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    cookie_value(&res, "laatu_session").expect("a session cookie")
}

/// Tries to create an API token through the account page's form.
async fn create_token(app: &TestApp, cookies: &str, token: &str) -> reqwest::Response {
    bare()
        .post(app.url("/account/tokens"))
        .header(COOKIE, cookies)
        .form(&[("csrf_token", token), ("name", "forged")])
        .send()
        .await
        .unwrap()
}

async fn token_count(app: &TestApp) -> usize {
    use diesel::prelude::*;
    let mut db = app.db();
    let n: i64 = laatu::db::schema::api_tokens::table
        .count()
        .get_result(&mut db)
        .unwrap();
    usize::try_from(n).unwrap()
}

async fn a_token_from_another_browser_or_session_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let victim = form_login(&app, "admin", ADMIN_PASSWORD).await;
    // The attacker's own anonymous cookie and token, planted beside the
    // victim's session cookie.
    let (planted, planted_token) = login_page(&app).await;
    let res = create_token(
        &app,
        &format!("laatu_session={victim}; laatu_csrf={planted}"),
        &planted_token,
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("data-code=\"csrf_token_invalid\"")
    );
    // A token of another session of the same user is refused too.
    let other = form_login(&app, "admin", ADMIN_PASSWORD).await;
    let html = bare()
        .get(app.url("/account"))
        .header(COOKIE, format!("laatu_session={other}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let other_token = csrf_token(&html);
    let res = create_token(&app, &format!("laatu_session={victim}"), &other_token).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(token_count(&app).await, 0, "nothing was created");

    // The victim's own page token works, with or without any CSRF cookie.
    let html = bare()
        .get(app.url("/account"))
        .header(COOKIE, format!("laatu_session={victim}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let own = csrf_token(&html);
    let res = create_token(&app, &format!("laatu_session={victim}"), &own).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(token_count(&app).await, 1);

    // An anonymous token works on the login form only.
    let (anon, anon_token) = login_page(&app).await;
    let res = bare()
        .post(app.url("/account/tokens"))
        .header(COOKIE, format!("laatu_csrf={anon}"))
        .form(&[("csrf_token", anon_token.as_str()), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn post_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = client()
        .post(app.url(path))
        .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

async fn cross_site_posts_are_refused_before_anything_else(backend: Backend) {
    let app = spawn_app(backend).await;
    let own = app.base.clone();
    for headers in [
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
        vec![("origin", "http://127.0.0.1:1")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "same-origin"),
        ],
    ] {
        // The API...
        let res = post_with(&app, "/api/v1/session", &headers).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{headers:?}");
        assert!(res.headers().get(SET_COOKIE).is_none());
        assert_eq!(error_code(res).await, "cross_site_request");
        // ...and the pages, where the refusal is an error page.
        let res = post_with(&app, "/login", &headers).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{headers:?}");
        let html = res.text().await.unwrap();
        assert!(html.contains("data-code=\"cross_site_request\""), "{html}");
    }
    // Same origin, a top-level navigation, and no browser headers at all pass.
    for headers in [
        vec![("origin", own.as_str())],
        vec![("sec-fetch-site", "same-origin")],
        vec![("sec-fetch-site", "none")],
        vec![],
    ] {
        let res = post_with(&app, "/api/v1/session", &headers).await;
        assert_eq!(res.status(), StatusCode::OK, "{headers:?}");
    }
    // Safe methods are never refused.
    let res = client()
        .get(app.url("/login"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

async fn the_public_address_counts_as_same_origin(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.public_url = Some("https://laatu.example.com/".into());
    })
    .await;
    let res = post_with(
        &app,
        "/api/v1/session",
        &[("origin", "https://laatu.example.com")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = post_with(
        &app,
        "/api/v1/session",
        &[("origin", "http://laatu.example.com")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

//! What ends sessions and API tokens: a password reset or change ends the
//! other sessions and revokes the tokens; deactivation revokes the tokens
//! for good. Each is one audit event that names what ended.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, changes, client, csrf_token, error_code, spawn_app,
};

backend_tests!(
    an_admin_password_reset_ends_every_session_and_token,
    changing_ones_password_keeps_only_the_credential_used,
    a_password_change_through_the_account_page_keeps_that_session,
    deactivation_revokes_tokens_for_good,
);

const NEW_PASSWORD: &str = "a-brand-new-password-9";

async fn me_status_with_token(app: &TestApp, token: &str) -> StatusCode {
    client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

async fn me_status(app: &TestApp, c: &reqwest::Client) -> StatusCode {
    c.get(app.url("/api/v1/me")).send().await.unwrap().status()
}

async fn an_admin_password_reset_ends_every_session_and_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.user_with_roles("rita", &["staff"]).await;
    let second = app.login("rita", PASSWORD).await;
    let token = app.token_for(&first).await;
    assert_eq!(me_status_with_token(&app, &token).await, StatusCode::OK);

    let admin = app.admin().await;
    let res = admin
        .post(app.url("/api/v1/users/rita/password"))
        .json(&json!({ "password": NEW_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    assert_eq!(me_status(&app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&app, &second).await, StatusCode::UNAUTHORIZED);
    let res = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "invalid_token");

    let events = app.audit_events("action=user.password_changed").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor_name"], "admin");
    assert_eq!(changes(&events[0])["sessions_ended"], 2);
    assert_eq!(
        changes(&events[0])["api_tokens_revoked"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The new password works; the old token stays dead.
    let fresh = app.login("rita", NEW_PASSWORD).await;
    let list: Value = fresh
        .get(app.url("/api/v1/tokens"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list["items"][0]["revoked_at"].is_string());
    assert_eq!(
        me_status_with_token(&app, &token).await,
        StatusCode::UNAUTHORIZED
    );
}

async fn changing_ones_password_keeps_only_the_credential_used(backend: Backend) {
    let app = spawn_app(backend).await;
    let current = app.user_with_roles("olli", &["staff"]).await;
    let other = app.login("olli", PASSWORD).await;
    let old_token = app.token_for(&current).await;

    // With the session: that session stays, the other ends, the token dies.
    let res = current
        .post(app.url("/api/v1/me/password"))
        .json(&json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(me_status(&app, &current).await, StatusCode::OK);
    assert_eq!(me_status(&app, &other).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me_status_with_token(&app, &old_token).await,
        StatusCode::UNAUTHORIZED
    );

    // With a token: that token stays, the other tokens and every session end.
    let used = app.token_for(&current).await;
    let spare = app.token_for(&current).await;
    let res = client()
        .post(app.url("/api/v1/me/password"))
        .bearer_auth(&used)
        .json(&json!({ "current_password": NEW_PASSWORD, "new_password": "third-password-333" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(me_status_with_token(&app, &used).await, StatusCode::OK);
    assert_eq!(
        me_status_with_token(&app, &spare).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(me_status(&app, &current).await, StatusCode::UNAUTHORIZED);

    let events = app.audit_events("action=user.password_changed").await;
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e["actor_name"] == "olli"));
    assert_eq!(changes(&events[0])["sessions_ended"], 1);
    assert_eq!(changes(&events[1])["sessions_ended"], 1);
    assert_eq!(
        changes(&events[1])["api_tokens_revoked"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn a_password_change_through_the_account_page_keeps_that_session(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("paula", &["staff"]).await;
    let page = crate::helpers::page_login(&app, "paula", PASSWORD).await;
    let token = app.token_for(&page).await;
    let api = app.login("paula", PASSWORD).await;
    let html = page
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = page
        .post(app.url("/account/password"))
        .form(&[
            ("csrf_token", csrf_token(&html).as_str()),
            ("current_password", PASSWORD),
            ("new_password", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(me_status(&app, &page).await, StatusCode::OK);
    assert_eq!(me_status(&app, &api).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me_status_with_token(&app, &token).await,
        StatusCode::UNAUTHORIZED
    );
}

async fn deactivation_revokes_tokens_for_good(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.user_with_roles("kari", &["staff"]).await;
    let token = app.token_for(&c).await;
    let admin = app.admin().await;
    for active in [false, true] {
        let res = admin
            .patch(app.url("/api/v1/users/kari"))
            .json(&json!({ "active": active }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    // Active again, the account logs in, but the old token is gone for good.
    let back = app.login("kari", PASSWORD).await;
    let res = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(res).await, "invalid_token");
    let list: Value = back
        .get(app.url("/api/v1/tokens"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list["items"][0]["revoked_at"].is_string());

    let events = app.audit_events("action=user.deactivated").await;
    assert_eq!(events.len(), 1);
    let deactivation = changes(&events[0]);
    let revoked = deactivation["api_tokens_revoked"].as_array().unwrap();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0], list["items"][0]["id"]);
    assert_eq!(deactivation["sessions_ended"], 1);
}

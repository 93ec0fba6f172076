//! Logging in and out, API tokens, deactivation, expiry. Throttling after
//! failed logins is in `auth_throttle`, what ends tokens in `auth_tokens`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, error_code, spawn_app};

backend_tests!(
    session_login_me_logout,
    wrong_password_is_refused,
    api_token_works_until_revoked,
    deactivation_stops_sessions_and_tokens_at_once,
    expired_account_cannot_log_in,
    health_and_readiness,
);

async fn session_login_me_logout(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.admin().await;
    let me: Value = c
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["roles"], json!(["admin"]));
    assert!(me.get("password_hash").is_none());

    let res = c.delete(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(res).await, "not_authenticated");

    let actions: Vec<String> = app
        .audit_events("entity_type=session")
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert!(actions.starts_with(&["session.created".to_string(), "session.ended".to_string()]));
}

async fn wrong_password_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    for (user, pass) in [
        ("admin", "not-the-password"),
        ("nobody", "whatever-password"),
    ] {
        let res = app
            .client
            .post(app.url("/api/v1/session"))
            .json(&json!({ "username": user, "password": pass }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(res.headers().get("set-cookie").is_none());
        assert_eq!(error_code(res).await, "invalid_credentials");
    }
    let failed = app.audit_events("action=user.login_failed").await;
    assert_eq!(
        failed.len(),
        1,
        "the failure against a real account is audited"
    );
}

async fn api_token_works_until_revoked(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.user_with_roles("tina", &["staff"]).await;
    let res = c
        .post(app.url("/api/v1/tokens"))
        .json(&json!({ "name": "nightly export" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("laatu_"));

    let bare = crate::helpers::client();
    let me: Value = bare
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "tina");

    let list: Value = c
        .get(app.url("/api/v1/tokens"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "nightly export");
    assert!(
        !list.to_string().contains(&token),
        "the secret is never listed"
    );

    // Stored only as a hash.
    let dump = app.laatu(&["user", "list"]);
    assert!(dump.status.success());
    {
        use diesel::prelude::*;
        let mut db = app.db();
        let hashes: Vec<String> = laatu::db::schema::api_tokens::table
            .select(laatu::db::schema::api_tokens::token_hash)
            .load(&mut db)
            .unwrap();
        assert_eq!(hashes.len(), 1);
        assert_ne!(hashes[0], token);
    }

    // Another user cannot revoke it.
    let other = app.user_with_roles("otto", &["staff"]).await;
    let id = created["id"].as_str().unwrap();
    let res = other
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let res = c
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = bare
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(res).await, "invalid_token");
}

async fn deactivation_stops_sessions_and_tokens_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app
        .user_with_roles("leaver", &["staff", "process_owner"])
        .await;
    let token = app.token_for(&c).await;
    let admin = app.admin().await;
    let res = admin
        .patch(app.url("/api/v1/users/leaver"))
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let res = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "session ends at once"
    );
    let res = crate::helpers::client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "token stops at once"
    );

    let res = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({ "username": "leaver", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(res).await, "account_disabled");

    // The CLI deactivates the same way, and the trail names who did it.
    let out = app.laatu(&[
        "user",
        "add",
        "temp",
        "--role",
        "staff",
        "--password",
        PASSWORD,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = app.login("temp", PASSWORD).await;
    let out = app.laatu(&["user", "deactivate", "temp"]);
    assert!(out.status.success());
    let res = t.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let events = app.audit_events("action=user.deactivated").await;
    assert!(
        events
            .iter()
            .any(|e| e["action"] == "user.deactivated" && e["actor_name"] == "admin")
    );
    assert!(
        events
            .iter()
            .any(|e| e["action"] == "user.deactivated" && e["actor_name"] == "system:cli")
    );
}

async fn expired_account_cannot_log_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let res = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({
            "username": "ext-auditor", "password": PASSWORD, "roles": ["auditor"],
            "expires_at": "2030-01-31"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let user: Value = res.json().await.unwrap();
    assert_eq!(user["expires_at"], "2030-01-31T00:00:00.000000Z");
    let c = app.login("ext-auditor", PASSWORD).await;

    let res = admin
        .patch(app.url("/api/v1/users/ext-auditor"))
        .json(&json!({ "expires_at": "2020-01-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "expiry acts on live sessions"
    );
    let res = app
        .client
        .post(app.url("/api/v1/session"))
        .json(&json!({ "username": "ext-auditor", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "account_disabled");

    let res = admin
        .patch(app.url("/api/v1/users/ext-auditor"))
        .json(&json!({ "expires_at": null }))
        .send()
        .await
        .unwrap();
    let user: Value = res.json().await.unwrap();
    assert_eq!(user["expires_at"], Value::Null);
    app.login("ext-auditor", PASSWORD).await;
}

async fn health_and_readiness(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "request id {id}");
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Readiness notices a broken repository.
    std::fs::rename(
        app.data_dir.join("documents.git"),
        app.data_dir.join("moved.git"),
    )
    .unwrap();
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(error_code(res).await, "repository_unavailable");
}

//! User administration over the API: validation, conflicts, paging, audit.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, error_code, spawn_app};

backend_tests!(
    admin_creates_and_lists_users,
    bad_input_is_refused_with_stable_codes_and_writes_nothing,
    stale_version_is_a_conflict,
    last_admin_cannot_be_removed,
    password_reset_ends_sessions,
    own_password_change_checks_the_current_one,
);

async fn admin_creates_and_lists_users(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let res = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({
            "username": "laura", "display_name": "Laura Laatikainen",
            "email": "laura@example.fi", "password": PASSWORD,
            "roles": ["quality_manager", "staff", "staff"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let user: Value = res.json().await.unwrap();
    assert_eq!(user["roles"], json!(["quality_manager", "staff"]));
    assert_eq!(user["display_name"], "Laura Laatikainen");

    for i in 0..5 {
        app.laatu(&[
            "user",
            "add",
            &format!("u{i}"),
            "--role",
            "staff",
            "--password",
            PASSWORD,
        ]);
    }
    let page: Value = admin
        .get(app.url("/api/v1/users?per_page=3&page=2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 7);
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["u1", "u2", "u3"],
        "sorted by username (admin, laura, u0 first), second page"
    );

    let created = app.audit_events("action=user.created").await;
    let laura = created
        .iter()
        .find(|e| e["summary"] == "created user laura")
        .unwrap();
    assert_eq!(laura["actor_name"], "admin");
    assert_eq!(laura["entity_id"], user["id"]);
    let changes: Value = serde_json::from_str(laura["changes"].as_str().unwrap()).unwrap();
    assert_eq!(
        changes["roles"]["after"],
        json!(["quality_manager", "staff"])
    );
    assert!(!laura["changes"].as_str().unwrap().contains(PASSWORD));
}

async fn bad_input_is_refused_with_stable_codes_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let before = app.audit_events("").await.len();
    let cases = [
        (
            json!({"username": "A B", "password": PASSWORD, "roles": ["staff"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_username",
        ),
        (
            json!({"username": "short", "password": "short", "roles": ["staff"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "weak_password",
        ),
        (
            json!({"username": "rolex", "password": PASSWORD, "roles": ["king"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_role",
        ),
        (
            json!({"username": "norole", "password": PASSWORD, "roles": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "roles_required",
        ),
        (
            json!({"username": "mail", "password": PASSWORD, "roles": ["staff"], "email": "nope"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_email",
        ),
        (
            json!({"username": "when", "password": PASSWORD, "roles": ["staff"], "expires_at": "next tuesday"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_time",
        ),
        (
            json!({"username": "admin", "password": PASSWORD, "roles": ["staff"]}),
            StatusCode::CONFLICT,
            "username_taken",
        ),
        (
            json!({"password": PASSWORD}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
        ),
    ];
    for (body, status, code) in cases {
        let res = admin
            .post(app.url("/api/v1/users"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{body}");
        assert_eq!(error_code(res).await, code, "{body}");
    }
    let res = admin
        .post(app.url("/api/v1/users"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(res).await, "malformed_json");

    // Its own connection: the server answers before reading the body and closes it.
    let huge = "x".repeat(2 * 1024 * 1024);
    let res = app
        .admin()
        .await
        .post(app.url("/api/v1/users"))
        .json(&json!({"username": huge, "password": PASSWORD, "roles": ["staff"]}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    assert_eq!(error_code(res).await, "payload_too_large");

    let res = admin
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(res).await, "route_not_found");

    let list: Value = admin
        .get(app.url("/api/v1/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "nothing half written");
    // Only the logins of this test (audit_events logs in as admin) were recorded.
    let after: Vec<Value> = app.audit_events("").await;
    assert!(
        after[before..]
            .iter()
            .all(|e| e["action"] == "session.created")
    );
}

async fn stale_version_is_a_conflict(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("pekka", &["staff"]).await;
    let admin = app.admin().await;
    let user: Value = admin
        .get(app.url("/api/v1/users/pekka"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let version = user["version"].as_i64().unwrap();

    // Two admins edit from the same version; the second is refused.
    let res = admin
        .patch(app.url("/api/v1/users/pekka"))
        .json(&json!({ "roles": ["process_owner"], "version": version }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = admin
        .patch(app.url("/api/v1/users/pekka"))
        .json(&json!({ "display_name": "Pekka V.", "version": version }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "version_conflict");
    let user: Value = admin
        .get(app.url("/api/v1/users/pekka"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(user["roles"], json!(["process_owner"]));
    assert_eq!(user["display_name"], "Test pekka");
    assert_eq!(user["version"], version + 1);
}

async fn last_admin_cannot_be_removed(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    for body in [json!({ "roles": ["staff"] }), json!({ "active": false })] {
        let res = admin
            .patch(app.url("/api/v1/users/admin"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CONFLICT);
        assert_eq!(error_code(res).await, "cannot_remove_last_admin");
    }
    app.user_with_roles("second", &["admin"]).await;
    let res = admin
        .patch(app.url("/api/v1/users/admin"))
        .json(&json!({ "roles": ["staff", "auditor"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = admin.get(app.url("/api/v1/users")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "auditor may still list users");
    let res = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "no longer admin: refused at once"
    );
}

async fn password_reset_ends_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.user_with_roles("forgetful", &["staff"]).await;
    let admin = app.admin().await;
    let res = admin
        .post(app.url("/api/v1/users/forgetful/password"))
        .json(&json!({ "password": "a-brand-new-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    app.login("forgetful", "a-brand-new-password").await;
}

async fn own_password_change_checks_the_current_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.user_with_roles("careful", &["staff"]).await;
    let other_session = app.login("careful", PASSWORD).await;
    let res = c
        .post(app.url("/api/v1/me/password"))
        .json(&json!({ "current_password": "not-it-at-all", "new_password": "another-long-one" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "current_password_mismatch");
    let res = c
        .post(app.url("/api/v1/me/password"))
        .json(&json!({ "current_password": PASSWORD, "new_password": "another-long-one" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        other_session
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED,
        "other sessions end"
    );
}

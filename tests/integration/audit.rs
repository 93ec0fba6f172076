//! The audit trail: filters and paging, append-only storage, and `laatu check`
//! finding an event altered behind the application's back.

use diesel::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, error_code, spawn_app};

backend_tests!(
    events_filter_and_page,
    audit_events_cannot_be_updated_or_deleted,
    check_names_the_first_tampered_event,
);

async fn events_filter_and_page(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("anna", &["staff"]).await;
    app.user_with_roles("bert", &["auditor"]).await;
    let bert = app.login("bert", PASSWORD).await;

    let all: Value = bert
        .get(app.url("/api/v1/audit-events?per_page=2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let total = all["total"].as_i64().unwrap();
    assert!(total >= 5);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let first_seq = all["items"][0]["seq"].as_i64().unwrap();
    assert_eq!(first_seq, total, "newest first");
    let page2: Value = bert
        .get(app.url("/api/v1/audit-events?per_page=2&page=2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page2["items"][0]["seq"].as_i64().unwrap(), total - 2);

    let by_admin: Value = bert
        .get(app.url("/api/v1/audit-events?actor=admin&entity_type=user&per_page=200"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = by_admin["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "admin created anna and bert");
    assert!(
        items
            .iter()
            .all(|e| e["actor_name"] == "admin" && e["entity_type"] == "user")
    );

    let anna_id = items
        .iter()
        .find(|e| e["summary"] == "created user anna")
        .unwrap()["entity_id"]
        .clone();
    let anna: Value = bert
        .get(app.url(&format!(
            "/api/v1/audit-events?entity_type=user&entity_id={}",
            anna_id.as_str().unwrap()
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(anna["total"], 1);

    let future: Value = bert
        .get(app.url("/api/v1/audit-events?from=2999-01-01"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(future["total"], 0);
    let past: Value = bert
        .get(app.url("/api/v1/audit-events?to=2000-01-01T00:00:00"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(past["total"], 0);
    let today: Value = bert
        .get(app.url("/api/v1/audit-events?from=2000-01-01&to=2999-01-01"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        today["total"].as_i64().unwrap(),
        total,
        "reading writes nothing"
    );

    let res = bert
        .get(app.url("/api/v1/audit-events?from=yesterday"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "invalid_time");

    let anna = app.login("anna", PASSWORD).await;
    let res = anna
        .get(app.url("/api/v1/audit-events"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn audit_events_cannot_be_updated_or_deleted(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("anna", &["staff"]).await;
    let mut db = app.db();
    let update =
        diesel::sql_query("UPDATE audit_events SET summary = 'nothing happened' WHERE seq = 1")
            .execute(&mut db);
    assert!(update.is_err(), "the database refuses to rewrite history");
    let delete = diesel::sql_query("DELETE FROM audit_events WHERE seq = 1").execute(&mut db);
    assert!(delete.is_err());
    let out = app.laatu(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

async fn check_names_the_first_tampered_event(backend: Backend) {
    let app = spawn_app(backend.clone()).await;
    app.user_with_roles("anna", &["staff"]).await;
    app.user_with_roles("bert", &["staff"]).await;

    let out = app.laatu(&["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("audit chain intact"), "{stdout}");

    // Someone with database access edits event #3 and removes the guard first.
    let mut db = app.db();
    let drop_guard = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_events_no_update",
        Backend::Postgres(_) => "DROP TRIGGER audit_events_no_change ON audit_events",
    };
    diesel::sql_query(drop_guard).execute(&mut db).unwrap();
    diesel::sql_query("UPDATE audit_events SET actor_name = 'someone-else' WHERE seq = 3")
        .execute(&mut db)
        .unwrap();

    let out = app.laatu(&["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("audit event #3 is broken"), "{stdout}");

    // Re-hashing the edited event to hide the edit breaks the link to #4 instead.
    let (prev, summary): (String, String) = {
        use diesel::prelude::*;
        use laatu::db::schema::audit_events::dsl::*;
        audit_events
            .filter(seq.eq(3))
            .select((prev_hash, summary))
            .first(&mut db)
            .unwrap()
    };
    let forged = {
        use diesel::prelude::*;
        use laatu::audit::AuditEvent;
        let mut e: AuditEvent = laatu::db::schema::audit_events::table
            .filter(laatu::db::schema::audit_events::seq.eq(3))
            .select(AuditEvent::as_select())
            .first(&mut db)
            .unwrap();
        assert_eq!(e.summary, summary);
        e.hash = laatu::audit::event_hash(&e, &prev);
        e.hash
    };
    diesel::sql_query(format!(
        "UPDATE audit_events SET hash = '{forged}' WHERE seq = 3"
    ))
    .execute(&mut db)
    .unwrap();
    let out = app.laatu(&["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("audit event #4 is broken"), "{stdout}");
}

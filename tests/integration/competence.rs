//! Competence over HTTP: the matrix's cell states at the edges of the
//! expiry window as the scheduler keeps them, with the date set by the test;
//! levels, training and corrections; tasks to the right people only.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, error_code, spawn_app};

backend_tests!(
    matrix_states_at_the_edges_of_the_window,
    levels_training_and_corrections,
    tasks_go_to_the_holder_their_process_owner_and_the_trainer_only,
    refusals_leave_nothing_written,
);

pub async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let res = c
        .request(method, app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn post(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> Value {
    let (status, v) = send(app, c, reqwest::Method::POST, path, body.clone()).await;
    assert!(status.is_success(), "POST {path} {body}: {status} {v}");
    v
}

pub async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> Value {
    let res = c.get(app.url(path)).send().await.unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}: {v}");
    v
}

fn day(app: &TestApp, offset: i64) -> String {
    (app.today() + TimeDelta::days(offset)).to_string()
}

fn pass(app: &TestApp) {
    let state = app.state.clone();
    let now = app.now();
    let report = app.at_app_time(|| laatu::scheduler::run_once(&state, now));
    for j in &report.jobs {
        assert!(j.outcome.is_ok(), "{}/{}: {:?}", j.area, j.job, j.outcome);
    }
}

/// The state of `user`'s cell in column `key` of a matrix.
fn cell(m: &Value, user: &str, key: &str) -> Value {
    let col = m["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no column {key}: {m}"));
    let row = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user"] == user)
        .unwrap_or_else(|| panic!("no row {user}"));
    row["cells"][col].clone()
}

fn state_of(m: &Value, user: &str, key: &str) -> String {
    cell(m, user, key)["state"]
        .as_str()
        .map_or_else(|| "none".into(), str::to_string)
}

/// Process PROD (owner olga) with members; competence FORK required of it.
async fn setup(app: &TestApp, members: &[&str]) -> reqwest::Client {
    let qm = app.user_with_roles("quinn", &["quality_manager"]).await;
    app.user_with_roles("olga", &["process_owner"]).await;
    for m in members {
        app.user_with_roles(m, &["staff"]).await;
    }
    post(
        app,
        &qm,
        "/api/v1/processes",
        json!({ "code": "PROD", "name": "Production", "owner": "olga", "members": members }),
    )
    .await;
    post(
        app,
        &qm,
        "/api/v1/competences",
        json!({ "code": "FORK", "name": "Forklift licence", "name_fi": "Trukkikortti", "validity_months": 60 }),
    )
    .await;
    post(
        app,
        &qm,
        "/api/v1/competences/FORK/requirements",
        json!({ "process": "PROD" }),
    )
    .await;
    qm
}

async fn matrix_states_at_the_edges_of_the_window(backend: Backend) {
    let app = spawn_app(backend).await;
    let people = [
        "today",
        "tomorrow",
        "sixty",
        "sixtyone",
        "yesterday",
        "nobody",
    ];
    let qm = setup(&app, &people).await;
    for (user, offset) in [
        ("today", 0),
        ("tomorrow", 1),
        ("sixty", 60),
        ("sixtyone", 61),
        ("yesterday", -1),
    ] {
        let c = post(
            &app,
            &qm,
            "/api/v1/certifications",
            json!({ "user": user, "competence": "FORK", "issued_on": day(&app, -400), "expires_on": day(&app, offset) }),
        )
        .await;
        assert!(c["id"].is_string());
    }
    pass(&app);
    let m = get(&app, &qm, "/api/v1/competence-matrix?process=PROD").await;
    assert_eq!(m["as_of"], day(&app, 0));
    assert_eq!(m["window_days"], 60);
    for (user, state) in [
        ("today", "expiring"),
        ("tomorrow", "expiring"),
        ("sixty", "expiring"),
        ("sixtyone", "valid"),
        ("yesterday", "expired"),
        ("nobody", "missing"),
    ] {
        assert_eq!(state_of(&m, user, "FORK"), state, "{user}");
    }
    let gaps = &m["gaps"][0];
    assert_eq!(gaps["process"], "PROD");
    assert_eq!(
        (
            gaps["people"].as_i64(),
            gaps["required"].as_i64(),
            gaps["met"].as_i64()
        ),
        (Some(6), Some(6), Some(4))
    );
    let expiring: Vec<&str> = m["expiring"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["user"].as_str().unwrap())
        .collect();
    assert_eq!(expiring, ["today", "tomorrow", "sixty"]);

    // A day later, the states are what the scheduler last kept, until it runs.
    app.clock.advance(TimeDelta::days(1));
    let qm = app.login("quinn", crate::helpers::PASSWORD).await;
    let m = get(&app, &qm, "/api/v1/competence-matrix?process=PROD").await;
    assert_eq!(state_of(&m, "today", "FORK"), "expiring");
    assert_eq!(state_of(&m, "sixtyone", "FORK"), "valid");
    pass(&app);
    let m = get(&app, &qm, "/api/v1/competence-matrix?process=PROD").await;
    for (user, state) in [
        ("today", "expired"),
        ("tomorrow", "expiring"),
        ("sixty", "expiring"),
        ("sixtyone", "expiring"),
        ("yesterday", "expired"),
    ] {
        assert_eq!(state_of(&m, user, "FORK"), state, "{user} a day later");
    }
    // Each change of a mark is in the audit trail, by the scheduler.
    let events = app.audit_events("action=certification.expired").await;
    assert!(events.iter().all(|e| e["actor_name"] == "system:scheduler"));
    assert!(!events.is_empty());
    // The list filters by the kept state.
    let expired = get(&app, &qm, "/api/v1/certifications?state=expired").await;
    let holders: Vec<&str> = expired["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["user"].as_str().unwrap())
        .collect();
    assert_eq!(holders.len(), 2);
    assert!(holders.contains(&"today") && holders.contains(&"yesterday"));
}

async fn levels_training_and_corrections(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = setup(&app, &["ville", "wilma"]).await;
    post(
        &app,
        &qm,
        "/api/v1/competences",
        json!({ "code": "WELD", "name": "MAG welding", "scale": "iluo" }),
    )
    .await;
    post(
        &app,
        &qm,
        "/api/v1/competences/WELD/requirements",
        json!({ "process": "PROD", "level": "U" }),
    )
    .await;
    // Below the level; then a training that worked lifts it.
    let low = post(
        &app,
        &qm,
        "/api/v1/certifications",
        json!({ "user": "ville", "competence": "WELD", "issued_on": day(&app, -30), "level": "L" }),
    )
    .await;
    assert_eq!(low["level"], 2);
    assert_eq!(low["level_label"], "L");
    let m = get(&app, &qm, "/api/v1/competence-matrix").await;
    assert_eq!(state_of(&m, "ville", "WELD"), "below_level");
    assert_eq!(cell(&m, "ville", "WELD")["required_label"], "U");
    assert_eq!(state_of(&m, "wilma", "WELD"), "missing");
    let planned = post(
        &app,
        &qm,
        "/api/v1/trainings",
        json!({ "competence": "WELD", "users": ["ville", "wilma"], "trainer": "olga", "due_on": day(&app, 14), "level": "U" }),
    )
    .await;
    assert_eq!(planned.as_array().unwrap().len(), 2);
    let m = get(&app, &qm, "/api/v1/competence-matrix").await;
    assert_eq!(state_of(&m, "ville", "WELD"), "in_training");
    assert_eq!(state_of(&m, "wilma", "WELD"), "in_training");
    let olga = app.login("olga", crate::helpers::PASSWORD).await;
    let ville_training = planned
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["user"] == "ville")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let wilma_training = planned
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["user"] == "wilma")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The trainee cannot complete their own training.
    let ville = app.login("ville", crate::helpers::PASSWORD).await;
    let (status, v) = send(
        &app,
        &ville,
        reqwest::Method::POST,
        &format!("/api/v1/trainings/{ville_training}/complete"),
        json!({ "effective": true, "evaluation": "I think so" }),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_the_trainer"))
    );
    let done = post(
        &app,
        &olga,
        &format!("/api/v1/trainings/{ville_training}/complete"),
        json!({ "effective": true, "evaluation": "Welded three test pieces that passed the bend test" }),
    )
    .await;
    assert_eq!(done["training"]["status"], "completed");
    assert_eq!(done["certification"]["level_label"], "U");
    assert_eq!(done["certification"]["issuer"], "Test olga");
    let not = post(
        &app,
        &olga,
        &format!("/api/v1/trainings/{wilma_training}/complete"),
        json!({ "effective": false, "evaluation": "Test pieces failed; train again" }),
    )
    .await;
    assert!(not["certification"].is_null());
    let m = get(&app, &qm, "/api/v1/competence-matrix").await;
    assert_eq!(state_of(&m, "ville", "WELD"), "valid");
    assert_eq!(state_of(&m, "wilma", "WELD"), "missing");
    // The renewed entry stays in the record as renewed.
    let all = get(
        &app,
        &qm,
        "/api/v1/certifications?user=ville&competence=WELD",
    )
    .await;
    let renewed: Vec<bool> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["renewed"].as_bool().unwrap())
        .collect();
    assert_eq!(renewed, [false, true]);

    // A correction is a new entry with its reason; the old one stays, corrected.
    let fork = post(
        &app,
        &qm,
        "/api/v1/certifications",
        json!({ "user": "wilma", "competence": "FORK", "issued_on": day(&app, -10), "issuer": "Ajokoulu" }),
    )
    .await;
    assert_eq!(
        fork["expires_on"],
        (app.today() - TimeDelta::days(10))
            .checked_add_months(chrono::Months::new(60))
            .unwrap()
            .to_string()
    );
    let id = fork["id"].as_str().unwrap();
    let (status, v) = send(
        &app,
        &qm,
        reqwest::Method::POST,
        &format!("/api/v1/certifications/{id}/corrections"),
        json!({ "issued_on": day(&app, -12) }),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason_required"))
    );
    let fixed = post(
        &app,
        &qm,
        &format!("/api/v1/certifications/{id}/corrections"),
        json!({ "issued_on": day(&app, -12), "reason": "Typed the wrong day from the card", "version": fork["version"] }),
    )
    .await;
    assert_eq!(fixed["corrects"], id);
    assert_eq!(fixed["issuer"], "Ajokoulu");
    assert_eq!(fixed["issued_on"], day(&app, -12));
    let old = get(&app, &qm, &format!("/api/v1/certifications/{id}")).await;
    assert_eq!(old["corrected"], true);
    assert_eq!(
        old["issued_on"],
        day(&app, -10),
        "the old entry is not rewritten"
    );
    let (status, v) = send(
        &app,
        &qm,
        reqwest::Method::POST,
        &format!("/api/v1/certifications/{id}/corrections"),
        json!({ "reason": "again" }),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("certification_corrected"))
    );
    let listed = get(
        &app,
        &qm,
        "/api/v1/certifications?user=wilma&competence=FORK",
    )
    .await;
    assert_eq!(listed["total"], 1);
    let with_history = get(
        &app,
        &qm,
        "/api/v1/certifications?user=wilma&competence=FORK&corrected=true",
    )
    .await;
    assert_eq!(with_history["total"], 2);
    let events = app.audit_events("entity_type=certification").await;
    assert!(
        events
            .iter()
            .any(|e| e["action"] == "certification.corrected")
    );
}

async fn tasks_go_to_the_holder_their_process_owner_and_the_trainer_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = setup(&app, &["hanna", "other"]).await;
    app.user_with_roles("outsider", &["staff"]).await;
    app.user_with_roles("otto", &["process_owner"]).await;
    app.user_with_roles("tom", &["staff"]).await;
    // Otto owns a process hanna does not work in.
    post(
        &app,
        &qm,
        "/api/v1/processes",
        json!({ "code": "SALES", "name": "Sales", "owner": "otto", "members": ["other"] }),
    )
    .await;
    post(
        &app,
        &qm,
        "/api/v1/certifications",
        json!({ "user": "hanna", "competence": "FORK", "issued_on": day(&app, -300), "expires_on": day(&app, 20) }),
    )
    .await;
    // Not required of the outsider: an expiring certificate gives no task.
    post(
        &app,
        &qm,
        "/api/v1/certifications",
        json!({ "user": "outsider", "competence": "FORK", "issued_on": day(&app, -300), "expires_on": day(&app, 20) }),
    )
    .await;
    post(
        &app,
        &qm,
        "/api/v1/trainings",
        json!({ "competence": "FORK", "user": "other", "trainer": "tom", "due_on": day(&app, 3) }),
    )
    .await;
    pass(&app);
    let kinds = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| {
                t["kind"].as_str().unwrap().starts_with("certification")
                    || t["kind"] == "training_due"
            })
            .map(|t| {
                format!(
                    "{}:{}",
                    t["kind"].as_str().unwrap(),
                    t["title"].as_str().unwrap()
                )
            })
            .collect()
    };
    let mut seen = std::collections::BTreeMap::new();
    for who in ["hanna", "olga", "other", "outsider", "otto", "tom", "quinn"] {
        let c = app.login(who, crate::helpers::PASSWORD).await;
        seen.insert(who, kinds(&get(&app, &c, "/api/v1/tasks").await));
    }
    assert_eq!(seen["hanna"], ["certification_expiring:Forklift licence"]);
    assert_eq!(
        seen["olga"],
        ["certification_expiring:Forklift licence – Test hanna"]
    );
    assert_eq!(seen["other"], ["training_due:Forklift licence"]);
    assert_eq!(seen["tom"], ["training_due:Forklift licence – Test other"]);
    for nobody in ["outsider", "otto", "quinn"] {
        assert!(seen[nobody].is_empty(), "{nobody}: {:?}", seen[nobody]);
    }
    // Once expired, the task says so and is late; a renewal ends it.
    app.clock.advance(TimeDelta::days(21));
    pass(&app);
    let qm = app.login("quinn", crate::helpers::PASSWORD).await;
    let hanna = app.login("hanna", crate::helpers::PASSWORD).await;
    let tasks = get(&app, &hanna, "/api/v1/tasks").await;
    let t = tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "certification_expired")
        .expect("expired task");
    assert_eq!(t["overdue"], true);
    post(
        &app,
        &qm,
        "/api/v1/certifications",
        json!({ "user": "hanna", "competence": "FORK", "issued_on": day(&app, 0) }),
    )
    .await;
    let tasks = get(&app, &hanna, "/api/v1/tasks").await;
    assert!(kinds(&tasks).is_empty(), "{tasks}");
}

async fn refusals_leave_nothing_written(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = setup(&app, &["sini"]).await;
    let sini = app.login("sini", crate::helpers::PASSWORD).await;
    let writes = |events: Vec<Value>| {
        events
            .iter()
            .filter(|e| !e["action"].as_str().unwrap().starts_with("session."))
            .count()
    };
    let before = writes(app.audit_events("").await);
    let bad = [
        (
            &qm,
            "/api/v1/competences",
            json!({ "code": "x", "name": "X" }),
            "invalid_competence_code",
        ),
        (
            &qm,
            "/api/v1/competences",
            json!({ "code": "FORK", "name": "Again" }),
            "competence_code_taken",
        ),
        (
            &qm,
            "/api/v1/competences",
            json!({ "code": "LONG", "name": "L", "validity_months": 0 }),
            "invalid_validity",
        ),
        (
            &qm,
            "/api/v1/competences",
            json!({ "code": "SC", "name": "S", "scale": "abc" }),
            "invalid_scale",
        ),
        (
            &qm,
            "/api/v1/competences/FORK/requirements",
            json!({ "process": "PROD" }),
            "requirement_exists",
        ),
        (
            &qm,
            "/api/v1/competences/FORK/requirements",
            json!({}),
            "requirement_target_required",
        ),
        (
            &qm,
            "/api/v1/competences/FORK/requirements",
            json!({ "role": "auditor" }),
            "role_cannot_be_required",
        ),
        (
            &qm,
            "/api/v1/competences/FORK/requirements",
            json!({ "role": "staff", "level": 2 }),
            "competence_has_no_levels",
        ),
        (
            &qm,
            "/api/v1/certifications",
            json!({ "user": "sini", "competence": "FORK", "issued_on": day(&app, 1) }),
            "issued_in_future",
        ),
        (
            &qm,
            "/api/v1/certifications",
            json!({ "user": "sini", "competence": "FORK", "issued_on": day(&app, -1), "expires_on": day(&app, -2) }),
            "expiry_before_issue",
        ),
        (
            &qm,
            "/api/v1/certifications",
            json!({ "user": "nobody", "competence": "FORK", "issued_on": day(&app, -1) }),
            "user_not_found",
        ),
        (
            &qm,
            "/api/v1/certifications",
            json!({ "user": "sini", "competence": "NOPE", "issued_on": day(&app, -1) }),
            "competence_not_found",
        ),
        (
            &sini,
            "/api/v1/certifications",
            json!({ "user": "olga", "competence": "FORK", "issued_on": day(&app, -1) }),
            "not_your_person",
        ),
        (
            &qm,
            "/api/v1/trainings",
            json!({ "competence": "FORK", "user": "sini", "trainer": "olga", "due_on": day(&app, -1) }),
            "date_in_past",
        ),
        (
            &qm,
            "/api/v1/trainings",
            json!({ "competence": "FORK", "trainer": "olga", "due_on": day(&app, 1) }),
            "trainees_required",
        ),
        (
            &sini,
            "/api/v1/competences",
            json!({ "code": "MINE", "name": "Mine" }),
            "forbidden",
        ),
    ];
    for (c, path, body, code) in bad {
        let (status, v) = send(&app, c, reqwest::Method::POST, path, body.clone()).await;
        assert_eq!(v["error"]["code"], code, "{path} {body}: {status}");
    }
    assert_eq!(
        writes(app.audit_events("").await),
        before,
        "a refusal writes nothing"
    );
    // Staff record their own; a quality manager other than the holder verifies.
    let own = post(
        &app,
        &sini,
        "/api/v1/certifications",
        json!({ "user": "sini", "competence": "FORK", "issued_on": day(&app, -1) }),
    )
    .await;
    assert_eq!(own["allowed_steps"], json!(["correct", "add_evidence"]));
    let id = own["id"].as_str().unwrap();
    let res = sini
        .post(app.url(&format!(
            "/api/v1/certifications/{id}/evidence?name=card.pdf"
        )))
        .body(b"%PDF-1.4 card".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let v = post(
        &app,
        &qm,
        &format!("/api/v1/certifications/{id}/verification"),
        json!({}),
    )
    .await;
    assert_eq!(v["verified_by"], "Test quinn");
    assert_eq!(v["files"][0]["filename"], "card.pdf");
    assert!(
        v["files"][0]["uploaded_at"]
            .as_str()
            .unwrap()
            .ends_with('Z'),
        "RFC 3339 in UTC"
    );
    let (status, v) = send(
        &app,
        &qm,
        reqwest::Method::GET,
        "/api/v1/competence-matrix?role=",
        json!(null),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_role"))
    );
    let res = qm
        .post(app.url(&format!("/api/v1/certifications/{id}/verification")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "already_verified");
    // Staff read only their own.
    let (status, _) = send(
        &app,
        &sini,
        reqwest::Method::GET,
        "/api/v1/certifications?user=olga",
        json!(null),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(
        &app,
        &sini,
        reqwest::Method::GET,
        "/api/v1/competence-matrix",
        json!(null),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    get(&app, &sini, "/api/v1/certifications?user=sini").await;

    // A planned training is cancelled with a reason, once.
    let planned = post(
        &app,
        &qm,
        "/api/v1/trainings",
        json!({ "competence": "FORK", "user": "sini", "trainer": "olga", "due_on": day(&app, 5) }),
    )
    .await;
    let id = planned[0]["id"].as_str().unwrap();
    let path = format!("/api/v1/trainings/{id}/cancel");
    let (status, v) = send(&app, &qm, reqwest::Method::POST, &path, json!({})).await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason_required"))
    );
    let (status, _) = send(
        &app,
        &sini,
        reqwest::Method::POST,
        &path,
        json!({ "reason": "mine" }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the trainee does not cancel");
    let done = post(
        &app,
        &qm,
        &path,
        json!({ "reason": "Course moved to spring", "version": planned[0]["version"] }),
    )
    .await;
    assert_eq!(done["status"], "cancelled");
    assert_eq!(done["evaluation"], "Course moved to spring");
    assert!(done["allowed_steps"].as_array().unwrap().is_empty());
    let (status, v) = send(
        &app,
        &qm,
        reqwest::Method::POST,
        &path,
        json!({ "reason": "again" }),
    )
    .await;
    assert_eq!(
        (status, v["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("training_closed"))
    );
    let events = app
        .audit_events(&format!("entity_type=training&entity_id={id}"))
        .await;
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["training.planned", "training.cancelled"]);
}

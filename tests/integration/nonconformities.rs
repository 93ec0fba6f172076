//! Nonconformities over HTTP: gapless numbers under concurrency, complaints
//! between processes and the scheduler's overdue marks; and the helpers the
//! other nonconformity tests share (`nc_life_cycle`, `nc_files`, `nc_pages`).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, error_code, spawn_app, spawn_app_with};

backend_tests!(
    fifty_concurrent_reports_get_fifty_consecutive_numbers,
    a_complaint_lands_with_the_supplying_process_owner,
    the_scheduler_marks_what_is_late,
    today_is_the_sites_date,
);

/// Two processes: PROD (owner ann, member sam) and PURCH (owner bea).
pub(crate) async fn setup(app: &TestApp) -> (reqwest::Client, reqwest::Client, reqwest::Client) {
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let bea = app.user_with_roles("bea", &["process_owner"]).await;
    let ann = app.user_with_roles("ann", &["process_owner"]).await;
    for (code, owner, members) in [("PROD", "ann", json!(["sam"])), ("PURCH", "bea", json!([]))] {
        let res = qm
            .post(app.url("/api/v1/processes"))
            .json(&json!({ "code": code, "name": code, "owner": owner, "members": members }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "{}",
            res.text().await.unwrap()
        );
    }
    (qm, bea, ann)
}

/// POSTs and expects success; returns the body.
pub(crate) async fn ok(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> Value {
    let res = c.post(app.url(path)).json(&body).send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "POST {path}: {status} {body}");
    body
}

pub(crate) async fn nc(app: &TestApp, c: &reqwest::Client, number: &str) -> Value {
    let res = c
        .get(app.url(&format!("/api/v1/nonconformities/{number}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// POSTs, expects a refusal with `status` and `code`, and checks that the
/// case and the audit trail did not change.
pub(crate) async fn refused(
    app: &TestApp,
    c: &reqwest::Client,
    number: &str,
    path: &str,
    body: Value,
    status: StatusCode,
    code: &str,
) {
    let before = nc(app, c, number).await;
    let events = app.audit_events("entity_type=nonconformity").await.len();
    let res = c
        .post(app.url(&format!("/api/v1/nonconformities/{number}{path}")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), status, "{path} {body}");
    assert_eq!(error_code(res).await, code, "{path} {body}");
    assert_eq!(nc(app, c, number).await, before, "{path} changed the case");
    assert_eq!(
        app.audit_events("entity_type=nonconformity").await.len(),
        events,
        "{path} wrote an audit event"
    );
}

pub(crate) async fn report(app: &TestApp, c: &reqwest::Client, body: Value) -> String {
    let res = c
        .post(app.url("/api/v1/nonconformities"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    body["number"].as_str().unwrap().to_string()
}

pub(crate) fn days_from_today(d: i64) -> String {
    (crate::helpers::test_now_utc().date_naive() + chrono::TimeDelta::days(d)).to_string()
}

async fn fifty_concurrent_reports_get_fifty_consecutive_numbers(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("sam", &["staff"]).await;
    setup(&app).await;
    let sam = app.login("sam", PASSWORD).await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let c = sam.clone();
        let url = app.url("/api/v1/nonconformities");
        tasks.push(tokio::spawn(async move {
            let res = c
                .post(url)
                .json(&json!({ "kind": "deviation", "title": format!("Burr on part {i}"), "responsible": "PROD", "detected_in": "PROD", "severity": "minor" }))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::CREATED);
            let body: Value = res.json().await.unwrap();
            body["number"].as_str().unwrap().to_string()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let year = crate::helpers::test_now_utc().format("%Y").to_string();
    let expected: Vec<String> = (1..=50).map(|n| format!("NC-{year}-{n:03}")).collect();
    assert_eq!(numbers, expected);
    let list: Value = sam
        .get(app.url("/api/v1/nonconformities?per_page=5"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 50);
    assert_eq!(list["items"].as_array().unwrap().len(), 5);
    assert_eq!(
        list["items"][0]["number"],
        format!("NC-{year}-050"),
        "newest first"
    );
    assert_eq!(
        app.audit_events("action=nonconformity.reported")
            .await
            .len(),
        50
    );
}

async fn a_complaint_lands_with_the_supplying_process_owner(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (qm, bea, _ann) = setup(&app).await;
    let auditor = app.user_with_roles("aud", &["auditor"]).await;

    // Sam works in PROD and complains that purchased material came late.
    let complaint = |c: &reqwest::Client, body: Value| {
        c.post(app.url("/api/v1/nonconformities"))
            .json(&body)
            .send()
    };
    let body = json!({ "kind": "internal_complaint", "title": "Steel bar two days late", "description": "Order 4711 waited for material.", "detected_in": "PROD", "responsible": "PURCH", "severity": "major", "references": "order 4711" });
    let res = complaint(&sam, body.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let number = created["number"].as_str().unwrap().to_string();
    assert_eq!(created["responsible"], "PURCH");
    assert_eq!(created["responsible_owner"], "bea");
    assert_eq!(created["detected_in"], "PROD");
    assert_eq!(created["reporter"], "sam");
    assert_eq!(created["status"], "reported");
    assert_eq!(created["references"], "order 4711");
    assert_eq!(
        complaint(&auditor, body.clone()).await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "auditors change nothing"
    );
    for (field, value, code) in [
        ("kind", "gossip", "invalid_nc_kind"),
        ("severity", "huge", "invalid_severity"),
        ("responsible", "NOPE", "process_not_found"),
        ("detected_on", "2999-01-01", "detected_in_future"),
        ("detected_on", "yesterday", "invalid_date"),
        ("title", "  ", "invalid_title"),
    ] {
        let mut b = body.clone();
        b[field] = json!(value);
        assert_eq!(
            error_code(complaint(&sam, b).await.unwrap()).await,
            code,
            "{field}"
        );
    }
    let list: Value = sam
        .get(app.url("/api/v1/nonconformities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "refused reports left nothing behind");

    // The complaint is PURCH owner's task, nobody else's.
    let tasks = |c: reqwest::Client| {
        let url = app.url("/api/v1/tasks");
        async move {
            let body: Value = c.get(url).send().await.unwrap().json().await.unwrap();
            body["items"].as_array().unwrap().clone()
        }
    };
    let bea_tasks = tasks(bea.clone()).await;
    assert!(
        bea_tasks
            .iter()
            .any(|t| t["kind"] == "nc_accept" && t["reference"] == number.as_str()),
        "{bea_tasks:?}"
    );
    assert_eq!(
        bea_tasks.iter().find(|t| t["kind"] == "nc_accept").unwrap()["link"],
        format!("/nonconformities/{number}")
    );
    assert!(
        tasks(sam.clone())
            .await
            .iter()
            .all(|t| t["reference"] != number.as_str())
    );

    // Neither the reporter, a quality manager nor the other owner accepts on behalf of PURCH's owner.
    refused(
        &app,
        &sam,
        &number,
        "/accept",
        json!({}),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    refused(
        &app,
        &qm,
        &number,
        "/accept",
        json!({}),
        StatusCode::FORBIDDEN,
        "not_responsible_owner",
    )
    .await;
    let accepted = ok(
        &app,
        &bea,
        &format!("/api/v1/nonconformities/{number}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["accepted_by"], "bea");
    refused(
        &app,
        &bea,
        &number,
        "/accept",
        json!({}),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;

    // The rejection path needs a reason and changes nothing without one.
    let n2 = report(&app, &sam, json!({ "kind": "internal_complaint", "title": "Wrong colour", "detected_in": "PROD", "responsible": "PURCH", "severity": "minor" })).await;
    refused(
        &app,
        &bea,
        &n2,
        "/reject",
        json!({ "reason": " " }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    let rejected = ok(
        &app,
        &bea,
        &format!("/api/v1/nonconformities/{n2}/reject"),
        json!({ "reason": "The colour follows the drawing rev C" }),
    )
    .await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        rejected["rejection_reason"],
        "The colour follows the drawing rev C"
    );
    // A rejected report is final.
    refused(
        &app,
        &bea,
        &n2,
        "/accept",
        json!({}),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;

    let events = app.audit_events("entity_type=nonconformity").await;
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "nonconformity.reported",
            "nonconformity.accepted",
            "nonconformity.reported",
            "nonconformity.rejected"
        ]
    );
    let by_process: Value = sam
        .get(app.url("/api/v1/nonconformities?process=PROD&kind=internal_complaint"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_process["total"], 2, "both detected in PROD");
    let open: Value = sam
        .get(app.url("/api/v1/nonconformities?status=open"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(open["total"], 1, "the rejected one is not open");
    let res = sam
        .get(app.url("/api/v1/nonconformities?status=lost"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "invalid_nc_status");

    // A complaint that belongs elsewhere is moved; PROD's owner accepts it afresh.
    let ann = app.login("ann", PASSWORD).await;
    let n3 = report(&app, &sam, json!({ "kind": "internal_complaint", "title": "Bar cut to the wrong length", "detected_in": "PROD", "responsible": "PURCH", "severity": "minor" })).await;
    refused(
        &app,
        &sam,
        &n3,
        "/transfer",
        json!({ "responsible": "PROD", "reason": "x" }),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    refused(
        &app,
        &bea,
        &n3,
        "/transfer",
        json!({ "responsible": "PURCH", "reason": "x" }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "same_process",
    )
    .await;
    refused(
        &app,
        &bea,
        &n3,
        "/transfer",
        json!({ "responsible": "PROD" }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    refused(
        &app,
        &ann,
        &n3,
        "/transfer",
        json!({ "responsible": "PROD", "reason": "mine" }),
        StatusCode::FORBIDDEN,
        "not_case_handler",
    )
    .await;
    ok(
        &app,
        &bea,
        &format!("/api/v1/nonconformities/{n3}/accept"),
        json!({}),
    )
    .await;
    let moved = ok(
        &app,
        &bea,
        &format!("/api/v1/nonconformities/{n3}/transfer"),
        json!({ "responsible": "PROD", "reason": "We deliver full bars; PROD's saw cuts them" }),
    )
    .await;
    assert_eq!(moved["responsible"], "PROD");
    assert_eq!(moved["responsible_owner"], "ann");
    assert_eq!(moved["status"], "reported", "the new owner accepts afresh");
    assert!(moved["accepted_by"].is_null());
    refused(
        &app,
        &bea,
        &n3,
        "/accept",
        json!({}),
        StatusCode::FORBIDDEN,
        "not_responsible_owner",
    )
    .await;
    assert!(
        tasks(ann.clone())
            .await
            .iter()
            .any(|t| t["kind"] == "nc_accept" && t["reference"] == n3.as_str())
    );
    ok(
        &app,
        &ann,
        &format!("/api/v1/nonconformities/{n3}/accept"),
        json!({}),
    )
    .await;
    let events = app
        .audit_events(&format!("entity_id={n3}&action=nonconformity.transferred"))
        .await;
    assert_eq!(events.len(), 1);
    let changes: Value = serde_json::from_str(events[0]["changes"].as_str().unwrap()).unwrap();
    assert_eq!(changes["responsible"]["before"], "PURCH");
    assert_eq!(changes["responsible"]["after"], "PROD");

    // A process with nonconformities is retired, not deleted.
    let res = qm
        .delete(app.url("/api/v1/processes/PURCH"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "process_in_use");
}

async fn the_scheduler_marks_what_is_late(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (_qm, _bea, ann) = setup(&app).await;
    let waiting = report(&app, &sam, json!({ "kind": "deviation", "title": "Waiting for acceptance", "responsible": "PROD", "severity": "minor" })).await;
    let acting = report(&app, &sam, json!({ "kind": "deviation", "title": "Waiting for an action", "responsible": "PROD", "severity": "minor" })).await;
    let base = format!("/api/v1/nonconformities/{acting}");
    ok(&app, &ann, &format!("{base}/accept"), json!({})).await;
    ok(
        &app,
        &ann,
        &format!("{base}/analysis"),
        json!({ "root_cause": "Worn tool", "cause_category": "machine" }),
    )
    .await;
    ok(
        &app,
        &ann,
        &format!("{base}/actions"),
        json!({ "description": "Change the tool", "owner": "sam", "due_on": days_from_today(10) }),
    )
    .await;

    let overdue = |c: reqwest::Client| {
        let url = app.url("/api/v1/nonconformities?overdue=true");
        async move {
            let body: Value = c.get(url).send().await.unwrap().json().await.unwrap();
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["number"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    let mut conn = app.db();
    let now = app.now();
    assert_eq!(
        app.at_app_time(|| laatu::nonconformities::service::mark_overdue(
            &mut conn,
            Default::default(),
            now
        ))
        .unwrap(),
        0
    );
    assert!(overdue(sam.clone()).await.is_empty());

    // A week later the acceptance (5 days) is late, the action (10 days) is not.
    let week = now + chrono::TimeDelta::days(7);
    assert_eq!(
        app.at_app_time(|| laatu::nonconformities::service::mark_overdue(
            &mut conn,
            Default::default(),
            week
        ))
        .unwrap(),
        1
    );
    assert_eq!(overdue(sam.clone()).await, std::slice::from_ref(&waiting));
    let ann_tasks: Value = ann
        .get(app.url("/api/v1/tasks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let late_task = ann_tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["reference"] == waiting.as_str())
        .unwrap()
        .clone();
    assert_eq!(late_task["overdue"], true);
    // Running again changes nothing.
    assert_eq!(
        app.at_app_time(|| laatu::nonconformities::service::mark_overdue(
            &mut conn,
            Default::default(),
            week
        ))
        .unwrap(),
        0
    );

    // Two weeks later the action is late too: the action and its case.
    let fortnight = now + chrono::TimeDelta::days(14);
    assert_eq!(
        app.at_app_time(|| laatu::nonconformities::service::mark_overdue(
            &mut conn,
            Default::default(),
            fortnight
        ))
        .unwrap(),
        2
    );
    let mut late = overdue(sam.clone()).await;
    late.sort();
    assert_eq!(late, [waiting.clone(), acting.clone()]);
    let c = nc(&app, &sam, &acting).await;
    assert_eq!(c["actions"][0]["overdue"], true);
    let sam_tasks: Value = sam
        .get(app.url("/api/v1/tasks"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let action_task = sam_tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "nc_action")
        .unwrap()
        .clone();
    assert_eq!(action_task["reference"], acting.as_str());
    assert_eq!(action_task["overdue"], true);

    // Accepting clears the acceptance mark in the same change.
    let c = ok(
        &app,
        &ann,
        &format!("/api/v1/nonconformities/{waiting}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(c["overdue"], false);
    assert_eq!(
        app.audit_events("action=nonconformity.overdue").await.len(),
        2
    );
    assert_eq!(
        app.audit_events("action=nonconformity.action_overdue")
            .await
            .len(),
        1
    );
}

/// Dates people type are checked against the site's calendar, not UTC's.
/// On Kiritimati (UTC+14) or Pago Pago (UTC-11) the site's date differs
/// from UTC's at every hour for at least one of the two.
async fn today_is_the_sites_date(backend: Backend) {
    let mut differed = false;
    for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let tz: chrono_tz::Tz = zone.parse().unwrap();
        let local = crate::helpers::test_now_utc()
            .with_timezone(&tz)
            .date_naive();
        differed |= local != crate::helpers::test_now_utc().date_naive();
        dates_follow_the_zone(backend.clone(), zone, local).await;
    }
    assert!(differed, "one of the zones is on another date than UTC");
}

async fn dates_follow_the_zone(backend: Backend, zone: &str, local: chrono::NaiveDate) {
    let app = spawn_app_with(backend, |c| c.timezone = zone.into()).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (_qm, _bea, ann) = setup(&app).await;
    let number = report(&app, &sam, json!({ "kind": "deviation", "title": "Found today, local time", "responsible": "PROD", "severity": "minor", "detected_on": local.to_string() })).await;
    let c = nc(&app, &sam, &number).await;
    assert_eq!(c["detected_on"], local.to_string(), "{zone}");
    let res = sam
        .post(app.url("/api/v1/nonconformities"))
        .json(&json!({ "kind": "deviation", "title": "Tomorrow", "responsible": "PROD", "severity": "minor", "detected_on": (local + chrono::TimeDelta::days(1)).to_string() }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "detected_in_future", "{zone}");
    // Without a date, the report is dated the site's today.
    let undated = report(&app, &sam, json!({ "kind": "deviation", "title": "No date given", "responsible": "PROD", "severity": "minor" })).await;
    assert_eq!(
        nc(&app, &sam, &undated).await["detected_on"],
        local.to_string(),
        "{zone}"
    );
    // An action due on the site's today is not in the past; one due the day before is.
    let base = format!("/api/v1/nonconformities/{number}");
    ok(&app, &ann, &format!("{base}/accept"), json!({})).await;
    ok(
        &app,
        &ann,
        &format!("{base}/analysis"),
        json!({ "root_cause": "x", "cause_category": "method" }),
    )
    .await;
    ok(
        &app,
        &ann,
        &format!("{base}/actions"),
        json!({ "description": "Today", "owner": "sam", "due_on": local.to_string() }),
    )
    .await;
    refused(&app, &ann, &number, "/actions", json!({ "description": "Yesterday", "owner": "sam", "due_on": (local - chrono::TimeDelta::days(1)).to_string() }), StatusCode::UNPROCESSABLE_ENTITY, "date_in_past").await;
}

//! Nonconformities over HTTP: gapless numbers under concurrency, the whole
//! life cycle from report to closure, complaints between processes, illegal
//! transitions that change nothing, evidence files and the scheduler's
//! overdue marks.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, error_code, spawn_app};

backend_tests!(
    fifty_concurrent_reports_get_fifty_consecutive_numbers,
    a_complaint_lands_with_the_supplying_process_owner,
    the_whole_life_cycle_from_report_to_closure,
    illegal_transitions_are_refused_and_change_nothing,
    evidence_files_are_kept_with_the_record,
    the_scheduler_marks_what_is_late,
);

/// Two processes: PROD (owner ann, member sam) and PURCH (owner bea).
async fn setup(app: &TestApp) -> (reqwest::Client, reqwest::Client, reqwest::Client) {
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
async fn ok(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> Value {
    let res = c.post(app.url(path)).json(&body).send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "POST {path}: {status} {body}");
    body
}

async fn nc(app: &TestApp, c: &reqwest::Client, number: &str) -> Value {
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
async fn refused(
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

async fn report(app: &TestApp, c: &reqwest::Client, body: Value) -> String {
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

fn days_from_today(d: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::TimeDelta::days(d)).to_string()
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
    let year = chrono::Utc::now().format("%Y").to_string();
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

    // A process with nonconformities is retired, not deleted.
    let res = qm
        .delete(app.url("/api/v1/processes/PURCH"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "process_in_use");
}

/// An approved first revision of a work instruction owned by ann.
async fn approved_document(
    app: &TestApp,
    ann: &reqwest::Client,
    qm: &reqwest::Client,
    content: &str,
) -> String {
    let res = ann
        .post(app.url("/api/v1/documents"))
        .json(&json!({ "title": "Deburring", "kind": "work_instruction", "process": "PROD" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let number = res.json::<Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string();
    revise(app, ann, qm, &number, content, None).await;
    number
}

/// Saves, submits and approves a revision.
async fn revise(
    app: &TestApp,
    ann: &reqwest::Client,
    qm: &reqwest::Client,
    number: &str,
    content: &str,
    reason: Option<&str>,
) {
    let res = ann
        .put(app.url(&format!("/api/v1/documents/{number}/draft")))
        .json(&json!({ "content": content, "change_reason": reason }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    ok(
        app,
        ann,
        &format!("/api/v1/documents/{number}/draft/submit"),
        json!({}),
    )
    .await;
    ok(
        app,
        qm,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved" }),
    )
    .await;
}

async fn the_whole_life_cycle_from_report_to_closure(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (qm, _bea, ann) = setup(&app).await;
    let qm2 = app.user_with_roles("qm2", &["quality_manager"]).await;
    let wi = approved_document(&app, &ann, &qm, "# Deburring\n\nDeburr by hand.").await;

    // Sam reports a deviation in his own process, naming the instruction.
    let number = report(&app, &sam, json!({ "kind": "deviation", "title": "Burrs left on flange bores", "description": "12 of 40 flanges had burrs.", "detected_in": "PROD", "responsible": "PROD", "severity": "major", "references": "lot 2026-118", "detected_on": days_from_today(-1), "documents": [wi] })).await;
    let c = nc(&app, &sam, &number).await;
    assert_eq!(c["documents"][0]["number"], wi.as_str());
    assert_eq!(c["detected_on"], days_from_today(-1));
    let base = format!("/api/v1/nonconformities/{number}");

    ok(&app, &ann, &format!("{base}/accept"), json!({})).await;

    // Containment and the decision about the 40 flanges (8.7.2: who decided).
    refused(
        &app,
        &ann,
        &number,
        "/disposition",
        json!({ "disposition": "concession" }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "concession_needs_authorisation",
    )
    .await;
    refused(
        &app,
        &ann,
        &number,
        "/disposition",
        json!({ "disposition": "melt" }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_disposition",
    )
    .await;
    let c = ok(&app, &ann, &format!("{base}/disposition"), json!({ "containment": "Lot quarantined; 40 flanges inspected.", "disposition": "rework", "note": "Deburr the 12 again" })).await;
    assert_eq!(c["disposition"]["disposition"], "rework");
    assert_eq!(c["disposition"]["decided_by"], "ann");
    assert_eq!(c["status"], "accepted");

    // Actions before analysis are refused; the analysis is recorded.
    refused(
        &app,
        &ann,
        &number,
        "/actions",
        json!({ "description": "Train", "owner": "sam", "due_on": days_from_today(7) }),
        StatusCode::CONFLICT,
        "analysis_required",
    )
    .await;
    refused(
        &app,
        &ann,
        &number,
        "/analysis",
        json!({ "root_cause": "x", "cause_category": "weather" }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_cause_category",
    )
    .await;
    let c = ok(&app, &ann, &format!("{base}/analysis"), json!({
        "whys": ["Burrs were left", "The deburring step was skipped", "The instruction does not say to check bores", "Bores were added in drawing rev D"],
        "root_cause": "The work instruction predates the bores in drawing rev D",
        "cause_category": "method",
        "version": c["version"],
    })).await;
    assert_eq!(c["status"], "analysed");
    assert_eq!(c["analysis"]["whys"].as_array().unwrap().len(), 4);
    assert_eq!(c["analysis"]["analysed_by"], "ann");
    // A stale copy conflicts instead of silently overwriting.
    refused(
        &app,
        &ann,
        &number,
        "/analysis",
        json!({ "root_cause": "other", "cause_category": "people", "version": 1 }),
        StatusCode::CONFLICT,
        "version_conflict",
    )
    .await;

    // Two actions: change the instruction (qm does it), train the staff (sam).
    refused(
        &app,
        &ann,
        &number,
        "/actions",
        json!({ "description": "Update", "owner": "nobody", "due_on": days_from_today(7) }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "action_owner_not_found",
    )
    .await;
    refused(
        &app,
        &ann,
        &number,
        "/actions",
        json!({ "description": "Update", "owner": "qm", "due_on": days_from_today(-1) }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "date_in_past",
    )
    .await;
    let res = ann
        .post(app.url(&format!("{base}/actions")))
        .json(&json!({ "description": "Add a bore check to the deburring instruction", "owner": "qm", "due_on": days_from_today(14), "document": wi }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let doc_action = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["nonconformity"]["status"], "actions_planned");
    let train = ok(&app, &ann, &format!("{base}/actions"), json!({ "description": "Brief the shift on the new check", "owner": "sam", "due_on": days_from_today(14) })).await["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The document action is not done until a new revision is approved.
    refused(
        &app,
        &qm,
        &number,
        &format!("/actions/{doc_action}/done"),
        json!({ "note": "Updated" }),
        StatusCode::CONFLICT,
        "document_revision_missing",
    )
    .await;
    refused(
        &app,
        &ann,
        &number,
        &format!("/actions/{train}/done"),
        json!({ "note": " " }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "note_required",
    )
    .await;
    refused(
        &app,
        &qm2,
        &number,
        &format!("/actions/{train}/done"),
        json!({ "note": "done" }),
        StatusCode::FORBIDDEN,
        "not_action_owner",
    )
    .await;
    // Closing with open actions is refused.
    refused(
        &app,
        &qm2,
        &number,
        "/close",
        json!({}),
        StatusCode::CONFLICT,
        "actions_open",
    )
    .await;
    revise(
        &app,
        &ann,
        &qm,
        &wi,
        "# Deburring\n\nDeburr by hand. Check every bore with the mirror.",
        Some("NC corrective action: bore check"),
    )
    .await;
    let c = ok(
        &app,
        &qm,
        &format!("{base}/actions/{doc_action}/done"),
        json!({ "note": "Bore check added to the instruction" }),
    )
    .await;
    let done = c["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == doc_action.as_str())
        .unwrap();
    assert_eq!(done["status"], "done");
    assert_eq!(done["document"], wi.as_str());
    assert_eq!(done["document_revision"], 2, "links the new revision");
    assert_eq!(c["status"], "actions_planned", "one action is still open");
    let c = ok(
        &app,
        &sam,
        &format!("{base}/actions/{train}/done"),
        json!({ "note": "Shift briefed on 23.11." }),
    )
    .await;
    assert_eq!(c["status"], "actions_done");
    assert!(
        c["effectiveness_due_on"].is_string(),
        "the check gets a date"
    );

    // A quality manager who did an action does not verify it.
    refused(
        &app,
        &qm,
        &number,
        "/verify",
        json!({ "result": "effective", "comment": "fine" }),
        StatusCode::FORBIDDEN,
        "verifier_did_actions",
    )
    .await;
    refused(
        &app,
        &ann,
        &number,
        "/verify",
        json!({ "result": "effective", "comment": "fine" }),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    refused(
        &app,
        &qm2,
        &number,
        "/close",
        json!({}),
        StatusCode::CONFLICT,
        "effectiveness_not_verified",
    )
    .await;

    // Not effective: back to analysis, and the check stays on record.
    let c = ok(
        &app,
        &qm2,
        &format!("{base}/verify"),
        json!({ "result": "not_effective", "comment": "Burrs found again on lot 2026-125" }),
    )
    .await;
    assert_eq!(c["status"], "analysed");
    assert!(c["effectiveness_due_on"].is_null());
    refused(
        &app,
        &qm2,
        &number,
        "/close",
        json!({ "comment": "enough" }),
        StatusCode::CONFLICT,
        "effectiveness_not_verified",
    )
    .await;
    let c = ok(&app, &ann, &format!("{base}/analysis"), json!({ "whys": ["The mirror is too small for the inner bores"], "root_cause": "The inspection tool cannot see the inner bores", "cause_category": "measurement", "effectiveness_due_on": days_from_today(45) })).await;
    assert_eq!(
        c["analysis_history"].as_array().unwrap().len(),
        2,
        "the first analysis stays"
    );
    let tool = ok(
        &app,
        &ann,
        &format!("{base}/actions"),
        json!({ "description": "Buy a borescope", "owner": "ann", "due_on": days_from_today(10) }),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let spare = ok(&app, &ann, &format!("{base}/actions"), json!({ "description": "Ask the supplier to deburr", "owner": "ann", "due_on": days_from_today(10) })).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    refused(
        &app,
        &ann,
        &number,
        &format!("/actions/{spare}/cancel"),
        json!({}),
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    ok(
        &app,
        &ann,
        &format!("{base}/actions/{spare}/cancel"),
        json!({ "reason": "The borescope suffices" }),
    )
    .await;
    refused(
        &app,
        &ann,
        &number,
        &format!("/actions/{spare}/done"),
        json!({ "note": "x" }),
        StatusCode::CONFLICT,
        "action_not_open",
    )
    .await;
    let c = ok(
        &app,
        &ann,
        &format!("{base}/actions/{tool}/done"),
        json!({ "note": "Borescope in use from 1.12." }),
    )
    .await;
    assert_eq!(c["status"], "actions_done");
    assert_eq!(
        c["effectiveness_due_on"],
        days_from_today(45),
        "the planned date holds"
    );

    // qm2 did none of the actions; qm did one of the earlier ones.
    refused(
        &app,
        &qm,
        &number,
        "/verify",
        json!({ "result": "effective", "comment": "ok" }),
        StatusCode::FORBIDDEN,
        "verifier_did_actions",
    )
    .await;
    let c = ok(
        &app,
        &qm2,
        &format!("{base}/verify"),
        json!({ "result": "effective", "comment": "Three lots without burrs" }),
    )
    .await;
    assert_eq!(c["status"], "verified");
    assert_eq!(c["checks"].as_array().unwrap().len(), 2);
    refused(
        &app,
        &ann,
        &number,
        "/close",
        json!({}),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let c = ok(&app, &qm2, &format!("{base}/close"), json!({})).await;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["closed_by"], "qm2");
    assert!(c["closed_at"].is_string());
    // A closed record takes no more changes.
    refused(
        &app,
        &qm2,
        &number,
        "/analysis",
        json!({ "root_cause": "x", "cause_category": "method" }),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    refused(
        &app,
        &ann,
        &number,
        "/documents",
        json!({ "number": wi }),
        StatusCode::CONFLICT,
        "nonconformity_final",
    )
    .await;

    let events = app.audit_events(&format!("entity_id={number}")).await;
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "nonconformity.reported",
            "nonconformity.accepted",
            "nonconformity.disposition_decided",
            "nonconformity.analysed",
            "nonconformity.action_planned",
            "nonconformity.action_planned",
            "nonconformity.action_done",
            "nonconformity.action_done",
            "nonconformity.not_effective",
            "nonconformity.analysed",
            "nonconformity.action_planned",
            "nonconformity.action_planned",
            "nonconformity.action_cancelled",
            "nonconformity.action_done",
            "nonconformity.verified",
            "nonconformity.closed",
        ]
    );
    let last: Value =
        serde_json::from_str(events.last().unwrap()["changes"].as_str().unwrap()).unwrap();
    assert_eq!(last["status"]["after"], "closed");

    // A deviation whose analysis finds no action is needed closes with a reason.
    let minor = report(&app, &sam, json!({ "kind": "deviation", "title": "Label printed crooked", "responsible": "PROD", "severity": "minor" })).await;
    let mb = format!("/api/v1/nonconformities/{minor}");
    ok(&app, &ann, &format!("{mb}/accept"), json!({})).await;
    refused(
        &app,
        &qm,
        &minor,
        "/close",
        json!({}),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    ok(
        &app,
        &ann,
        &format!("{mb}/analysis"),
        json!({ "root_cause": "Label roll loaded askew once", "cause_category": "people" }),
    )
    .await;
    refused(
        &app,
        &qm,
        &minor,
        "/close",
        json!({}),
        StatusCode::UNPROCESSABLE_ENTITY,
        "comment_required",
    )
    .await;
    let c = ok(
        &app,
        &qm,
        &format!("{mb}/close"),
        json!({ "comment": "One-off; corrected on the spot" }),
    )
    .await;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["closing_comment"], "One-off; corrected on the spot");
}

async fn illegal_transitions_are_refused_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (qm, bea, ann) = setup(&app).await;
    let number = report(&app, &sam, json!({ "kind": "deviation", "title": "Scratched housing", "responsible": "PROD", "severity": "minor" })).await;
    let base = format!("/api/v1/nonconformities/{number}");

    // Nothing but acceptance applies to a fresh report.
    for (path, body) in [
        (
            "/analysis",
            json!({ "root_cause": "x", "cause_category": "method" }),
        ),
        ("/disposition", json!({ "containment": "x" })),
    ] {
        refused(
            &app,
            &ann,
            &number,
            path,
            body,
            StatusCode::CONFLICT,
            "invalid_transition",
        )
        .await;
    }
    refused(
        &app,
        &qm,
        &number,
        "/verify",
        json!({ "result": "effective", "comment": "x" }),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    refused(
        &app,
        &qm,
        &number,
        "/close",
        json!({ "comment": "x" }),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    // A staff member, the other process's owner: not theirs to accept.
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
        &bea,
        &number,
        "/accept",
        json!({}),
        StatusCode::FORBIDDEN,
        "not_responsible_owner",
    )
    .await;
    refused(
        &app,
        &bea,
        &number,
        "/reject",
        json!({ "reason": "not mine" }),
        StatusCode::FORBIDDEN,
        "not_responsible_owner",
    )
    .await;

    ok(&app, &ann, &format!("{base}/accept"), json!({})).await;
    refused(
        &app,
        &bea,
        &number,
        "/analysis",
        json!({ "root_cause": "x", "cause_category": "method" }),
        StatusCode::FORBIDDEN,
        "not_case_handler",
    )
    .await;
    refused(&app, &ann, &number, "/analysis", json!({ "whys": ["1", "2", "3", "4", "5", "6"], "root_cause": "x", "cause_category": "method" }), StatusCode::UNPROCESSABLE_ENTITY, "invalid_whys").await;
    ok(
        &app,
        &ann,
        &format!("{base}/analysis"),
        json!({ "root_cause": "Tote without padding", "cause_category": "material" }),
    )
    .await;
    let action = ok(
        &app,
        &ann,
        &format!("{base}/actions"),
        json!({ "description": "Pad the totes", "owner": "sam", "due_on": days_from_today(3) }),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    refused(
        &app,
        &qm,
        &number,
        "/close",
        json!({ "comment": "x" }),
        StatusCode::CONFLICT,
        "actions_open",
    )
    .await;
    refused(
        &app,
        &qm,
        &number,
        "/verify",
        json!({ "result": "effective", "comment": "x" }),
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    refused(
        &app,
        &bea,
        &number,
        &format!("/actions/{action}/done"),
        json!({ "note": "x" }),
        StatusCode::FORBIDDEN,
        "not_action_owner",
    )
    .await;
    refused(
        &app,
        &sam,
        &number,
        &format!("/actions/{action}/cancel"),
        json!({ "reason": "x" }),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let res = sam
        .post(app.url(&format!("{base}/actions/0000/done")))
        .json(&json!({ "note": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(res).await, "action_not_found");
    let res = sam
        .post(app.url("/api/v1/nonconformities/NC-1999-001/accept"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "role first");
    let res = ann
        .post(app.url("/api/v1/nonconformities/NC-1999-001/accept"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "nonconformity_not_found");
    // Malformed bodies are refused before anything is written.
    let res = ann
        .post(app.url(&format!("{base}/analysis")))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(res).await, "malformed_json");
    assert_eq!(nc(&app, &sam, &number).await["status"], "actions_planned");
}

async fn evidence_files_are_kept_with_the_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (qm, bea, ann) = setup(&app).await;
    let james = app.user_with_roles("james", &["staff"]).await;
    let number = report(&app, &sam, json!({ "kind": "customer_property", "title": "Customer's gauge dropped", "responsible": "PROD", "severity": "major" })).await;
    let upload = |c: &reqwest::Client, query: String, bytes: Vec<u8>| {
        c.post(app.url(&format!(
            "/api/v1/nonconformities/{number}/attachments{query}"
        )))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
    };
    let photo: Vec<u8> = (0u8..=255).cycle().take(70_000).collect();
    let res = upload(&sam, "?name=gauge.jpg".into(), photo.clone())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let meta = &created["nonconformity"]["attachments"][0];
    assert_eq!(meta["filename"], "gauge.jpg");
    assert_eq!(meta["content_type"], "image/jpeg");
    assert_eq!(meta["size"], 70_000);
    assert_eq!(meta["uploaded_by"], "sam");

    let res = james
        .get(app.url(&format!(
            "/api/v1/nonconformities/{number}/attachments/{id}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("gauge.jpg")
    );
    assert_eq!(
        res.bytes().await.unwrap().to_vec(),
        photo,
        "every byte comes back"
    );

    // Names that could be paths, empty files, outsiders and missing names are refused.
    for (query, code) in [
        ("?name=../../etc/passwd", "invalid_attachment_name"),
        ("?name=.hidden", "invalid_attachment_name"),
        ("", "name_required"),
    ] {
        let res = upload(&sam, query.into(), b"x".to_vec()).await.unwrap();
        assert_eq!(error_code(res).await, code, "{query}");
    }
    let res = upload(&sam, "?name=empty.txt".into(), Vec::new())
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "empty_file");
    let res = upload(&james, "?name=x.txt".into(), b"x".to_vec())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "not_involved");
    let res = upload(&bea, "?name=x.txt&action=nope".into(), b"x".to_vec())
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "not_involved");

    // Evidence for an action, then the record is complete and takes no more.
    let base = format!("/api/v1/nonconformities/{number}");
    ok(&app, &ann, &format!("{base}/accept"), json!({})).await;
    ok(
        &app,
        &ann,
        &format!("{base}/analysis"),
        json!({ "root_cause": "Gauge carried without its case", "cause_category": "method" }),
    )
    .await;
    let action = ok(&app, &ann, &format!("{base}/actions"), json!({ "description": "Carry gauges in their case", "owner": "sam", "due_on": days_from_today(2) })).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = upload(
        &sam,
        format!("?name=case.png&action={action}"),
        b"\x89PNG....".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["nonconformity"]["attachments"][1]["action"],
        action.as_str()
    );
    ok(
        &app,
        &sam,
        &format!("{base}/actions/{action}/done"),
        json!({ "note": "Cases issued" }),
    )
    .await;
    let qm2 = app.user_with_roles("qm2", &["quality_manager"]).await;
    ok(
        &app,
        &qm2,
        &format!("{base}/verify"),
        json!({ "result": "effective", "comment": "No damage since" }),
    )
    .await;
    ok(&app, &qm, &format!("{base}/close"), json!({})).await;
    let res = upload(&sam, "?name=late.txt".into(), b"x".to_vec())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "nonconformity_final");
    let res = sam
        .get(app.url(&format!(
            "/api/v1/nonconformities/{number}/attachments/nope"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "attachment_not_found");
    let events = app
        .audit_events("action=nonconformity.attachment_added")
        .await;
    assert_eq!(events.len(), 2);
    let first: Value = serde_json::from_str(events[0]["changes"].as_str().unwrap()).unwrap();
    assert_eq!(first["size"]["after"], 70_000);
    assert_eq!(first["filename"]["after"], "gauge.jpg");
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
    let now = laatu::ids::now();
    assert_eq!(
        laatu::nonconformities::service::mark_overdue(&mut conn, now).unwrap(),
        0
    );
    assert!(overdue(sam.clone()).await.is_empty());

    // A week later the acceptance (5 days) is late, the action (10 days) is not.
    let week = now + chrono::TimeDelta::days(7);
    assert_eq!(
        laatu::nonconformities::service::mark_overdue(&mut conn, week).unwrap(),
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
        laatu::nonconformities::service::mark_overdue(&mut conn, week).unwrap(),
        0
    );

    // Two weeks later the action is late too: the action and its case.
    let fortnight = now + chrono::TimeDelta::days(14);
    assert_eq!(
        laatu::nonconformities::service::mark_overdue(&mut conn, fortnight).unwrap(),
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

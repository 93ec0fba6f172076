//! A nonconformity's whole life over HTTP: report, acceptance, disposition,
//! root cause, actions (one changing a document, so it waits for the new
//! revision's approval), an ineffective first attempt, verification by a
//! quality manager who did none of the actions, closure; and every illegal
//! step refused with a stable code and no change.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, create_document, error_code, spawn_app};
use crate::nonconformities::{days_from_today, nc, ok, refused, report, setup};

backend_tests!(
    the_whole_life_cycle_from_report_to_closure,
    illegal_transitions_are_refused_and_change_nothing,
);

/// An approved first revision of a work instruction owned by ann.
async fn approved_document(
    app: &TestApp,
    ann: &reqwest::Client,
    qm: &reqwest::Client,
    content: &str,
) -> String {
    let number = create_document(
        app,
        ann,
        json!({ "title": "Deburring", "kind": "work_instruction", "process": "PROD" }),
    )
    .await;
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

    // A fresh report takes containment and acceptance, nothing else yet.
    refused(
        &app,
        &ann,
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
        "/actions",
        json!({ "description": "x", "owner": "sam", "due_on": days_from_today(3) }),
        StatusCode::CONFLICT,
        "analysis_required",
    )
    .await;
    let contained = ok(
        &app,
        &ann,
        &format!("{base}/disposition"),
        json!({ "containment": "Housings on the line checked; 3 set aside" }),
    )
    .await;
    assert_eq!(
        contained["status"], "reported",
        "containment does not accept"
    );
    assert_eq!(contained["disposition"]["decided_by"], "ann");
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

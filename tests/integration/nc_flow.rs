//! What a case offers is what the server accepts. A case is walked through
//! its life (with an ineffective first attempt), and at every stage, for
//! every kind of reader, the API's `allowed_steps` and the forms of the
//! case page name the same steps, and every step not offered is refused
//! without changing the case or the audit trail.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, create_document, page_login, spawn_app};
use crate::nonconformities::{days_from_today, nc, ok, report, setup};

backend_tests!(
    what_a_case_offers_is_what_the_server_accepts,
    a_case_sent_back_by_an_ineffective_check_offers_no_closing,
);

/// The case steps, each with the API path it posts to and a body the
/// server would accept from someone allowed to take it.
fn case_steps(document: &str) -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("accept", "/accept", json!({})),
        ("reject", "/reject", json!({ "reason": "not ours" })),
        (
            "transfer",
            "/transfer",
            json!({ "responsible": "PURCH", "reason": "the supplier's fault" }),
        ),
        (
            "decide_disposition",
            "/disposition",
            json!({ "containment": "Lot quarantined" }),
        ),
        (
            "analyse",
            "/analysis",
            json!({ "root_cause": "Worn deburring tool", "cause_category": "machine" }),
        ),
        (
            "plan_action",
            "/actions",
            json!({ "description": "Replace the tool", "owner": "sam", "due_on": days_from_today(30) }),
        ),
        (
            "verify",
            "/verify",
            json!({ "result": "effective", "comment": "No burrs since" }),
        ),
        ("close", "/close", json!({ "comment": "Done" })),
        (
            "link_document",
            "/documents",
            json!({ "document": document }),
        ),
        ("add_attachment", "/attachments?name=photo.txt", json!(null)),
    ]
}

/// The page form (its action below the case's address) of each step.
fn form_of(step: &str) -> &'static str {
    match step {
        "accept" => "/accept",
        "reject" => "/reject",
        "transfer" => "/transfer",
        "decide_disposition" => "/disposition",
        "analyse" => "/analysis",
        "plan_action" => "/actions",
        "verify" => "/verify",
        "close" => "/close",
        "link_document" => "/documents",
        "add_attachment" => "/attachments",
        other => panic!("no form for {other}"),
    }
}

struct Reader {
    name: &'static str,
    api: reqwest::Client,
    page: reqwest::Client,
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The post forms of the case page, as paths below the case's address.
async fn page_forms(app: &TestApp, r: &Reader, number: &str) -> BTreeSet<String> {
    let res = r
        .page
        .get(app.url(&format!("/nonconformities/{number}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let doc = scraper::Html::parse_document(&html);
    let base = format!("/nonconformities/{number}");
    doc.select(&scraper::Selector::parse("form[method=post]").unwrap())
        .filter_map(|f| f.value().attr("action"))
        .filter_map(|a| a.strip_prefix(&base).map(str::to_string))
        .collect()
}

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, body: &Value) -> reqwest::Response {
    let req = c.post(app.url(path));
    let req = if body.is_null() {
        req.header("content-type", "application/octet-stream")
            .body(b"evidence".to_vec())
    } else {
        req.json(body)
    };
    req.send().await.unwrap()
}

/// At this stage, for every reader: the page's forms are the allowed
/// steps, and every step not allowed is refused and changes nothing.
async fn offered_is_accepted(app: &TestApp, readers: &[Reader], number: &str, document: &str) {
    let events = app.audit_events("entity_type=nonconformity").await.len();
    for r in readers {
        let before = nc(app, &r.api, number).await;
        let allowed = strings(&before["allowed_steps"]);
        let mut expected: BTreeSet<String> = allowed.iter().map(|s| form_of(s).into()).collect();
        for a in before["actions"].as_array().unwrap() {
            let id = a["id"].as_str().unwrap();
            for s in strings(&a["allowed_steps"]) {
                let form = match s.as_str() {
                    "complete" => "done",
                    "cancel" => "cancel",
                    other => panic!("unknown action step {other}"),
                };
                expected.insert(format!("/actions/{id}/{form}"));
            }
        }
        assert_eq!(
            page_forms(app, r, number).await,
            expected,
            "{}'s page at {}",
            r.name,
            before["status"]
        );
        let base = format!("/api/v1/nonconformities/{number}");
        for (step, path, body) in case_steps(document) {
            if allowed.contains(step) {
                continue;
            }
            let res = post(app, &r.api, &format!("{base}{path}"), &body).await;
            assert!(
                res.status().is_client_error(),
                "{} took {step} at {}: {}",
                r.name,
                before["status"],
                res.status()
            );
        }
        for a in before["actions"].as_array().unwrap() {
            let id = a["id"].as_str().unwrap();
            let allowed = strings(&a["allowed_steps"]);
            for (step, path, body) in [
                ("complete", "done", json!({ "note": "Done" })),
                ("cancel", "cancel", json!({ "reason": "Not needed" })),
            ] {
                if allowed.contains(step) {
                    continue;
                }
                let res = post(app, &r.api, &format!("{base}/actions/{id}/{path}"), &body).await;
                assert!(
                    res.status().is_client_error(),
                    "{} took {step} of an action at {}: {}",
                    r.name,
                    before["status"],
                    res.status()
                );
            }
        }
        let after = nc(app, &r.api, number).await;
        assert_eq!(
            after, before,
            "refused steps of {} changed the case",
            r.name
        );
    }
    assert_eq!(
        app.audit_events("entity_type=nonconformity").await.len(),
        events,
        "a refused step wrote an audit event"
    );
}

async fn readers(app: &TestApp) -> Vec<Reader> {
    let mut out = Vec::new();
    for name in ["sam", "james", "ann", "bea", "qm", "qm2", "aud"] {
        out.push(Reader {
            name,
            api: app.login(name, PASSWORD).await,
            page: page_login(app, name, PASSWORD).await,
        });
    }
    out
}

fn reader<'a>(readers: &'a [Reader], name: &str) -> &'a reqwest::Client {
    &readers.iter().find(|r| r.name == name).unwrap().api
}

async fn allowed(app: &TestApp, readers: &[Reader], name: &str, number: &str) -> Vec<String> {
    let c = nc(app, reader(readers, name), number).await;
    c["allowed_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The people of the walk: sam works in PROD (owned by ann) and reports;
/// james works elsewhere; bea owns PURCH; two quality managers; an auditor.
async fn people(app: &TestApp) -> (Vec<Reader>, String) {
    app.user_with_roles("sam", &["staff"]).await;
    app.user_with_roles("james", &["staff"]).await;
    let (_, _, ann) = setup(app).await;
    app.user_with_roles("qm2", &["quality_manager"]).await;
    app.user_with_roles("aud", &["auditor"]).await;
    let document = create_document(
        app,
        &ann,
        json!({ "title": "Deburring", "kind": "work_instruction", "process": "PROD" }),
    )
    .await;
    (readers(app).await, document)
}

/// The ids of the actions of the case in an answer to planning one.
fn action_ids(created: &Value) -> Vec<String> {
    created["nonconformity"]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

async fn what_a_case_offers_is_what_the_server_accepts(backend: Backend) {
    let app = spawn_app(backend).await;
    let (rs, doc) = people(&app).await;
    let (sam, ann, qm, qm2) = (
        reader(&rs, "sam"),
        reader(&rs, "ann"),
        reader(&rs, "qm"),
        reader(&rs, "qm2"),
    );
    let number = report(&app, sam, json!({ "kind": "deviation", "title": "Burrs on flange bores", "detected_in": "PROD", "responsible": "PROD", "severity": "major" })).await;
    let base = format!("/api/v1/nonconformities/{number}");

    // Reported: the owner decides; a quality manager may contain and move it.
    assert_eq!(
        allowed(&app, &rs, "ann", &number).await,
        [
            "accept",
            "reject",
            "transfer",
            "decide_disposition",
            "link_document",
            "add_attachment"
        ]
    );
    assert_eq!(
        allowed(&app, &rs, "qm", &number).await,
        [
            "transfer",
            "decide_disposition",
            "link_document",
            "add_attachment"
        ]
    );
    assert_eq!(allowed(&app, &rs, "sam", &number).await, ["add_attachment"]);
    assert!(allowed(&app, &rs, "james", &number).await.is_empty());
    assert!(allowed(&app, &rs, "bea", &number).await.is_empty());
    assert!(allowed(&app, &rs, "aud", &number).await.is_empty());
    offered_is_accepted(&app, &rs, &number, &doc).await;

    ok(&app, ann, &format!("{base}/accept"), json!({})).await;
    offered_is_accepted(&app, &rs, &number, &doc).await;

    ok(
        &app,
        ann,
        &format!("{base}/analysis"),
        json!({ "root_cause": "Worn tool", "cause_category": "machine" }),
    )
    .await;
    offered_is_accepted(&app, &rs, &number, &doc).await;

    ok(
        &app,
        ann,
        &format!("{base}/actions"),
        json!({ "description": "Replace the tool", "owner": "sam", "due_on": days_from_today(10) }),
    )
    .await;
    let c = ok(
        &app,
        ann,
        &format!("{base}/actions"),
        json!({ "description": "Train the shift", "owner": "ann", "due_on": days_from_today(20) }),
    )
    .await;
    let ids = action_ids(&c);
    // Sam completes his own action, not ann's; ann may do both, and cancel.
    let c = nc(&app, sam, &number).await;
    assert_eq!(
        strings(&c["actions"][0]["allowed_steps"]),
        ["complete".to_string()].into()
    );
    assert!(strings(&c["actions"][1]["allowed_steps"]).is_empty());
    let c = nc(&app, ann, &number).await;
    assert_eq!(
        strings(&c["actions"][1]["allowed_steps"]),
        ["cancel".to_string(), "complete".to_string()].into()
    );
    offered_is_accepted(&app, &rs, &number, &doc).await;

    ok(
        &app,
        sam,
        &format!("{base}/actions/{}/done", ids[0]),
        json!({ "note": "New tool fitted" }),
    )
    .await;
    ok(
        &app,
        ann,
        &format!("{base}/actions/{}/done", ids[1]),
        json!({ "note": "Shift trained" }),
    )
    .await;
    // Actions done: only a quality manager who did none of them verifies.
    assert!(
        allowed(&app, &rs, "qm", &number)
            .await
            .contains(&"verify".to_string())
    );
    offered_is_accepted(&app, &rs, &number, &doc).await;

    ok(
        &app,
        qm,
        &format!("{base}/verify"),
        json!({ "result": "effective", "comment": "No burrs in 3 lots" }),
    )
    .await;
    offered_is_accepted(&app, &rs, &number, &doc).await;

    ok(
        &app,
        qm2,
        &format!("{base}/close"),
        json!({ "comment": "Closed" }),
    )
    .await;
    for r in &rs {
        assert!(
            allowed(&app, &rs, r.name, &number).await.is_empty(),
            "{} may still act on a closed case",
            r.name
        );
    }
    offered_is_accepted(&app, &rs, &number, &doc).await;

    // A rejected report is final too.
    let other = report(&app, sam, json!({ "kind": "deviation", "title": "Not a deviation", "responsible": "PROD", "severity": "minor" })).await;
    ok(
        &app,
        ann,
        &format!("/api/v1/nonconformities/{other}/reject"),
        json!({ "reason": "Within tolerance" }),
    )
    .await;
    offered_is_accepted(&app, &rs, &other, &doc).await;
}

/// The page used to offer "close" for a case whose actions were found not
/// effective, which the server refuses: now neither offers it.
async fn a_case_sent_back_by_an_ineffective_check_offers_no_closing(backend: Backend) {
    let app = spawn_app(backend).await;
    let (rs, doc) = people(&app).await;
    let (sam, ann, qm) = (reader(&rs, "sam"), reader(&rs, "ann"), reader(&rs, "qm"));
    let number = report(&app, sam, json!({ "kind": "deviation", "title": "Scratched housings", "responsible": "PROD", "severity": "minor" })).await;
    let base = format!("/api/v1/nonconformities/{number}");
    ok(&app, ann, &format!("{base}/accept"), json!({})).await;
    ok(
        &app,
        ann,
        &format!("{base}/analysis"),
        json!({ "root_cause": "No protective film", "cause_category": "method" }),
    )
    .await;
    let c = ok(&app, ann, &format!("{base}/actions"), json!({ "description": "Film on every housing", "owner": "sam", "due_on": days_from_today(5) })).await;
    let id = &action_ids(&c)[0];
    ok(
        &app,
        sam,
        &format!("{base}/actions/{id}/done"),
        json!({ "note": "Film applied" }),
    )
    .await;
    let c = ok(
        &app,
        qm,
        &format!("{base}/verify"),
        json!({ "result": "not_effective", "comment": "Scratches again" }),
    )
    .await;
    assert_eq!(c["status"], "analysed");

    for name in ["qm", "qm2"] {
        let steps = allowed(&app, &rs, name, &number).await;
        assert!(!steps.contains(&"close".to_string()), "{name}: {steps:?}");
        assert!(
            steps.contains(&"plan_action".to_string()),
            "{name}: {steps:?}"
        );
    }
    let qm_page = &rs.iter().find(|r| r.name == "qm").unwrap();
    assert!(!page_forms(&app, qm_page, &number).await.contains("/close"));
    let res = post(
        &app,
        qm,
        &format!("{base}/close"),
        &json!({ "comment": "Enough" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(
        crate::helpers::error_code(res).await,
        "effectiveness_not_verified"
    );
    offered_is_accepted(&app, &rs, &number, &doc).await;
}

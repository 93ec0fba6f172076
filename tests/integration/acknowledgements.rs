//! "Read and understood" over HTTP: tasks appear when a revision becomes
//! effective, go to exactly its readers (the members of its process and the
//! holders of the roles it names), are replaced when the next revision does,
//! and carry over for a revision approved as "no retraining needed".

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, create_document, csrf_token, error_code, page_login, spawn_app,
    spawn_app_with,
};

backend_tests!(
    tasks_appear_are_replaced_and_carry_over_for_no_retraining,
    tasks_go_to_the_right_people_and_nobody_else,
    no_retraining_is_refused_where_it_does_not_apply,
    without_the_password_setting_no_password_is_needed,
    the_document_page_offers_the_form_and_shows_the_readers,
);

async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = c.request(method, app.url(path));
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> Value {
    ok(send(app, c, reqwest::Method::GET, path, None).await).await
}

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> reqwest::Response {
    send(app, c, reqwest::Method::POST, path, Some(body)).await
}

/// The people of these tests. PROD (owner olga) has members hanna and
/// heikki; the document names quality managers as its readers.
struct People {
    olga: reqwest::Client,
    quinn: reqwest::Client,
}

async fn people(app: &TestApp) -> People {
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    app.user_with_roles("qm2", &["quality_manager"]).await;
    let olga = app.user_with_roles("olga", &["process_owner"]).await;
    app.user_with_roles("pekka", &["process_owner"]).await;
    app.user_with_roles("hanna", &["staff"]).await;
    app.user_with_roles("heikki", &["staff"]).await;
    app.user_with_roles("outsider", &["staff"]).await;
    app.user_with_roles("aud", &["auditor"]).await;
    ok(post(
        app,
        &quinn,
        "/api/v1/processes",
        json!({ "code": "PROD", "name": "Production", "owner": "olga", "members": ["hanna", "heikki"] }),
    )
    .await)
    .await;
    People { olga, quinn }
}

/// Saves a draft of `number`, submits it and has quinn approve it (the
/// default route: one quality manager); answers the approval.
async fn make_effective(
    app: &TestApp,
    p: &People,
    number: &str,
    content: &str,
    no_retraining: bool,
) -> reqwest::Response {
    ok(send(
        app,
        &p.olga,
        reqwest::Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({ "content": content, "change_reason": "update" })),
    )
    .await)
    .await;
    ok(post(
        app,
        &p.olga,
        &format!("/api/v1/documents/{number}/draft/submit"),
        json!({}),
    )
    .await)
    .await;
    let mut body = json!({ "password": PASSWORD, "meaning": "approved", "comment": "ok" });
    if no_retraining {
        body["no_retraining"] = json!(true);
    }
    post(
        app,
        &p.quinn,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        body,
    )
    .await
}

async fn effective_commit(app: &TestApp, c: &reqwest::Client, number: &str) -> String {
    get(app, c, &format!("/api/v1/documents/{number}")).await["effective"]["commit"]
        .as_str()
        .expect("an effective commit")
        .to_string()
}

/// Each person's acknowledgement tasks (`reference` of each).
async fn ack_tasks(app: &TestApp, who: &[&str]) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for w in who {
        let c = if *w == "admin" {
            app.admin().await
        } else {
            app.login(w, PASSWORD).await
        };
        let tasks = get(app, &c, "/api/v1/tasks").await;
        let refs: Vec<String> = tasks["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"] == "document_acknowledge")
            .map(|t| {
                assert_eq!(
                    t["link"],
                    format!(
                        "/documents/{}#acknowledge",
                        t["reference"].as_str().unwrap()
                    )
                );
                assert!(t["due"].is_null(), "{t}");
                format!(
                    "{}:{}",
                    t["reference"].as_str().unwrap(),
                    t["title"].as_str().unwrap()
                )
            })
            .collect();
        out.insert((*w).to_string(), refs);
    }
    out
}

const EVERYONE: &[&str] = &[
    "quinn", "qm2", "olga", "pekka", "hanna", "heikki", "outsider", "aud", "admin",
];

fn with_task(tasks: &BTreeMap<String, Vec<String>>) -> Vec<&str> {
    tasks
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, _)| k.as_str())
        .collect()
}

/// The state of each reader in the GET answer.
fn states(v: &Value) -> BTreeMap<String, (String, Value)> {
    v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["username"].as_str().unwrap().to_string(),
                (
                    r["state"].as_str().unwrap().to_string(),
                    r["acknowledged_rev"].clone(),
                ),
            )
        })
        .collect()
}

async fn acknowledge(
    app: &TestApp,
    c: &reqwest::Client,
    number: &str,
    body: Value,
) -> reqwest::Response {
    post(
        app,
        c,
        &format!("/api/v1/documents/{number}/acknowledgements"),
        body,
    )
    .await
}

async fn tasks_appear_are_replaced_and_carry_over_for_no_retraining(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let number = create_document(
        &app,
        &p.olga,
        json!({ "title": "Forklift safety", "kind": "procedure", "process": "PROD", "reader_roles": ["quality_manager"] }),
    )
    .await;
    // A draft asks nobody to read anything.
    let tasks = ack_tasks(&app, EVERYONE).await;
    assert!(with_task(&tasks).is_empty(), "{tasks:?}");
    let hanna = app.login("hanna", PASSWORD).await;
    let res = acknowledge(&app, &hanna, &number, json!({ "password": PASSWORD })).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "not_effective");

    // r1 becomes effective: its readers get a task.
    ok(make_effective(&app, &p, &number, "# Forklifts\n\nLook both ways.", false).await).await;
    let tasks = ack_tasks(&app, EVERYONE).await;
    assert_eq!(with_task(&tasks), ["hanna", "heikki", "qm2", "quinn"]);
    assert_eq!(tasks["hanna"], [format!("{number}:Forklift safety")]);
    let c1 = effective_commit(&app, &hanna, &number).await;

    // hanna acknowledges with her password: the signature is bound to r1's commit.
    let ack: Value = {
        let res = acknowledge(
            &app,
            &hanna,
            &number,
            json!({ "password": PASSWORD, "commit": c1 }),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json().await.unwrap()
    };
    assert_eq!(ack["rev"], 1);
    assert_eq!(ack["commit"], c1);
    assert_eq!(ack["meaning"], "read_and_understood");
    assert_eq!(ack["password_confirmed"], true);
    assert_eq!(ack["username"], "hanna");
    assert_eq!(ack["name"], "Test hanna");
    assert!(ack_tasks(&app, &["hanna"]).await["hanna"].is_empty());
    let events = app
        .audit_events("action=document.acknowledged")
        .await
        .into_iter()
        .filter(|e| e["action"] == "document.acknowledged")
        .collect::<Vec<_>>();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["entity_id"], number.as_str());
    let ch = crate::helpers::changes(&events[0]);
    assert_eq!(ch["commit"], c1);
    assert_eq!(ch["rev"], 1);
    assert_eq!(ch["password_confirmed"], true);

    // Twice is refused.
    let res = acknowledge(&app, &hanna, &number, json!({ "password": PASSWORD })).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "already_acknowledged");

    // A wrong password is refused and audited; no password at all is asked for.
    let heikki = app.login("heikki", PASSWORD).await;
    let res = acknowledge(&app, &heikki, &number, json!({ "password": "wrong-one" })).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "signature_password_mismatch");
    let mismatches: Vec<Value> = app
        .audit_events("action=signature.password_mismatch")
        .await
        .into_iter()
        .filter(|e| e["action"] == "signature.password_mismatch")
        .collect();
    assert_eq!(mismatches.len(), 1);
    assert_eq!(
        crate::helpers::changes(&mismatches[0])["purpose"],
        "acknowledge"
    );
    let res = acknowledge(&app, &heikki, &number, json!({})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "password_required");
    // What heikki read must be what is in force.
    let res = acknowledge(
        &app,
        &heikki,
        &number,
        json!({ "password": PASSWORD, "commit": "0000000000000000000000000000000000000000" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "document_changed");
    assert_eq!(ack_tasks(&app, &["heikki"]).await["heikki"].len(), 1);

    // Who has and who has not.
    let v = get(
        &app,
        &p.quinn,
        &format!("/api/v1/documents/{number}/acknowledgements"),
    )
    .await;
    assert_eq!(v["effective_rev"], 1);
    assert_eq!(v["commit"], c1);
    assert_eq!(
        (v["acknowledged"].clone(), v["pending"].clone()),
        (json!(1), json!(3))
    );
    let s = states(&v);
    assert_eq!(s["hanna"], ("acknowledged".into(), json!(1)));
    assert_eq!(s["heikki"], ("pending".into(), Value::Null));
    assert_eq!(s.len(), 4, "{s:?}");
    assert!(v["mine"]["state"] == "pending", "quinn reads it too: {v}");
    let names: Vec<&str> = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Test hanna", "Test heikki", "Test qm2", "Test quinn"]
    );
    let hanna_row = v["readers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["username"] == "hanna")
        .unwrap();
    assert!(
        hanna_row["acknowledged_at"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    // r2 becomes effective: everyone is asked again; r1's acknowledgement is listed as earlier.
    ok(make_effective(
        &app,
        &p,
        &number,
        "# Forklifts\n\nLook both ways. Sound the horn.",
        false,
    )
    .await)
    .await;
    let tasks = ack_tasks(&app, EVERYONE).await;
    assert_eq!(with_task(&tasks), ["hanna", "heikki", "qm2", "quinn"]);
    let v = get(
        &app,
        &hanna,
        &format!("/api/v1/documents/{number}/acknowledgements"),
    )
    .await;
    assert_eq!(v["effective_rev"], 2);
    assert_eq!(states(&v)["hanna"], ("pending".into(), Value::Null));
    assert_eq!(v["earlier"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["earlier"][0]["username"], "hanna");
    assert_eq!(v["earlier"][0]["rev"], 1);
    assert_eq!(v["earlier"][0]["commit"], c1);
    let c2 = effective_commit(&app, &hanna, &number).await;
    assert_ne!(c1, c2);
    // The commit she read before is no longer what is in force.
    let res = acknowledge(
        &app,
        &hanna,
        &number,
        json!({ "password": PASSWORD, "commit": c1 }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "document_changed");
    let res = acknowledge(
        &app,
        &hanna,
        &number,
        json!({ "password": PASSWORD, "commit": c2 }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    // r3 is a typo fix: "no retraining needed". hanna's r2 carries over;
    // heikki, who never acknowledged, still has the task.
    let res = make_effective(
        &app,
        &p,
        &number,
        "# Forklifts\n\nLook both ways. Sound the horn!",
        true,
    )
    .await;
    let out = ok(res).await;
    assert_eq!(out["status"], "effective");
    let tasks = ack_tasks(&app, EVERYONE).await;
    assert_eq!(with_task(&tasks), ["heikki", "qm2", "quinn"]);
    let v = get(
        &app,
        &p.olga,
        &format!("/api/v1/documents/{number}/acknowledgements"),
    )
    .await;
    assert_eq!(v["effective_rev"], 3);
    let s = states(&v);
    assert_eq!(s["hanna"], ("carried_over".into(), json!(2)));
    assert_eq!(s["heikki"], ("pending".into(), Value::Null));
    assert_eq!(
        (
            v["acknowledged"].clone(),
            v["carried_over"].clone(),
            v["pending"].clone()
        ),
        (json!(0), json!(1), json!(3))
    );
    assert!(v["mine"].is_null(), "olga is not a reader: {v}");
    // The revision history says so, and so does the audit trail.
    let revs = get(
        &app,
        &p.olga,
        &format!("/api/v1/documents/{number}/revisions"),
    )
    .await;
    let retraining: Vec<Value> = revs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["retraining"].clone())
        .collect();
    assert_eq!(retraining, [json!(true), json!(true), json!(false)]);
    let signed: Vec<Value> = app
        .audit_events("action=document.signed")
        .await
        .into_iter()
        .filter(|e| e["action"] == "document.signed")
        .map(|e| crate::helpers::changes(&e)["no_retraining"].clone())
        .collect();
    assert_eq!(signed, [json!(false), json!(false), json!(true)]);

    // A carried-over reader may still acknowledge the new revision itself.
    let res = acknowledge(&app, &hanna, &number, json!({ "password": PASSWORD })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let v = get(
        &app,
        &hanna,
        &format!("/api/v1/documents/{number}/acknowledgements"),
    )
    .await;
    assert_eq!(states(&v)["hanna"], ("acknowledged".into(), json!(3)));

    // r4 needs retraining again: hanna is asked again.
    ok(make_effective(&app, &p, &number, "# Forklifts\n\nNew rules.", false).await).await;
    let tasks = ack_tasks(&app, &["hanna"]).await;
    assert_eq!(tasks["hanna"].len(), 1);
}

async fn tasks_go_to_the_right_people_and_nobody_else(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    // Members who must not read: an auditor who also holds staff, and a
    // deactivated member.
    app.user_with_roles("both", &["staff", "auditor"]).await;
    app.user_with_roles("leaver", &["staff"]).await;
    let proc_ = get(&app, &p.quinn, "/api/v1/processes/PROD").await;
    ok(send(
        &app,
        &p.quinn,
        reqwest::Method::PATCH,
        "/api/v1/processes/PROD",
        Some(json!({ "members": ["hanna", "heikki", "both", "leaver"], "version": proc_["version"] })),
    )
    .await)
    .await;
    let admin = app.admin().await;
    ok(send(
        &app,
        &admin,
        reqwest::Method::PATCH,
        "/api/v1/users/leaver",
        Some(json!({ "active": false })),
    )
    .await)
    .await;
    // A document of PROD naming no roles, one of no process naming process
    // owners, and one naming staff that stays a draft.
    let prod = create_document(
        &app,
        &p.olga,
        json!({ "title": "Line start-up", "kind": "work_instruction", "process": "PROD" }),
    )
    .await;
    let owners = create_document(
        &app,
        &p.quinn,
        json!({ "title": "Owning a process", "kind": "procedure", "reader_roles": ["process_owner", "process_owner"] }),
    )
    .await;
    let draft = create_document(
        &app,
        &p.olga,
        json!({ "title": "Not yet", "kind": "procedure", "reader_roles": ["staff"] }),
    )
    .await;
    // Refused reader roles, with nothing created.
    for (roles, code) in [
        (json!(["auditor"]), "reader_role_not_allowed"),
        (json!(["admin"]), "reader_role_not_allowed"),
        (json!(["welder"]), "unknown_role"),
    ] {
        let res = post(
            &app,
            &p.olga,
            "/api/v1/documents",
            json!({ "title": "Bad", "kind": "form", "reader_roles": roles }),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_code(res).await, code);
    }
    let list = get(&app, &p.quinn, "/api/v1/documents?kind=form").await;
    assert_eq!(list["total"], 0);
    let d = get(&app, &p.quinn, &format!("/api/v1/documents/{owners}")).await;
    assert_eq!(d["reader_roles"], json!(["process_owner"]));

    // The owners document is drafted by quinn; olga approves nothing, so
    // route it to qm2.
    for number in [&prod, &owners] {
        let author = if number == &owners { &p.quinn } else { &p.olga };
        ok(send(
            &app,
            author,
            reqwest::Method::PUT,
            &format!("/api/v1/documents/{number}/draft"),
            Some(json!({ "content": "# Text" })),
        )
        .await)
        .await;
        ok(post(
            &app,
            author,
            &format!("/api/v1/documents/{number}/draft/submit"),
            json!({}),
        )
        .await)
        .await;
        let signer = if number == &owners {
            app.login("qm2", PASSWORD).await
        } else {
            p.quinn.clone()
        };
        ok(post(
            &app,
            &signer,
            &format!("/api/v1/documents/{number}/draft/signatures"),
            json!({ "password": PASSWORD, "meaning": "approved" }),
        )
        .await)
        .await;
    }
    ok(send(
        &app,
        &p.olga,
        reqwest::Method::PUT,
        &format!("/api/v1/documents/{draft}/draft"),
        Some(json!({ "content": "# Draft" })),
    )
    .await)
    .await;

    let mut everyone = EVERYONE.to_vec();
    everyone.push("both");
    let tasks = ack_tasks(&app, &everyone).await;
    let mut expected: BTreeMap<String, Vec<String>> = everyone
        .iter()
        .map(|w| ((*w).to_string(), Vec::new()))
        .collect();
    for w in ["hanna", "heikki"] {
        expected.insert(w.into(), vec![format!("{prod}:Line start-up")]);
    }
    for w in ["olga", "pekka"] {
        expected.insert(w.into(), vec![format!("{owners}:Owning a process")]);
    }
    assert_eq!(tasks, expected);

    // The readers of each, as the GET lists them.
    let v = get(
        &app,
        &p.quinn,
        &format!("/api/v1/documents/{prod}/acknowledgements"),
    )
    .await;
    assert_eq!(states(&v).keys().collect::<Vec<_>>(), ["hanna", "heikki"]);
    let v = get(
        &app,
        &p.quinn,
        &format!("/api/v1/documents/{draft}/acknowledgements"),
    )
    .await;
    assert!(v["effective_rev"].is_null());
    assert!(v["readers"].as_array().unwrap().is_empty());

    // Non-readers are refused: staff outside, the owner, an auditor, an admin.
    for (who, status, code) in [
        ("outsider", StatusCode::FORBIDDEN, "not_a_reader"),
        ("olga", StatusCode::FORBIDDEN, "not_a_reader"),
        ("aud", StatusCode::FORBIDDEN, "forbidden"),
        ("both", StatusCode::FORBIDDEN, "signer_not_allowed"),
        ("admin", StatusCode::FORBIDDEN, "forbidden"),
    ] {
        let c = if who == "admin" {
            app.admin().await
        } else {
            app.login(who, PASSWORD).await
        };
        let res = acknowledge(&app, &c, &prod, json!({ "password": PASSWORD })).await;
        assert_eq!(res.status(), status, "{who}");
        assert_eq!(error_code(res).await, code, "{who}");
    }
    assert!(
        app.audit_events("action=document.acknowledged")
            .await
            .iter()
            .all(|e| e["action"] != "document.acknowledged")
    );

    // Naming staff as readers of PROD's document: the outsider reads it now.
    let res = send(
        &app,
        &p.olga,
        reqwest::Method::PUT,
        &format!("/api/v1/documents/{prod}/reader-roles"),
        Some(json!({ "reader_roles": ["staff"] })),
    )
    .await;
    assert_eq!(ok(res).await, json!(["staff"]));
    let events: Vec<Value> = app
        .audit_events("action=document.reader_roles_set")
        .await
        .into_iter()
        .filter(|e| e["action"] == "document.reader_roles_set")
        .collect();
    assert_eq!(events.len(), 1);
    assert_eq!(
        crate::helpers::changes(&events[0])["reader_roles"],
        json!({ "before": [], "after": ["staff"] })
    );
    let tasks = ack_tasks(&app, &["outsider", "both"]).await;
    assert_eq!(tasks["outsider"], [format!("{prod}:Line start-up")]);
    assert!(tasks["both"].is_empty());
    // Only the owner or a quality manager sets them.
    let pekka = app.login("pekka", PASSWORD).await;
    let res = send(
        &app,
        &pekka,
        reqwest::Method::PUT,
        &format!("/api/v1/documents/{prod}/reader-roles"),
        Some(json!({ "reader_roles": [] })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn no_retraining_is_refused_where_it_does_not_apply(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let number = create_document(
        &app,
        &p.olga,
        json!({ "title": "Start-up", "kind": "procedure", "process": "PROD" }),
    )
    .await;
    // A first revision has nothing in force to carry over from.
    let res = make_effective(&app, &p, &number, "# One", true).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(
        error_code(res).await,
        "no_retraining_without_effective_revision"
    );
    let res = post(
        &app,
        &p.quinn,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved" }),
    )
    .await;
    assert_eq!(ok(res).await["status"], "effective");
    // Two steps: hanna reviews, then a quality manager approves.
    ok(send(
        &app,
        &p.quinn,
        reqwest::Method::PUT,
        &format!("/api/v1/documents/{number}/route"),
        Some(json!({ "steps": [
            { "rule": "all_users", "users": ["hanna"] },
            { "rule": "n_of_role", "role": "quality_manager", "n": 1 },
        ] })),
    )
    .await)
    .await;
    ok(send(
        &app,
        &p.olga,
        reqwest::Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({ "content": "# One, fixed", "change_reason": "typo" })),
    )
    .await)
    .await;
    ok(post(
        &app,
        &p.olga,
        &format!("/api/v1/documents/{number}/draft/submit"),
        json!({}),
    )
    .await)
    .await;
    // The reviewer's signature does not approve: refused, before the password.
    let hanna = app.login("hanna", PASSWORD).await;
    let res = post(
        &app,
        &hanna,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": "not-even-checked", "meaning": "reviewed", "no_retraining": true }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "no_retraining_not_final_approval");
    ok(post(
        &app,
        &hanna,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "reviewed" }),
    )
    .await)
    .await;
    // The page offers the checkbox to the approver now.
    let qm_page = page_login(&app, "quinn", PASSWORD).await;
    let html = qm_page
        .get(app.url(&format!("/documents/{number}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"name="no_retraining""#));
    let res = post(
        &app,
        &p.quinn,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved", "no_retraining": true }),
    )
    .await;
    assert_eq!(ok(res).await["status"], "effective");
    let revs = get(
        &app,
        &p.olga,
        &format!("/api/v1/documents/{number}/revisions"),
    )
    .await;
    assert_eq!(revs[1]["retraining"], false);
    // Nobody had acknowledged r1: nothing carries over.
    let v = get(
        &app,
        &hanna,
        &format!("/api/v1/documents/{number}/acknowledgements"),
    )
    .await;
    assert_eq!(v["pending"], 2);
    // The history on the page says "no retraining needed".
    let html = qm_page
        .get(app.url(&format!("/documents/{number}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("no retraining needed"), "history shows it");
}

async fn without_the_password_setting_no_password_is_needed(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.acknowledge_with_password = false).await;
    let p = people(&app).await;
    let number = create_document(
        &app,
        &p.olga,
        json!({ "title": "Start-up", "kind": "procedure", "process": "PROD" }),
    )
    .await;
    ok(make_effective(&app, &p, &number, "# One", false).await).await;
    let hanna = app.login("hanna", PASSWORD).await;
    // No body at all.
    let res = hanna
        .post(app.url(&format!("/api/v1/documents/{number}/acknowledgements")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let ack: Value = res.json().await.unwrap();
    assert_eq!(ack["password_confirmed"], false);
    assert_eq!(ack["commit"], effective_commit(&app, &hanna, &number).await);
    // A password given anyway is still checked.
    let heikki = app.login("heikki", PASSWORD).await;
    let res = acknowledge(&app, &heikki, &number, json!({ "password": "wrong" })).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "signature_password_mismatch");
    let res = acknowledge(&app, &heikki, &number, json!({ "password": PASSWORD })).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(
        res.json::<Value>().await.unwrap()["password_confirmed"],
        true
    );
    // The page form asks for no password.
    app.user_with_roles("hilkka", &["staff"]).await;
    let proc_ = get(&app, &p.quinn, "/api/v1/processes/PROD").await;
    ok(send(
        &app,
        &p.quinn,
        reqwest::Method::PATCH,
        "/api/v1/processes/PROD",
        Some(json!({ "members": ["hanna", "heikki", "hilkka"], "version": proc_["version"] })),
    )
    .await)
    .await;
    let c = page_login(&app, "hilkka", PASSWORD).await;
    let html = c
        .get(app.url(&format!("/documents/{number}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let form = scraper::Selector::parse(&format!(
        r#"form[action="/documents/{number}/acknowledge"]"#
    ))
    .unwrap();
    let form = doc.select(&form).next().expect("the acknowledgement form");
    let pw = scraper::Selector::parse(r#"input[name="password"]"#).unwrap();
    assert!(form.select(&pw).next().is_none());
    let token = csrf_token(&html);
    let commit = effective_commit(&app, &hanna, &number).await;
    let res = c
        .post(app.url(&format!("/documents/{number}/acknowledge")))
        .form(&[("csrf_token", token.as_str()), ("commit", commit.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let v = get(
        &app,
        &hanna,
        &format!("/api/v1/documents/{number}/acknowledgements"),
    )
    .await;
    assert_eq!(states(&v)["hilkka"].0, "acknowledged");
}

async fn the_document_page_offers_the_form_and_shows_the_readers(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let number = create_document(
        &app,
        &p.olga,
        json!({ "title": "Start-up", "kind": "procedure", "process": "PROD" }),
    )
    .await;
    ok(make_effective(&app, &p, &number, "# One", false).await).await;
    let page = async |who: &str| -> (reqwest::Client, String) {
        let c = page_login(&app, who, PASSWORD).await;
        let html = c
            .get(app.url(&format!("/documents/{number}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (c, html)
    };
    let form = format!(r#"action="/documents/{number}/acknowledge""#);
    // hanna, a reader: the form with the password, bound to the commit.
    let (hanna, html) = page("hanna").await;
    assert!(html.contains(&form));
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(&format!(r#"form[{form}] input[name="password"]"#)).unwrap();
    assert!(doc.select(&sel).next().is_some());
    let commit = effective_commit(&app, &p.olga, &number).await;
    assert!(html.contains(&format!(r#"name="commit" value="{commit}""#)));
    // No readers table for her.
    assert!(!html.contains(r#"class="ack-readers""#));
    // A wrong password on the page: the page again with the refusal.
    let token = csrf_token(&html);
    let res = hanna
        .post(app.url(&format!("/documents/{number}/acknowledge")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("commit", commit.as_str()),
            ("password", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = hanna
        .post(app.url(&format!("/documents/{number}/acknowledge")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("commit", commit.as_str()),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = page("hanna").await;
    assert!(!html.contains(&form));
    // Her own list.
    let mine = hanna
        .get(app.url("/acknowledgements"))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    assert!(mine.text().await.unwrap().contains(&number));
    // The owner, a quality manager and an auditor see who has and who has not;
    // the auditor without the reader roles form, and nobody but readers gets the form.
    for who in ["olga", "quinn", "aud"] {
        let (_, html) = page(who).await;
        let doc = scraper::Html::parse_document(&html);
        let rows = scraper::Selector::parse("table.ack-readers tr[data-user]").unwrap();
        let seen: Vec<(String, String)> = doc
            .select(&rows)
            .map(|r| {
                (
                    r.value().attr("data-user").unwrap().to_string(),
                    r.value().attr("class").unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("hanna".to_string(), "ack-acknowledged".to_string()),
                ("heikki".to_string(), "ack-pending".to_string())
            ],
            "{who}"
        );
        assert_eq!(
            html.contains(&format!(r#"action="/documents/{number}/reader-roles""#)),
            who != "aud",
            "{who}"
        );
        assert!(!html.contains(&form), "{who}");
    }
    // The reader roles form saves.
    let (olga, html) = page("olga").await;
    let token = csrf_token(&html);
    let res = olga
        .post(app.url(&format!("/documents/{number}/reader-roles")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("reader_roles", "staff"),
            ("reader_roles", "quality_manager"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = get(&app, &p.olga, &format!("/api/v1/documents/{number}")).await;
    assert_eq!(d["reader_roles"], json!(["quality_manager", "staff"]));
    // In Finnish too.
    let heikki = app.login("heikki", PASSWORD).await;
    ok(send(
        &app,
        &heikki,
        reqwest::Method::PATCH,
        "/api/v1/me",
        Some(json!({ "language": "fi" })),
    )
    .await)
    .await;
    let (_, html) = page("heikki").await;
    assert!(
        html.contains("Olen lukenut ja ymmärtänyt sen"),
        "Finnish form"
    );
}

//! Document control over HTTP: drafts in git, stale saves, a two-step route
//! with e-signatures, tags and the main tree read back with git2 and `git`.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, error_code, spawn_app};

backend_tests!(
    life_cycle_with_two_step_route,
    edit_voids_signatures_author_cannot_sign_wrong_password_is_audited,
    rejection_returns_to_draft_and_later_revision_supersedes,
    drafts_are_hidden_from_staff_and_numbers_are_unique,
    future_effective_date_waits_for_the_scheduler,
    periodic_review_and_withdrawal,
    attachments_travel_with_the_revision,
    routes_are_set_a_row_a_step_on_the_pages,
);

async fn json_ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn create(app: &TestApp, c: &reqwest::Client, body: Value) -> String {
    let res = c
        .post(app.url("/api/v1/documents"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    json_ok(res).await["number"].as_str().unwrap().to_string()
}

async fn save(app: &TestApp, c: &reqwest::Client, number: &str, body: Value) -> reqwest::Response {
    c.put(app.url(&format!("/api/v1/documents/{number}/draft")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn sign(
    app: &TestApp,
    c: &reqwest::Client,
    number: &str,
    meaning: &str,
) -> reqwest::Response {
    c.post(app.url(&format!("/api/v1/documents/{number}/draft/signatures")))
        .json(&json!({ "password": PASSWORD, "meaning": meaning, "comment": "ok" }))
        .send()
        .await
        .unwrap()
}

fn git(app: &TestApp, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(app.data_dir.join("documents.git"))
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

async fn life_cycle_with_two_step_route(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("pekka", &["process_owner"]).await;
    let reviewer = app.user_with_roles("rita", &["staff"]).await;
    let qm1 = app.user_with_roles("qm1", &["quality_manager"]).await;
    let qm2 = app.user_with_roles("qm2", &["quality_manager"]).await;
    app.user_with_roles("qm3", &["quality_manager"]).await;

    let number = create(
        &app,
        &owner,
        json!({ "title": "Document control", "kind": "procedure", "process": "QMS", "review_interval_months": 24 }),
   )
    .await;
    assert_eq!(number, "QP-001");

    // Two saves, each on the commit before.
    let first = json_ok(
        save(
            &app,
            &owner,
            &number,
            json!({ "content": "# Document control\n\nDraft one." }),
        )
        .await,
    )
    .await;
    let c1 = first["commit"].as_str().unwrap().to_string();
    let second = json_ok(
        save(&app, &owner, &number, json!({ "content": "# Document control\n\nDraft two: every change is signed.", "base": c1 })).await,
   )
    .await;
    let c2 = second["commit"].as_str().unwrap().to_string();
    assert_ne!(c1, c2);

    // A save on the stale base is refused and names who saved in between.
    let res = save(
        &app,
        &owner,
        &number,
        json!({ "content": "lost?", "base": c1 }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "draft_conflict");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("pekka saved"),
        "{body}"
    );

    // The draft ref holds the second save; its parent is the first.
    assert_eq!(
        git(&app, &["rev-parse", &format!("refs/drafts/{number}")]).trim(),
        c2
    );
    assert_eq!(git(&app, &["rev-parse", &format!("{c2}^")]).trim(), c1);
    assert!(git(&app, &["show", &format!("{c2}:{number}.md")]).contains("every change is signed"));

    // Route: rita reviews, then two of the three quality managers approve.
    let res = qm1
        .put(app.url(&format!("/api/v1/documents/{number}/route")))
        .json(&json!({ "steps": [
            { "rule": "all_users", "users": ["rita"] },
            { "rule": "n_of_role", "role": "quality_manager", "n": 2 }
        ]}))
        .send()
        .await
        .unwrap();
    json_ok(res).await;
    let res = owner
        .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
        .send()
        .await
        .unwrap();
    assert_eq!(json_ok(res).await["status"], "in_review");

    // Out of order: a quality manager cannot sign before the reviewer.
    let res = sign(&app, &qm1, &number, "approved").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "not_a_signer");

    assert_eq!(
        json_ok(sign(&app, &reviewer, &number, "reviewed").await).await["status"],
        "in_review"
    );
    assert_eq!(
        json_ok(sign(&app, &qm1, &number, "approved").await).await["status"],
        "in_review"
    );
    let res = sign(&app, &qm1, &number, "approved").await;
    assert_eq!(error_code(res).await, "already_signed");
    let done = json_ok(sign(&app, &qm2, &number, "approved").await).await;
    assert_eq!(done["status"], "effective");
    assert_eq!(done["tag"], format!("{number}/r1"));

    let doc = json_ok(
        app.client_get(&owner, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["status"], "effective");
    assert_eq!(doc["effective_revision"], 1);
    assert_eq!(doc["effective"]["commit"], c2);
    assert!(doc["draft"].is_null());
    assert!(
        doc["next_review_at"].as_str().unwrap().starts_with(
            &(crate::helpers::test_now_utc()
                .format("%Y")
                .to_string()
                .parse::<i32>()
                .unwrap()
                + 2)
            .to_string()
        )
    );

    // git2: the annotated tag points at the signed commit, tagged by the approver.
    let repo = git2::Repository::open_bare(app.data_dir.join("documents.git")).unwrap();
    let tag_ref = repo
        .find_reference(&format!("refs/tags/{number}/r1"))
        .unwrap();
    let tag = tag_ref.peel_to_tag().unwrap();
    assert_eq!(tag.target_id().to_string(), c2);
    assert_eq!(tag.tagger().unwrap().name(), Some("Test qm2"));
    // The main tree holds the effective document.
    let main = repo
        .find_reference("refs/heads/main")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    let entry = main
        .tree()
        .unwrap()
        .get_path(std::path::Path::new(&format!("{number}.md")))
        .unwrap();
    let blob = repo.find_blob(entry.id()).unwrap();
    assert!(String::from_utf8_lossy(blob.content()).contains("every change is signed"));
    assert!(
        repo.find_reference(&format!("refs/drafts/{number}"))
            .is_err(),
        "draft ref removed"
    );

    // Plain git: tags, log, and a clone with the controlled set.
    assert!(
        git(&app, &["tag", "-l"])
            .lines()
            .any(|l| l == format!("{number}/r1"))
    );
    assert!(git(&app, &["log", "--format=%s", "main"]).contains(&format!("{number} r1 effective")));
    let dir = tempfile::tempdir().unwrap();
    let clone = dir.path().join("clone");
    let out = Command::new("git")
        .args(["clone", "-q"])
        .arg(app.data_dir.join("documents.git"))
        .arg(&clone)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(clone.join(format!("{number}.md"))).unwrap();
    assert!(text.contains("every change is signed"));

    // Full-text search finds it by a word of its content in force and by number.
    for q in ["sign", "every+change", "QP-00", "qp-001+control"] {
        let found = json_ok(
            app.client_get(&reviewer, &format!("/api/v1/documents?q={q}"))
                .await,
        )
        .await;
        assert_eq!(found["total"], 1, "{q}: {found}");
    }
    let none = json_ok(
        app.client_get(&reviewer, "/api/v1/documents?q=unicorn")
            .await,
    )
    .await;
    assert_eq!(none["total"], 0);

    // Raw content of revision 1, and the trail of the approval.
    let res = app
        .client_get(
            &reviewer,
            &format!("/api/v1/documents/{number}/revisions/1/content"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("every change is signed"));
    let events = app.audit_events("entity_type=document").await;
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "document.created",
        "document.draft_saved",
        "document.submitted",
        "document.signed",
        "document.approved",
        "document.effective",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    let out = app.laatu(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

async fn edit_voids_signatures_author_cannot_sign_wrong_password_is_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let author = app.user_with_roles("qa", &["quality_manager"]).await;
    let qm = app.user_with_roles("qb", &["quality_manager"]).await;
    let number = create(
        &app,
        &author,
        json!({ "title": "Quality policy", "kind": "policy" }),
    )
    .await;
    assert_eq!(number, "POL-001");
    json_ok(
        save(
            &app,
            &author,
            &number,
            json!({ "content": "We serve our customers." }),
        )
        .await,
    )
    .await;
    let res = qm
        .put(app.url(&format!("/api/v1/documents/{number}/route")))
        .json(&json!({ "steps": [{ "rule": "n_of_role", "role": "quality_manager", "n": 4 }] }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(res).await,
        "invalid_route",
        "only two quality managers exist"
    );
    app.user_with_roles("qc", &["quality_manager"]).await;
    let res = qm
        .put(app.url(&format!("/api/v1/documents/{number}/route")))
        .json(&json!({ "steps": [{ "rule": "n_of_role", "role": "quality_manager", "n": 2 }] }))
        .send()
        .await
        .unwrap();
    json_ok(res).await;
    json_ok(
        author
            .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
            .send()
            .await
            .unwrap(),
    )
    .await;

    // The author cannot sign their own revision.
    let res = sign(&app, &author, &number, "approved").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "author_cannot_sign");

    // A wrong password is refused and audited.
    let res = qm
        .post(app.url(&format!("/api/v1/documents/{number}/draft/signatures")))
        .json(&json!({ "password": "not-my-password", "meaning": "approved" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "signature_password_mismatch");
    let events = app.audit_events("action=signature.password_mismatch").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor_name"], "qb");

    // qb signs; then the author edits: the signature is voided.
    json_ok(sign(&app, &qm, &number, "approved").await).await;
    let doc = json_ok(
        app.client_get(&author, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["draft"]["steps"][0]["signed"], 1);
    let base = doc["draft"]["commit"].as_str().unwrap().to_string();
    json_ok(
        save(
            &app,
            &author,
            &number,
            json!({ "content": "We serve our customers well.", "base": base }),
        )
        .await,
    )
    .await;
    let doc = json_ok(
        app.client_get(&author, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["draft"]["status"], "in_review");
    assert_eq!(doc["draft"]["steps"][0]["signed"], 0, "{doc}");
    let sigs = doc["draft"]["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 1);
    assert!(sigs[0]["voided_at"].is_string());
    assert_ne!(sigs[0]["commit_id"], doc["draft"]["commit"]);

    // Signing binds to what the signer read.
    let res = qm
        .post(app.url(&format!("/api/v1/documents/{number}/draft/signatures")))
        .json(&json!({ "password": PASSWORD, "meaning": "approved", "commit": base }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "draft_changed");
}

async fn rejection_returns_to_draft_and_later_revision_supersedes(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let number = create(
        &app,
        &owner,
        json!({ "title": "Purchasing", "kind": "procedure" }),
    )
    .await;
    json_ok(
        save(
            &app,
            &owner,
            &number,
            json!({ "content": "Buy from approved suppliers." }),
        )
        .await,
    )
    .await;
    json_ok(
        owner
            .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
            .send()
            .await
            .unwrap(),
    )
    .await;

    let reject = |comment: &'static str| {
        qm.post(app.url(&format!("/api/v1/documents/{number}/draft/reject")))
            .json(&json!({ "comment": comment }))
            .send()
    };
    let res = reject("  ").await.unwrap();
    assert_eq!(error_code(res).await, "comment_required");
    let res = reject("Name the approved supplier list.").await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let doc = json_ok(
        app.client_get(&owner, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["draft"]["status"], "draft");
    let sigs = doc["draft"]["signatures"].as_array().unwrap();
    assert_eq!(sigs[0]["meaning"], "rejected");
    assert_eq!(sigs[0]["comment"], "Name the approved supplier list.");

    let base = doc["draft"]["commit"].as_str().unwrap().to_string();
    json_ok(save(&app, &owner, &number, json!({ "content": "Buy from suppliers on the approved supplier list (FORM-003).", "base": base })).await).await;
    json_ok(
        owner
            .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        json_ok(sign(&app, &qm, &number, "approved").await).await["status"],
        "effective"
    );

    // Revision 2 needs a reason for change, then supersedes revision 1.
    let res = save(
        &app,
        &owner,
        &number,
        json!({ "content": "Buy from listed suppliers; re-evaluate yearly." }),
    )
    .await;
    assert_eq!(error_code(res).await, "change_reason_required");
    let saved = json_ok(
        save(&app, &owner, &number, json!({ "content": "Buy from listed suppliers; re-evaluate yearly.", "change_reason": "ISO 9001 8.4.1 re-evaluation" })).await,
   )
    .await;
    assert_eq!(saved["rev"], 2);
    json_ok(
        owner
            .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    json_ok(sign(&app, &qm, &number, "approved").await).await;
    let revs = json_ok(
        app.client_get(&owner, &format!("/api/v1/documents/{number}/revisions"))
            .await,
    )
    .await;
    let statuses: Vec<&str> = revs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["superseded", "effective"]);
    assert_eq!(revs[1]["change_reason"], "ISO 9001 8.4.1 re-evaluation");

    let diff = json_ok(
        app.client_get(
            &owner,
            &format!("/api/v1/documents/{number}/diff?from=1&to=2"),
        )
        .await,
    )
    .await;
    let html = diff["html"].as_str().unwrap();
    assert!(html.contains("<ins>"), "{html}");
    assert!(html.contains("<del>"), "{html}");
    assert!(diff["words_added"].as_u64().unwrap() > 0);

    let out = app.laatu(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

async fn drafts_are_hidden_from_staff_and_numbers_are_unique(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    let staff = app.user_with_roles("st", &["staff"]).await;
    let auditor = app.user_with_roles("au", &["auditor"]).await;
    let number = create(
        &app,
        &owner,
        json!({ "title": "Secret draft", "kind": "work_instruction", "number": "WI-007" }),
    )
    .await;
    assert_eq!(number, "WI-007");
    json_ok(save(&app, &owner, &number, json!({ "content": "draft text" })).await).await;

    let res = owner
        .post(app.url("/api/v1/documents"))
        .json(&json!({ "title": "Again", "kind": "work_instruction", "number": "WI-007" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "document_number_taken");
    let res = owner
        .post(app.url("/api/v1/documents"))
        .json(&json!({ "title": "Bad", "kind": "work_instruction", "number": "wi/../7" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "invalid_document_number");
    let res = owner
        .post(app.url("/api/v1/documents"))
        .json(&json!({ "title": "Bad", "kind": "memo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "unknown_document_kind");
    let res = staff
        .post(app.url("/api/v1/documents"))
        .json(&json!({ "title": "Mine", "kind": "form" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let doc = json_ok(
        app.client_get(&staff, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert!(doc["draft"].is_null(), "staff do not see drafts");
    let res = app
        .client_get(
            &staff,
            &format!("/api/v1/documents/{number}/revisions/1/content"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = save(&app, &staff, &number, json!({ "content": "vandalism" })).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let doc = json_ok(
        app.client_get(&auditor, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["draft"]["rev"], 1, "auditors read drafts");

    // Allocation skips the number given by hand.
    for expected in ["WI-001", "WI-002"] {
        assert_eq!(
            create(
                &app,
                &owner,
                json!({ "title": "x", "kind": "work_instruction" })
            )
            .await,
            expected
        );
    }
    let list = json_ok(
        app.client_get(&staff, "/api/v1/documents?kind=work_instruction&q=secret")
            .await,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["number"], "WI-007");
}

async fn future_effective_date_waits_for_the_scheduler(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let number = create(&app, &owner, json!({ "title": "Scope", "kind": "scope" })).await;
    json_ok(
        save(
            &app,
            &owner,
            &number,
            json!({ "content": "Scope: design and manufacture." }),
        )
        .await,
    )
    .await;
    let tomorrow = (crate::helpers::test_now_utc() + chrono::TimeDelta::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let res = owner
        .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
        .json(&json!({ "effective_from": "2001-01-01" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "invalid_effective_date");
    json_ok(
        owner
            .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
            .json(&json!({ "effective_from": tomorrow }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        json_ok(sign(&app, &qm, &number, "approved").await).await["status"],
        "approved"
    );
    let doc = json_ok(
        app.client_get(&owner, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["status"], "draft", "not in force before its date");

    // The scheduler's pass on the effective date.
    let store = laatu::store::DocStore::at(&app.data_dir.join("documents.git"));
    let mut conn = app.db();
    let later = app.now() + chrono::TimeDelta::days(2);
    assert_eq!(
        app.at_app_time(|| laatu::documents::service::make_due_effective(&mut conn, &store, later))
            .unwrap(),
        1
    );
    assert_eq!(
        app.at_app_time(|| laatu::documents::service::make_due_effective(&mut conn, &store, later))
            .unwrap(),
        0
    );
    let doc = json_ok(
        app.client_get(&owner, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["status"], "effective");
    assert_eq!(doc["effective"]["status"], "effective");
    let out = app.laatu(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

async fn periodic_review_and_withdrawal(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let staff = app.user_with_roles("st", &["staff"]).await;
    let number = create(
        &app,
        &owner,
        json!({ "title": "Packing", "kind": "work_instruction", "review_interval_months": 6 }),
    )
    .await;
    json_ok(
        save(
            &app,
            &owner,
            &number,
            json!({ "content": "Pack parts in oil paper." }),
        )
        .await,
    )
    .await;
    json_ok(
        owner
            .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    json_ok(sign(&app, &qm, &number, "approved").await).await;

    // The scheduler marks the review overdue once its date has passed.
    let mut conn = app.db();
    let later = app.now() + chrono::TimeDelta::days(200);
    assert_eq!(
        app.at_app_time(|| laatu::documents::service::mark_overdue_reviews(&mut conn, later))
            .unwrap(),
        1
    );
    let overdue = json_ok(
        app.client_get(&staff, "/api/v1/documents?review_overdue=true")
            .await,
    )
    .await;
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["items"][0]["number"], number.as_str());

    let review = |c: &reqwest::Client, password: &str| {
        c.post(app.url(&format!("/api/v1/documents/{number}/reviews")))
            .json(&json!({ "password": password, "comment": "Checked against current packing practice." }))
            .send()
    };
    assert_eq!(
        review(&staff, PASSWORD).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        error_code(review(&owner, "wrong-password").await.unwrap()).await,
        "signature_password_mismatch"
    );
    let reviewed = json_ok(review(&owner, PASSWORD).await.unwrap()).await;
    assert!(reviewed["next_review_at"].is_string());
    let doc = json_ok(
        app.client_get(&owner, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["review_overdue"], false);
    assert_eq!(doc["effective_revision"], 1, "no new revision");
    assert_eq!(app.audit_events("action=document.reviewed").await.len(), 1);

    // Withdrawal: quality managers only, with a reason and a signature.
    let withdraw = |c: &reqwest::Client, reason: &str| {
        c.post(app.url(&format!("/api/v1/documents/{number}/withdraw")))
            .json(&json!({ "password": PASSWORD, "reason": reason }))
            .send()
    };
    assert_eq!(
        withdraw(&owner, "no longer used").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        error_code(withdraw(&qm, " ").await.unwrap()).await,
        "reason_required"
    );
    assert_eq!(
        withdraw(&qm, "Packing moved to the customer's own instructions")
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let doc = json_ok(
        app.client_get(&staff, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    assert_eq!(doc["status"], "obsolete");
    let listed = json_ok(app.client_get(&staff, "/api/v1/documents").await).await;
    assert_eq!(listed["total"], 0, "not in the list of documents in force");
    let obsolete = json_ok(
        app.client_get(&staff, "/api/v1/documents?status=obsolete")
            .await,
    )
    .await;
    assert_eq!(obsolete["total"], 1);
    let res = app
        .client_get(
            &staff,
            &format!("/api/v1/documents/{number}/revisions/1/content"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "still retrievable");
    assert_eq!(res.headers()["x-laatu-revision-status"], "obsolete");
    assert!(
        !git(&app, &["ls-tree", "--name-only", "main"]).contains(&number),
        "left the main tree"
    );
    let res = save(
        &app,
        &owner,
        &number,
        json!({ "content": "revive", "change_reason": "x" }),
    )
    .await;
    assert_eq!(error_code(res).await, "document_obsolete");
    let out = app.laatu(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

async fn attachments_travel_with_the_revision(backend: Backend) {
    let app = crate::helpers::spawn_app_with(backend, |c| c.max_attachment_bytes = 64 * 1024).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let staff = app.user_with_roles("st", &["staff"]).await;
    let number = create(
        &app,
        &owner,
        json!({ "title": "Drawing check", "kind": "work_instruction" }),
    )
    .await;
    let put = |c: &reqwest::Client, name: &str, bytes: Vec<u8>| {
        c.put(app.url(&format!(
            "/api/v1/documents/{number}/draft/attachments/{name}"
        )))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
    };
    let pdf: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(5000))
        .collect();
    let res = put(&owner, "drawing.pdf", pdf.clone()).await.unwrap();
    assert_eq!(error_code(res).await, "draft_empty", "text first");
    json_ok(
        save(
            &app,
            &owner,
            &number,
            json!({ "content": "See the attached drawing." }),
        )
        .await,
    )
    .await;
    json_ok(put(&owner, "drawing.pdf", pdf.clone()).await.unwrap()).await;
    assert_eq!(
        error_code(put(&owner, ".hidden", vec![1]).await.unwrap()).await,
        "invalid_attachment_name"
    );
    assert_eq!(
        error_code(put(&owner, "big.bin", vec![0; 70 * 1024]).await.unwrap()).await,
        "payload_too_large"
    );
    assert_eq!(
        put(&staff, "x.txt", vec![1]).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );

    // Through the editor page too: a multipart upload with the CSRF token.
    let page = crate::helpers::page_login(&app, "po", PASSWORD).await;
    let html = page
        .get(app.url(&format!("/documents/{number}/edit")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = crate::helpers::csrf_token(&html);
    let doc = json_ok(
        app.client_get(&owner, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("base", doc["draft"]["commit"].as_str().unwrap().to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"col1;col2\n".to_vec()).file_name("limits.csv"),
        );
    let res = page
        .post(app.url(&format!("/documents/{number}/attachments")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", "0".repeat(64))
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![1]).file_name("evil.txt"),
        );
    let res = page
        .post(app.url(&format!("/documents/{number}/attachments")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    json_ok(
        owner
            .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    json_ok(sign(&app, &qm, &number, "approved").await).await;
    let res = app
        .client_get(
            &staff,
            &format!("/api/v1/documents/{number}/revisions/1/attachments/drawing.pdf"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    let res = app
        .client_get(
            &staff,
            &format!("/api/v1/documents/{number}/revisions/1/attachments/evil.txt"),
        )
        .await;
    assert_eq!(error_code(res).await, "attachment_not_found");
    let tree = git(&app, &["ls-tree", "-r", "--name-only", "main"]);
    assert!(
        tree.contains(&format!("{number}/drawing.pdf"))
            && tree.contains(&format!("{number}/limits.csv")),
        "{tree}"
    );

    // Removing it in the next revision leaves revision 1 intact.
    let res = owner
        .delete(app.url(&format!(
            "/api/v1/documents/{number}/draft/attachments/limits.csv"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "change_reason_required");
    let res = owner
        .delete(app.url(&format!(
            "/api/v1/documents/{number}/draft/attachments/limits.csv?change_reason=obsolete+limits"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = app
        .client_get(
            &owner,
            &format!("/api/v1/documents/{number}/revisions/2/attachments/limits.csv"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .client_get(
            &owner,
            &format!("/api/v1/documents/{number}/revisions/1/attachments/limits.csv"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

async fn routes_are_set_a_row_a_step_on_the_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_roles("po", &["process_owner"]).await;
    app.user_with_roles("rita", &["staff"]).await;
    for q in ["qa", "qb"] {
        app.user_with_roles(q, &["quality_manager"]).await;
    }
    let number = create(&app, &owner, json!({ "title": "Routing", "kind": "form" })).await;
    json_ok(save(&app, &owner, &number, json!({ "content": "x" })).await).await;
    let qm = crate::helpers::page_login(&app, "qa", PASSWORD).await;
    let html = qm
        .get(app.url(&format!("/documents/{number}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = crate::helpers::csrf_token(&html);
    let res = qm
        .post(app.url(&format!("/documents/{number}/route")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("steps", "all: nobody-here"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "unknown user named");
    let res = qm
        .post(app.url(&format!("/documents/{number}/route")))
        .form(&[("csrf_token", token.as_str()), ("steps", "two of them")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = qm
        .post(app.url(&format!("/documents/{number}/route")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("s.0.rule", "all_users"),
            ("s.0.users", "rita"),
            ("s.1.rule", "n_of_role"),
            ("s.1.n", "2"),
            ("s.1.role", "quality_manager"),
            ("s.2.rule", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = qm
        .get(app.url(&format!("/documents/{number}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let picked = |css: &str| {
        let sel = scraper::Selector::parse(css).unwrap();
        doc.select(&sel)
            .map(|e| e.value().attr("value").unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        picked("select[name='s.0.rule'] option[selected]"),
        ["all_users"],
        "the form shows the route back, a row a step"
    );
    assert_eq!(picked("input[name='s.0.users'][checked]"), ["rita"]);
    assert_eq!(
        picked("select[name='s.1.role'] option[selected]"),
        ["quality_manager"]
    );
    assert_eq!(picked("input[name='s.1.n']"), ["2"]);
    assert_eq!(
        picked("select[name='s.2.rule'] option[selected]"),
        Vec::<String>::new()
    );

    // A kind's route, on the routes page.
    let res = qm
        .post(app.url("/approval-routes/policy"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("steps", "1 of quality_manager\n1 of quality_manager"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = qm
        .get(app.url("/approval-routes"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let rows = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse(
        "form[action='/approval-routes/policy'] select[name$='.rule'] option[selected][value=n_of_role]",
    )
    .unwrap();
    assert_eq!(
        rows.select(&sel).count(),
        2,
        "two steps of the policy's route"
    );
    let res = owner
        .post(app.url("/approval-routes/policy"))
        .form(&[("steps", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    json_ok(
        owner
            .post(app.url(&format!("/api/v1/documents/{number}/draft/submit")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let doc = json_ok(
        app.client_get(&owner, &format!("/api/v1/documents/{number}"))
            .await,
    )
    .await;
    let steps = doc["draft"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["rule"], "all_users");
    assert_eq!(steps[1]["required"], 2);
}

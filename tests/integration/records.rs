//! Records of form templates over HTTP: a template's fields are approved
//! with its document, records are filled on the revision in force and keep
//! it, answers are refused field by field, corrections are new versions and
//! nothing edits or deletes a record, release signatures need the named
//! competence, and a deviation's nonconformity is linked both ways.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, create_document, error_code, get, ok, post, send, spawn_app,
};

backend_tests!(
    a_record_keeps_the_revision_it_was_filled_on,
    answers_are_refused_field_by_field,
    a_bad_definition_is_refused_field_by_field,
    corrections_are_new_versions_and_nothing_edits_a_record,
    release_needs_the_competence_and_the_password,
    a_deviation_becomes_a_linked_nonconformity,
    numbers_are_gapless_under_concurrent_submissions,
    the_register_filters_by_values_process_person_and_dates,
    files_are_kept_with_their_record,
);

/// The people: quinn and qm2 (quality managers), olga (owner of PROD with
/// members hanna and heikki), aud (auditor).
struct People {
    quinn: reqwest::Client,
    qm2: reqwest::Client,
    olga: reqwest::Client,
    hanna: reqwest::Client,
    heikki: reqwest::Client,
    aud: reqwest::Client,
}

async fn people(app: &TestApp) -> People {
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    let qm2 = app.user_with_roles("qm2", &["quality_manager"]).await;
    let olga = app.user_with_roles("olga", &["process_owner"]).await;
    let hanna = app.user_with_roles("hanna", &["staff"]).await;
    let heikki = app.user_with_roles("heikki", &["staff"]).await;
    let aud = app.user_with_roles("aud", &["auditor"]).await;
    for (code, name) in [("PROD", "Production"), ("QC", "Quality control")] {
        ok(post(
            app,
            &quinn,
            "/api/v1/processes",
            json!({ "code": code, "name": name, "owner": "olga", "members": ["hanna", "heikki"] }),
        )
        .await)
        .await;
    }
    People {
        quinn,
        qm2,
        olga,
        hanna,
        heikki,
        aud,
    }
}

fn inspection_form() -> Value {
    json!({
        "fields": [
            {"key": "lot", "type": "text", "label": {"en": "Lot", "fi": "Erä"}, "required": true},
            {"key": "diameter", "type": "number", "label": {"en": "Diameter", "fi": "Halkaisija"},
             "unit": "mm", "min": 9.95, "max": 10.05, "decimals": 3, "deviation": "outside_limits"},
            {"key": "visual_ok", "type": "yes_no", "label": {"en": "Visual check passed", "fi": "Silmämääräinen tarkastus hyväksytty"},
             "required": true, "deviation": "no"},
            {"key": "decision", "type": "choice", "label": {"en": "Decision", "fi": "Päätös"},
             "options": [{"key": "release", "label": {"en": "Release", "fi": "Vapauta"}},
                         {"key": "hold", "label": {"en": "Hold", "fi": "Pidätä"}}],
             "deviation": ["hold"]},
            {"key": "checks", "type": "table", "label": {"en": "Checks", "fi": "Tarkastukset"},
             "columns": [{"key": "what", "type": "text", "label": {"en": "What", "fi": "Mitä"}, "required": true},
                         {"key": "ok", "type": "yes_no", "label": {"en": "OK", "fi": "OK"}, "deviation": "no"}]},
            {"key": "inspector", "type": "person", "label": {"en": "Inspector", "fi": "Tarkastaja"}},
            {"key": "spec", "type": "document", "label": {"en": "Specification", "fi": "Spesifikaatio"}},
            {"key": "photo", "type": "photo", "label": {"en": "Photo", "fi": "Valokuva"}}
        ],
        "clauses": ["8.6"]
    })
}

/// Creates a form template of PROD with `form` and has it approved; answers its number.
async fn approved_form(app: &TestApp, p: &People, form: Value) -> String {
    let number = create_document(
        app,
        &p.olga,
        json!({ "title": "Final inspection", "kind": "form", "process": "PROD" }),
    )
    .await;
    revise(app, p, &number, form, None).await;
    number
}

/// Saves `form` as the draft of `number`, submits it and has quinn approve it.
async fn revise(app: &TestApp, p: &People, number: &str, form: Value, reason: Option<&str>) {
    ok(send(
        app,
        &p.olga,
        Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({ "content": "# Final inspection\n\nFill in for every lot.", "form": form, "change_reason": reason })),
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
    ok(post(
        app,
        &p.quinn,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved", "comment": "ok" }),
    )
    .await)
    .await;
}

async fn submit(
    app: &TestApp,
    c: &reqwest::Client,
    form: &str,
    values: Value,
) -> reqwest::Response {
    post(
        app,
        c,
        &format!("/api/v1/forms/{form}/records"),
        json!({ "values": values }),
    )
    .await
}

async fn field_codes(res: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    body["error"]["fields"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn a_record_keeps_the_revision_it_was_filled_on(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let form = approved_form(&app, &p, inspection_form()).await;
    let doc = get(&app, &p.hanna, &format!("/api/v1/documents/{form}")).await;
    assert_eq!(doc["form"]["fields"].as_array().unwrap().len(), 8);
    assert_eq!(doc["form"]["clauses"], json!(["8.6"]));
    let rev1 = doc["effective"]["commit"].as_str().unwrap().to_string();

    let r1 = ok(submit(
        &app,
        &p.hanna,
        &form,
        json!({"lot": "L-1", "visual_ok": true}),
    )
    .await)
    .await;
    assert_eq!(r1["number"], json!(format!("{form}-0001")));
    assert_eq!(r1["template_rev"], json!(1));
    assert_eq!(r1["template_commit"], json!(rev1));
    assert_eq!(r1["process"], json!("PROD"));
    assert_eq!(r1["created_by"], json!("hanna"));

    // Revision 2 renames the lot and drops every other field but one.
    let mut second = inspection_form();
    second["fields"] = json!([
        {"key": "batch", "type": "text", "label": {"en": "Batch", "fi": "Erä"}, "required": true},
        {"key": "visual_ok", "type": "yes_no", "label": {"en": "Visual", "fi": "Silmä"}}
    ]);
    revise(&app, &p, &form, second, Some("batch instead of lot")).await;
    let doc = get(&app, &p.hanna, &format!("/api/v1/documents/{form}")).await;
    assert_eq!(doc["effective"]["rev"], json!(2));
    assert_eq!(doc["form"]["fields"][0]["key"], json!("batch"));
    // The redline between the revisions shows the fields that changed.
    let redline = get(
        &app,
        &p.aud,
        &format!("/api/v1/documents/{form}/diff?from=1&to=2"),
    )
    .await;
    let html = redline["html"].as_str().unwrap_or_default().to_string() + &redline.to_string();
    assert!(
        html.contains("batch") && html.contains("diameter"),
        "{redline}"
    );

    // The old record is as it was, on revision 1.
    let again = get(&app, &p.aud, &format!("/api/v1/records/{form}-0001")).await;
    assert_eq!(again["template_rev"], json!(1));
    assert_eq!(again["template_commit"], json!(rev1));
    assert_eq!(again["values"], json!({"lot": "L-1", "visual_ok": true}));
    // New records are filled on revision 2: the old field is unknown now.
    let codes = field_codes(submit(&app, &p.hanna, &form, json!({"lot": "L-2"})).await).await;
    assert!(
        codes.contains(&("lot".into(), "unknown_field".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("batch".into(), "value_required".into())),
        "{codes:?}"
    );
    let r2 = ok(submit(&app, &p.hanna, &form, json!({"batch": "B-2"})).await).await;
    assert_eq!(r2["number"], json!(format!("{form}-0002")));
    assert_eq!(r2["template_rev"], json!(2));
    // A correction of the old record is checked against revision 1.
    let corrected = ok(post(
        &app,
        &p.hanna,
        &format!("/api/v1/records/{form}-0001/corrections"),
        json!({"values": {"lot": "L-1b", "visual_ok": true}, "reason": "typo in the lot"}),
    )
    .await)
    .await;
    assert_eq!(corrected["template_rev"], json!(1));
    assert_eq!(corrected["version"], json!(2));
}

async fn answers_are_refused_field_by_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let form = approved_form(&app, &p, inspection_form()).await;
    let codes = field_codes(
        submit(
            &app,
            &p.hanna,
            &form,
            json!({
                "diameter": "ten", "visual_ok": "maybe", "decision": "scrap",
                "checks": [{"ok": true}], "inspector": "nobody", "spec": "QP-999",
                "photo": "no-such-file", "colour": "red"
            }),
        )
        .await,
    )
    .await;
    for want in [
        ("lot", "value_required"),
        ("diameter", "value_not_number"),
        ("visual_ok", "value_not_yes_no"),
        ("decision", "unknown_option"),
        ("checks[0].what", "value_required"),
        ("inspector", "unknown_person"),
        ("spec", "unknown_document"),
        ("photo", "unknown_file"),
        ("colour", "unknown_field"),
    ] {
        assert!(
            codes.contains(&(want.0.into(), want.1.into())),
            "{want:?} missing from {codes:?}"
        );
    }
    let codes = field_codes(
        submit(
            &app,
            &p.hanna,
            &form,
            json!({"lot": "L", "visual_ok": true, "diameter": 10.0001}),
        )
        .await,
    )
    .await;
    assert_eq!(codes, [("diameter".into(), "too_many_decimals".into())]);
    // Nothing was stored and no number was used.
    let page = get(&app, &p.aud, &format!("/api/v1/forms/{form}/records")).await;
    assert_eq!(page["total"], json!(0));
    let r = ok(submit(
        &app,
        &p.hanna,
        &form,
        json!({"lot": "L", "visual_ok": "yes", "diameter": "10,05", "inspector": "heikki"}),
    )
    .await)
    .await;
    assert_eq!(r["number"], json!(format!("{form}-0001")));
    assert_eq!(r["values"]["diameter"], json!(10.05));
    assert_eq!(r["deviations"], json!([]));
    // Who may fill in: not an auditor, and not a form that is not in force.
    let res = submit(&app, &p.aud, &form, json!({"lot": "x"})).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let draft_only = create_document(
        &app,
        &p.olga,
        json!({ "title": "Not yet", "kind": "form", "process": "PROD" }),
    )
    .await;
    let res = submit(&app, &p.hanna, &draft_only, json!({})).await;
    assert_eq!(error_code(res).await, "form_not_effective");
    let policy = create_document(
        &app,
        &p.olga,
        json!({ "title": "Policy", "kind": "policy", "process": "PROD" }),
    )
    .await;
    let res = submit(&app, &p.hanna, &policy, json!({})).await;
    assert_eq!(error_code(res).await, "not_a_form_template");
}

async fn a_bad_definition_is_refused_field_by_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let number = create_document(
        &app,
        &p.olga,
        json!({ "title": "Form", "kind": "form", "process": "PROD" }),
    )
    .await;
    let res = send(
        &app,
        &p.olga,
        Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({"content": "x", "form": {"fields": [
            {"key": "a", "type": "number", "label": {"en": "A"}, "min": 3, "max": 1},
            {"key": "a", "type": "sketch", "label": {"en": "B"}}
        ], "signatures": [{"meaning": "released", "competence": "NOPE"}]}})),
    )
    .await;
    let codes = field_codes(res).await;
    assert!(
        codes.contains(&("fields[0]".into(), "min_above_max".into())),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("fields[1]".into(), "unknown_field_type".into())),
        "{codes:?}"
    );
    // A competence the catalogue does not know.
    let res = send(
        &app,
        &p.olga,
        Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({"content": "x", "form": {"fields": [
            {"key": "a", "type": "text", "label": {"en": "A"}}
        ], "signatures": [{"meaning": "released", "competence": "NOPE"}]}})),
    )
    .await;
    assert_eq!(error_code(res).await, "sign_off_competence_not_found");
    // Nothing was saved: the draft has no commit.
    let doc = get(&app, &p.olga, &format!("/api/v1/documents/{number}")).await;
    assert_eq!(doc["draft_form"], Value::Null);
    // Only form documents have fields.
    let policy = create_document(
        &app,
        &p.olga,
        json!({ "title": "Policy", "kind": "policy", "process": "PROD" }),
    )
    .await;
    let res = send(
        &app,
        &p.olga,
        Method::PUT,
        &format!("/api/v1/documents/{policy}/draft"),
        Some(json!({"content": "x", "form": {"fields": [{"key": "a", "type": "text", "label": {"en": "A"}}]}})),
    )
    .await;
    assert_eq!(error_code(res).await, "form_only_for_form_documents");
    // A good draft is shown with its fields, and a text-only save keeps them.
    let saved = ok(send(
        &app,
        &p.olga,
        Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({"content": "x", "form": {"fields": [{"key": "a", "type": "text", "label": {"en": "A"}}]}})),
    )
    .await)
    .await;
    ok(send(
        &app,
        &p.olga,
        Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({"content": "new text", "base": saved["commit"]})),
    )
    .await)
    .await;
    let doc = get(&app, &p.olga, &format!("/api/v1/documents/{number}")).await;
    assert_eq!(doc["draft_form"]["fields"][0]["key"], json!("a"));
}

async fn corrections_are_new_versions_and_nothing_edits_a_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let form = approved_form(&app, &p, inspection_form()).await;
    let r = ok(submit(
        &app,
        &p.hanna,
        &form,
        json!({"lot": "L-1", "visual_ok": true}),
    )
    .await)
    .await;
    let number = r["number"].as_str().unwrap().to_string();
    let path = format!("/api/v1/records/{number}/corrections");

    // A reason is needed; someone else's record is not theirs to correct.
    let res = post(
        &app,
        &p.hanna,
        &path,
        json!({"values": {"lot": "L-1"}, "reason": " "}),
    )
    .await;
    assert_eq!(error_code(res).await, "reason_required");
    let res = post(
        &app,
        &p.heikki,
        &path,
        json!({"values": {"lot": "L-1", "visual_ok": true}, "reason": "mine now"}),
    )
    .await;
    assert_eq!(error_code(res).await, "not_record_author");
    let res = post(
        &app,
        &p.aud,
        &path,
        json!({"values": {"lot": "L-1", "visual_ok": true}, "reason": "audit"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let v2 = ok(post(
        &app,
        &p.hanna,
        &path,
        json!({"values": {"lot": "L-1", "visual_ok": false}, "reason": "the visual check failed after all", "version": 1}),
    )
    .await)
    .await;
    assert_eq!(v2["version"], json!(2));
    assert_eq!(v2["deviations"], json!(["visual_ok"]));
    let versions = v2["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["values"]["visual_ok"], json!(true));
    assert_eq!(versions[1]["values"]["visual_ok"], json!(false));
    assert_eq!(
        versions[1]["reason"],
        json!("the visual check failed after all")
    );
    // A quality manager may correct it too; a stale version is a conflict.
    let res = post(
        &app,
        &p.quinn,
        &path,
        json!({"values": {"lot": "L-1"}, "reason": "stale", "version": 1}),
    )
    .await;
    assert_eq!(error_code(res).await, "version_conflict");
    let v3 = ok(post(
        &app,
        &p.quinn,
        &path,
        json!({"values": {"lot": "L-1", "visual_ok": true}, "reason": "re-inspected", "version": 2}),
    )
    .await)
    .await;
    assert_eq!(v3["version"], json!(3));
    assert_eq!(v3["versions"][2]["author"], json!("quinn"));

    // Each submission and correction is audited under the record.
    let events = app.audit_events(&format!("entity_id={number}")).await;
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "record.corrected").count(),
        2,
        "{actions:?}"
    );
    assert!(actions.contains(&"record.submitted"), "{actions:?}");

    // No route edits or deletes a record.
    for method in [Method::PUT, Method::PATCH, Method::DELETE] {
        let res = send(
            &app,
            &p.quinn,
            method.clone(),
            &format!("/api/v1/records/{number}"),
            Some(json!({})),
        )
        .await;
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    // And the database refuses it.
    use diesel::RunQueryDsl;
    let mut conn = app.db();
    for sql in [
        "UPDATE record_versions SET answers = '{}'".to_string(),
        "DELETE FROM record_versions".to_string(),
        "DELETE FROM records".to_string(),
        "UPDATE records SET number = 'X-1'".to_string(),
        "UPDATE records SET created_by_name = 'someone'".to_string(),
        "UPDATE records SET version = 1".to_string(),
        "DELETE FROM record_values".to_string(),
    ] {
        assert!(
            diesel::sql_query(&sql).execute(&mut conn).is_err(),
            "the database let through: {sql}"
        );
    }
    let after = get(&app, &p.aud, &format!("/api/v1/records/{number}")).await;
    assert_eq!(after["version"], json!(3));
    assert_eq!(after["versions"].as_array().unwrap().len(), 3);
}

async fn release_needs_the_competence_and_the_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    ok(post(
        &app,
        &p.quinn,
        "/api/v1/competences",
        json!({"code": "FINAL-INSP", "name": "Final inspection", "name_fi": "Lopputarkastus",
               "validity_months": 24, "evidence_required": false, "scale": "none"}),
    )
    .await)
    .await;
    let issued = app.today() - chrono::TimeDelta::days(30);
    ok(post(
        &app,
        &p.quinn,
        "/api/v1/certifications",
        json!({"user": "heikki", "competence": "FINAL-INSP", "issued_on": issued.to_string(), "issuer": "Training Oy"}),
    )
    .await)
    .await;
    let mut def = inspection_form();
    def["signatures"] =
        json!([{"meaning": "released", "competence": "FINAL-INSP"}, {"meaning": "reviewed"}]);
    let form = approved_form(&app, &p, def).await;
    let r = ok(submit(
        &app,
        &p.hanna,
        &form,
        json!({"lot": "L-1", "visual_ok": true}),
    )
    .await)
    .await;
    assert_eq!(r["signed"], json!(false));
    assert!(
        r["allowed_steps"]
            .as_array()
            .unwrap()
            .contains(&json!("sign"))
    );
    let number = r["number"].as_str().unwrap().to_string();
    let path = format!("/api/v1/records/{number}/signatures");

    // Without the competence: refused, whatever the role.
    let res = post(
        &app,
        &p.quinn,
        &path,
        json!({"password": PASSWORD, "meaning": "released"}),
    )
    .await;
    assert_eq!(error_code(res).await, "signer_lacks_competence");
    let res = post(
        &app,
        &p.hanna,
        &path,
        json!({"password": PASSWORD, "meaning": "released"}),
    )
    .await;
    assert_eq!(error_code(res).await, "signer_lacks_competence");
    // The author does not review their own record; auditors never sign.
    let res = post(
        &app,
        &p.hanna,
        &path,
        json!({"password": PASSWORD, "meaning": "reviewed"}),
    )
    .await;
    assert_eq!(error_code(res).await, "author_cannot_review");
    let res = post(
        &app,
        &p.aud,
        &path,
        json!({"password": PASSWORD, "meaning": "reviewed"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // With it, but the wrong password: refused and audited.
    let res = post(
        &app,
        &p.heikki,
        &path,
        json!({"password": "wrong password", "meaning": "released"}),
    )
    .await;
    assert_eq!(error_code(res).await, "signature_password_mismatch");
    let res = post(
        &app,
        &p.heikki,
        &path,
        json!({"password": PASSWORD, "meaning": "approved"}),
    )
    .await;
    assert_eq!(error_code(res).await, "invalid_record_meaning");
    let signed = ok(post(
        &app,
        &p.heikki,
        &path,
        json!({"password": PASSWORD, "meaning": "released", "version": 1}),
    )
    .await)
    .await;
    assert_eq!(signed["signed"], json!(false), "reviewed is still missing");
    assert_eq!(signed["signatures"][0]["signer"], json!("heikki"));
    assert_eq!(signed["signatures"][0]["competence"], json!("FINAL-INSP"));
    let res = post(
        &app,
        &p.heikki,
        &path,
        json!({"password": PASSWORD, "meaning": "released"}),
    )
    .await;
    assert_eq!(error_code(res).await, "already_signed");
    let done = ok(post(
        &app,
        &p.qm2,
        &path,
        json!({"password": PASSWORD, "meaning": "reviewed"}),
    )
    .await)
    .await;
    assert_eq!(done["signed"], json!(true));
    assert!(
        !done["allowed_steps"]
            .as_array()
            .unwrap()
            .contains(&json!("sign"))
    );
    let events = app.audit_events(&format!("entity_id={number}")).await;
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(
        actions.contains(&"signature.password_mismatch"),
        "{actions:?}"
    );
    assert_eq!(actions.iter().filter(|a| **a == "record.signed").count(), 2);
    // A correction asks for the signatures again.
    let corrected = ok(post(
        &app,
        &p.hanna,
        &format!("/api/v1/records/{number}/corrections"),
        json!({"values": {"lot": "L-1", "visual_ok": true, "decision": "release"}, "reason": "decision added"}),
    )
    .await)
    .await;
    assert_eq!(corrected["signed"], json!(false));
    assert_eq!(corrected["signatures"].as_array().unwrap().len(), 2);
}

async fn a_deviation_becomes_a_linked_nonconformity(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let form = approved_form(&app, &p, inspection_form()).await;
    let r = ok(submit(
        &app,
        &p.hanna,
        &form,
        json!({"lot": "L-9", "visual_ok": false, "diameter": 10.2, "decision": "hold",
               "checks": [{"what": "burr", "ok": false}, {"what": "length", "ok": true}]}),
    )
    .await)
    .await;
    assert_eq!(
        r["deviations"],
        json!(["diameter", "visual_ok", "decision", "checks[0].ok"])
    );
    assert!(
        r["allowed_steps"]
            .as_array()
            .unwrap()
            .contains(&json!("report_nonconformity"))
    );
    let number = r["number"].as_str().unwrap().to_string();
    let page = get(&app, &p.aud, &format!("/api/v1/forms/{form}/records")).await;
    assert_eq!(page["items"][0]["has_deviation"], json!(true));

    let nc = ok(post(
        &app,
        &p.hanna,
        "/api/v1/nonconformities",
        json!({"kind": "deviation", "title": "Lot L-9 out of tolerance", "responsible": "PROD",
               "detected_in": "QC", "severity": "major", "record": number}),
    )
    .await)
    .await;
    let nc_number = nc["number"].as_str().unwrap().to_string();
    assert_eq!(nc["records"], json!([number]));
    let again = get(&app, &p.aud, &format!("/api/v1/records/{number}")).await;
    assert_eq!(again["nonconformities"], json!([nc_number]));
    let res = post(
        &app,
        &p.hanna,
        "/api/v1/nonconformities",
        json!({"kind": "deviation", "title": "x", "responsible": "PROD", "severity": "minor", "record": "FORM-999-0001"}),
    )
    .await;
    assert_eq!(error_code(res).await, "record_not_found");
}

async fn numbers_are_gapless_under_concurrent_submissions(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let form = approved_form(&app, &p, inspection_form()).await;
    let mut handles = Vec::new();
    for i in 0..16 {
        let c = if i % 2 == 0 {
            p.hanna.clone()
        } else {
            p.heikki.clone()
        };
        let url = app.url(&format!("/api/v1/forms/{form}/records"));
        handles.push(tokio::spawn(async move {
            let res = c
                .post(url)
                .json(&json!({"values": {"lot": format!("L-{i}"), "visual_ok": true}}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::CREATED);
            res.json::<Value>().await.unwrap()["number"]
                .as_str()
                .unwrap()
                .to_string()
        }));
    }
    let mut numbers = Vec::new();
    for h in handles {
        numbers.push(h.await.unwrap());
    }
    numbers.sort();
    let want: Vec<String> = (1..=16).map(|n| format!("{form}-{n:04}")).collect();
    assert_eq!(numbers, want);
}

async fn the_register_filters_by_values_process_person_and_dates(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let form = approved_form(&app, &p, inspection_form()).await;
    for (who, lot, d, ok_, process) in [
        (&p.hanna, "A", 10.0, true, "PROD"),
        (&p.hanna, "B", 10.04, false, "QC"),
        (&p.heikki, "C", 9.96, true, "PROD"),
        (&p.heikki, "D", 10.2, true, "QC"),
    ] {
        ok(post(
            &app,
            who,
            &format!("/api/v1/forms/{form}/records"),
            json!({"values": {"lot": lot, "diameter": d, "visual_ok": ok_}, "process": process}),
        )
        .await)
        .await;
    }
    let lots = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["values"]["lot"].as_str().unwrap().to_string())
            .collect()
    };
    let base = format!("/api/v1/forms/{form}/records");
    let all = get(&app, &p.aud, &base).await;
    assert_eq!(lots(&all), ["D", "C", "B", "A"]);
    let q = |s: &str| format!("{base}?{s}");
    assert_eq!(
        lots(&get(&app, &p.aud, &q("value=visual_ok:no")).await),
        ["B"]
    );
    assert_eq!(
        lots(
            &get(
                &app,
                &p.aud,
                &q("value=diameter%3E%3D10&value=diameter%3C%3D10.1")
            )
            .await
        ),
        ["B", "A"]
    );
    assert_eq!(lots(&get(&app, &p.aud, &q("process=QC")).await), ["D", "B"]);
    assert_eq!(
        lots(&get(&app, &p.aud, &q("person=heikki&process=PROD")).await),
        ["C"]
    );
    assert_eq!(lots(&get(&app, &p.aud, &q("number=2")).await), ["B"]);
    assert_eq!(
        lots(&get(&app, &p.aud, &q(&format!("number={form}-0003"))).await),
        ["C"]
    );
    let today = app.today();
    let tomorrow = today + chrono::TimeDelta::days(1);
    assert_eq!(
        lots(&get(&app, &p.aud, &q(&format!("from={today}&to={today}"))).await).len(),
        4
    );
    assert_eq!(
        lots(&get(&app, &p.aud, &q(&format!("from={tomorrow}"))).await).len(),
        0
    );
    let paged = get(&app, &p.aud, &q("per_page=3&page=2")).await;
    assert_eq!(lots(&paged), ["A"]);
    assert_eq!(paged["total"], json!(4));
    // A corrected record is found by its answers in force only.
    ok(post(
        &app,
        &p.hanna,
        &format!("/api/v1/records/{form}-0002/corrections"),
        json!({"values": {"lot": "B", "diameter": 10.04, "visual_ok": true}, "reason": "re-checked"}),
    )
    .await)
    .await;
    assert!(lots(&get(&app, &p.aud, &q("value=visual_ok:no")).await).is_empty());
    let res = send(&app, &p.aud, Method::GET, &q("value=colour:red"), None).await;
    assert_eq!(error_code(res).await, "invalid_record_filter");
    let res = send(&app, &p.aud, Method::GET, &q("from=yesterday"), None).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn files_are_kept_with_their_record(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let form = approved_form(&app, &p, inspection_form()).await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\nnot really a picture";
    let upload =
        |c: reqwest::Client, name: &'static str, ty: &'static str, bytes: &'static [u8]| {
            let url = app.url(&format!("/api/v1/forms/{form}/files?name={name}"));
            async move {
                c.post(url)
                    .header("content-type", ty)
                    .body(bytes)
                    .send()
                    .await
                    .unwrap()
            }
        };
    let pdf = ok(upload(
        p.hanna.clone(),
        "report.pdf",
        "application/pdf",
        b"%PDF-1.4",
    )
    .await)
    .await;
    let codes = field_codes(
        submit(
            &app,
            &p.hanna,
            &form,
            json!({"lot": "L", "visual_ok": true, "photo": pdf["id"]}),
        )
        .await,
    )
    .await;
    assert_eq!(codes, [("photo".into(), "file_not_an_image".into())]);
    let photo = ok(upload(p.hanna.clone(), "lot.png", "image/png", png).await).await;
    // Someone else's upload cannot be named.
    let codes = field_codes(
        submit(
            &app,
            &p.heikki,
            &form,
            json!({"lot": "L", "visual_ok": true, "photo": photo["id"]}),
        )
        .await,
    )
    .await;
    assert_eq!(codes, [("photo".into(), "unknown_file".into())]);
    let r = ok(submit(
        &app,
        &p.hanna,
        &form,
        json!({"lot": "L", "visual_ok": true, "photo": photo["id"]}),
    )
    .await)
    .await;
    let number = r["number"].as_str().unwrap();
    assert_eq!(r["files"][0]["filename"], json!("lot.png"));
    let res = send(
        &app,
        &p.aud,
        Method::GET,
        &format!(
            "/api/v1/records/{number}/files/{}",
            photo["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.unwrap().as_ref(), png);
    // Bound to its record: no other record can name it.
    let codes = field_codes(
        submit(
            &app,
            &p.hanna,
            &form,
            json!({"lot": "M", "visual_ok": true, "photo": photo["id"]}),
        )
        .await,
    )
    .await;
    assert_eq!(codes, [("photo".into(), "unknown_file".into())]);
    // A correction of the same record keeps it.
    ok(post(
        &app,
        &p.hanna,
        &format!("/api/v1/records/{number}/corrections"),
        json!({"values": {"lot": "L2", "visual_ok": true, "photo": photo["id"]}, "reason": "lot number"}),
    )
    .await)
    .await;
    let res = upload(p.aud.clone(), "x.png", "image/png", png).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

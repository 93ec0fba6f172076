//! Record schedules over HTTP: a quality manager or a process owner sets a
//! schedule up (an auditor cannot), its period's record becomes a task of
//! the assignee (or of the process's people) until a record is filled in
//! the period, the scheduler marks it overdue at an explicit time when a
//! whole period went by without a record and clears the mark when one is
//! filled, and a schedule is stopped with its version.

use chrono::NaiveDateTime;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, create_document, csrf_token, error_code, get, ok, page_login, post,
    send, spawn_app_with,
};

backend_tests!(
    a_schedule_is_a_task_until_its_record_is_filled,
    the_schedules_page_sets_one_up_with_people_by_name,
);

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
}

/// quinn (quality manager), olga (owner of PROD and QC, both with members
/// hanna and heikki), sam (staff, in no process), aud (auditor).
struct People {
    quinn: reqwest::Client,
    olga: reqwest::Client,
    hanna: reqwest::Client,
    heikki: reqwest::Client,
    sam: reqwest::Client,
    aud: reqwest::Client,
}

async fn people(app: &TestApp) -> People {
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    let olga = app.user_with_roles("olga", &["process_owner"]).await;
    let hanna = app.user_with_roles("hanna", &["staff"]).await;
    let heikki = app.user_with_roles("heikki", &["staff"]).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
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
        olga,
        hanna,
        heikki,
        sam,
        aud,
    }
}

/// A machine check of PROD, approved; answers its number.
async fn machine_check(app: &TestApp, p: &People) -> String {
    let number = create_document(
        app,
        &p.olga,
        json!({ "title": "Machine check", "kind": "form", "process": "PROD" }),
    )
    .await;
    let form = json!({ "fields": [
        {"key": "machine", "type": "text", "label": {"en": "Machine", "fi": "Kone"}, "required": true},
        {"key": "ok", "type": "yes_no", "label": {"en": "In order", "fi": "Kunnossa"}, "deviation": "no"}
    ]});
    ok(send(
        app,
        &p.olga,
        Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({ "content": "# Machine check\n\nEvery month.", "form": form })),
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
    number
}

async fn fill(app: &TestApp, c: &reqwest::Client, form: &str, process: &str) {
    ok(post(
        app,
        c,
        &format!("/api/v1/forms/{form}/records"),
        json!({ "values": {"machine": "Lathe 2", "ok": true}, "process": process }),
    )
    .await)
    .await;
}

/// The `record_due` tasks of `c`: (link, due, overdue).
async fn due_tasks(app: &TestApp, c: &reqwest::Client) -> Vec<(String, String, bool)> {
    let tasks = get(app, c, "/api/v1/tasks").await;
    tasks["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "record_due")
        .map(|t| {
            (
                t["link"].as_str().unwrap().to_string(),
                t["due"].as_str().unwrap_or_default().to_string(),
                t["overdue"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn pass(app: &TestApp, t: NaiveDateTime) -> Option<usize> {
    let state = app.state.clone();
    app.at_app_time(|| laatu::scheduler::run_once(&state, t))
        .changed("records", "record_schedules_overdue")
}

async fn a_schedule_is_a_task_until_its_record_is_filled(backend: Backend) {
    // The test moves the clock by months: sessions outlast it.
    let app = spawn_app_with(backend, |c| c.session_hours = 24 * 400).await;
    app.clock.set(at("2026-05-13T09:30:00"));
    let p = people(&app).await;
    let form = machine_check(&app, &p).await;
    let schedules = format!("/api/v1/forms/{form}/schedules");

    // Who may set one up: not an auditor, not staff, not an unknown person.
    let monthly = json!({ "process": "PROD", "frequency": "monthly", "assignee": "hanna" });
    let res = post(&app, &p.aud, &schedules, monthly.clone()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(res).await, "forbidden");
    let res = post(&app, &p.hanna, &schedules, monthly.clone()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    for (body, code) in [
        (
            json!({ "process": "PROD", "frequency": "hourly" }),
            "invalid_schedule_frequency",
        ),
        (
            json!({ "process": "PROD", "frequency": "monthly", "assignee": "nobody" }),
            "unknown_person",
        ),
        (
            json!({ "process": "PROD", "frequency": "monthly", "assignee": "aud" }),
            "assignee_cannot_fill",
        ),
        (
            json!({ "process": "NOPE", "frequency": "monthly" }),
            "process_not_found",
        ),
    ] {
        let res = post(&app, &p.olga, &schedules, body).await;
        assert_eq!(error_code(res).await, code);
    }
    assert!(
        get(&app, &p.olga, &schedules)
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The owner sets up a monthly schedule for hanna; a quality manager a
    // weekly one of QC for the process's people.
    let res = post(&app, &p.olga, &schedules, monthly.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let prod: Value = res.json().await.unwrap();
    assert_eq!(prod["frequency"], "monthly");
    assert_eq!(prod["assignee"], "hanna");
    assert_eq!(prod["period"], "2026-05");
    assert_eq!(prod["due"], "2026-05-31");
    assert_eq!(prod["met"], false);
    assert_eq!(prod["overdue"], false);
    assert_eq!(prod["version"], 1);
    let res = post(&app, &p.quinn, &schedules, monthly.clone()).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "schedule_exists");
    let qc = ok(post(
        &app,
        &p.quinn,
        &schedules,
        json!({ "process": "QC", "frequency": "weekly" }),
    )
    .await)
    .await;
    assert_eq!(qc["period"], "2026-W20");
    assert_eq!(qc["due"], "2026-05-17");
    assert_eq!(qc["assignee"], Value::Null);
    let created = app.audit_events("action=record_schedule.created").await;
    assert_eq!(created.len(), 2);

    // Tasks: hanna has both; heikki and olga only QC's (no assignee); sam
    // and quinn none.
    let prod_link = format!("/forms/{form}/fill?process=PROD");
    let qc_link = format!("/forms/{form}/fill?process=QC");
    let hanna = due_tasks(&app, &p.hanna).await;
    assert!(
        hanna.contains(&(prod_link.clone(), "2026-05-31".into(), false)),
        "{hanna:?}"
    );
    assert!(
        hanna.contains(&(qc_link.clone(), "2026-05-17".into(), false)),
        "{hanna:?}"
    );
    assert_eq!(hanna.len(), 2);
    for c in [&p.heikki, &p.olga] {
        let tasks = due_tasks(&app, c).await;
        assert_eq!(tasks, [(qc_link.clone(), "2026-05-17".into(), false)]);
    }
    assert!(due_tasks(&app, &p.sam).await.is_empty());
    assert!(due_tasks(&app, &p.quinn).await.is_empty());

    // A record of PROD by anyone meets PROD's period; QC's stays open.
    fill(&app, &p.heikki, &form, "PROD").await;
    assert_eq!(
        due_tasks(&app, &p.hanna).await,
        [(qc_link.clone(), "2026-05-17".into(), false)]
    );
    let listed = get(&app, &p.aud, "/api/v1/processes/PROD/record-schedules").await;
    assert_eq!(listed[0]["met"], true);

    // Mid June: May was met, so PROD is not overdue; June is due.
    assert_eq!(
        pass(&app, at("2026-06-10T08:00:00")),
        Some(1),
        "QC's last week went by"
    );
    app.clock.set(at("2026-06-10T08:00:00"));
    let hanna = due_tasks(&app, &p.hanna).await;
    assert!(
        hanna.contains(&(prod_link.clone(), "2026-06-30".into(), false)),
        "{hanna:?}"
    );
    assert!(
        hanna.contains(&(qc_link.clone(), "2026-06-14".into(), true)),
        "{hanna:?}"
    );

    // Early July: June went by without a record and July has none yet.
    let july = at("2026-07-02T07:00:00");
    assert_eq!(pass(&app, july), Some(1));
    assert_eq!(pass(&app, july), Some(0), "a second pass changes nothing");
    app.clock.set(july);
    let listed = get(&app, &p.hanna, &schedules).await;
    let prod_now = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["process"] == "PROD")
        .unwrap();
    assert_eq!(prod_now["overdue"], true);
    assert_eq!(prod_now["due"], "2026-07-31");
    assert!(due_tasks(&app, &p.hanna).await.contains(&(
        prod_link.clone(),
        "2026-07-31".into(),
        true
    )));
    // The page of the process shows it late, with a link to fill it in.
    let html = p
        .olga
        .get(app.url("/processes/PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("href=\"/forms/{form}/fill?process=PROD\"")),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/forms/{form}\"")));
    assert!(html.contains("class=\"late\""));

    // hanna catches up: the task goes at once, the mark with the next pass.
    fill(&app, &p.hanna, &form, "PROD").await;
    assert!(
        !due_tasks(&app, &p.hanna)
            .await
            .iter()
            .any(|t| t.0 == prod_link)
    );
    let later = at("2026-07-02T09:00:00");
    assert_eq!(pass(&app, later), Some(1));
    let listed = get(&app, &p.hanna, &schedules).await;
    let prod_now = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["process"] == "PROD")
        .unwrap();
    assert_eq!(prod_now["overdue"], false);
    let marked = app.audit_events("action=record_schedule.overdue").await;
    assert_eq!(marked.len(), 2, "QC in June, PROD in July");
    assert!(marked.iter().all(|e| e["actor_name"] == "system:scheduler"));
    assert_eq!(
        app.audit_events("action=record_schedule.on_time")
            .await
            .len(),
        1
    );

    // Stopping: not by an auditor; with the version seen; only once.
    let qc_id = qc["id"].as_str().unwrap();
    let stop = format!("/api/v1/forms/{form}/schedules/{qc_id}/stop");
    let res = post(&app, &p.aud, &stop, json!({ "version": 1 })).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post(&app, &p.olga, &stop, json!({ "version": 7 })).await;
    assert_eq!(error_code(res).await, "version_conflict");
    let stopped = ok(post(&app, &p.olga, &stop, json!({ "version": 1 })).await).await;
    assert_eq!(stopped["active"], false);
    assert_eq!(stopped["overdue"], false, "stopping clears the mark");
    assert_eq!(stopped["version"], 2);
    let res = post(&app, &p.olga, &stop, json!({ "version": 2 })).await;
    assert_eq!(error_code(res).await, "schedule_stopped");
    assert!(
        !due_tasks(&app, &p.heikki)
            .await
            .iter()
            .any(|t| t.0 == qc_link)
    );
    let events = app.audit_events("action=record_schedule.stopped").await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        pass(&app, at("2026-07-20T09:00:00")),
        Some(0),
        "a stopped schedule is never late"
    );
}

async fn the_schedules_page_sets_one_up_with_people_by_name(backend: Backend) {
    // The test moves the clock by months: sessions outlast it.
    let app = spawn_app_with(backend, |c| c.session_hours = 24 * 400).await;
    app.clock.set(at("2026-05-13T09:30:00"));
    let p = people(&app).await;
    let form = machine_check(&app, &p).await;
    let olga = page_login(&app, "olga", PASSWORD).await;
    let page = format!("/forms/{form}/schedules");
    let html = olga
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<option value="hanna">Test hanna</option>"#),
        "{html}"
    );
    assert!(
        !html.contains(r#"<option value="aud">"#),
        "auditors fill in nothing"
    );
    let token = csrf_token(&html);
    let res = olga
        .post(app.url(&page))
        .form(&[
            ("csrf_token", token.as_str()),
            ("process", "PROD"),
            ("frequency", "daily"),
            ("assignee", "heikki"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let listed = get(&app, &p.olga, &format!("/api/v1/forms/{form}/schedules")).await;
    assert_eq!(listed[0]["frequency"], "daily");
    assert_eq!(listed[0]["assignee"], "heikki");
    assert_eq!(listed[0]["due"], "2026-05-13");
    // A second one is refused on the page, keeping the choice.
    let html = olga
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Test heikki"));
    let token = csrf_token(&html);
    let res = olga
        .post(app.url(&page))
        .form(&[
            ("csrf_token", token.as_str()),
            ("process", "PROD"),
            ("frequency", "weekly"),
            ("assignee", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(html.contains("already scheduled"), "{html}");
    // The auditor sees the page without the forms.
    let aud = page_login(&app, "aud", PASSWORD).await;
    let html = aud
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("id=\"new-schedule\""));
    assert!(!html.contains("/stop\""));
    let _ = &p.sam;
}

//! What the areas register, over HTTP: the scheduler runs every area's jobs
//! each on its own, so one that fails leaves the others running; a process
//! is in use when any area says so, and a reference no area registered is
//! still a 409, never a 500; numbers the API documents as numbers are taken
//! as JSON numbers.

use diesel::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, error_code, spawn_app};
use crate::nc_stats::get_json;
use crate::nonconformities::{report, setup};

backend_tests!(
    a_failing_job_does_not_stop_the_others,
    a_process_in_use_is_counted_by_every_area,
    a_reference_no_area_registered_is_409_still_referenced,
    numbers_are_taken_as_json_numbers,
);

fn sql(app: &TestApp, statement: &str) {
    diesel::sql_query(statement)
        .execute(&mut app.db())
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

async fn nonconformities_overdue(app: &TestApp, c: &reqwest::Client) -> Vec<String> {
    get_json(app, c, "/api/v1/nonconformities?overdue=true").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_str().unwrap().to_string())
        .collect()
}

async fn a_failing_job_does_not_stop_the_others(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    setup(&app).await;
    let waiting = report(&app, &sam, json!({ "kind": "deviation", "title": "Waiting for acceptance", "responsible": "PROD", "severity": "minor" })).await;

    let state = app.state.clone();
    let pass =
        |at: chrono::NaiveDateTime| app.at_app_time(|| laatu::scheduler::run_once(&state, at));
    let now = app.now();
    let first = pass(now);
    let jobs: Vec<String> = first
        .jobs
        .iter()
        .map(|r| format!("{}/{}", r.area, r.job))
        .collect();
    assert_eq!(
        jobs,
        [
            "documents/effective_dates",
            "documents/reviews_overdue",
            "processes/kpi_measurements_overdue",
            "nonconformities/overdue",
            "competence/certification_expiry",
            "competence/trainings_overdue",
            "records/record_schedules_overdue",
            "internal_ratings/request_ratings",
            "feedback/send_invitations",
            "mail/acknowledgements_waiting",
            "mail/send",
        ]
    );
    assert!(first.failed().is_empty(), "{first:?}");
    assert!(!first.is_eventful(), "nothing is late yet: {first:?}");

    // The KPI job's table goes missing: a real fault of one job. The jobs
    // before and after it still run, and the acceptance a week later is late.
    sql(&app, "ALTER TABLE kpis RENAME TO kpis_gone");
    let week = now + chrono::TimeDelta::days(7);
    let broken = pass(week);
    assert_eq!(broken.failed(), ["processes/kpi_measurements_overdue"]);
    let failure = broken
        .jobs
        .iter()
        .find(|r| r.job == "kpi_measurements_overdue")
        .unwrap();
    assert!(
        failure.outcome.as_ref().unwrap_err().contains("kpis"),
        "the failure names its cause: {failure:?}"
    );
    assert_eq!(broken.changed("documents", "reviews_overdue"), Some(0));
    assert_eq!(broken.changed("nonconformities", "overdue"), Some(1));
    assert!(broken.is_eventful());
    assert_eq!(
        nonconformities_overdue(&app, &sam).await,
        std::slice::from_ref(&waiting)
    );
    let marked = app
        .audit_events(&format!("entity_id={waiting}&action=nonconformity.overdue"))
        .await;
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0]["actor_name"], "system:scheduler");

    // Repaired, every job runs again; what was marked stays marked once.
    sql(&app, "ALTER TABLE kpis_gone RENAME TO kpis");
    let repaired = pass(week);
    assert!(repaired.failed().is_empty(), "{repaired:?}");
    assert_eq!(
        repaired.changed("processes", "kpi_measurements_overdue"),
        Some(0)
    );
    assert_eq!(repaired.changed("nonconformities", "overdue"), Some(0));
}

async fn delete_process(app: &TestApp, c: &reqwest::Client, code: &str) -> reqwest::Response {
    c.delete(app.url(&format!("/api/v1/processes/{code}")))
        .send()
        .await
        .unwrap()
}

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn new_process(app: &TestApp, qm: &reqwest::Client, code: &str) {
    created(
        qm.post(app.url("/api/v1/processes"))
            .json(&json!({ "code": code, "name": code, "owner": "qm" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
}

async fn a_process_in_use_is_counted_by_every_area(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    new_process(&app, &qm, "SALES").await;
    new_process(&app, &qm, "HR").await;
    // A KPI alone keeps a process in use (before, deleting it was a 500).
    created(
        qm.post(app.url("/api/v1/processes/SALES/kpis"))
            .json(&json!({ "name": "Offers won", "unit": "%", "target": 40, "direction": "higher_is_better", "indicator": "lagging", "frequency": "monthly" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let res = delete_process(&app, &qm, "SALES").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "process_in_use");
    assert_eq!(
        body["error"]["message"],
        "SALES has 1 KPI; retire it instead of deleting it"
    );

    created(
        qm.post(app.url("/api/v1/processes/SALES/outputs"))
            .json(&json!({ "name": "Signed orders", "to": ["HR"] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let body: Value = delete_process(&app, &qm, "SALES")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["error"]["message"],
        "SALES has 1 output and 1 KPI; retire it instead of deleting it"
    );
    let body: Value = delete_process(&app, &qm, "HR").await.json().await.unwrap();
    assert_eq!(body["error"]["code"], "process_in_use");
    assert_eq!(
        body["error"]["message"],
        "HR has 1 input; retire it instead of deleting it"
    );
    assert!(app.audit_events("action=process.deleted").await.is_empty());
}

async fn a_reference_no_area_registered_is_409_still_referenced(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    new_process(&app, &qm, "TEMP").await;
    // A table behind the areas' backs (as an area that forgot to register
    // its reference would have): only the database knows of the row.
    sql(
        &app,
        "CREATE TABLE unregistered_refs (process_id TEXT NOT NULL REFERENCES processes(id))",
    );
    sql(
        &app,
        "INSERT INTO unregistered_refs (process_id) SELECT id FROM processes WHERE code = 'TEMP'",
    );
    let res = delete_process(&app, &qm, "TEMP").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "still_referenced");
    // Nothing was deleted, nothing audited.
    let res = app.client_get(&qm, "/api/v1/processes/TEMP").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(app.audit_events("action=process.deleted").await.is_empty());

    sql(&app, "DELETE FROM unregistered_refs");
    let res = delete_process(&app, &qm, "TEMP").await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.audit_events("action=process.deleted").await.len(), 1);
}

async fn numbers_are_taken_as_json_numbers(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    new_process(&app, &qm, "DELIV").await;
    let kpi = |target: Value| {
        qm.post(app.url("/api/v1/processes/DELIV/kpis"))
            .json(&json!({ "name": "On-time delivery", "unit": "%", "target": target, "direction": "higher_is_better", "indicator": "lagging", "frequency": "monthly" }))
            .send()
    };
    let whole = created(kpi(json!(95)).await.unwrap()).await;
    assert_eq!(whole["target"], "95");
    let decimal = created(kpi(json!(2.5)).await.unwrap()).await;
    assert_eq!(decimal["target"], "2.5");
    // Text as people type it still works, decimal comma included.
    let text = created(kpi(json!("12,5")).await.unwrap()).await;
    assert_eq!(text["target"], "12.5");
    for bad in [json!(true), json!(null), json!([95])] {
        let res = kpi(bad.clone()).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(error_code(res).await, "invalid_json", "{bad}");
    }
    let res = kpi(json!("a lot")).await.unwrap();
    assert_eq!(error_code(res).await, "invalid_value");

    let id = whole["id"].as_str().unwrap();
    let period = (app.today() - chrono::TimeDelta::days(40))
        .format("%Y-%m")
        .to_string();
    let measured = created(
        qm.post(app.url(&format!("/api/v1/kpis/{id}/measurements")))
            .json(&json!({ "value": 96.5, "period": period }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(measured["value"], "96.5");
    let res = qm
        .post(app.url(&format!("/api/v1/kpis/{id}/measurements")))
        .json(&json!({ "value": false, "period": period }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "invalid_json");

    // The OpenAPI document says number.
    let doc = get_json(&app, &app.client, "/api/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["NewKpi"]["properties"]["target"]["type"], "number");
    assert_eq!(
        schemas["MeasurementRequest"]["properties"]["value"]["type"],
        "number"
    );
}

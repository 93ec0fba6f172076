//! A KPI counted from records: the internal complaints a process received,
//! per period, as its internal customers' satisfaction signal. Nobody types
//! its values, and the scheduler never calls them late.

use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, error_code, page_login, spawn_app};

backend_tests!(complaints_received_are_counted_per_period);

async fn complaints_received_are_counted_per_period(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let bea = app.user_with_roles("bea", &["process_owner"]).await;
    app.user_with_roles("ann", &["process_owner"]).await;
    app.user_with_roles("sam", &["staff"]).await;
    for (code, owner) in [("PURCH", "bea"), ("PROD", "ann")] {
        let res = qm
            .post(app.url("/api/v1/processes"))
            .json(&json!({ "code": code, "name": code, "owner": owner }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let kpi = |source: &str| {
        bea.post(app.url("/api/v1/processes/PURCH/kpis"))
            .json(&json!({ "name": "Internal complaints received", "unit": "pcs", "target": "1", "direction": "lower_is_better", "indicator": "lagging", "frequency": "monthly", "source": source }))
            .send()
    };
    assert_eq!(
        error_code(kpi("gossip").await.unwrap()).await,
        "invalid_kpi_source"
    );
    let res = kpi("internal_complaints").await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["source"], "internal_complaints");

    // Last month PURCH received two internal complaints; a deviation and a
    // complaint against PROD do not count, nor one this month (not complete).
    let today = crate::helpers::test_now_utc().date_naive();
    let first_of_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap();
    let last_month = first_of_month.checked_sub_months(Months::new(1)).unwrap();
    let last_month_at = (last_month + TimeDelta::days(3))
        .and_hms_opt(10, 0, 0)
        .unwrap();
    let mut conn = app.db();
    let sam = laatu::auth::service::user_by_username(&mut conn, "sam").unwrap();
    let policy = laatu::nonconformities::service::NcPolicy::default();
    for (kind, responsible, at) in [
        ("internal_complaint", "PURCH", last_month_at),
        (
            "internal_complaint",
            "PURCH",
            last_month_at + TimeDelta::days(9),
        ),
        ("deviation", "PURCH", last_month_at),
        ("internal_complaint", "PROD", last_month_at),
        ("internal_complaint", "PURCH", app.now()),
    ] {
        laatu::nonconformities::service::report(
            &mut conn,
            policy,
            &sam,
            laatu::nonconformities::service::NewNonconformity {
                kind: kind.into(),
                title: format!("{kind} against {responsible}"),
                detected_in: Some("PROD".into()),
                responsible: responsible.into(),
                severity: "minor".into(),
                ..Default::default()
            },
            at,
        )
        .unwrap();
    }

    let period = format!("{}-{:02}", last_month.year(), last_month.month());
    let kpis: Value = bea
        .get(app.url("/api/v1/processes/PURCH/kpis"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let k = &kpis.as_array().unwrap()[0];
    assert_eq!(k["latest_period"], period.as_str());
    assert_eq!(k["latest_value"], "2");
    assert_eq!(
        k["meets_target"], false,
        "two complaints miss a target of at most one"
    );
    let measured: Value = bea
        .get(app.url(&format!("/api/v1/kpis/{id}/measurements")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let values = measured.as_array().unwrap();
    assert_eq!(values.len(), 12, "a year of complete months");
    assert_eq!(values[11]["period"], period.as_str());
    assert_eq!(values[11]["value"], "2");
    assert!(values[..11].iter().all(|m| m["value"] == "0"));

    // Nobody types its values, and it is never late.
    let res = bea
        .post(app.url(&format!("/api/v1/kpis/{id}/measurements")))
        .json(&json!({ "value": "0", "period": period }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "kpi_counted");
    let later = app.now() + TimeDelta::days(60);
    assert_eq!(
        app.at_app_time(|| laatu::processes::kpis::mark_overdue(&mut conn, later))
            .unwrap(),
        0
    );

    // The process page draws its trend and offers no entry form for it.
    let page = page_login(&app, "bea", PASSWORD).await;
    let svg = page
        .get(app.url(&format!("/kpis/{id}/chart.svg")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&svg);
    loop {
        match reader.read_event().expect("well-formed SVG") {
            quick_xml::events::Event::Eof => break,
            _ => continue,
        }
    }
    let html = page
        .get(app.url("/processes/PURCH"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&format!("/kpis/{id}/measurements")));
    assert!(html.contains("Internal complaints received"));
}

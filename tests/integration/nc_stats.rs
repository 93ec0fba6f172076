//! Nonconformity statistics over the JSON API: seven cases through their
//! life cycles, counted per process, kind, severity and month, with closing
//! times, complaints received, range filters and their refusals. The page
//! and the CSV downloads are in `nc_stats_pages.rs`, on the same cases.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, client, error_code, spawn_app};
use laatu::db::schema::{nonconformities as nc, processes};

backend_tests!(statistics_count_each_case_where_it_belongs);

/// A process name a spreadsheet would run as a formula, with markup in it.
pub const PURCH_NAME: &str = "=SUM(A1) <Purchasing> & \"Co\"";

pub async fn post_ok(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> Value {
    let res = c.post(app.url(path)).json(&body).send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "POST {path}: {status} {body}");
    body
}

pub async fn get_json(app: &TestApp, c: &reqwest::Client, path: &str) -> Value {
    let res = app.client_get(c, path).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

pub fn day(offset: i64) -> String {
    (crate::helpers::test_now_utc().date_naive() + TimeDelta::days(offset)).to_string()
}

/// Processes PROD (ann), PURCH (bea), SALES (ann, retired after its case),
/// OLD (retired, no cases); seven cases reported by sam:
///
/// | # | kind               | detected | responsible | severity | ends as  |
/// |---|--------------------|----------|-------------|----------|----------|
/// | 1 | deviation          | PROD     | PROD        | minor    | closed after 2 days |
/// | 2 | deviation          | PROD     | PROD        | major    | closed after 4 days |
/// | 3 | internal_complaint | PROD     | PURCH       | major    | reported, overdue |
/// | 4 | internal_complaint | SALES    | PURCH       | minor    | rejected |
/// | 5 | internal_complaint | PURCH    | PROD        | critical | accepted |
/// | 6 | customer_complaint | -        | SALES       | critical | reported, overdue |
/// | 7 | supplier           | PROD     | PURCH       | minor    | accepted |
pub async fn seven_cases(app: &TestApp) -> reqwest::Client {
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let ann = app.user_with_roles("ann", &["process_owner"]).await;
    let bea = app.user_with_roles("bea", &["process_owner"]).await;
    for (code, name, owner) in [
        ("PROD", "Production", "ann"),
        ("PURCH", PURCH_NAME, "bea"),
        ("SALES", "Sales", "ann"),
        ("OLD", "Old process", "ann"),
    ] {
        post_ok(
            app,
            &qm,
            "/api/v1/processes",
            json!({ "code": code, "name": name, "owner": owner, "members": ["sam"] }),
        )
        .await;
    }
    let cases = [
        ("deviation", Some("PROD"), "PROD", "minor"),
        ("deviation", Some("PROD"), "PROD", "major"),
        ("internal_complaint", Some("PROD"), "PURCH", "major"),
        ("internal_complaint", Some("SALES"), "PURCH", "minor"),
        ("internal_complaint", Some("PURCH"), "PROD", "critical"),
        ("customer_complaint", None, "SALES", "critical"),
        ("supplier", Some("PROD"), "PURCH", "minor"),
    ];
    let mut numbers = Vec::new();
    for (i, (kind, detected, responsible, severity)) in cases.into_iter().enumerate() {
        let created = post_ok(
            app,
            &sam,
            "/api/v1/nonconformities",
            json!({ "kind": kind, "title": format!("Case {}", i + 1), "detected_in": detected,
                    "responsible": responsible, "severity": severity }),
        )
        .await;
        numbers.push(created["number"].as_str().unwrap().to_string());
    }
    let path = |i: usize, action: &str| format!("/api/v1/nonconformities/{}/{action}", numbers[i]);
    for i in [0, 1] {
        post_ok(app, &ann, &path(i, "accept"), json!({})).await;
        post_ok(
            app,
            &ann,
            &path(i, "analysis"),
            json!({ "root_cause": "A one-off slip", "cause_category": "people" }),
        )
        .await;
        let closed = post_ok(
            app,
            &qm,
            &path(i, "close"),
            json!({ "comment": "A one-off; no corrective action needed" }),
        )
        .await;
        assert_eq!(closed["status"], "closed");
    }
    post_ok(
        app,
        &bea,
        &path(3, "reject"),
        json!({ "reason": "Works as agreed" }),
    )
    .await;
    post_ok(app, &ann, &path(4, "accept"), json!({})).await;
    post_ok(app, &bea, &path(6, "accept"), json!({})).await;
    for code in ["SALES", "OLD"] {
        let res = qm
            .patch(app.url(&format!("/api/v1/processes/{code}")))
            .json(&json!({ "status": "retired" }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{}",
            res.text().await.unwrap()
        );
    }

    let mut conn = app.db();
    // Closing takes days in life and milliseconds here: move the reports of
    // the two closed cases back, so that they took 2 and 4 days.
    for (number, days) in [(&numbers[0], 2), (&numbers[1], 4)] {
        let closed_at: Option<NaiveDateTime> = nc::table
            .filter(nc::number.eq(number))
            .select(nc::closed_at)
            .first(&mut conn)
            .unwrap();
        diesel::update(nc::table.filter(nc::number.eq(number)))
            .set(nc::created_at.eq(closed_at.unwrap() - TimeDelta::days(days)))
            .execute(&mut conn)
            .unwrap();
    }
    // A month on, the two cases nobody accepted are late.
    let later = app.now() + TimeDelta::days(30);
    assert_eq!(
        app.at_app_time(|| laatu::nonconformities::service::mark_overdue(
            &mut conn,
            Default::default(),
            later
        ))
        .unwrap(),
        2
    );
    sam
}

fn process_id(app: &TestApp, code: &str) -> String {
    processes::table
        .filter(processes::code.eq(code))
        .select(processes::id)
        .first(&mut app.db())
        .unwrap()
}

async fn statistics_count_each_case_where_it_belongs(backend: Backend) {
    let app = spawn_app(backend).await;
    let sam = seven_cases(&app).await;
    let auditor = app.user_with_roles("aud", &["auditor"]).await;

    let s = get_json(&app, &sam, "/api/v1/nonconformities/stats").await;
    assert_eq!(
        s["totals"],
        json!({ "reported": 7, "open": 4, "overdue": 2, "rejected": 1 })
    );
    assert_eq!(
        s["by_process"],
        json!([
            { "code": "PROD", "name": "Production", "responsible": 3, "detected_in": 4, "open": 1, "overdue": 0 },
            { "code": "PURCH", "name": PURCH_NAME, "responsible": 3, "detected_in": 1, "open": 2, "overdue": 1 },
            { "code": "SALES", "name": "Sales", "responsible": 1, "detected_in": 1, "open": 1, "overdue": 1 },
        ]),
        "retired OLD has no cases and is left out; retired SALES has and stays"
    );
    assert_eq!(
        s["by_kind"],
        json!([
            { "kind": "deviation", "count": 2 },
            { "kind": "internal_complaint", "count": 3 },
            { "kind": "customer_complaint", "count": 1 },
            { "kind": "supplier", "count": 1 },
            { "kind": "audit_finding", "count": 0 },
            { "kind": "customer_property", "count": 0 },
            { "kind": "improvement", "count": 0 },
        ])
    );
    assert_eq!(
        s["by_severity"],
        json!([
            { "severity": "minor", "count": 3 },
            { "severity": "major", "count": 2 },
            { "severity": "critical", "count": 2 },
        ])
    );
    assert_eq!(
        s["complaints_received"],
        json!([
            { "code": "PROD", "name": "Production", "count": 1 },
            { "code": "PURCH", "name": PURCH_NAME, "count": 2 },
            { "code": "SALES", "name": "Sales", "count": 0 },
        ])
    );
    assert_eq!(
        s["time_to_close"],
        json!({ "closed": 2, "mean_days": 3.0, "p90_days": 4.0 })
    );
    assert_eq!(
        (s["from"].clone(), s["to"].clone()),
        (Value::Null, Value::Null)
    );

    // Without a range: the last 12 months, this one last, each report in
    // the month it was made (the two moved back may fall in the previous one).
    let months = s["by_month"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(
        months[11]["month"],
        crate::helpers::test_now_utc().format("%Y-%m").to_string()
    );
    let made: Vec<NaiveDateTime> = nc::table
        .select(nc::created_at)
        .load(&mut app.db())
        .unwrap();
    for m in months {
        let label = m["month"].as_str().unwrap();
        let expected = made
            .iter()
            .filter(|t| t.format("%Y-%m").to_string() == label)
            .count();
        assert_eq!(m["count"], expected, "{label}");
    }
    assert_eq!(
        months
            .iter()
            .map(|m| m["count"].as_i64().unwrap())
            .sum::<i64>(),
        7
    );
    assert_eq!(
        get_json(&app, &auditor, "/api/v1/nonconformities/stats").await,
        s,
        "every logged-in user reads the same"
    );

    // Since yesterday: the five reported today, none of them closed.
    let (yesterday, tomorrow) = (day(-1), day(1));
    let recent = get_json(
        &app,
        &sam,
        &format!("/api/v1/nonconformities/stats?from={yesterday}&to={tomorrow}"),
    )
    .await;
    assert_eq!(recent["from"], yesterday.as_str());
    assert_eq!(recent["to"], tomorrow.as_str());
    assert_eq!(
        recent["totals"],
        json!({ "reported": 5, "open": 4, "overdue": 2, "rejected": 1 })
    );
    assert_eq!(
        recent["time_to_close"],
        json!({ "closed": 0, "mean_days": null, "p90_days": null })
    );
    assert_eq!(
        recent["by_process"][0]["responsible"], 1,
        "PROD: case 5 only"
    );
    let recent_months = recent["by_month"].as_array().unwrap();
    assert_eq!(recent_months[0]["month"], &yesterday[..7]);
    assert_eq!(
        recent_months.last().unwrap()["month"],
        &day(0)[..7],
        "`to` is the first day not counted: {recent_months:?}"
    );
    assert_eq!(
        recent_months
            .iter()
            .map(|m| m["count"].as_i64().unwrap())
            .sum::<i64>(),
        5
    );

    // A range that ended before anything was reported counts nothing, and
    // still lists every kind and month with zeros.
    let past = get_json(
        &app,
        &sam,
        &format!("/api/v1/nonconformities/stats?to={}", day(-30)),
    )
    .await;
    assert_eq!(
        past["totals"],
        json!({ "reported": 0, "open": 0, "overdue": 0, "rejected": 0 })
    );
    assert!(
        past["by_kind"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["count"] == 0)
    );
    assert_eq!(past["by_kind"].as_array().unwrap().len(), 7);
    let past_months = past["by_month"].as_array().unwrap();
    assert_eq!(past_months.len(), 12);
    assert!(past_months.iter().all(|m| m["count"] == 0));
    assert_eq!(
        past["by_process"].as_array().unwrap().len(),
        2,
        "PROD, PURCH"
    );
    assert_eq!(past["time_to_close"]["mean_days"], Value::Null);
    let future = get_json(
        &app,
        &sam,
        &format!("/api/v1/nonconformities/stats?from={tomorrow}"),
    )
    .await;
    assert_eq!(future["totals"]["reported"], 0);

    // Refusals.
    for (query, code) in [
        ("from=yesterday", "invalid_date"),
        ("to=2026-02-30", "invalid_date"),
        ("from=%2B10000-01-01", "invalid_date"),
        ("from=2026-07-02&to=2026-07-01", "invalid_range"),
        ("from=1900-01-01&to=2026-01-01", "range_too_long"),
    ] {
        let res = app
            .client_get(&sam, &format!("/api/v1/nonconformities/stats?{query}"))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(error_code(res).await, code, "{query}");
    }
    // Dates at the edges of what the databases keep are counted, not faults.
    for query in [
        "from=0001-01-01&to=0002-01-01",
        "to=0001-01-01",
        "from=9999-12-01",
    ] {
        let res = app
            .client_get(&sam, &format!("/api/v1/nonconformities/stats?{query}"))
            .await;
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(body["totals"]["reported"], 0, "{query}");
    }
    let res = app
        .client_get(&client(), "/api/v1/nonconformities/stats")
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The count a KPI will use: internal complaints received in [from, to).
    let mut conn = app.db();
    let (purch, prod) = (process_id(&app, "PURCH"), process_id(&app, "PROD"));
    let now = app.now();
    let received =
        |conn: &mut laatu::db::DbConn, id: &str, from: NaiveDateTime, to: NaiveDateTime| {
            laatu::nonconformities::stats::complaints_received(conn, id, from, to).unwrap()
        };
    let (day_before, day_after) = (now - TimeDelta::days(1), now + TimeDelta::days(1));
    assert_eq!(received(&mut conn, &purch, day_before, day_after), 2);
    assert_eq!(received(&mut conn, &prod, day_before, day_after), 1);
    assert_eq!(
        received(
            &mut conn,
            &purch,
            day_before - TimeDelta::days(30),
            day_before
        ),
        0
    );
    assert_eq!(
        received(&mut conn, &purch, day_after, day_after + TimeDelta::days(1)),
        0
    );
}

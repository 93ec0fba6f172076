//! KPIs counted from records over HTTP: the number of records of a form
//! template filled for the process each period, the average and sum of a
//! number field, the share of "yes" and of records with a deviation, from
//! the answers in force; and a KPI's source checked when it is defined.

use chrono::NaiveDateTime;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, create_document, error_code, spawn_app_with};

backend_tests!(kpis_are_counted_from_the_records_of_each_period);

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
}

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> reqwest::Response {
    c.post(app.url(path)).json(&body).send().await.unwrap()
}

/// The (period, value) pairs of a KPI's measurements, oldest first.
async fn values(app: &TestApp, c: &reqwest::Client, id: &str) -> Vec<(String, String)> {
    let body = ok(c
        .get(app.url(&format!("/api/v1/kpis/{id}/measurements")))
        .send()
        .await
        .unwrap())
    .await;
    body.as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["period"].as_str().unwrap().to_string(),
                m["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn of<'a>(v: &'a [(String, String)], period: &str) -> Option<&'a str> {
    v.iter().find(|(p, _)| p == period).map(|(_, x)| x.as_str())
}

async fn kpis_are_counted_from_the_records_of_each_period(backend: Backend) {
    // The test moves the clock by months: sessions outlast it.
    let app = spawn_app_with(backend, |c| c.session_hours = 24 * 400).await;
    app.clock.set(at("2026-02-20T09:00:00"));
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    let olga = app.user_with_roles("olga", &["process_owner"]).await;
    let hanna = app.user_with_roles("hanna", &["staff"]).await;
    for code in ["PROD", "QC"] {
        ok(post(
            &app,
            &quinn,
            "/api/v1/processes",
            json!({ "code": code, "name": code, "owner": "olga", "members": ["hanna"] }),
        )
        .await)
        .await;
    }
    let form = create_document(
        &app,
        &olga,
        json!({ "title": "Final inspection", "kind": "form", "process": "PROD" }),
    )
    .await;
    let fields = json!({ "fields": [
        {"key": "lot", "type": "text", "label": {"en": "Lot", "fi": "Erä"}, "required": true},
        {"key": "diameter", "type": "number", "label": {"en": "Diameter", "fi": "Halkaisija"},
         "unit": "mm", "min": 9.9, "max": 10.1, "decimals": 3},
        {"key": "visual_ok", "type": "yes_no", "label": {"en": "Visual check passed", "fi": "Silmämääräinen tarkastus hyväksytty"},
         "deviation": "no"}
    ]});
    ok(olga
        .put(app.url(&format!("/api/v1/documents/{form}/draft")))
        .json(&json!({ "content": "# Final inspection", "form": fields }))
        .send()
        .await
        .unwrap())
    .await;
    ok(post(
        &app,
        &olga,
        &format!("/api/v1/documents/{form}/draft/submit"),
        json!({}),
    )
    .await)
    .await;
    ok(post(
        &app,
        &quinn,
        &format!("/api/v1/documents/{form}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved", "comment": "ok" }),
    )
    .await)
    .await;

    // March: three records of PROD (one with a deviation) and one of QC;
    // April: one of PROD; May (the current month) one more.
    let fill = async |when: &str, process: &str, diameter: f64, visual: bool| -> String {
        app.clock.set(at(when));
        let r = ok(post(
            &app,
            &hanna,
            &format!("/api/v1/forms/{form}/records"),
            json!({ "values": {"lot": "L", "diameter": diameter, "visual_ok": visual}, "process": process }),
        )
        .await)
        .await;
        r["number"].as_str().unwrap().to_string()
    };
    fill("2026-03-02T08:00:00", "PROD", 10.0, true).await;
    fill("2026-03-15T08:00:00", "PROD", 10.02, true).await;
    let third = fill("2026-03-31T23:59:00", "PROD", 9.98, false).await;
    fill("2026-03-20T08:00:00", "QC", 9.91, false).await;
    fill("2026-04-01T00:00:00", "PROD", 10.04, true).await;
    fill("2026-05-05T08:00:00", "PROD", 10.0, false).await;
    app.clock.set(at("2026-05-13T09:30:00"));

    let kpis = "/api/v1/processes/PROD/kpis";
    let kpi = |measure: &str, field: Option<&str>| {
        json!({ "name": format!("Inspection {measure}"), "unit": "", "target": "1",
                "direction": "higher_is_better", "indicator": "lagging", "frequency": "monthly",
                "source": "records", "source_template": form, "source_measure": measure,
                "source_field": field })
    };
    // The source is checked when the KPI is defined.
    for (body, code) in [
        (
            json!({ "name": "x", "unit": "", "target": "1", "direction": "higher_is_better",
                    "indicator": "lagging", "frequency": "monthly", "source": "records" }),
            "kpi_source_template_required",
        ),
        (kpi("median", Some("diameter")), "invalid_kpi_measure"),
        (kpi("average", None), "kpi_source_field_required"),
        (
            kpi("average", Some("visual_ok")),
            "kpi_source_field_not_number",
        ),
        (kpi("sum", Some("lot")), "kpi_source_field_not_number"),
        (
            kpi("share_yes", Some("diameter")),
            "kpi_source_field_not_yes_no",
        ),
        (kpi("average", Some("weight")), "kpi_source_field_unknown"),
        (kpi("count", Some("diameter")), "kpi_source_field_not_used"),
        (
            json!({ "name": "x", "unit": "", "target": "1", "direction": "higher_is_better",
                    "indicator": "lagging", "frequency": "monthly", "source": "manual",
                    "source_template": form }),
            "kpi_source_not_records",
        ),
        (
            json!({ "name": "x", "unit": "", "target": "1", "direction": "higher_is_better",
                    "indicator": "lagging", "frequency": "monthly", "source": "records",
                    "source_template": "QP-404", "source_measure": "count" }),
            "document_not_found",
        ),
    ] {
        let res = post(&app, &olga, kpis, body).await;
        assert_eq!(
            res.status(),
            StatusCode::from_u16(if code == "document_not_found" {
                404
            } else {
                422
            })
            .unwrap()
        );
        assert_eq!(error_code(res).await, code);
    }

    let mut ids = std::collections::HashMap::new();
    for (measure, field) in [
        ("count", None),
        ("average", Some("diameter")),
        ("sum", Some("diameter")),
        ("share_yes", Some("visual_ok")),
        ("share_deviation", None),
    ] {
        let res = post(&app, &olga, kpis, kpi(measure, field)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let k: Value = res.json().await.unwrap();
        assert_eq!(k["source"], "records");
        assert_eq!(k["source_template"], form.as_str());
        assert_eq!(k["source_measure"], measure);
        ids.insert(measure, k["id"].as_str().unwrap().to_string());
    }
    let count = values(&app, &olga, &ids["count"]).await;
    assert_eq!(count.len(), 12, "twelve complete months");
    assert_eq!(count.last().unwrap().0, "2026-04");
    assert_eq!(of(&count, "2026-02"), Some("0"));
    assert_eq!(
        of(&count, "2026-03"),
        Some("3"),
        "QC's record is not PROD's"
    );
    assert_eq!(of(&count, "2026-04"), Some("1"));
    let average = values(&app, &olga, &ids["average"]).await;
    assert_eq!(
        average,
        [
            ("2026-03".into(), "10".into()),
            ("2026-04".into(), "10.04".into())
        ],
        "months without records have no average"
    );
    let sum = values(&app, &olga, &ids["sum"]).await;
    assert_eq!(of(&sum, "2026-03"), Some("30"));
    assert_eq!(of(&sum, "2026-02"), Some("0"));
    let yes = values(&app, &olga, &ids["share_yes"]).await;
    assert_eq!(
        yes,
        [
            ("2026-03".into(), "66.67".into()),
            ("2026-04".into(), "100".into())
        ]
    );
    let deviation = values(&app, &olga, &ids["share_deviation"]).await;
    assert_eq!(of(&deviation, "2026-03"), Some("33.33"));
    assert_eq!(of(&deviation, "2026-04"), Some("0"));

    // A correction counts from then on, in the record's own period.
    ok(post(
        &app,
        &hanna,
        &format!("/api/v1/records/{third}/corrections"),
        json!({ "values": {"lot": "L", "diameter": 9.99, "visual_ok": true}, "reason": "misread" }),
    )
    .await)
    .await;
    let yes = values(&app, &olga, &ids["share_yes"]).await;
    assert_eq!(of(&yes, "2026-03"), Some("100"));
    let deviation = values(&app, &olga, &ids["share_deviation"]).await;
    assert_eq!(of(&deviation, "2026-03"), Some("0"));
    let average = values(&app, &olga, &ids["average"]).await;
    assert_eq!(of(&average, "2026-03"), Some("10"));
    let sum = values(&app, &olga, &ids["sum"]).await;
    assert_eq!(of(&sum, "2026-03"), Some("30.01"));

    // The list shows the latest complete period; nobody enters values.
    let listed = ok(olga.get(app.url(kpis)).send().await.unwrap()).await;
    let count_kpi = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == ids["count"].as_str())
        .unwrap();
    assert_eq!(count_kpi["latest_period"], "2026-04");
    assert_eq!(count_kpi["latest_value"], "1");
    let res = olga
        .request(
            Method::POST,
            app.url(&format!("/api/v1/kpis/{}/measurements", ids["count"])),
        )
        .json(&json!({ "value": "5", "period": "2026-04" }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "kpi_counted");
}

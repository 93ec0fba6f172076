//! Customer-experience scorecards: per process and span, each CX measure's
//! value in every period of the span against its target, the span before
//! beside it, and the processes without a CX measure shown as a gap.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, error_code, get, ok, post, spawn_demo_app};

backend_tests!(scorecards_follow_the_measurements_of_each_period);

fn meets(direction: &str, value: f64, target: f64) -> bool {
    if direction == "higher_is_better" {
        value >= target
    } else {
        value <= target
    }
}

/// The periods of `frequency` in the first quarter of 2026.
fn q1_periods(frequency: &str) -> Vec<&'static str> {
    match frequency {
        "monthly" => vec!["2026-01", "2026-02", "2026-03"],
        "quarterly" => vec!["2026-Q1"],
        "yearly" => vec![],
        other => panic!("no such frequency in the demo: {other}"),
    }
}

async fn scorecards_follow_the_measurements_of_each_period(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let laura = app.login("laura", laatu::demo::DEMO_PASSWORD).await;
    let emma = app.login("emma", laatu::demo::DEMO_PASSWORD).await;

    // By default the last quarter that is over (the app starts on 13 May 2026).
    let card = get(&app, &emma, "/api/v1/scorecards").await;
    assert_eq!(card["span"], "2026-Q1");
    assert_eq!(card["from"], "2026-01-01");
    assert_eq!(card["to"], "2026-03-31");
    assert_eq!(card["previous"], "2025-Q4");

    // Every active process is there, those without a CX measure too.
    let list = get(&app, &laura, "/api/v1/processes?per_page=200").await;
    let mut active: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "active")
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    active.sort_unstable();
    let processes = card["processes"].as_array().unwrap();
    let codes: Vec<&str> = processes
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, active);
    for gap in ["HR", "IMPR", "MGMT"] {
        let p = processes.iter().find(|p| p["code"] == gap).unwrap();
        assert_eq!(p["cx"], "none", "{p}");
        assert!(p["lines"].as_array().unwrap().is_empty());
    }

    // Each line says what the KPI's own measurements say, period by period.
    let mut lines = 0;
    let mut manual_monthly: Option<(String, Value)> = None;
    for p in processes {
        let code = p["code"].as_str().unwrap();
        let kpis = get(&app, &laura, &format!("/api/v1/processes/{code}/kpis")).await;
        for line in p["lines"].as_array().unwrap() {
            lines += 1;
            let id = line["kpi"].as_str().unwrap();
            let kpi = kpis
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["id"] == id)
                .unwrap_or_else(|| panic!("{id} is not a KPI of {code}"));
            assert!(kpi["experience"].is_string(), "{kpi}");
            let frequency = kpi["frequency"].as_str().unwrap();
            let measured = get(&app, &laura, &format!("/api/v1/kpis/{id}/measurements")).await;
            let target: f64 = kpi["target"].as_str().unwrap().parse().unwrap();
            let direction = kpi["direction"].as_str().unwrap();
            let values = line["values"].as_array().unwrap();
            let periods: Vec<&str> = values
                .iter()
                .map(|v| v["period"].as_str().unwrap())
                .collect();
            assert_eq!(periods, q1_periods(frequency), "{line}");
            let mut on_target = 0;
            for v in values {
                let want = measured
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["period"] == v["period"])
                    .map(|m| m["value"].as_str().unwrap().to_string());
                assert_eq!(v["value"].as_str().map(str::to_string), want, "{line}");
                let want_meets = want.map(|x| meets(direction, x.parse().unwrap(), target));
                assert_eq!(v["meets"].as_bool(), want_meets, "{line}");
                on_target += i64::from(want_meets == Some(true));
            }
            assert_eq!(line["on_target"], on_target, "{line}");
            let verdict = match (values.len(), on_target) {
                (0, _) => "not_due",
                (n, k) if k as usize == n => "met",
                (_, 0) if values.iter().all(|v| v["value"].is_null()) => "no_data",
                (_, 0) => "missed",
                _ => "partly",
            };
            assert_eq!(line["verdict"], verdict, "{line}");
            if kpi["source"] == "manual" && frequency == "monthly" {
                manual_monthly = Some((code.to_string(), kpi.clone()));
            }
        }
    }
    assert!(lines >= 5, "the demo has CX measures on most processes");

    // A correction of one month changes that month, and only it.
    let (code, kpi) = manual_monthly.expect("a monthly CX measure entered by hand");
    let id = kpi["id"].as_str().unwrap();
    let line_of = |card: &Value| -> Value {
        card["processes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["lines"].as_array().unwrap().clone())
            .find(|l| l["kpi"] == id)
            .unwrap()
    };
    let before = line_of(&card);
    let feb = before["values"][1].clone();
    let target: f64 = kpi["target"].as_str().unwrap().parse().unwrap();
    let flipped = if feb["meets"] == true {
        target - 10.0
    } else {
        target + 1.0
    };
    let flipped = if kpi["direction"] == "higher_is_better" {
        flipped
    } else {
        2.0 * target - flipped
    };
    let owner = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code.as_str())
        .unwrap()["owner"]
        .as_str()
        .unwrap()
        .to_string();
    let writer = app.login(&owner, laatu::demo::DEMO_PASSWORD).await;
    ok(post(
        &app,
        &writer,
        &format!("/api/v1/kpis/{id}/measurements"),
        json!({"period": "2026-02", "value": flipped, "comment": "corrected after the audit"}),
    )
    .await)
    .await;
    let after = line_of(&get(&app, &emma, "/api/v1/scorecards?span=2026-Q1").await);
    assert_eq!(after["values"][0], before["values"][0]);
    assert_eq!(after["values"][2], before["values"][2]);
    assert_eq!(after["values"][1]["meets"], json!(feb["meets"] != true));
    let change = if feb["meets"] == true { -1 } else { 1 };
    assert_eq!(
        after["on_target"].as_i64().unwrap(),
        before["on_target"].as_i64().unwrap() + change
    );

    // A year holds twelve months; the current quarter only those over.
    let year = line_of(&get(&app, &emma, "/api/v1/scorecards?span=2025").await);
    assert_eq!(year["values"].as_array().unwrap().len(), 12);
    let now = line_of(&get(&app, &emma, "/api/v1/scorecards?span=2026-Q2").await);
    let months: Vec<&str> = now["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["period"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2026-04"]);
    // The quarter before the one shown is compared with.
    let q2 = get(&app, &emma, "/api/v1/scorecards?span=2026-Q2").await;
    assert_eq!(q2["previous"], "2026-Q1");
    let prev = line_of(&q2);
    assert_eq!(prev["previous_on_target"], after["on_target"]);

    // Refusals.
    for bad in ["2026-Q5", "2026-07", "x"] {
        let res = emma
            .get(app.url(&format!("/api/v1/scorecards?span={bad}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(error_code(res).await, "invalid_span");
    }
    let res = emma
        .get(app.url("/api/v1/scorecards?processes=PROD,NOPE"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "unknown_process");
    let prod = get(&app, &emma, "/api/v1/scorecards?processes=PROD").await;
    let codes: Vec<&str> = prod["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PROD"]);
    let anonymous = reqwest::Client::new();
    let res = anonymous
        .get(app.url("/api/v1/scorecards"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The page and its downloads, for anyone signed in, in Finnish for
    // a reader who asks for it.
    let page = emma.get(app.url("/scorecards")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Customer-experience scorecards")
    );
    let page = laura
        .get(app.url("/scorecards?span=2026-Q1"))
        .header("Accept-Language", "fi")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Asiakaskokemuksen tuloskortit"), "{html}");
    assert!(
        html.contains("tammi 2026"),
        "periods as Finnish readers write them"
    );
    assert!(html.contains("3 aktiivisella prosessilla ei ole asiakaskokemusmittaria"));
    assert!(!html.contains("higher_is_better") && !html.contains("no_data\""));
    let csv = laura
        .get(app.url("/scorecards.csv?span=2026-Q1"))
        .header("Accept-Language", "fi")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    let mut rows = text.lines();
    assert!(rows.next().unwrap().contains("Prosessi;Omistaja;Mittari"));
    assert_eq!(rows.count(), lines + 3, "a row per measure and one per gap");
    let xlsx = emma
        .get(app.url("/scorecards.xlsx?span=2026-Q1"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
}

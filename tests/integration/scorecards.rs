//! Customer-experience scorecards: per process and span, each CX measure's
//! value in every period of the span against its target, the span before
//! beside it, and the processes without a CX measure shown as a gap.

use chrono::{Datelike, NaiveDate};
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

/// A quarter: its year and number (1-4).
#[derive(Clone, Copy)]
struct Quarter(i32, u32);

impl Quarter {
    fn of(d: NaiveDate) -> Quarter {
        Quarter(d.year(), (d.month() - 1) / 3 + 1)
    }
    fn before(self) -> Quarter {
        match self.1 {
            1 => Quarter(self.0 - 1, 4),
            q => Quarter(self.0, q - 1),
        }
    }
    fn name(self) -> String {
        format!("{}-Q{}", self.0, self.1)
    }
    /// Its months, `YYYY-MM`.
    fn months(self) -> Vec<String> {
        (1..=3)
            .map(|i| format!("{}-{:02}", self.0, (self.1 - 1) * 3 + i))
            .collect()
    }
    fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, (self.1 - 1) * 3 + 1, 1).unwrap()
    }
    fn last_day(self) -> NaiveDate {
        let next = match self.1 {
            4 => Quarter(self.0 + 1, 1),
            q => Quarter(self.0, q + 1),
        };
        next.first_day().pred_opt().unwrap()
    }
    /// The periods of `frequency` in it.
    fn periods(self, frequency: &str) -> Vec<String> {
        match frequency {
            "monthly" => self.months(),
            "quarterly" => vec![self.name()],
            "yearly" => vec![],
            other => panic!("no such frequency in the demo: {other}"),
        }
    }
}

/// A month's short name as Finnish readers write it in a period (`tammi 2026`).
const FINNISH_MONTHS: [&str; 12] = [
    "tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras",
    "joulu",
];

async fn scorecards_follow_the_measurements_of_each_period(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let laura = app.login("laura", laatu::demo::DEMO_PASSWORD).await;
    let emma = app.login("emma", laatu::demo::DEMO_PASSWORD).await;

    // By default the last quarter that is over, by the application's clock.
    let current = Quarter::of(app.today());
    let shown = current.before();
    let card = get(&app, &emma, "/api/v1/scorecards").await;
    assert_eq!(card["span"], shown.name());
    assert_eq!(card["from"], shown.first_day().to_string());
    assert_eq!(card["to"], shown.last_day().to_string());
    assert_eq!(card["previous"], shown.before().name());

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
            assert_eq!(periods, shown.periods(frequency), "{line}");
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
        json!({"period": shown.months()[1], "value": flipped, "comment": "corrected after the audit"}),
    )
    .await)
    .await;
    let shown_query = format!("span={}", shown.name());
    let after = line_of(&get(&app, &emma, &format!("/api/v1/scorecards?{shown_query}")).await);
    assert_eq!(after["values"][0], before["values"][0]);
    assert_eq!(after["values"][2], before["values"][2]);
    assert_eq!(after["values"][1]["meets"], json!(feb["meets"] != true));
    let change = if feb["meets"] == true { -1 } else { 1 };
    assert_eq!(
        after["on_target"].as_i64().unwrap(),
        before["on_target"].as_i64().unwrap() + change
    );

    // A year holds twelve months; the current quarter only those over.
    let last_year = app.today().year() - 1;
    let year = line_of(&get(&app, &emma, &format!("/api/v1/scorecards?span={last_year}")).await);
    assert_eq!(year["values"].as_array().unwrap().len(), 12);
    let current_query = format!("/api/v1/scorecards?span={}", current.name());
    let now = line_of(&get(&app, &emma, &current_query).await);
    let months: Vec<&str> = now["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["period"].as_str().unwrap())
        .collect();
    let this_month = format!("{}-{:02}", app.today().year(), app.today().month());
    let over: Vec<String> = current
        .months()
        .into_iter()
        .filter(|m| *m < this_month)
        .collect();
    assert_eq!(months, over);
    // The quarter before the one shown is compared with.
    let q2 = get(&app, &emma, &current_query).await;
    assert_eq!(q2["previous"], shown.name());
    let prev = line_of(&q2);
    assert_eq!(prev["previous_on_target"], after["on_target"]);

    // Refusals.
    for bad in ["2026-Q5", "2026-07", "2026-Q0", "x"] {
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
        .get(app.url(&format!("/scorecards?{shown_query}")))
        .header("Accept-Language", "fi")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Asiakaskokemuksen tuloskortit"), "{html}");
    let first_month = format!(
        "{} {}",
        FINNISH_MONTHS[shown.first_day().month0() as usize],
        shown.0
    );
    assert!(
        html.contains(&first_month),
        "periods as Finnish readers write them: {first_month}"
    );
    assert!(html.contains("3 aktiivisella prosessilla ei ole asiakaskokemusmittaria"));
    assert!(!html.contains("higher_is_better") && !html.contains("no_data\""));
    let csv = laura
        .get(app.url(&format!("/scorecards.csv?{shown_query}")))
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
        .get(app.url(&format!("/scorecards.xlsx?{shown_query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
}

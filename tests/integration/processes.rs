//! Processes over HTTP: links between processes stay symmetric under
//! create, edit and delete; a process in use is retired, not deleted.

use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, error_code, spawn_app};

backend_tests!(
    links_stay_symmetric_under_create_edit_and_delete,
    process_rules_and_permissions,
    kpis_measure_against_targets_and_flag_late_measurements,
    the_demo_process_map_shows_every_process_and_link,
    the_turtle_page_shows_the_process_from_all_sides,
);

async fn json_ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn process(app: &TestApp, c: &reqwest::Client, code: &str) -> Value {
    json_ok(
        app.client_get(c, &format!("/api/v1/processes/{code}"))
            .await,
    )
    .await
}

fn input_names(p: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = p["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["from"]
                    .as_str()
                    .or(i["external_supplier"].as_str())
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

async fn create(app: &TestApp, qm: &reqwest::Client, code: &str, owner: &str) {
    let res = qm
        .post(app.url("/api/v1/processes"))
        .json(&json!({ "code": code, "name": format!("Process {code}"), "owner": owner }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
}

async fn links_stay_symmetric_under_create_edit_and_delete(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let sales_owner = app.user_with_roles("sam", &["process_owner"]).await;
    for (code, owner) in [("SALES", "sam"), ("PROD", "qm"), ("DELIV", "qm")] {
        create(&app, &qm, code, owner).await;
    }

    // SALES sends orders to PROD and DELIV: both see the input.
    let out = json_ok(
        sales_owner
            .post(app.url("/api/v1/processes/SALES/outputs"))
            .json(&json!({ "name": "Confirmed order", "to": ["PROD", "DELIV"] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let id = out["id"].as_str().unwrap().to_string();
    assert_eq!(out["to"], json!(["DELIV", "PROD"]));
    for code in ["PROD", "DELIV"] {
        let p = process(&app, &qm, code).await;
        assert_eq!(
            input_names(&p),
            [("Confirmed order".to_string(), "SALES".to_string())],
            "{code}"
        );
    }

    // Edit: only PROD now, renamed; DELIV loses the input at once.
    json_ok(
        sales_owner
            .patch(app.url(&format!("/api/v1/processes/SALES/outputs/{id}")))
            .json(
                &json!({ "name": "Sales order", "to": ["PROD"], "external_customer": "Customer" }),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        input_names(&process(&app, &qm, "PROD").await),
        [("Sales order".to_string(), "SALES".to_string())]
    );
    assert!(input_names(&process(&app, &qm, "DELIV").await).is_empty());
    let sales = process(&app, &qm, "SALES").await;
    assert_eq!(sales["outputs"][0]["external_customer"], "Customer");

    // An external supplier's input sits beside the internal one.
    json_ok(
        qm.post(app.url("/api/v1/processes/PROD/inputs"))
            .json(&json!({ "name": "Steel bar", "external_supplier": "Teräs Oy" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        input_names(&process(&app, &qm, "PROD").await),
        [
            ("Sales order".to_string(), "SALES".to_string()),
            ("Steel bar".to_string(), "Teräs Oy".to_string())
        ]
    );

    // Delete: the customer's view follows.
    let res = sales_owner
        .delete(app.url(&format!("/api/v1/processes/SALES/outputs/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        input_names(&process(&app, &qm, "PROD").await),
        [("Steel bar".to_string(), "Teräs Oy".to_string())]
    );
    assert!(
        process(&app, &qm, "SALES").await["outputs"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let events = app.audit_events("entity_type=process").await;
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "process.created",
        "process.output_added",
        "process.output_changed",
        "process.output_removed",
        "process.input_added",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

async fn process_rules_and_permissions(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let owner = app.user_with_roles("olga", &["process_owner"]).await;
    let other = app.user_with_roles("otto", &["process_owner"]).await;
    app.user_with_roles("stan", &["staff"]).await;
    create(&app, &qm, "PURCH", "olga").await;
    create(&app, &qm, "HR", "qm").await;

    let bad = [
        (
            json!({ "code": "purch", "name": "x", "owner": "olga" }),
            "invalid_process_code",
        ),
        (
            json!({ "code": "PURCH", "name": "x", "owner": "olga" }),
            "process_code_taken",
        ),
        (
            json!({ "code": "NEW", "name": "x", "owner": "stan" }),
            "owner_cannot_own",
        ),
        (
            json!({ "code": "NEW", "name": " ", "owner": "olga" }),
            "invalid_process_name",
        ),
    ];
    for (body, code) in bad {
        let res = qm
            .post(app.url("/api/v1/processes"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(res).await, code, "{body}");
    }
    let res = qm
        .post(app.url("/api/v1/processes/PURCH/outputs"))
        .json(&json!({ "name": "Loop", "to": ["PURCH"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(res).await,
        "invalid_output",
        "not its own customer"
    );

    // The owner edits their own process, not someone else's, and not its owner.
    let p = process(&app, &owner, "PURCH").await;
    json_ok(
        owner
            .patch(app.url("/api/v1/processes/PURCH"))
            .json(&json!({ "purpose": "Buy what production needs", "members": ["stan"], "version": p["version"] }))
            .send()
            .await
            .unwrap(),
   )
    .await;
    let res = owner
        .patch(app.url("/api/v1/processes/PURCH"))
        .json(&json!({ "purpose": "stale", "version": p["version"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(res).await, "version_conflict");
    let res = owner
        .patch(app.url("/api/v1/processes/PURCH"))
        .json(&json!({ "owner": "otto" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = other
        .patch(app.url("/api/v1/processes/PURCH"))
        .json(&json!({ "purpose": "mine" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = other
        .post(app.url("/api/v1/processes/PURCH/outputs"))
        .json(&json!({ "name": "x", "to": ["HR"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let p = process(&app, &qm, "PURCH").await;
    assert_eq!(p["members"], json!(["stan"]));
    assert_eq!(p["purpose"], "Buy what production needs");

    // A process with links or documents is retired, not deleted.
    json_ok(
        owner
            .post(app.url("/api/v1/processes/PURCH/outputs"))
            .json(&json!({ "name": "Purchased goods", "to": ["HR"] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let res = qm
        .delete(app.url("/api/v1/processes/HR"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "process_in_use");
    json_ok(
        qm.patch(app.url("/api/v1/processes/HR"))
            .json(&json!({ "status": "retired" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let active = json_ok(app.client_get(&qm, "/api/v1/processes?status=active").await).await;
    assert_eq!(active["total"], 1);
    create(&app, &qm, "TEMP", "qm").await;
    let res = qm
        .delete(app.url("/api/v1/processes/TEMP"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app.client_get(&qm, "/api/v1/processes/TEMP").await;
    assert_eq!(error_code(res).await, "process_not_found");
}

async fn kpis_measure_against_targets_and_flag_late_measurements(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let owner = app.user_with_roles("olga", &["process_owner"]).await;
    let member = app.user_with_roles("mika", &["staff"]).await;
    let outsider = app.user_with_roles("ulla", &["staff"]).await;
    let res = qm
        .post(app.url("/api/v1/processes"))
        .json(&json!({ "code": "DELIV", "name": "Delivery", "owner": "olga", "members": ["mika"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    let kpi = |body: Value| {
        owner
            .post(app.url("/api/v1/processes/DELIV/kpis"))
            .json(&body)
            .send()
    };
    let on_time = json_ok(
        kpi(json!({ "name": "On-time delivery", "unit": "%", "target": "95", "direction": "higher_is_better", "indicator": "lagging", "frequency": "monthly" }))
            .await
            .unwrap(),
   )
    .await;
    let complaints = json_ok(
        kpi(json!({ "name": "Complaints from internal customers", "unit": "pcs", "target": "2", "direction": "lower_is_better", "indicator": "leading", "frequency": "monthly" }))
            .await
            .unwrap(),
   )
    .await;
    let res = kpi(json!({ "name": "x", "unit": "", "target": "a lot", "direction": "higher_is_better", "indicator": "lagging", "frequency": "monthly" })).await.unwrap();
    assert_eq!(error_code(res).await, "invalid_value");
    let res = kpi(json!({ "name": "x", "unit": "", "target": "1", "direction": "up", "indicator": "lagging", "frequency": "monthly" })).await.unwrap();
    assert_eq!(error_code(res).await, "invalid_direction");

    let measure = |c: &reqwest::Client, id: &str, value: Value, period: &str| {
        c.post(app.url(&format!("/api/v1/kpis/{id}/measurements")))
            .json(&json!({ "value": value, "period": period, "comment": "from the ERP" }))
            .send()
    };
    let on_time_id = on_time["id"].as_str().unwrap().to_string();
    let complaints_id = complaints["id"].as_str().unwrap().to_string();
    // The two months before the application's today, whatever it is.
    let month = |back: u32| {
        (app.today().with_day(1).unwrap() - chrono::Months::new(back))
            .format("%Y-%m")
            .to_string()
    };
    let (earlier, last) = (month(2), month(1));
    let bad_month = format!("{}-13", app.today().year());
    json_ok(
        measure(&member, &on_time_id, json!(93.5), &earlier)
            .await
            .unwrap(),
    )
    .await;
    json_ok(
        measure(&member, &on_time_id, json!("96,2"), &last)
            .await
            .unwrap(),
    )
    .await;
    json_ok(
        measure(&owner, &complaints_id, json!(3), &last)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        measure(&outsider, &on_time_id, json!(1), &last)
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        error_code(
            measure(&member, &on_time_id, json!(1), &bad_month)
                .await
                .unwrap()
        )
        .await,
        "invalid_period"
    );
    assert_eq!(
        error_code(
            measure(&member, &on_time_id, json!(1), "2099-01")
                .await
                .unwrap()
        )
        .await,
        "period_in_future"
    );

    let list = json_ok(
        app.client_get(&outsider, "/api/v1/processes/DELIV/kpis")
            .await,
    )
    .await;
    let by_name = |n: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("On-time delivery")["latest_value"], "96.2");
    assert_eq!(
        by_name("On-time delivery")["meets_target"],
        true,
        "96.2 >= 95, higher is better"
    );
    assert_eq!(
        by_name("Complaints from internal customers")["meets_target"],
        false,
        "3 > 2, lower is better"
    );

    // A correction is a new record; the latest counts, and the trail shows both.
    json_ok(
        measure(&owner, &complaints_id, json!(1), &last)
            .await
            .unwrap(),
    )
    .await;
    let series = json_ok(
        app.client_get(
            &outsider,
            &format!("/api/v1/kpis/{complaints_id}/measurements"),
        )
        .await,
    )
    .await;
    assert_eq!(series.as_array().unwrap().len(), 1);
    assert_eq!(series[0]["value"], "1");
    let list = json_ok(
        app.client_get(&outsider, "/api/v1/processes/DELIV/kpis")
            .await,
    )
    .await;
    let c = list
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == complaints_id.as_str())
        .unwrap();
    assert_eq!(c["meets_target"], true);
    assert_eq!(
        app.audit_events("action=kpi.measurement_corrected")
            .await
            .len(),
        1
    );

    // The scheduler flags a late measurement: not for KPIs defined after the
    // period ended, and for both when a whole year passes without one.
    let mut conn = app.db();
    assert_eq!(
        app.at_app_time(|| laatu::processes::kpis::mark_overdue(&mut conn, app.now()))
            .unwrap(),
        0
    );
    // Ten days into the month that starts thirteen months from now: past
    // the seven days' grace of the month before, which had no measurement.
    let next_year = (app.today().with_day(1).unwrap() + chrono::Months::new(13))
        .and_hms_opt(12, 0, 0)
        .unwrap()
        + chrono::TimeDelta::days(10);
    assert_eq!(
        app.at_app_time(|| laatu::processes::kpis::mark_overdue(&mut conn, next_year))
            .unwrap(),
        2
    );
    let list = json_ok(
        app.client_get(&outsider, "/api/v1/processes/DELIV/kpis")
            .await,
    )
    .await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|k| k["measurement_overdue"] == true),
        "{list}"
    );
    assert_eq!(
        app.audit_events("action=kpi.measurement_overdue")
            .await
            .len(),
        2
    );
}

/// A node box on the map: key, x, y, width, height.
type NodeBox = (String, f64, f64, f64, f64);

/// The node boxes and the (from, to) of the edges in a map SVG.
fn parse_map(svg: &str) -> (Vec<NodeBox>, Vec<(String, String)>) {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(svg);
    let (mut nodes, mut edges, mut current) = (Vec::new(), Vec::new(), None::<String>);
    loop {
        match reader.read_event().expect("the map is well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.attributes()
                        .filter_map(Result::ok)
                        .find(|a| a.key.as_ref() == name.as_bytes())
                        .map(|a| a.unescape_value().unwrap().to_string())
                };
                match e.name().as_ref() {
                    b"g" if attr("class").is_some_and(|c| c.starts_with("node")) => {
                        current = attr("data-key")
                    }
                    b"g" if attr("class").as_deref() == Some("edge") => {
                        edges.push((attr("data-from").unwrap(), attr("data-to").unwrap()));
                    }
                    b"rect" => {
                        if let Some(key) = current.take() {
                            let f = |n: &str| attr(n).unwrap().parse::<f64>().unwrap();
                            nodes.push((key, f("x"), f("y"), f("width"), f("height")));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    (nodes, edges)
}

async fn the_demo_process_map_shows_every_process_and_link(backend: Backend) {
    let app = crate::helpers::spawn_demo_app(backend).await;
    let c = app.login("sanna", laatu::demo::DEMO_PASSWORD).await;
    let res = app.client_get(&c, "/processes/map.svg").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml")
    );
    let svg = res.text().await.unwrap();
    let (nodes, edges) = parse_map(&svg);

    let list = json_ok(app.client_get(&c, "/api/v1/processes?status=active").await).await;
    let active: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect();
    assert!(active.len() >= 8, "{active:?}");
    for code in &active {
        assert!(nodes.iter().any(|n| &n.0 == code), "{code} is on the map");
        let p = process(&app, &c, code).await;
        for o in p["outputs"].as_array().unwrap() {
            for to in o["to"].as_array().unwrap() {
                let to = to.as_str().unwrap();
                assert!(
                    edges.contains(&(code.clone(), to.to_string())),
                    "{code} -> {to}"
                );
            }
            if let Some(ext) = o["external_customer"].as_str() {
                assert!(
                    edges.contains(&(code.clone(), format!("ext:{ext}"))),
                    "{code} -> {ext}"
                );
            }
        }
        for i in p["inputs"].as_array().unwrap() {
            if let Some(ext) = i["external_supplier"].as_str() {
                assert!(
                    edges.contains(&(format!("ext:{ext}"), code.clone())),
                    "{ext} -> {code}"
                );
            }
        }
    }
    for (i, a) in nodes.iter().enumerate() {
        for b in &nodes[i + 1..] {
            let apart =
                a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1 || a.2 + a.4 <= b.2 || b.2 + b.4 <= a.2;
            assert!(apart, "{} overlaps {}", a.0, b.0);
        }
    }
    let page = app
        .client_get(&c, "/processes/map")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("/processes/map.svg"));
}

async fn the_turtle_page_shows_the_process_from_all_sides(backend: Backend) {
    let app = crate::helpers::spawn_demo_app(backend).await;
    let c = crate::helpers::page_login(&app, "pekka", laatu::demo::DEMO_PASSWORD).await;
    let html = c
        .get(app.url("/processes/PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "Vahvistettu tilaus",
        "SALES",
        "Valmiit osat",
        "DELIV",
        "Mittaus Oy",
        "CNC",
        "pekka",
        "/kpis/",
        "Läpäisy",
    ] {
        assert!(html.contains(needle), "{needle} on the turtle page");
    }
    let doc = scraper::Html::parse_document(&html);
    let charts: Vec<String> = doc
        .select(&scraper::Selector::parse(".kpi a.chart-download").unwrap())
        .map(|e| e.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        charts.len(),
        4,
        "PROD has three KPIs entered by people (one of them the value promise's leading CX measure) and one counted from complaints"
    );
    let inline = doc
        .select(&scraper::Selector::parse(".kpi figure.trend svg circle").unwrap())
        .count();
    assert!(inline >= 24, "the trends are drawn in the page: {inline}");
    assert!(html.contains("Internal complaints received"));
    // Each input from another process offers its internal customer a complaint.
    let complain: Vec<String> = doc
        .select(&scraper::Selector::parse(".t-inputs a.complain").unwrap())
        .map(|e| e.value().attr("href").unwrap().to_string())
        .collect();
    assert!(!complain.is_empty());
    assert!(complain.iter().all(|h| h.starts_with(
        "/nonconformities/new?kind=internal_complaint&detected_in=PROD&responsible="
    )));
    let chart = c
        .get(app.url(&charts[0]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        chart.matches("<circle").count(),
        12,
        "a year of monthly values"
    );

    // The owner records a measurement through the page.
    let token = crate::helpers::csrf_token(&html);
    let kpi_id = charts[0]
        .trim_start_matches("/kpis/")
        .trim_end_matches("/chart.svg")
        .to_string();
    let this_month = crate::helpers::test_now_utc().format("%Y-%m").to_string();
    let res = c
        .post(app.url(&format!("/kpis/{kpi_id}/measurements")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("process", "PROD"),
            ("period", this_month.as_str()),
            ("value", "98,5"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let kpis = json_ok(app.client_get(&c, "/api/v1/processes/PROD/kpis").await).await;
    let k = kpis
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == kpi_id.as_str())
        .unwrap();
    assert_eq!(k["latest_value"], "98.5");
    assert_eq!(k["latest_period"], this_month.as_str());

    // Removing an output on the page takes it off the customer's inputs too.
    let prod = process(&app, &c, "PROD").await;
    let out = prod["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["to"] == json!(["DELIV"]))
        .unwrap()
        .clone();
    let res = c
        .post(app.url(&format!(
            "/processes/PROD/outputs/{}/remove",
            out["id"].as_str().unwrap()
        )))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let deliv = process(&app, &c, "DELIV").await;
    assert!(
        !deliv["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["from"] == "PROD")
    );
}

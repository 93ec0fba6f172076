//! The demo's competence: fifteen people and more, a dozen competences and
//! more, certifications in every state, an ILUO matrix for production with
//! every kind of cell, trainings late, due, done and not effective, and
//! acknowledgements part done, all read through the API.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use reqwest::StatusCode;
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, spawn_demo_app};

backend_tests!(the_demo_has_people_competences_and_a_matrix_in_every_state);

async fn get_json(app: &TestApp, c: &reqwest::Client, path: &str) -> Value {
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

fn states(m: &Value) -> BTreeSet<String> {
    m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap().iter())
        .filter(|c| !c.is_null())
        .map(|c| c["state"].as_str().unwrap().to_string())
        .collect()
}

fn day(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

async fn the_demo_has_people_competences_and_a_matrix_in_every_state(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let today = crate::helpers::test_now_utc().naive_utc().date();
    let c = app.login("laura", laatu::demo::DEMO_PASSWORD).await;

    // People working in the processes: every one has something required of them.
    let all = get_json(&app, &c, "/api/v1/competence-matrix").await;
    let people: Vec<&str> = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["user"].as_str().unwrap())
        .collect();
    assert!(people.len() >= 15, "{} people: {people:?}", people.len());
    assert!(!people.contains(&"aino"), "the auditor is not a row");
    assert!(!people.contains(&"admin"), "the administrator is not a row");

    // The catalogue: a dozen competences, in both languages, licences with
    // their validity, production skills on the ILUO scale.
    let catalogue = get_json(&app, &c, "/api/v1/competences").await;
    let catalogue = catalogue.as_array().unwrap();
    assert!(catalogue.len() >= 12, "{} competences", catalogue.len());
    for k in catalogue {
        assert!(!k["name"].as_str().unwrap().is_empty());
        assert_ne!(k["name"], k["name_fi"], "{} has a Finnish name", k["code"]);
        assert!(!k["description_fi"].as_str().unwrap().is_empty());
    }
    let by_code = |code: &str| {
        catalogue
            .iter()
            .find(|k| k["code"] == code)
            .unwrap_or_else(|| panic!("{code} is catalogued"))
    };
    assert_eq!(by_code("WELD-9606")["validity_months"], 24);
    assert_eq!(by_code("FORKLIFT")["validity_months"], 60);
    assert_eq!(by_code("FIRST-AID")["validity_months"], 36);
    assert_eq!(by_code("FORKLIFT")["evidence_required"], true);
    assert!(by_code("INT-AUDITOR")["validity_months"].is_null());
    assert_eq!(by_code("MAG-WELD")["scale"], "iluo");
    let scopes: BTreeSet<String> = catalogue
        .iter()
        .flat_map(|k| k["requirements"].as_array().unwrap().iter())
        .map(|r| r["scope"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        scopes,
        ["document", "process", "role", "user"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );

    // Production's matrix has every kind of cell.
    let prod = get_json(&app, &c, "/api/v1/competence-matrix?process=PROD").await;
    let seen = states(&prod);
    for s in [
        "valid",
        "expiring",
        "expired",
        "missing",
        "below_level",
        "in_training",
    ] {
        assert!(seen.contains(s), "PROD's matrix has a {s} cell: {seen:?}");
    }
    assert!(prod["rows"].as_array().unwrap().len() >= 8);
    let labels: BTreeSet<String> = prod["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap().iter())
        .filter_map(|c| c["level_label"].as_str().map(str::to_string))
        .collect();
    for l in ["I", "L", "U", "O"] {
        assert!(labels.contains(l), "ILUO level {l} is held: {labels:?}");
    }

    // Certifications in each state, where the calendar puts them.
    for (state, lo, hi) in [
        ("valid", 61, i64::MAX),
        ("expiring", 0, 60),
        ("expired", i64::MIN, -1),
    ] {
        let page = get_json(
            &app,
            &c,
            &format!("/api/v1/certifications?state={state}&per_page=200"),
        )
        .await;
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty(), "a {state} certification");
        for i in items {
            assert_eq!(i["state"], state);
            if let Some(e) = i["expires_on"].as_str().map(|_| day(&i["expires_on"])) {
                let left = (e - today).num_days();
                assert!((lo..=hi).contains(&left), "{state}: {i}");
            } else {
                assert_eq!(state, "valid", "{i}");
            }
        }
    }
    let all = get_json(
        &app,
        &c,
        "/api/v1/certifications?corrected=true&per_page=200",
    )
    .await;
    let items = all["items"].as_array().unwrap();
    let any = |f: &dyn Fn(&Value) -> bool| items.iter().any(f);
    assert!(any(&|i| i["renewed"] == true && i["state"] == "expired"));
    assert!(any(&|i| i["corrected"] == true));
    assert!(any(
        &|i| !i["corrects"].is_null() && !i["correction_reason"].as_str().unwrap().is_empty()
    ));
    assert!(any(
        &|i| !i["verified_by"].is_null() && !i["files"].as_array().unwrap().is_empty()
    ));
    assert!(any(&|i| i["evidence_missing"] == true));

    // Trainings: overdue, due soon, completed that worked and that did not.
    let planned = get_json(&app, &c, "/api/v1/trainings?status=planned").await;
    let planned = planned.as_array().unwrap();
    assert!(
        planned
            .iter()
            .any(|t| t["overdue"] == true && day(&t["due_on"]) < today)
    );
    assert!(planned.iter().any(|t| {
        let left = (day(&t["due_on"]) - today).num_days();
        t["overdue"] == false && (0..=14).contains(&left)
    }));
    let done = get_json(&app, &c, "/api/v1/trainings?status=completed").await;
    let done = done.as_array().unwrap();
    assert!(
        done.iter()
            .any(|t| t["effective"] == true && !t["certification"].is_null())
    );
    assert!(
        done.iter()
            .any(|t| t["effective"] == false && !t["evaluation"].as_str().unwrap().is_empty())
    );

    // Acknowledgements, part done: their audit events.
    let admin = app.admin().await;
    let acks = get_json(
        &app,
        &admin,
        "/api/v1/audit-events?action=document.acknowledged&per_page=200",
    )
    .await;
    let n = acks["total"].as_i64().unwrap();
    assert!(n >= 5, "{n} acknowledgements");
    let readers = get_json(
        &app,
        &admin,
        "/api/v1/audit-events?action=document.readers_set&per_page=200",
    )
    .await;
    assert!(readers["total"].as_i64().unwrap() >= 1);
}

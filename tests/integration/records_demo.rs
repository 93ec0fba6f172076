//! The demo's records: six starter form templates in force, in both
//! languages, with a few months of records each; final inspections released
//! by the holder of the competence; corrections with their reasons; and the
//! weekly machine check whose deviation became a nonconformity, linked both
//! ways. All read through the API.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use reqwest::StatusCode;
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, spawn_demo_app};

backend_tests!(the_demo_has_six_templates_in_force_with_months_of_records);

/// (template, process, a clause it names)
const TEMPLATES: &[(&str, &str, &str)] = &[
    ("FORM-002", "PROD", "7.1.5.1"),
    ("FORM-003", "SALES", "8.2.3.2"),
    ("FORM-004", "PURCH", "8.4.1"),
    ("FORM-005", "PROD", "8.6"),
    ("FORM-006", "PROD", "8.3.4"),
    ("FORM-007", "PROD", "8.5.1"),
];

async fn get_json(app: &TestApp, c: &reqwest::Client, path: &str) -> Value {
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

fn time(v: &Value) -> NaiveDateTime {
    let s = v.as_str().unwrap_or_else(|| panic!("not a time: {v}"));
    chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc()
}

fn labelled(v: &Value) -> bool {
    ["en", "fi"]
        .iter()
        .all(|l| !v[l].as_str().unwrap_or_default().trim().is_empty())
}

async fn the_demo_has_six_templates_in_force_with_months_of_records(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let now = crate::helpers::test_now_utc().naive_utc();
    let c = app.login("laura", laatu::demo::DEMO_PASSWORD).await;

    let forms = get_json(&app, &c, "/api/v1/documents?kind=form&per_page=200").await;
    let listed: BTreeSet<&str> = forms["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap())
        .collect();
    for (number, process, clause) in TEMPLATES {
        assert!(listed.contains(number), "{number} in {listed:?}");
        let doc = get_json(&app, &c, &format!("/api/v1/documents/{number}")).await;
        assert_eq!(doc["status"], "effective", "{number}");
        assert_eq!(doc["process"], *process, "{number}");
        let form = &doc["form"];
        let fields = form["fields"].as_array().unwrap();
        assert!(fields.len() >= 5, "{number}: {} fields", fields.len());
        for f in fields {
            assert!(
                labelled(&f["label"]),
                "{number}.{}: both languages",
                f["key"]
            );
            for o in f["options"].as_array().into_iter().flatten() {
                assert!(labelled(&o["label"]), "{number}.{}: options", f["key"]);
            }
            for col in f["columns"].as_array().into_iter().flatten() {
                assert!(labelled(&col["label"]), "{number}.{}: columns", f["key"]);
            }
        }
        let clauses: Vec<&str> = form["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert!(clauses.contains(clause), "{number}: {clauses:?}");

        // Records over a few months, all in the past, by the process's people.
        let list = get_json(
            &app,
            &c,
            &format!("/api/v1/forms/{number}/records?per_page=200"),
        )
        .await;
        let items = list["items"].as_array().unwrap();
        assert!(items.len() >= 4, "{number}: {} records", items.len());
        let times: Vec<NaiveDateTime> = items.iter().map(|r| time(&r["created_at"])).collect();
        assert!(times.iter().all(|t| *t < now), "{number}: in the past");
        let oldest = *times.iter().min().unwrap();
        assert!(now - oldest > TimeDelta::days(55), "{number}: {oldest}");
        assert!(now - oldest < TimeDelta::days(100), "{number}: {oldest}");
        assert!(items.iter().all(|r| r["process"] == *process), "{number}");
    }

    // The field types the templates use, between them.
    let mut types = BTreeSet::new();
    for (number, _, _) in TEMPLATES {
        let doc = get_json(&app, &c, &format!("/api/v1/documents/{number}")).await;
        for f in doc["form"]["fields"].as_array().unwrap() {
            types.insert(f["type"].as_str().unwrap().to_string());
        }
    }
    for t in [
        "text",
        "long_text",
        "number",
        "date",
        "yes_no",
        "choice",
        "multi_choice",
        "file",
        "table",
    ] {
        assert!(types.contains(t), "{t} in {types:?}");
    }

    // Final inspection: released by a holder of FINAL-INSP, valid that day.
    let holders = get_json(
        &app,
        &c,
        "/api/v1/certifications?competence=FINAL-INSP&per_page=200",
    )
    .await;
    let holders: Vec<(String, NaiveDate, Option<NaiveDate>)> = holders["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["corrected"] == false)
        .map(|h| {
            (
                h["user"].as_str().unwrap().to_string(),
                h["issued_on"].as_str().unwrap().parse().unwrap(),
                h["expires_on"].as_str().map(|d| d.parse().unwrap()),
            )
        })
        .collect();
    assert!(!holders.is_empty());
    let inspections = get_json(&app, &c, "/api/v1/forms/FORM-005/records?per_page=200").await;
    let mut released = 0;
    let mut held = 0;
    for r in inspections["items"].as_array().unwrap() {
        let number = r["number"].as_str().unwrap();
        let full = get_json(&app, &c, &format!("/api/v1/records/{number}")).await;
        if full["values"]["decision"] == "hold" {
            held += 1;
            assert!(!full["deviations"].as_array().unwrap().is_empty());
            continue;
        }
        assert_eq!(full["signed"], true, "{number} released");
        let sig = full["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["meaning"] == "released" && s["version"] == full["version"])
            .unwrap_or_else(|| panic!("{number}: no release of the version in force"));
        assert_eq!(sig["competence"], "FINAL-INSP");
        let on = time(&sig["signed_at"]).date();
        let signer = sig["signer"].as_str().unwrap();
        assert!(
            holders.iter().any(|(u, from, until)| u == signer
                && *from <= on
                && until.is_none_or(|u| u >= on)),
            "{number}: {signer} held FINAL-INSP on {on}"
        );
        released += 1;
    }
    assert!(released >= 5, "{released} released");
    assert!(held >= 1, "a lot held");

    // Order reviews are signed off by someone other than their author.
    let reviews = get_json(&app, &c, "/api/v1/forms/FORM-003/records?per_page=200").await;
    let mut reviewed = 0;
    for r in reviews["items"].as_array().unwrap() {
        let full = get_json(
            &app,
            &c,
            &format!("/api/v1/records/{}", r["number"].as_str().unwrap()),
        )
        .await;
        for s in full["signatures"].as_array().unwrap() {
            assert_eq!(s["meaning"], "reviewed");
            assert_ne!(s["signer"], full["created_by"]);
            reviewed += 1;
        }
    }
    assert!(reviewed >= 5);

    // Corrections: new versions with their reasons, the first kept.
    let mut corrected = 0;
    for (number, _, _) in TEMPLATES {
        let list = get_json(
            &app,
            &c,
            &format!("/api/v1/forms/{number}/records?per_page=200"),
        )
        .await;
        for r in list["items"].as_array().unwrap() {
            if r["version"].as_i64().unwrap() < 2 {
                continue;
            }
            let full = get_json(
                &app,
                &c,
                &format!("/api/v1/records/{}", r["number"].as_str().unwrap()),
            )
            .await;
            let versions = full["versions"].as_array().unwrap();
            assert_eq!(versions.len(), 2);
            assert_ne!(versions[0]["values"], versions[1]["values"]);
            assert!(!versions[1]["reason"].as_str().unwrap().is_empty());
            corrected += 1;
        }
    }
    assert!(corrected >= 2, "{corrected} corrections");

    // The machine check with the broken interlock became a nonconformity,
    // linked both ways.
    let broken = get_json(
        &app,
        &c,
        "/api/v1/forms/FORM-007/records?value=guards_ok:no",
    )
    .await;
    assert_eq!(broken["total"], 1, "{broken}");
    let record = broken["items"][0]["number"].as_str().unwrap().to_string();
    assert_eq!(broken["items"][0]["has_deviation"], true);
    let full = get_json(&app, &c, &format!("/api/v1/records/{record}")).await;
    let ncs = full["nonconformities"].as_array().unwrap();
    assert_eq!(ncs.len(), 1, "{full}");
    let nc_number = ncs[0].as_str().unwrap();
    let nc = get_json(&app, &c, &format!("/api/v1/nonconformities/{nc_number}")).await;
    let linked: Vec<&str> = nc["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(linked, [record.as_str()]);
    assert_eq!(nc["kind"], "deviation");
    assert_eq!(
        nc["reporter"], full["created_by"],
        "reported by who checked"
    );
    assert!(time(&nc["created_at"]) >= time(&full["created_at"]));
    let checks = get_json(&app, &c, "/api/v1/forms/FORM-007/records?per_page=200").await;
    assert!(
        checks["total"].as_i64().unwrap() >= 20,
        "weekly, two machines"
    );
}

//! The demo's nonconformities: a year of cases in every state, kind and
//! severity, loaded once.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use reqwest::StatusCode;
use serde_json::Value;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, spawn_demo_app};
use crate::nonconformities::nc;

backend_tests!(
    the_demo_has_a_year_of_nonconformities_in_every_state,
    loading_the_demo_again_adds_no_nonconformities,
);

async fn the_demo_has_a_year_of_nonconformities_in_every_state(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let now = crate::helpers::test_now_utc().naive_utc();
    let c = app.login("sanna", laatu::demo::DEMO_PASSWORD).await;
    let list = get_json(&app, &c, "/api/v1/nonconformities?per_page=200").await;
    // Thirty cases of their own, one the records demo reported from a
    // weekly machine check, and the internal complaint production filed
    // from a low internal rating of purchased material, and the two ideas
    // and the complaint opened from customers' survey answers.
    assert_eq!(list["total"], 35);
    let items = list["items"].as_array().unwrap();
    let values = |field: &str| -> BTreeSet<String> {
        items
            .iter()
            .map(|i| i[field].as_str().unwrap().to_string())
            .collect()
    };
    let set = |v: &[&str]| -> BTreeSet<String> { v.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        values("status"),
        set(&[
            "reported",
            "accepted",
            "rejected",
            "analysed",
            "actions_planned",
            "actions_done",
            "verified",
            "closed"
        ])
    );
    assert_eq!(
        values("kind"),
        set(&[
            "deviation",
            "internal_complaint",
            "customer_complaint",
            "supplier",
            "audit_finding",
            "customer_property",
            "improvement"
        ])
    );
    assert_eq!(values("severity"), set(&["minor", "major", "critical"]));

    // NC-<year>-<seq>: 1, 2, 3... in each year, in the order they were reported.
    let mut by_year: BTreeMap<i32, Vec<(u32, chrono::NaiveDateTime)>> = BTreeMap::new();
    for i in items {
        let number = i["number"].as_str().unwrap();
        let (year, seq) = number
            .strip_prefix("NC-")
            .and_then(|r| r.split_once('-'))
            .unwrap_or_else(|| panic!("{number}"));
        let created = time(&i["created_at"]);
        assert_eq!(year.parse::<i32>().unwrap(), created.year(), "{number}");
        assert_eq!(seq.len(), 3, "{number}");
        by_year
            .entry(created.year())
            .or_default()
            .push((seq.parse().unwrap(), created));
    }
    for (year, mut seqs) in by_year {
        seqs.sort();
        let numbers: Vec<u32> = seqs.iter().map(|s| s.0).collect();
        let expected: Vec<u32> = (1..=u32::try_from(numbers.len()).unwrap()).collect();
        assert_eq!(numbers, expected, "{year} has gaps");
        assert!(
            seqs.windows(2).all(|w| w[0].1 < w[1].1),
            "{year}: numbers follow the report dates"
        );
    }

    // Spread over the last year; nothing happened in the future.
    let oldest = items.iter().map(|i| time(&i["created_at"])).min().unwrap();
    assert!(now - oldest > chrono::TimeDelta::days(300), "{oldest}");
    assert!(now - oldest < chrono::TimeDelta::days(366), "{oldest}");

    let overdue = get_json(&app, &c, "/api/v1/nonconformities?overdue=true").await;
    assert!(overdue["total"].as_i64().unwrap() >= 1);

    let finnish = |t: &str| t.contains(['ä', 'ö']);
    let english = |t: &str| {
        t.is_ascii()
            && t.split_whitespace()
                .any(|w| ["the", "on", "of", "for", "from", "without", "no"].contains(&w))
    };
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert!(
        titles.iter().filter(|t| finnish(t)).count() >= 5,
        "{titles:?}"
    );
    assert!(
        titles.iter().filter(|t| english(t)).count() >= 5,
        "{titles:?}"
    );

    let mut dispositions = BTreeSet::new();
    let (mut reworked_twice, mut late_action, mut cancelled, mut no_action_closed) =
        (false, false, false, false);
    let mut linked = 0;
    for i in items {
        let number = i["number"].as_str().unwrap();
        let nc = nc(&app, &c, number).await;
        let created = time(&nc["created_at"]);
        let detected: chrono::NaiveDate = nc["detected_on"].as_str().unwrap().parse().unwrap();
        assert!(
            detected <= created.date(),
            "{number} detected after its report"
        );
        let mut times = vec![time(&nc["updated_at"])];
        for (list, field) in [
            ("disposition_history", "decided_at"),
            ("analysis_history", "analysed_at"),
            ("actions", "created_at"),
            ("actions", "completed_at"),
            ("checks", "verified_at"),
        ] {
            for entry in nc[list].as_array().unwrap() {
                if !entry[field].is_null() {
                    times.push(time(&entry[field]));
                }
            }
        }
        for field in ["accepted_at", "closed_at"] {
            if !nc[field].is_null() {
                times.push(time(&nc[field]));
            }
        }
        for t in times {
            assert!(
                t >= created && t < now,
                "{number}: {t} outside {created}..{now}"
            );
        }
        for d in nc["disposition_history"].as_array().unwrap() {
            if let Some(kind) = d["disposition"].as_str() {
                if kind == "concession" {
                    assert!(!d["note"].as_str().unwrap().is_empty(), "{number}");
                }
                dispositions.insert(kind.to_string());
            }
        }
        let checks: Vec<&str> = nc["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["result"].as_str().unwrap())
            .collect();
        if let Some(first) = checks.iter().position(|r| *r == "not_effective") {
            reworked_twice |= checks[first..].contains(&"effective");
            assert!(nc["analysis_history"].as_array().unwrap().len() >= 2);
        }
        let actions = nc["actions"].as_array().unwrap();
        for a in actions {
            let due: chrono::NaiveDate = a["due_on"].as_str().unwrap().parse().unwrap();
            assert!(
                due >= time(&a["created_at"]).date(),
                "{number}: due before planned"
            );
            if a["status"] == "open" && a["overdue"] == true {
                assert!(due < now.date(), "{number}");
                assert_eq!(nc["overdue"], true, "{number}");
                late_action = true;
            }
            if a["status"] == "cancelled" {
                assert!(!a["completion_note"].as_str().unwrap().is_empty());
                cancelled = true;
            }
        }
        if nc["status"] == "closed" && actions.is_empty() {
            assert!(!nc["closing_comment"].as_str().unwrap().is_empty());
            no_action_closed = true;
        }
        linked += usize::from(!nc["documents"].as_array().unwrap().is_empty());
    }
    assert_eq!(
        dispositions,
        set(&["rework", "concession", "scrap", "return", "use_as_is"])
    );
    assert!(
        reworked_twice,
        "a not_effective check later followed by an effective one"
    );
    assert!(late_action, "an open action past its due date");
    assert!(cancelled, "a cancelled action with its reason");
    assert!(
        no_action_closed,
        "a case closed without actions, with the reason"
    );
    assert!(linked >= 2, "cases linked to demo documents");
}

/// A demo load that stopped after its data but before its marker runs
/// again at the next start; it must not add the cases a second time.
async fn loading_the_demo_again_adds_no_nonconformities(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let admin = app.admin().await;
    let totals = || async {
        let ncs = get_json(&app, &admin, "/api/v1/nonconformities?per_page=1").await;
        let events = get_json(
            &app,
            &admin,
            "/api/v1/audit-events?entity_type=nonconformity&per_page=1",
        )
        .await;
        (
            ncs["total"].as_i64().unwrap(),
            events["total"].as_i64().unwrap(),
        )
    };
    let before = totals().await;
    assert_eq!(
        before.0, 35,
        "with the complaint of an internal rating and the cases of survey answers"
    );
    let mut conn = app.db();
    {
        use diesel::prelude::*;
        use laatu::db::schema::settings;
        let removed = diesel::delete(settings::table.filter(settings::key.eq("demo_loaded")))
            .execute(&mut conn)
            .unwrap();
        assert_eq!(removed, 1, "the demo left its marker");
    }
    let store = laatu::store::DocStore::at(&app.data_dir.join("documents.git"));
    let note = laatu::demo::load(&mut conn, &store).unwrap();
    assert!(note.is_some(), "without its marker the demo loads again");
    assert_eq!(totals().await, before);
}

async fn get_json(app: &TestApp, c: &reqwest::Client, path: &str) -> Value {
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

/// Reads an RFC 3339 UTC time (`...Z`), as the API writes them.
fn time(v: &Value) -> chrono::NaiveDateTime {
    let s = v.as_str().unwrap_or_else(|| panic!("not a time: {v}"));
    assert!(s.ends_with('Z'), "not RFC 3339 UTC: {s}");
    chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc()
}

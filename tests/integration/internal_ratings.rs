//! Internal ratings over HTTP: the scheduler asks the receiving process's
//! people to rate exactly the links of the map (a link added is asked, a
//! link removed is withdrawn, a second run asks nobody twice); only the
//! person asked rates (others and the auditor get 403); a low rating
//! offers an internal complaint that reaches the supplying process's
//! owner; a correction is a new rating; the counted KPI of the supplier
//! gives the share of good ratings of the period; an unanswered request
//! goes overdue when its period ends. Times are set by the test.

use chrono::NaiveDateTime;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, csrf_token, error_code, get, ok, page_login, post, send,
    spawn_app_with,
};

backend_tests!(
    ratings_are_asked_for_the_links_of_the_map,
    a_rating_is_given_by_the_person_asked_and_feeds_the_kpi,
    the_rating_page_offers_a_prefilled_complaint,
);

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
}

/// What one pass of the scheduler changed in the ratings' job.
fn pass(app: &TestApp, t: NaiveDateTime) -> usize {
    let state = app.state.clone();
    app.at_app_time(|| laatu::scheduler::run_once(&state, t))
        .changed("internal_ratings", "request_ratings")
        .expect("the job ran")
}

/// quinn (quality manager); olga owns PURCH, which supplies "Steel bars"
/// to PROD; pete owns PROD with members hanna and heikki; sam (staff) is
/// in no process; aud is an auditor.
struct People {
    quinn: reqwest::Client,
    olga: reqwest::Client,
    pete: reqwest::Client,
    hanna: reqwest::Client,
    heikki: reqwest::Client,
    sam: reqwest::Client,
    aud: reqwest::Client,
}

async fn people(app: &TestApp) -> People {
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    let olga = app.user_with_roles("olga", &["process_owner"]).await;
    let pete = app.user_with_roles("pete", &["process_owner"]).await;
    let hanna = app.user_with_roles("hanna", &["staff"]).await;
    let heikki = app.user_with_roles("heikki", &["staff"]).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let aud = app.user_with_roles("aud", &["auditor"]).await;
    for body in [
        json!({ "code": "PURCH", "name": "Purchasing", "owner": "olga" }),
        json!({ "code": "PROD", "name": "Production", "owner": "pete", "members": ["hanna", "heikki"] }),
        json!({ "code": "QC", "name": "Quality control", "owner": "quinn", "members": ["sam"] }),
    ] {
        ok(post(app, &quinn, "/api/v1/processes", body).await).await;
    }
    ok(post(
        app,
        &olga,
        "/api/v1/processes/PURCH/outputs",
        json!({ "name": "Steel bars", "to": ["PROD"] }),
    )
    .await)
    .await;
    People {
        quinn,
        olga,
        pete,
        hanna,
        heikki,
        sam,
        aud,
    }
}

async fn requests(app: &TestApp, c: &reqwest::Client) -> Vec<Value> {
    get(app, c, "/api/v1/internal-ratings/requests")
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// The caller's `internal_rating` tasks: (title, due, overdue).
async fn rating_tasks(app: &TestApp, c: &reqwest::Client) -> Vec<(String, String, bool)> {
    get(app, c, "/api/v1/tasks").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "internal_rating")
        .map(|t| {
            (
                t["title"].as_str().unwrap().to_string(),
                t["due"].as_str().unwrap_or_default().to_string(),
                t["overdue"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn ratings_are_asked_for_the_links_of_the_map(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.session_hours = 24 * 400).await;
    app.clock.set(at("2026-05-13T09:30:00"));
    let p = people(&app).await;

    // PROD's owner and its two members are asked about the one link.
    assert_eq!(pass(&app, at("2026-05-13T10:00:00")), 3);
    for c in [&p.pete, &p.hanna, &p.heikki] {
        let r = requests(&app, c).await;
        assert_eq!(r.len(), 1);
        assert_eq!(r[0]["output"], "Steel bars");
        assert_eq!(r[0]["supplier"], "PURCH");
        assert_eq!(r[0]["customer"], "PROD");
        assert_eq!(r[0]["period"], "2026-Q2");
        assert_eq!(r[0]["due_on"], "2026-06-30");
        assert!(r[0]["rating"].is_null());
    }
    for c in [&p.olga, &p.sam, &p.quinn, &p.aud] {
        assert!(requests(&app, c).await.is_empty(), "not a receiver");
    }
    // Running it again asks nobody twice.
    assert_eq!(pass(&app, at("2026-05-13T10:01:00")), 0);
    assert_eq!(pass(&app, at("2026-06-20T10:00:00")), 0);
    assert_eq!(requests(&app, &p.hanna).await.len(), 1);

    // A new link PROD -> QC is asked of QC's owner and member ...
    let out = ok(post(
        &app,
        &p.pete,
        "/api/v1/processes/PROD/outputs",
        json!({ "name": "Machined parts", "to": ["QC"] }),
    )
    .await)
    .await;
    assert_eq!(pass(&app, at("2026-05-14T08:00:00")), 2);
    let sams = requests(&app, &p.sam).await;
    assert_eq!(sams.len(), 1);
    assert_eq!(sams[0]["supplier"], "PROD");
    assert_eq!(sams[0]["customer"], "QC");
    assert_eq!(requests(&app, &p.quinn).await.len(), 1);
    // ... and withdrawn when the link goes, unanswered.
    let res = send(
        &app,
        &p.pete,
        Method::DELETE,
        &format!(
            "/api/v1/processes/PROD/outputs/{}",
            out["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(pass(&app, at("2026-05-14T08:01:00")), 2);
    assert!(requests(&app, &p.sam).await.is_empty());
    assert!(rating_tasks(&app, &p.sam).await.is_empty());
    assert_eq!(
        requests(&app, &p.hanna).await.len(),
        1,
        "the other link stays"
    );

    let asked = app.audit_events("action=internal_rating.requested").await;
    assert_eq!(asked.len(), 5);
    assert!(asked.iter().all(|e| e["actor_name"] == "system:scheduler"));
    assert_eq!(
        app.audit_events("action=internal_rating.withdrawn")
            .await
            .len(),
        2
    );

    // Each open request is a task due at the end of the period; it goes
    // overdue when the period is over, and the next period asks again.
    let tasks = rating_tasks(&app, &p.hanna).await;
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].1, "2026-06-30");
    assert!(!tasks[0].2, "not late during the period");
    assert!(tasks[0].0.contains("Steel bars") && tasks[0].0.contains("PURCH"));
    app.clock.set(at("2026-06-30T20:00:00"));
    assert!(!rating_tasks(&app, &p.hanna).await[0].2, "due that day");
    app.clock.set(at("2026-07-01T06:00:00"));
    let tasks = rating_tasks(&app, &p.hanna).await;
    assert_eq!(tasks.len(), 1);
    assert!(tasks[0].2, "late once the period has ended");
    assert_eq!(pass(&app, at("2026-07-01T06:00:00")), 3);
    let tasks = rating_tasks(&app, &p.hanna).await;
    assert_eq!(tasks.len(), 2, "the late one and the new quarter's");
    assert_eq!(tasks.iter().filter(|t| t.2).count(), 1);
    // After the next period, an unanswered request is no longer a task.
    app.clock.set(at("2026-10-01T06:00:00"));
    let tasks = rating_tasks(&app, &p.hanna).await;
    assert_eq!(tasks.len(), 1, "Q2 lapsed, Q3 late");
    assert!(tasks[0].2);
}

async fn a_rating_is_given_by_the_person_asked_and_feeds_the_kpi(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.session_hours = 24 * 400).await;
    app.clock.set(at("2026-05-13T09:30:00"));
    let p = people(&app).await;
    assert_eq!(pass(&app, at("2026-05-13T10:00:00")), 3);
    let hannas = requests(&app, &p.hanna).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let heikkis = requests(&app, &p.heikki).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pete_s = requests(&app, &p.pete).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rate = |id: &str, on_time: bool, quality: i64, comment: &str| json!({ "request": id, "on_time": on_time, "quality": quality, "comment": comment });

    // Nobody rates another's request; the auditor changes nothing.
    for c in [&p.sam, &p.heikki, &p.olga, &p.quinn, &p.aud] {
        let res = post(
            &app,
            c,
            "/api/v1/internal-ratings",
            rate(&hannas, true, 4, ""),
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let res = post(
        &app,
        &p.hanna,
        "/api/v1/internal-ratings",
        rate(&hannas, true, 6, ""),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "invalid_rating");
    let res = post(
        &app,
        &p.hanna,
        "/api/v1/internal-ratings",
        rate(&hannas, true, 3, &"x".repeat(501)),
    )
    .await;
    assert_eq!(error_code(res).await, "invalid_rating");
    assert!(
        app.audit_events("action=internal_rating.rated")
            .await
            .is_empty()
    );

    // A low rating offers a complaint against the supplier, prefilled.
    let rated = ok(post(
        &app,
        &p.hanna,
        "/api/v1/internal-ratings",
        rate(&hannas, false, 2, "Two days late, rusty ends."),
    )
    .await)
    .await;
    assert_eq!(rated["request"]["rating"]["low"], true);
    let complaint = rated["complaint"].clone();
    assert_eq!(complaint["kind"], "internal_complaint");
    assert_eq!(complaint["responsible"], "PURCH");
    assert_eq!(complaint["detected_in"], "PROD");
    assert!(
        complaint["description"]
            .as_str()
            .unwrap()
            .contains("rusty ends")
    );
    let res = post(
        &app,
        &p.hanna,
        "/api/v1/internal-ratings",
        rate(&hannas, true, 5, ""),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "rating_already_given");
    assert!(
        rating_tasks(&app, &p.hanna).await.is_empty(),
        "rated: no task"
    );

    // The complaint reaches PURCH's owner.
    let nc = ok(post(&app, &p.hanna, "/api/v1/nonconformities", complaint).await).await;
    let number = nc["number"].as_str().unwrap();
    let olgas: Value = get(&app, &p.olga, "/api/v1/tasks").await;
    assert!(
        olgas["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["kind"] == "nc_accept" && t["reference"] == number),
        "{olgas}"
    );

    // A good rating needs no complaint; a correction is a new rating.
    let good = ok(post(
        &app,
        &p.heikki,
        "/api/v1/internal-ratings",
        rate(&heikkis, true, 3, ""),
    )
    .await)
    .await;
    assert!(good["complaint"].is_null());
    let first = good["request"]["rating"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/internal-ratings/{heikkis}/corrections");
    let res = post(
        &app,
        &p.heikki,
        &path,
        json!({ "on_time": true, "quality": 5, "reason": " " }),
    )
    .await;
    assert_eq!(error_code(res).await, "reason_required");
    let res = post(
        &app,
        &p.hanna,
        &path,
        json!({ "on_time": true, "quality": 5, "reason": "mine" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post(
        &app,
        &p.pete,
        &format!("/api/v1/internal-ratings/{pete_s}/corrections"),
        json!({ "on_time": true, "quality": 5, "reason": "nothing to correct" }),
    )
    .await;
    assert_eq!(error_code(res).await, "rating_not_given");
    let corrected = ok(post(
        &app,
        &p.heikki,
        &path,
        json!({ "on_time": true, "quality": 5, "comment": "Fine after all", "reason": "Looked again" }),
    )
    .await)
    .await;
    assert_eq!(corrected["request"]["rating"]["corrects"], first.as_str());
    assert_eq!(corrected["request"]["rating"]["quality"], 5);
    let trail = app.audit_events("action=internal_rating.corrected").await;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0]["actor_name"], "heikki");

    // The database keeps the first rating as it was.
    {
        use diesel::prelude::*;
        use laatu::db::schema::internal_ratings as r;
        let mut conn = app.db();
        let n: i64 = r::table.count().get_result(&mut conn).unwrap();
        assert_eq!(n, 3);
        let edited = diesel::update(r::table.find(&first))
            .set(r::quality.eq(1))
            .execute(&mut conn);
        assert!(edited.is_err(), "ratings are never edited");
        assert!(
            diesel::delete(r::table.find(&first))
                .execute(&mut conn)
                .is_err()
        );
    }

    // The figures per link and period, with n.
    let list = get(&app, &p.aud, "/api/v1/internal-ratings?process=PURCH").await;
    let ratings = list["ratings"].as_array().unwrap();
    assert_eq!(ratings.len(), 2, "current ratings only");
    assert!(
        ratings
            .iter()
            .any(|r| r["rater_name"] == "Heikki" || r["rater"] == "heikki")
    );
    let a = &list["aggregates"].as_array().unwrap()[0];
    assert_eq!(a["period"], "2026-Q2");
    assert_eq!(a["n"], 2);
    assert_eq!(a["asked"], 3);
    assert_eq!(a["on_time_share"], 50.0);
    assert_eq!(a["average_quality"], 3.5);
    assert_eq!(a["good_share"], 50.0);

    // The same figures to download, in the reader's notation, and charted
    // on the supplier's page.
    let csv = p
        .aud
        .get(app.url("/processes/PURCH/internal-ratings.csv"))
        .header("Accept-Language", "fi")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert!(
        rows[0]
            .trim_start_matches('\u{feff}')
            .starts_with("Linkki;Toimittava prosessi;"),
        "{text}"
    );
    assert_eq!(rows.len(), 1 + list["aggregates"].as_array().unwrap().len());
    assert!(
        rows[1].contains(";PURCH;PROD;2026-Q2;2;3;50,0;3,5;50,0"),
        "{text}"
    );
    let xlsx = p
        .aud
        .get(app.url("/processes/PURCH/internal-ratings.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    let missing = p
        .aud
        .get(app.url("/processes/NOPE/internal-ratings.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let page = p
        .olga
        .get(app.url("/processes/PURCH"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let chart = page
        .split(r#"id="ratings-chart""#)
        .nth(1)
        .expect("the ratings chart");
    assert!(
        chart.contains("<svg") && chart.contains("Q2 2026"),
        "{chart}"
    );
    let none = get(
        &app,
        &p.aud,
        "/api/v1/internal-ratings?process=PURCH&from=2026-07-01",
    )
    .await;
    assert!(none["ratings"].as_array().unwrap().is_empty());
    let res = send(
        &app,
        &p.aud,
        Method::GET,
        "/api/v1/internal-ratings?process=NOPE",
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The supplier's counted KPI: half the ratings of Q2 were good.
    let kpi = ok(post(
        &app,
        &p.olga,
        "/api/v1/processes/PURCH/kpis",
        json!({ "name": "Internal customers' ratings", "unit": "%", "target": "90",
                "direction": "higher_is_better", "indicator": "leading",
                "frequency": "quarterly", "source": "internal_ratings" }),
    )
    .await)
    .await;
    assert_eq!(kpi["source"], "internal_ratings");
    app.clock.set(at("2026-07-02T09:00:00"));
    let id = kpi["id"].as_str().unwrap();
    let measured = get(&app, &p.olga, &format!("/api/v1/kpis/{id}/measurements")).await;
    let values = measured.as_array().unwrap();
    assert_eq!(values.len(), 1, "only the quarter with ratings: {measured}");
    assert_eq!(values[0]["period"], "2026-Q2");
    assert_eq!(values[0]["value"], "50");
    let kpis = get(&app, &p.olga, "/api/v1/processes/PURCH/kpis").await;
    assert_eq!(kpis[0]["latest_value"], "50");
}

async fn the_rating_page_offers_a_prefilled_complaint(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.session_hours = 24 * 400).await;
    app.clock.set(at("2026-05-13T09:30:00"));
    let p = people(&app).await;
    assert_eq!(pass(&app, at("2026-05-13T10:00:00")), 3);
    let id = requests(&app, &p.hanna).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let hanna = page_login(&app, "hanna", PASSWORD).await;
    let page = hanna
        .get(app.url(&format!("/internal-ratings/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Steel bars") && html.contains(r#"name="quality""#));
    let token = csrf_token(&html);

    // A form without a quality is refused in place, nothing saved.
    let res = hanna
        .post(app.url(&format!("/internal-ratings/{id}")))
        .form(&[("csrf_token", token.as_str()), ("on_time", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = hanna
        .post(app.url(&format!("/internal-ratings/{id}")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("on_time", "no"),
            ("quality", "1"),
            ("comment", "Wrong grade delivered"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/internal-ratings/{id}?notice=rating-saved"));
    let html = hanna
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Thank you"));
    let link = format!("/nonconformities/new?rating={id}");
    assert!(html.contains(&link), "the complaint is offered");
    let form = hanna
        .get(app.url(&link))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains(r#"<option value="internal_complaint" selected>"#));
    assert!(form.contains(r#"<option value="PURCH" selected>"#));
    assert!(form.contains("Wrong grade delivered"));

    // Someone else sees no form and gets no prefilled complaint.
    let sam = page_login(&app, "sam", PASSWORD).await;
    let html = sam
        .get(app.url(&format!("/internal-ratings/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(r#"name="quality""#));
    let res = sam.get(app.url(&link)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The supplier's page shows the ratings per link and period with n.
    let olga = page_login(&app, "olga", PASSWORD).await;
    let html = olga
        .get(app.url("/processes/PURCH"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"id="internal-ratings""#));
    assert!(html.contains("1 of 3"), "n beside the figures");
    let _ = &p.quinn;
}

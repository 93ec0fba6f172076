//! External customer surveys over HTTP: creating a survey, inviting by
//! contacts and CSV (all or nothing), the public answer page answered
//! once with one page for every refusal, results, and erasing a
//! respondent's contact details.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, client, csrf_token, get, ok, post, spawn_app_with,
};

backend_tests!(
    a_link_answers_once_and_every_refusal_is_the_same_page,
    invitations_are_all_or_nothing_and_results_count_the_period,
    contact_details_are_erased_and_the_scores_stay,
    a_detractor_gives_the_process_owner_a_follow_up_that_goes_overdue_on_time,
    an_answer_opens_a_complaint_and_an_idea_an_improvement_linked_both_ways,
    the_create_page_makes_choice_questions_from_lines
);

fn l(en: &str, fi: &str) -> Value {
    json!({ "en": en, "fi": fi })
}

/// quinn (quality manager), olga (owner of SALES), pat (another owner), aud (auditor).
async fn setup(
    app: &TestApp,
) -> (
    reqwest::Client,
    reqwest::Client,
    reqwest::Client,
    reqwest::Client,
) {
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    let olga = app.user_with_roles("olga", &["process_owner"]).await;
    let pat = app.user_with_roles("pat", &["process_owner"]).await;
    let aud = app.user_with_roles("aud", &["auditor"]).await;
    ok(post(
        app,
        &quinn,
        "/api/v1/processes",
        json!({ "code": "SALES", "name": "Sales", "owner": "olga" }),
    )
    .await)
    .await;
    (quinn, olga, pat, aud)
}

fn survey_body() -> Value {
    json!({
        "title": l("After delivery", "Toimituksen jälkeen"),
        "touchpoint": "order_delivered",
        "process": "SALES",
        "questions": [
            { "key": "nps", "type": "nps", "label": l("Recommend us?", "Suosittelisitko?"), "required": true },
            { "key": "csat", "type": "csat", "label": l("Satisfied?", "Tyytyväinen?") },
            { "key": "speed", "type": "choice", "label": l("Speed", "Nopeus"),
              "options": [ { "key": "fast", "label": l("Fast", "Nopea") },
                           { "key": "slow", "label": l("Slow", "Hidas") } ] },
            { "key": "idea", "type": "idea", "label": l("An idea?", "Idea?") }
        ],
        "expiry_days": 7
    })
}

async fn invite(app: &TestApp, c: &reqwest::Client, id: &str, contacts: Value) -> Vec<Value> {
    let res = post(
        app,
        c,
        &format!("/api/v1/surveys/{id}/invitations"),
        json!({ "contacts": contacts }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

async fn page(c: &reqwest::Client, url: &str) -> (StatusCode, String) {
    let res = c.get(url).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn answer(c: &reqwest::Client, url: &str, pairs: &[(&str, &str)]) -> (StatusCode, String) {
    let res = c.post(url).form(pairs).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn a_link_answers_once_and_every_refusal_is_the_same_page(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let (quinn, olga, pat, aud) = setup(&app).await;

    // Only the process's owner or a quality manager creates; the auditor reads.
    let res = post(&app, &pat, "/api/v1/surveys", survey_body()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post(&app, &aud, "/api/v1/surveys", survey_body()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let survey = ok(post(&app, &olga, "/api/v1/surveys", survey_body()).await).await;
    let id = survey["id"].as_str().unwrap().to_string();
    assert_eq!(
        get(&app, &aud, &format!("/api/v1/surveys/{id}")).await["touchpoint"],
        "order_delivered"
    );

    let links = invite(
        &app,
        &quinn,
        &id,
        json!([{ "name": "Anna Aho", "company": "Aho Oy", "language": "fi" },
               { "name": "Bob", "email": "bob@example.com" }]),
    )
    .await;
    let anna = links[0]["link"]
        .as_str()
        .unwrap()
        .replace("http://127.0.0.1:8080", &app.base);
    let bob = links[1]["link"]
        .as_str()
        .unwrap()
        .replace("http://127.0.0.1:8080", &app.base);
    let token = anna.rsplit('/').next().unwrap().to_string();
    assert!(token.len() >= 32, "at least 128 bits");
    // The database keeps only the hash: no table holds the token.
    let invited = get(&app, &quinn, &format!("/api/v1/surveys/{id}/invitations")).await;
    assert!(!invited.to_string().contains(&token));
    let events = app.audit_events("action=survey.invited").await;
    assert!(!serde_json::to_string(&events).unwrap().contains(&token));

    let customer = client();
    let (status, form) = page(&customer, &anna).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("Suosittelisitko?"),
        "in the invitation's language"
    );
    assert!(form.contains(r#"name="nps""#) && form.contains(r#"name="speed""#));
    let csrf = csrf_token(&form);

    // The one refusal page: unknown tokens, garbage, and (later) used and expired links.
    let unknown = format!("{}/s/{}", app.base, "0".repeat(64));
    let (refused_status, refused) = page(&customer, &unknown).await;
    assert_eq!(refused_status, StatusCode::NOT_FOUND);
    assert_eq!(
        page(&customer, &app.url("/s/short")).await,
        (refused_status, refused.clone())
    );

    // A bad answer shows the form again and keeps nothing.
    let (status, again) = answer(&customer, &anna, &[("csrf_token", &csrf), ("nps", "11")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("Valitse asteikolta luku"));
    // A form of another link does not answer this one.
    let (bob_status, bob_form) = page(&customer, &bob).await;
    assert_eq!(bob_status, StatusCode::OK);
    let res = customer
        .post(&anna)
        .form(&[("csrf_token", csrf_token(&bob_form).as_str()), ("nps", "3")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let (status, thanks) = answer(
        &customer,
        &anna,
        &[
            ("csrf_token", &csrf),
            ("nps", "3"),
            ("speed", "slow"),
            ("idea", "Call before delivery"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(thanks.contains("Kiitos"));
    assert!(
        !thanks.contains("Call before delivery"),
        "nothing of an answer is shown back"
    );

    // Answered: the same page as an unknown link, for GET and POST alike.
    assert_eq!(
        page(&customer, &anna).await,
        (refused_status, refused.clone())
    );
    let (status, body) = answer(&customer, &anna, &[("csrf_token", &csrf), ("nps", "10")]).await;
    assert_eq!((status, body), (refused_status, refused.clone()));

    // Bob's link still works and shows nothing of Anna's answer.
    let (_, bob_page) = page(&customer, &bob).await;
    assert!(!bob_page.contains("Call before delivery") && !bob_page.contains("Aho"));

    // Expired: past the survey's 7 days, Bob's link is the same refusal.
    app.clock.advance(chrono::TimeDelta::days(8));
    assert_eq!(
        page(&customer, &bob).await,
        (refused_status, refused.clone())
    );

    let aud = app.login("aud", PASSWORD).await;
    let r = get(&app, &aud, &format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(r["answers"], 1);
    assert_eq!(r["nps"]["detractors"], 1);
    assert_eq!(r["nps"]["score"], -100.0);
    assert_eq!(r["response_rate"]["invited"], 2);
    assert_eq!(r["response_rate"]["answered"], 1);
    assert_eq!(r["ideas"][0]["idea"], "Call before delivery");
    assert_eq!(r["by_company"][0]["key"], "Aho Oy");
}

async fn invitations_are_all_or_nothing_and_results_count_the_period(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let (quinn, olga, _pat, _aud) = setup(&app).await;
    let survey = ok(post(&app, &olga, "/api/v1/surveys", survey_body()).await).await;
    let id = survey["id"].as_str().unwrap().to_string();

    // One bad contact: nothing is written, and each mistake is named.
    let res = post(
        &app,
        &quinn,
        &format!("/api/v1/surveys/{id}/invitations"),
        json!({ "contacts": [ { "name": "Good" }, { "name": " " }, { "name": "X", "email": "nope", "language": "sv" } ] }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_contacts");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "contacts[1].name",
            "contacts[2].email",
            "contacts[2].language"
        ]
    );
    assert_eq!(
        get(&app, &quinn, &format!("/api/v1/surveys/{id}")).await["invited"],
        0
    );

    // A CSV on the page: a bad line is named by its number and nothing is written.
    let html = quinn
        .get(app.url(&format!("/surveys/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_token(&html);
    let bad = "name,email\nAnna,anna@example.com\nBo,not-an-address\n";
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.clone())
        .text("csv", bad);
    let res = quinn
        .post(app.url(&format!("/surveys/{id}/invitations")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(text.contains("line 3"), "{text}");
    assert_eq!(
        get(&app, &quinn, &format!("/api/v1/surveys/{id}")).await["invited"],
        0
    );
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .part(
            "file",
            reqwest::multipart::Part::bytes(
                b"Anna,anna@example.com,Aho Oy,PO-1,fi\nBo,bo@example.com\n".to_vec(),
            )
            .file_name("c.csv"),
        );
    let res = quinn
        .post(app.url(&format!("/surveys/{id}/invitations")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert_eq!(
        text.matches(r#"class="copy-link""#).count(),
        2,
        "each new link shown once"
    );
    assert_eq!(
        get(&app, &quinn, &format!("/api/v1/surveys/{id}")).await["invited"],
        2
    );

    // Eight promoters answer; the period counts them, a later one does not.
    let links = invite(
        &app,
        &quinn,
        &id,
        json!(
            (0..8)
                .map(|i| json!({"name": format!("P{i}")}))
                .collect::<Vec<_>>()
        ),
    )
    .await;
    let customer = client();
    for link in &links {
        let url = link["link"]
            .as_str()
            .unwrap()
            .replace("http://127.0.0.1:8080", &app.base);
        let (_, form) = page(&customer, &url).await;
        let (status, _) = answer(
            &customer,
            &url,
            &[
                ("csrf_token", &csrf_token(&form)),
                ("nps", "10"),
                ("csat", "5"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let today = app.today();
    let from = today.format("%Y-%m-%d");
    let to = (today + chrono::Days::new(1)).format("%Y-%m-%d");
    let r = get(
        &app,
        &quinn,
        &format!("/api/v1/surveys/{id}/results?from={from}&to={to}"),
    )
    .await;
    assert_eq!(r["nps"]["n"], 8);
    assert_eq!(r["nps"]["score"], 100.0);
    assert!(
        r["nps"]["interval"]["low"].as_f64().unwrap() < 60.0,
        "eight answers say little"
    );
    assert_eq!(r["csat"]["mean"], 5.0);
    assert_eq!(r["response_rate"]["invited"], 10);
    assert_eq!(r["response_rate"]["answered"], 8);
    let later = (today + chrono::Days::new(2)).format("%Y-%m-%d");
    let r = get(
        &app,
        &quinn,
        &format!("/api/v1/surveys/{id}/results?from={to}&to={later}"),
    )
    .await;
    assert_eq!(
        (r["answers"].as_i64(), r["nps"]["n"].as_i64()),
        (Some(0), Some(0))
    );
    let res = quinn
        .get(app.url(&format!("/api/v1/surveys/{id}/results?from=yesterday")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The page shows the figures with n beside them, and the downloads read.
    let html = quinn
        .get(app.url(&format!("/surveys/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("8 answers") && html.contains("<svg"),
        "{html}"
    );
    let csv = quinn
        .get(app.url(&format!("/surveys/{id}/results.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(csv.text().await.unwrap().lines().count(), 9);
    let xlsx = quinn
        .get(app.url(&format!("/surveys/{id}/results.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
}

async fn contact_details_are_erased_and_the_scores_stay(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let (quinn, olga, _pat, _aud) = setup(&app).await;
    let survey = ok(post(&app, &olga, "/api/v1/surveys", survey_body()).await).await;
    let id = survey["id"].as_str().unwrap().to_string();
    let links = invite(
        &app,
        &quinn,
        &id,
        json!([{ "name": "Erkki Esimerkki", "email": "erkki@example.com", "company": "Esimerkki Oy", "reference": "PO-77" }]),
    )
    .await;
    let url = links[0]["link"]
        .as_str()
        .unwrap()
        .replace("http://127.0.0.1:8080", &app.base);
    let customer = client();
    let (_, form) = page(&customer, &url).await;
    answer(
        &customer,
        &url,
        &[("csrf_token", &csrf_token(&form)), ("nps", "9")],
    )
    .await;
    let inv = links[0]["id"].as_str().unwrap();

    let res = post(
        &app,
        &olga,
        &format!("/api/v1/surveys/{id}/invitations/{inv}/erase"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let after = ok(post(
        &app,
        &quinn,
        &format!("/api/v1/surveys/{id}/invitations/{inv}/erase"),
        json!({}),
    )
    .await)
    .await;
    assert_eq!(after["erased"], true);
    assert_eq!(after["name"], Value::Null);
    let listed = get(&app, &quinn, &format!("/api/v1/surveys/{id}/invitations")).await;
    let r = get(&app, &quinn, &format!("/api/v1/surveys/{id}/results")).await;
    assert_eq!(r["nps"]["promoters"], 1, "the scores stay");
    let events = app.audit_events("action=survey.contact_erased").await;
    assert_eq!(events.len(), 1);
    let everything = format!(
        "{listed}{r}{}",
        serde_json::to_string(&app.audit_events("").await).unwrap()
    );
    for gone in ["Erkki", "erkki@example.com", "Esimerkki Oy", "PO-77"] {
        assert!(!everything.contains(gone), "{gone} is still there");
    }
    assert!(!serde_json::to_string(&events).unwrap().contains("Erkki"));
}

async fn followup_tasks(app: &TestApp, c: &reqwest::Client) -> Vec<Value> {
    get(app, c, "/api/v1/tasks").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "survey_followup")
        .cloned()
        .collect()
}

async fn a_detractor_gives_the_process_owner_a_follow_up_that_goes_overdue_on_time(
    backend: Backend,
) {
    let app = spawn_app_with(backend, |c| {
        c.public_holidays = vec![chrono::NaiveDate::from_ymd_opt(2026, 5, 14).unwrap()];
    })
    .await;
    // Wednesday 13 May 2026; Thursday 14th is Ascension Day.
    app.clock.set(
        chrono::NaiveDate::from_ymd_opt(2026, 5, 13)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap(),
    );
    let (quinn, olga, pat, _aud) = setup(&app).await;
    let survey = ok(post(&app, &quinn, "/api/v1/surveys", survey_body()).await).await;
    let id = survey["id"].as_str().unwrap().to_string();
    let links = invite(
        &app,
        &quinn,
        &id,
        json!([{ "name": "A" }, { "name": "B" }, { "name": "C" }]),
    )
    .await;
    let customer = client();
    for (link, nps, csat) in [
        (&links[0], "6", "4"),
        (&links[1], "9", "2"),
        (&links[2], "9", "5"),
    ] {
        let url = link["link"]
            .as_str()
            .unwrap()
            .replace("http://127.0.0.1:8080", &app.base);
        let (_, form) = page(&customer, &url).await;
        let (status, _) = answer(
            &customer,
            &url,
            &[
                ("csrf_token", &csrf_token(&form)),
                ("nps", nps),
                ("csat", csat),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    // The owner of SALES gets two: the detractor and the low CSAT; nobody else.
    let tasks = followup_tasks(&app, &olga).await;
    assert_eq!(tasks.len(), 2, "{tasks:?}");
    assert!(
        tasks
            .iter()
            .all(|t| t["due"] == "2026-05-18" && t["overdue"] == false),
        "{tasks:?}"
    );
    assert!(followup_tasks(&app, &pat).await.is_empty());
    assert!(followup_tasks(&app, &quinn).await.is_empty());
    let list = get(&app, &olga, &format!("/api/v1/surveys/{id}/followups")).await;
    let reasons: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 2);
    assert!(reasons.contains(&"detractor") && reasons.contains(&"low_csat"));

    // On the due day it is not late; the day after it is.
    app.clock.set(
        chrono::NaiveDate::from_ymd_opt(2026, 5, 18)
            .unwrap()
            .and_hms_opt(20, 0, 0)
            .unwrap(),
    );
    let olga = app.login("olga", PASSWORD).await;
    let pat = app.login("pat", PASSWORD).await;
    assert!(
        followup_tasks(&app, &olga)
            .await
            .iter()
            .all(|t| t["overdue"] == false)
    );

    // Another owner may not record one; its owner does, on the due day,
    // once, audited.
    let f = list[0]["id"].as_str().unwrap();
    let path = format!("/api/v1/surveys/{id}/followups/{f}/done");
    let done = json!({ "action_taken": "Called the customer; a new part goes on Friday", "customer_told": true });
    assert_eq!(
        post(&app, &pat, &path, done.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let v = ok(post(&app, &olga, &path, done.clone()).await).await;
    assert_eq!(v["customer_told"], true);
    assert_eq!(v["done_by"], "olga");
    assert_eq!(
        post(&app, &olga, &path, done).await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(followup_tasks(&app, &olga).await.len(), 1);
    assert_eq!(
        app.audit_events("action=survey.followup_done").await.len(),
        1
    );

    app.clock.set(
        chrono::NaiveDate::from_ymd_opt(2026, 5, 19)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    );
    let olga = app.login("olga", PASSWORD).await;
    let left = followup_tasks(&app, &olga).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["overdue"], true, "{left:?}");

    // The counted leading KPI: of the two due in May, one was done in time.
    let kpi = ok(post(
        &app,
        &olga,
        "/api/v1/processes/SALES/kpis",
        json!({ "name": "Detractors followed up in time", "unit": "%", "target": "95",
                "direction": "higher_is_better", "indicator": "leading",
                "frequency": "monthly", "source": "survey_followups" }),
    )
    .await)
    .await;
    assert_eq!(kpi["source"], "survey_followups");
    let kpi_id = kpi["id"].as_str().unwrap();
    let measured = format!("/api/v1/kpis/{kpi_id}/measurements");
    assert_eq!(
        get(&app, &olga, &measured).await,
        json!([]),
        "May is not over"
    );
    app.clock.set(
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    );
    let olga = app.login("olga", PASSWORD).await;
    let values = get(&app, &olga, &measured).await;
    let values = values.as_array().unwrap();
    assert_eq!(values.len(), 1, "only May had follow-ups due: {values:?}");
    assert_eq!(values[0]["period"], "2026-05");
    assert_eq!(values[0]["value"], "50");
    // Recording the late one does not make it in time.
    let late = list[1]["id"].as_str().unwrap();
    ok(post(
        &app,
        &olga,
        &format!("/api/v1/surveys/{id}/followups/{late}/done"),
        json!({ "action_taken": "Wrote to the customer", "customer_told": true }),
    )
    .await)
    .await;
    assert_eq!(get(&app, &olga, &measured).await[0]["value"], "50");
}

async fn an_answer_opens_a_complaint_and_an_idea_an_improvement_linked_both_ways(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let (quinn, olga, _pat, aud) = setup(&app).await;
    let staff = app.user_with_roles("stan", &["staff"]).await;
    let survey = ok(post(&app, &quinn, "/api/v1/surveys", survey_body()).await).await;
    let id = survey["id"].as_str().unwrap().to_string();
    let links = invite(
        &app,
        &quinn,
        &id,
        json!([{ "name": "Erkki", "company": "Esimerkki Oy" }]),
    )
    .await;
    let url = links[0]["link"]
        .as_str()
        .unwrap()
        .replace("http://127.0.0.1:8080", &app.base);
    let customer = client();
    let (_, form) = page(&customer, &url).await;
    let (status, _) = answer(
        &customer,
        &url,
        &[
            ("csrf_token", &csrf_token(&form)),
            ("nps", "3"),
            ("speed", "slow"),
            ("idea", "Send a text message when the truck leaves"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let results = get(&app, &quinn, &format!("/api/v1/surveys/{id}/results")).await;
    let answer_id = results["list"][0]["id"].as_str().unwrap().to_string();

    // The survey page offers both to its owner; the report form comes
    // prefilled from the answer, in the reader's language.
    let survey_page = olga
        .get(app.url(&format!("/surveys/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(survey_page.contains(&format!("/nonconformities/new?answer={answer_id}")));
    assert!(survey_page.contains(&format!(
        "/nonconformities/new?answer={answer_id}&amp;kind=improvement"
    )));
    let auditor_page = aud
        .get(app.url(&format!("/surveys/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !auditor_page.contains("/nonconformities/new?answer="),
        "auditors report nothing"
    );
    let form = olga
        .get(app.url(&format!("/nonconformities/new?answer={answer_id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains(r#"<option value="customer_complaint" selected>"#),
        "{form}"
    );
    assert!(
        form.contains("Esimerkki Oy") && form.contains("NPS 3"),
        "{form}"
    );
    assert!(form.contains("Speed: Slow"), "{form}");
    assert!(form.contains(&format!(r#"name="survey_answer" value="{answer_id}""#)));
    assert!(!form.contains("Erkki"), "the person is never named");
    let idea_form = olga
        .get(app.url(&format!(
            "/nonconformities/new?answer={answer_id}&kind=improvement"
        )))
        .header("Accept-Language", "fi")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(idea_form.contains(r#"<option value="improvement" selected>"#));
    assert!(idea_form.contains("Asiakkaan idea: Send a text message when the truck leaves"));

    // Staff and auditors may not name an answer; an unknown one is refused.
    let report = |answer: &str, kind: &str| {
        json!({ "kind": kind, "title": "From the customer", "responsible": "SALES",
                "severity": "minor", "survey_answer": answer })
    };
    for who in [&staff, &aud] {
        let res = post(
            &app,
            who,
            "/api/v1/nonconformities",
            report(&answer_id, "customer_complaint"),
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let res = post(
        &app,
        &olga,
        "/api/v1/nonconformities",
        report("no-such-answer", "customer_complaint"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        crate::helpers::error_code(res).await,
        "survey_answer_not_found"
    );
    let before = get(&app, &quinn, "/api/v1/nonconformities").await["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, 0, "nothing half written");

    // Both, linked both ways and audited.
    let complaint = ok(post(
        &app,
        &olga,
        "/api/v1/nonconformities",
        report(&answer_id, "customer_complaint"),
    )
    .await)
    .await;
    let improvement = ok(post(
        &app,
        &olga,
        "/api/v1/nonconformities",
        report(&answer_id, "improvement"),
    )
    .await)
    .await;
    for case in [&complaint, &improvement] {
        assert_eq!(case["survey_answers"][0]["answer"], answer_id.as_str());
        assert_eq!(case["survey_answers"][0]["survey"], id.as_str());
    }
    let reported = app.audit_events("action=nonconformity.reported").await;
    assert_eq!(reported.len(), 2);
    for e in &reported {
        let changes: Value = serde_json::from_str(e["changes"].as_str().unwrap()).unwrap();
        assert_eq!(changes["survey_answer"]["after"], answer_id.as_str(), "{e}");
    }
    let survey_page = quinn
        .get(app.url(&format!("/surveys/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for case in [&complaint, &improvement] {
        let number = case["number"].as_str().unwrap();
        assert!(
            survey_page.contains(&format!(r#"<a href="/nonconformities/{number}">"#)),
            "{number} on the survey's page"
        );
        let case_page = quinn
            .get(app.url(&format!("/nonconformities/{number}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(case_page.contains(&format!("/surveys/{id}#answer-{answer_id}")));
    }

    // An improvement is accepted and planned without a root-cause analysis;
    // a nonconformity still needs one.
    let action = json!({ "description": "Try it with two customers", "owner": "olga",
                         "due_on": "2099-01-31" });
    for case in [&complaint, &improvement] {
        let number = case["number"].as_str().unwrap();
        ok(post(
            &app,
            &olga,
            &format!("/api/v1/nonconformities/{number}/accept"),
            json!({}),
        )
        .await)
        .await;
    }
    let c = complaint["number"].as_str().unwrap();
    let res = post(
        &app,
        &olga,
        &format!("/api/v1/nonconformities/{c}/actions"),
        action.clone(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(crate::helpers::error_code(res).await, "analysis_required");
    let i = improvement["number"].as_str().unwrap();
    let planned = ok(post(
        &app,
        &olga,
        &format!("/api/v1/nonconformities/{i}/actions"),
        action,
    )
    .await)
    .await;
    assert_eq!(planned["nonconformity"]["status"], "actions_planned");
}

async fn the_create_page_makes_choice_questions_from_lines(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let (quinn, _olga, _pat, _aud) = setup(&app).await;
    let form = quinn
        .get(app.url("/surveys/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains(r#"name="choice_1_options""#));
    assert!(
        form.contains(r#"name="label_nps_en" maxlength="300" value="How likely"#),
        "the standard questions come worded: {form}"
    );
    let token = csrf_token(&form);
    let post_form = |pairs: Vec<(&'static str, &'static str)>| {
        let mut pairs: Vec<(&str, &str)> = pairs;
        pairs.push(("csrf_token", token.as_str()));
        quinn.post(app.url("/surveys/new")).form(&pairs).send()
    };
    let base = vec![
        ("title_en", "After delivery"),
        ("title_fi", "Toimituksen jälkeen"),
        ("touchpoint", "order_delivered"),
        ("process", "SALES"),
        ("ask", "nps"),
        ("label_nps_en", "Recommend us?"),
        ("label_nps_fi", "Suosittelisitko?"),
    ];

    // One option is not a choice: refused at its row, nothing created.
    let mut bad = base.clone();
    bad.extend([
        ("choice_1_en", "How did it arrive?"),
        ("choice_1_fi", "Miten se saapui?"),
        ("choice_1_options", "On time | Ajallaan"),
    ]);
    let res = post_form(bad).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = res.text().await.unwrap();
    assert!(
        again.contains(">On time | Ajallaan</textarea>")
            && again.contains(r#"value="How did it arrive?""#),
        "what was typed stays: {again}"
    );
    assert!(
        get(&app, &quinn, "/api/v1/surveys")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );

    let mut good = base;
    good.extend([
        ("choice_1_en", "How did it arrive?"),
        ("choice_1_fi", "Miten se saapui?"),
        (
            "choice_1_options",
            "On time | Ajallaan\nA day late | Päivän myöhässä\n\nLater | Myöhemmin",
        ),
        ("choice_2_en", ""),
        ("choice_2_fi", ""),
        ("choice_2_options", ""),
    ]);
    let res = post_form(good).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list = get(&app, &quinn, "/api/v1/surveys").await;
    let questions = list[0]["questions"].as_array().unwrap();
    assert_eq!(
        questions.len(),
        2,
        "the empty row is skipped: {questions:?}"
    );
    let choice = &questions[1];
    assert_eq!(choice["type"], "choice");
    assert_eq!(choice["label"]["fi"], "Miten se saapui?");
    let options: Vec<(&str, &str)> = choice["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["key"].as_str().unwrap(),
                o["label"]["fi"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        options,
        [
            ("on_time", "Ajallaan"),
            ("a_day_late", "Päivän myöhässä"),
            ("later", "Myöhemmin")
        ]
    );
}

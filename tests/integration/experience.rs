//! Customer experience over HTTP: the value promise as a controlled
//! document of its own kind, the target experiences processes serve, KPIs
//! as customer-experience measures, and where the pages show them.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, changes, create_document, csrf_token, error_code, get, ok, post,
    send, spawn_app,
};

backend_tests!(
    the_promise_is_approved_and_processes_and_kpis_name_its_experiences,
    the_promise_editor_saves_the_draft_and_shows_each_mistake_at_its_field
);

fn label(en: &str, fi: &str) -> Value {
    json!({ "en": en, "fi": fi })
}

fn experience(key: &str, en: &str, fi: &str) -> Value {
    json!({
        "key": key,
        "sentence": label(en, fi),
        "measured_by": label(&format!("{en} (measured)"), &format!("{fi} (mitattu)")),
    })
}

fn promise(experiences: Vec<Value>) -> Value {
    json!({
        "basic_task": label("We machine parts", "Koneistamme osia"),
        "promise": label("Right part, on the day", "Oikea osa, oikeana päivänä"),
        "experiences": experiences,
    })
}

fn four() -> Vec<Value> {
    vec![
        experience(
            "on_time",
            "Parts arrive on the promised day",
            "Osat saapuvat luvattuna päivänä",
        ),
        experience("fits", "Every part fits", "Jokainen osa sopii"),
        experience("quick", "Answers within a day", "Vastaus päivässä"),
        experience("honest", "We tell early", "Kerromme ajoissa"),
    ]
}

async fn put(app: &TestApp, c: &reqwest::Client, path: &str, body: Value) -> reqwest::Response {
    send(app, c, Method::PUT, path, Some(body)).await
}

/// The fields an `invalid_*` answer names, with their codes.
async fn field_codes(res: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn count_events(app: &TestApp, action: &str) -> usize {
    app.audit_events(&format!("action={action}")).await.len()
}

/// Sets up quinn (quality manager), olga (owner of PROD), pat (owner of
/// SALES), hanna (staff) and aud (auditor).
async fn people(app: &TestApp) -> [reqwest::Client; 5] {
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    let olga = app.user_with_roles("olga", &["process_owner"]).await;
    let pat = app.user_with_roles("pat", &["process_owner"]).await;
    let hanna = app.user_with_roles("hanna", &["staff"]).await;
    let aud = app.user_with_roles("aud", &["auditor"]).await;
    for (code, owner) in [("PROD", "olga"), ("SALES", "pat")] {
        ok(post(
            app,
            &quinn,
            "/api/v1/processes",
            json!({ "code": code, "name": code, "owner": owner, "members": ["hanna"] }),
        )
        .await)
        .await;
    }
    [quinn, olga, pat, hanna, aud]
}

async fn the_promise_is_approved_and_processes_and_kpis_name_its_experiences(backend: Backend) {
    let app = spawn_app(backend).await;
    let [quinn, olga, pat, hanna, aud] = people(&app).await;

    // Nothing is in force yet: no promise, and nothing can name it.
    let res = send(&app, &hanna, Method::GET, "/api/v1/promise", None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(res).await, "no_value_promise");
    let prod = get(&app, &olga, "/api/v1/processes/PROD").await;
    let res = put(
        &app,
        &olga,
        "/api/v1/processes/PROD/experiences",
        json!({ "experiences": ["on_time"], "version": prod["version"] }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "no_value_promise");

    // A document of its own kind, and only one.
    let other = create_document(
        &app,
        &olga,
        json!({ "title": "Packing", "kind": "work_instruction" }),
    )
    .await;
    let vp = create_document(
        &app,
        &quinn,
        json!({ "title": "Value promise", "kind": "value_promise" }),
    )
    .await;
    assert_eq!(vp, "VP-001");
    let res = post(
        &app,
        &olga,
        "/api/v1/documents",
        json!({ "title": "Another", "kind": "value_promise" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "value_promise_exists");

    // Submitting a draft without its promise is refused.
    ok(put(
        &app,
        &quinn,
        &format!("/api/v1/documents/{vp}/draft"),
        json!({ "content": "# Value promise" }),
    )
    .await)
    .await;
    let res = post(
        &app,
        &quinn,
        &format!("/api/v1/documents/{vp}/draft/submit"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "promise_missing");

    // Bad promises are refused field by field and leave nothing behind.
    let saves = count_events(&app, "document.draft_saved").await;
    let draft = format!("/api/v1/documents/{vp}/draft");
    let two = promise(four().into_iter().take(2).collect());
    assert_eq!(
        field_codes(
            put(
                &app,
                &quinn,
                &draft,
                json!({ "content": "x", "promise": two })
            )
            .await
        )
        .await,
        [(
            "experiences".to_string(),
            "promise_experience_count".to_string()
        )]
    );
    let mut bad = four();
    bad[1]["key"] = json!("Fits!");
    bad[3]["key"] = json!("on_time");
    bad[2]["sentence"]["fi"] = json!(" ");
    bad[0]["measured_by"]["en"] = json!("x".repeat(301));
    let mut bad = promise(bad);
    bad["basic_task"]["fi"] = json!("");
    let codes = field_codes(
        put(
            &app,
            &quinn,
            &draft,
            json!({ "content": "x", "promise": bad }),
        )
        .await,
    )
    .await;
    let codes: Vec<(&str, &str)> = codes
        .iter()
        .map(|(f, c)| (f.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("basic_task.fi", "promise_text_required"),
            ("experiences[0].measured_by.en", "promise_text_too_long"),
            ("experiences[1].key", "invalid_experience_key"),
            ("experiences[2].sentence.fi", "promise_text_required"),
            ("experiences[3].key", "duplicate_experience_key"),
        ]
    );
    let res = put(
        &app,
        &olga,
        &format!("/api/v1/documents/{other}/draft"),
        json!({ "content": "x", "promise": promise(four()) }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "promise_only_for_value_promise");
    assert_eq!(count_events(&app, "document.draft_saved").await, saves);
    let doc = get(&app, &quinn, &format!("/api/v1/documents/{vp}")).await;
    assert!(doc["draft_promise"].is_null() && doc["promise"].is_null());

    // A good one is saved in the draft; a stale base conflicts.
    let saved = ok(put(
        &app,
        &quinn,
        &draft,
        json!({ "content": "# Value promise", "promise": promise(four()) }),
    )
    .await)
    .await;
    let doc = get(&app, &quinn, &format!("/api/v1/documents/{vp}")).await;
    assert_eq!(
        doc["draft_promise"]["experiences"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        doc["draft_promise"]["experiences"][1]["sentence"]["fi"],
        "Jokainen osa sopii"
    );
    let stale =
        json!({ "content": "# Value promise", "promise": promise(four()), "base": "0".repeat(40) });
    let res = put(&app, &quinn, &draft, stale).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "draft_conflict");

    // Approved by the route like any document, it is in force.
    ok(post(
        &app,
        &quinn,
        &format!("/api/v1/documents/{vp}/draft/submit"),
        json!({}),
    )
    .await)
    .await;
    // The author does not approve their own revision: another quality manager does.
    let laura = app.user_with_roles("laura", &["quality_manager"]).await;
    ok(post(
        &app,
        &laura,
        &format!("/api/v1/documents/{vp}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved", "comment": "" }),
    )
    .await)
    .await;
    let in_force = get(&app, &hanna, "/api/v1/promise").await;
    assert_eq!(in_force["number"], "VP-001");
    assert_eq!(in_force["rev"], 1);
    assert_eq!(in_force["commit"], saved["commit"]);
    let keys: Vec<&str> = in_force["promise"]["experiences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["on_time", "fits", "quick", "honest"]);

    // The owner states which experiences the process serves.
    let path = "/api/v1/processes/PROD/experiences";
    let v = get(&app, &olga, "/api/v1/processes/PROD").await["version"].clone();
    for (who, body, status, code) in [
        (
            &pat,
            json!({ "experiences": ["fits"] }),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            &hanna,
            json!({ "experiences": ["fits"] }),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            &aud,
            json!({ "experiences": ["fits"] }),
            StatusCode::FORBIDDEN,
            "forbidden",
        ),
        (
            &olga,
            json!({ "experiences": ["fits", "nope"], "version": v }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_experience",
        ),
        (
            &olga,
            json!({ "experiences": ["fits"], "version": v.as_i64().unwrap() - 1 }),
            StatusCode::CONFLICT,
            "version_conflict",
        ),
    ] {
        let res = put(&app, who, path, body).await;
        assert_eq!(res.status(), status);
        assert_eq!(error_code(res).await, code);
    }
    assert_eq!(count_events(&app, "process.experiences_set").await, 0);
    let set = ok(put(
        &app,
        &olga,
        path,
        json!({ "experiences": ["on_time", "fits", "fits"], "version": v }),
    )
    .await)
    .await;
    assert_eq!(set["experiences"], json!(["fits", "on_time"]));
    assert_eq!(set["version"], v.as_i64().unwrap() + 1);
    let res = put(
        &app,
        &olga,
        path,
        json!({ "experiences": ["quick"], "version": v }),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "a second edit from the same version conflicts"
    );
    let events = app.audit_events("action=process.experiences_set").await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        changes(&events[0])["experiences"]["after"],
        json!(["fits", "on_time"])
    );
    let prod = get(&app, &hanna, "/api/v1/processes/PROD").await;
    assert_eq!(prod["experiences"], json!(["fits", "on_time"]));
    assert_eq!(prod["cx"]["status"], "none");

    // A process that serves experiences is in use.
    let sales_v = get(&app, &pat, "/api/v1/processes/SALES").await["version"].clone();
    ok(put(
        &app,
        &pat,
        "/api/v1/processes/SALES/experiences",
        json!({ "experiences": ["quick"], "version": sales_v }),
    )
    .await)
    .await;
    let res = send(
        &app,
        &quinn,
        Method::DELETE,
        "/api/v1/processes/SALES",
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "process_in_use");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1 target experience"),
        "{body}"
    );

    // KPIs: a CX measure names an experience in force.
    let kpi = |name: &str, indicator: &str, experience: Option<&str>| {
        json!({ "name": name, "unit": "%", "target": 95, "direction": "higher_is_better",
                "indicator": indicator, "frequency": "monthly", "experience": experience })
    };
    let res = post(
        &app,
        &olga,
        "/api/v1/processes/PROD/kpis",
        kpi("Bad", "lagging", Some("nope")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "unknown_experience");
    assert_eq!(
        get(&app, &olga, "/api/v1/processes/PROD/kpis")
            .await
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let lagging = ok(post(
        &app,
        &olga,
        "/api/v1/processes/PROD/kpis",
        kpi("Complaints", "lagging", Some("fits")),
    )
    .await)
    .await;
    assert_eq!(lagging["experience"], "fits");
    let plain = ok(post(
        &app,
        &olga,
        "/api/v1/processes/PROD/kpis",
        kpi("Scrap", "leading", None),
    )
    .await)
    .await;
    assert!(plain["experience"].is_null());
    let created = app.audit_events("action=kpi.created").await;
    assert!(
        created
            .iter()
            .any(|e| changes(e)["experience"]["after"] == "fits")
    );
    let list = get(&app, &hanna, "/api/v1/processes").await;
    let cx_of = |list: &Value, code: &str| -> Value {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()["cx"]
            .clone()
    };
    assert_eq!(cx_of(&list, "PROD")["status"], "lagging_only");
    assert_eq!(cx_of(&list, "PROD")["lagging"], 1);
    assert_eq!(cx_of(&list, "SALES")["status"], "none");

    // Marking an existing KPI: who read what is compared.
    let id = plain["id"].as_str().unwrap();
    let kpi_path = format!("/api/v1/kpis/{id}/experience");
    let res = put(&app, &pat, &kpi_path, json!({ "experience": "on_time" })).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = put(
        &app,
        &olga,
        &kpi_path,
        json!({ "experience": "on_time", "before": "fits" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(res).await, "version_conflict");
    let marked = ok(put(
        &app,
        &olga,
        &kpi_path,
        json!({ "experience": "on_time", "before": null }),
    )
    .await)
    .await;
    assert_eq!(marked["experience"], "on_time");
    let events = app.audit_events("action=kpi.experience_set").await;
    assert_eq!(events.len(), 1);
    assert_eq!(changes(&events[0])["experience"]["after"], "on_time");
    let prod = get(&app, &hanna, "/api/v1/processes/PROD").await;
    assert_eq!(prod["cx"]["status"], "leading");
    assert_eq!(prod["cx"]["leading"], 1);

    // The pages: the promise in the reader's language, the process, the
    // map, the list and its filter, the dashboard card.
    let page = async |c: &reqwest::Client, path: &str, lang: &str| -> String {
        let res = c
            .get(app.url(path))
            .header("Accept-Language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        res.text().await.unwrap()
    };
    let fi = page(&aud, "/promise", "fi").await;
    assert!(
        fi.contains("Oikea osa, oikeana päivänä") && fi.contains("Jokainen osa sopii"),
        "{fi}"
    );
    assert!(!fi.contains("Every part fits"));
    assert!(fi.contains(r#"href="/processes/PROD""#));
    let en = page(&hanna, "/promise", "en").await;
    assert!(en.contains("Every part fits") && en.contains("Answers within a day (measured)"));
    let show = page(&hanna, "/processes/PROD", "en").await;
    assert!(show.contains("Parts arrive on the promised day") && show.contains("CX measure"));
    assert!(
        !show.contains(r#"action="/processes/PROD/experiences""#),
        "staff see no form"
    );
    let show = page(&olga, "/processes/PROD", "en").await;
    assert!(show.contains(r#"action="/processes/PROD/experiences""#));
    let map = page(&hanna, "/processes/map", "fi").await;
    assert!(map.contains("Osat saapuvat luvattuna päivänä"));
    let none = page(&quinn, "/processes?cx=none", "en").await;
    assert!(
        none.contains(r#"href="/processes/SALES""#) && !none.contains(r#"href="/processes/PROD""#)
    );
    let res = quinn
        .get(app.url("/processes?cx=bogus"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let home = page(&quinn, "/", "en").await;
    let card = home
        .split(r#"data-card="dash-card-cx""#)
        .nth(1)
        .expect("the CX card")
        .split("data-card=")
        .next()
        .unwrap()
        .to_string();
    assert!(card.contains(r#"href="&#x2F;processes?cx=none""#), "{card}");
    assert!(
        card.contains(
            r#"<span class="count">1</span> <span class="what">process without a CX measure"#
        ),
        "{card}"
    );

    // The page forms: the owner unticks an experience, and a stale form conflicts.
    let html = page(&olga, "/processes/PROD", "en").await;
    let token = csrf_token(&html);
    let version = prod["version"].as_i64().unwrap();
    let res = olga
        .post(app.url("/processes/PROD/experiences"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("experience", "fits"),
            ("version", &version.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    assert_eq!(
        get(&app, &olga, "/api/v1/processes/PROD").await["experiences"],
        json!(["fits"])
    );
    let res = olga
        .post(app.url("/processes/PROD/experiences"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("experience", "quick"),
            ("version", &version.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = olga
        .post(app.url("/processes/PROD/experiences"))
        .form(&[("experience", "quick")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no change"
    );
    assert_eq!(
        get(&app, &olga, "/api/v1/processes/PROD").await["experiences"],
        json!(["fits"])
    );
}

async fn the_promise_editor_saves_the_draft_and_shows_each_mistake_at_its_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let [quinn, olga, _pat, _hanna, aud] = people(&app).await;
    let vp = create_document(
        &app,
        &quinn,
        json!({ "title": "Value promise", "kind": "value_promise" }),
    )
    .await;
    let editor = format!("/documents/{vp}/promise");
    let res = aud.get(app.url(&editor)).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "auditors change nothing"
    );
    let res = olga.get(app.url(&editor)).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "not the document's owner"
    );
    let html = quinn
        .get(app.url(&editor))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token(&html);
    let mut form: Vec<(String, String)> = vec![
        ("csrf_token".into(), token.clone()),
        ("basic_task_en".into(), "We machine parts".into()),
        ("basic_task_fi".into(), "Koneistamme osia".into()),
        ("promise_en".into(), "Right part".into()),
        ("promise_fi".into(), "".into()),
    ];
    for (i, (en, fi)) in [
        ("Parts arrive on time", "Osat ajallaan"),
        ("Every part fits", ""),
    ]
    .iter()
    .enumerate()
    {
        form.push((format!("e.{i}.sentence_en"), en.to_string()));
        form.push((format!("e.{i}.sentence_fi"), fi.to_string()));
        form.push((format!("e.{i}.measured_en"), "On-time %".into()));
        form.push((format!("e.{i}.measured_fi"), "Ajallaan %".into()));
    }
    let res = quinn
        .post(app.url(&editor))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(".field-error").unwrap();
    let errors: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert_eq!(
        errors,
        [
            "Write this in both English and Finnish.",
            "A value promise states three to seven target customer experiences.",
            "Write this in both English and Finnish.",
        ],
        "promise_fi, the count and row 2's Finnish sentence"
    );
    assert!(
        html.contains(r#"value="parts_arrive_on_time""#),
        "a key made from the sentence"
    );
    assert!(get(&app, &quinn, &format!("/api/v1/documents/{vp}")).await["draft_promise"].is_null());

    form[4].1 = "Oikea osa".into();
    form.retain(|(k, _)| k != "e.1.sentence_fi");
    form.push(("e.1.sentence_fi".into(), "Jokainen osa sopii".into()));
    for (i, en) in [(2, "Quick answers"), (3, "We tell early")] {
        form.push((format!("e.{i}.sentence_en"), en.into()));
        form.push((format!("e.{i}.sentence_fi"), format!("{en} (fi)")));
        form.push((format!("e.{i}.measured_en"), "Survey".into()));
        form.push((format!("e.{i}.measured_fi"), "Kysely".into()));
    }
    let res = quinn
        .post(app.url(&editor))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let doc = get(&app, &quinn, &format!("/api/v1/documents/{vp}")).await;
    let keys: Vec<&str> = doc["draft_promise"]["experiences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "parts_arrive_on_time",
            "every_part_fits",
            "quick_answers",
            "we_tell_early"
        ]
    );
    // The first save wrote the promise out as the document's text.
    let content = quinn
        .get(app.url(&format!("/api/v1/documents/{vp}/revisions/1/content")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        content.contains("Tavoitellut asiakaskokemukset"),
        "{content}"
    );
    // A second post of the same form builds on a stale base: nothing lost silently.
    let res = quinn
        .post(app.url(&editor))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection(),
        "the first form had no base yet: {}",
        res.status()
    );
    let html = quinn
        .get(app.url(&editor))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc_html = scraper::Html::parse_document(&html);
    let base_sel = scraper::Selector::parse(r#"input[name="base"]"#).unwrap();
    let base = doc_html
        .select(&base_sel)
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    assert!(!base.is_empty());
    let mut stale = form.clone();
    stale.push(("base".into(), "0".repeat(40)));
    let res = quinn
        .post(app.url(&editor))
        .form(&stale)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

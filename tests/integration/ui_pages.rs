//! The pages people live in: error pages keep the layout and the reader's
//! language, no page offers a link its reader may not follow, and people are
//! shown by name and picked from lists.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, PASSWORD, page_login, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_pages_keep_the_navigation_and_the_language() {
    let app = spawn_app(Backend::Sqlite).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let res = qm
        .patch(app.url("/api/v1/me"))
        .json(&json!({ "language": "fi" }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let c = page_login(&app, "qm", PASSWORD).await;
    let res = c.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"fi\""),
        "in the reader's language"
    );
    assert!(html.contains("Sivua ei löydy"), "{html}");
    assert!(html.contains("href=\"/documents\""), "the navigation stays");
    assert!(html.contains("Kirjaudu ulos"), "still logged in");
    let res = c
        .get(app.url("/records/FORM-404-0001"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("href=\"/documents\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_auditor_is_offered_no_report_links_and_people_are_named() {
    let app = spawn_app(Backend::Sqlite).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    app.user_with_roles("ann", &["process_owner"]).await;
    app.user_with_roles("sam", &["staff"]).await;
    app.user_with_roles("aud", &["auditor"]).await;
    for (code, members) in [("PURCH", json!([])), ("PROD", json!(["sam"]))] {
        let res = qm
            .post(app.url("/api/v1/processes"))
            .json(&json!({ "code": code, "name": code, "owner": "ann", "members": members }))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
    }
    let res = qm
        .post(app.url("/api/v1/processes/PURCH/outputs"))
        .json(&json!({ "name": "Steel", "to": ["PROD"] }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let aud = page_login(&app, "aud", PASSWORD).await;
    let html = aud
        .get(app.url("/processes/PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("/nonconformities/new"),
        "no report or complain links for the auditor"
    );
    assert!(
        html.contains("Test ann") && html.contains("Test sam"),
        "people by name"
    );
    assert!(!html.contains("(usernames)"));
    let sam = page_login(&app, "sam", PASSWORD).await;
    let html = sam
        .get(app.url("/processes/PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("/nonconformities/new?kind=internal_complaint"),
        "staff may complain"
    );
    // The quality manager picks the owner and the people from lists.
    let q = page_login(&app, "qm", PASSWORD).await;
    let html = q
        .get(app.url("/processes/PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let owner = scraper::Selector::parse("select[name=owner] option[selected]").unwrap();
    assert_eq!(
        doc.select(&owner)
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "Test ann"
    );
    let sel = scraper::Selector::parse("input[name=members][checked]").unwrap();
    let ticked: Vec<&str> = doc
        .select(&sel)
        .filter_map(|e| e.value().attr("value"))
        .collect();
    assert_eq!(ticked, ["sam"]);
    let auditor = scraper::Selector::parse("input[name=members][value=aud]").unwrap();
    assert_eq!(
        doc.select(&auditor).count(),
        0,
        "an auditor is never offered as a member"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signer_reads_what_is_signed_where_it_is_signed() {
    let app = spawn_app(Backend::Sqlite).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let qm2 = app.user_with_roles("qm2", &["quality_manager"]).await;
    let number = crate::helpers::create_document(
        &app,
        &qm,
        json!({ "title": "Packing", "kind": "procedure" }),
    )
    .await;
    let revise = |text: &'static str, reason: Option<&'static str>| {
        let (qm, qm2, app, number) = (&qm, &qm2, &app, &number);
        async move {
            for (c, method, path, body) in [
                (
                    qm,
                    "PUT",
                    format!("/api/v1/documents/{number}/draft"),
                    json!({ "content": text, "change_reason": reason }),
                ),
                (
                    qm,
                    "POST",
                    format!("/api/v1/documents/{number}/draft/submit"),
                    json!({}),
                ),
            ] {
                let res = c
                    .request(method.parse().unwrap(), app.url(&path))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert!(
                    res.status().is_success(),
                    "{path}: {}",
                    res.text().await.unwrap()
                );
            }
            let _ = qm2;
        }
    };
    revise("# Packing\n\nWrap every part in paper.", None).await;
    let res = qm2
        .post(app.url(&format!("/api/v1/documents/{number}/draft/signatures")))
        .json(&json!({ "password": PASSWORD, "meaning": "approved" }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    revise(
        "# Packing\n\nWrap every part in oiled paper.",
        Some("Rust in transit"),
    )
    .await;
    let c = page_login(&app, "qm2", PASSWORD).await;
    let html = c
        .get(app.url(&format!("/documents/{number}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("#what-you-sign pre.redline ins").unwrap();
    let added: String = doc.select(&sel).flat_map(|e| e.text()).collect();
    assert!(
        added.contains("oiled"),
        "the change is shown where it is signed: {added}"
    );
    // Each revision says who signed it, with which meaning, when and on
    // which commit (21 CFR 11.50).
    let sel = scraper::Selector::parse("td.signed-by li").unwrap();
    let printed: Vec<String> = doc
        .select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect();
    assert_eq!(printed.len(), 1, "{printed:?}");
    assert!(
        printed[0].contains("Test qm2")
            && printed[0].contains("Approved")
            && printed[0].contains("Commit"),
        "{printed:?}"
    );
    assert!(html.contains("Rust in transit"));
    let reject = scraper::Selector::parse("details.reject-box form[action$='/reject']").unwrap();
    assert_eq!(doc.select(&reject).count(), 1, "rejecting is kept apart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_is_a_dashboard_for_each_role() {
    let app = crate::helpers::spawn_demo_app(Backend::Sqlite).await;
    let cards_of = |html: &str| {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("li.dash-card").unwrap();
        doc.select(&sel)
            .map(|c| {
                let figure = scraper::Selector::parse("a.figure").unwrap();
                let links: Vec<String> = c
                    .select(&figure)
                    .map(|a| a.value().attr("href").unwrap().to_string())
                    .collect();
                (c.value().attr("data-card").unwrap().to_string(), links)
            })
            .collect::<Vec<_>>()
    };
    let home = |who: &'static str| {
        let app = &app;
        async move {
            let c = page_login(app, who, laatu::demo::DEMO_PASSWORD).await;
            let res = c.get(app.url("/")).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.text().await.unwrap()
        }
    };
    let qm = cards_of(&home("laura").await);
    let names: Vec<&str> = qm.iter().map(|c| c.0.as_str()).collect();
    for card in [
        "dash-card-tasks",
        "dash-card-nc",
        "dash-card-documents",
        "dash-card-kpis",
        "dash-card-competence",
        "dash-card-records",
    ] {
        assert!(
            names.contains(&card),
            "the quality manager sees {card}: {names:?}"
        );
    }
    assert_eq!(names[0], "dash-card-tasks", "what waits comes first");
    let nc = &qm.iter().find(|c| c.0 == "dash-card-nc").unwrap().1;
    assert!(
        nc.contains(&"/nonconformities?overdue=true".to_string()),
        "{nc:?}"
    );
    // Every figure links to a page that answers.
    let c = page_login(&app, "laura", laatu::demo::DEMO_PASSWORD).await;
    for link in qm.iter().flat_map(|c| c.1.iter()) {
        let res = c.get(app.url(link)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{link}");
    }
    let owner = home("pekka").await;
    assert!(
        owner.contains("PROD"),
        "the owner's figures are of their processes"
    );
    let staff = cards_of(&home("emma").await);
    let names: Vec<&str> = staff.iter().map(|c| c.0.as_str()).collect();
    assert!(names.contains(&"dash-card-tasks"));
    assert!(
        !names.contains(&"dash-card-nc"),
        "staff see their own work: {names:?}"
    );
    let auditor = cards_of(&home("aino").await);
    let names: Vec<&str> = auditor.iter().map(|c| c.0.as_str()).collect();
    assert!(names.contains(&"dash-card-audit"), "{names:?}");
}

#[test]
fn every_kind_of_task_is_counted_in_both_languages() {
    for kind in laatu::tasks::kinds() {
        let key = format!("dash-task-{kind}");
        for lang in laatu::i18n::Lang::ALL {
            let text = laatu::i18n::try_t_args(lang, &key, &[("count", "2".to_string())]);
            assert!(text.is_some(), "{key} is missing in {lang:?}");
        }
    }
}

fn select_options(html: &str, selector: &str) -> Vec<(String, String, bool)> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|o| {
            (
                o.value().attr("value").unwrap_or_default().to_string(),
                o.text().collect::<String>(),
                o.value().attr("selected").is_some(),
            )
        })
        .collect()
}

fn attr_of(html: &str, selector: &str, attr: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .next()
        .unwrap_or_else(|| panic!("no {selector}"))
        .value()
        .attr(attr)
        .unwrap_or_default()
        .to_string()
}

async fn page_text(c: &reqwest::Client, url: String) -> String {
    let res = c.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_and_cases_pick_people_and_numbers_from_lists() {
    let app = spawn_app(Backend::Sqlite).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    let (qm_api, _bea, _ann) = crate::nonconformities::setup(&app).await;
    app.user_with_roles("aud", &["auditor"]).await;
    let qm = page_login(&app, "qm", PASSWORD).await;

    // The new-document form: owners and processes from lists, the number
    // placeholder is the number the document will get.
    let html = page_text(&qm, app.url("/documents/new")).await;
    let owners = select_options(&html, "select[name=owner] option");
    let names: Vec<&str> = owners.iter().map(|o| o.1.as_str()).collect();
    assert_eq!(
        names,
        ["Test ann", "Test bea", "Test qm"],
        "only those who may own"
    );
    assert!(
        owners.iter().any(|o| o.0 == "qm" && o.2),
        "the reader by default"
    );
    let processes = select_options(&html, "select[name=process] option");
    assert_eq!(
        processes.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
        ["", "PROD", "PURCH"]
    );
    assert_eq!(
        attr_of(&html, "input[name=number]", "placeholder"),
        "QP-001"
    );
    // A number given by hand is skipped by the placeholder as by the allocator.
    crate::helpers::create_document(
        &app,
        &qm_api,
        json!({ "title": "By hand", "kind": "procedure", "number": "QP-001" }),
    )
    .await;
    let html = page_text(&qm, app.url("/documents/new")).await;
    let promised = attr_of(&html, "input[name=number]", "placeholder");
    assert_eq!(promised, "QP-002");
    let wi = select_options(&html, "select[name=kind] option[value=work_instruction]");
    assert!(!wi.is_empty());
    assert_eq!(
        attr_of(
            &html,
            "select[name=kind] option[value=work_instruction]",
            "data-next-number"
        ),
        "WI-001"
    );
    let token = crate::helpers::csrf_token(&html);
    let res = qm
        .post(app.url("/documents"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("title", "Packing"),
            ("kind", "procedure"),
            ("number", ""),
            ("process", "PROD"),
            ("owner", "ann"),
            ("review_interval_months", "12"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("/documents/{promised}/edit")),
        "{location}"
    );

    // The editor saves and submits in one go, beside its preview.
    let html = page_text(&qm, app.url(&format!("/documents/{promised}/edit"))).await;
    assert!(html.contains("class=\"preview-pane\""));
    let token = crate::helpers::csrf_token(&html);
    let res = qm
        .post(app.url(&format!("/documents/{promised}/edit")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("base", ""),
            ("change_reason", ""),
            ("content", "# Packing\n\nWrap every part."),
            ("action", "submit"),
            ("effective_from", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"],
        format!("/documents/{promised}?notice=document-submitted").as_str()
    );
    let detail = crate::helpers::get(&app, &qm_api, &format!("/api/v1/documents/{promised}")).await;
    assert_eq!(detail["draft"]["status"], "in_review", "{detail}");
    // The document page names the owner and who still must sign: the author
    // (qm) may not, and no other quality manager exists yet.
    let html = page_text(&qm, app.url(&format!("/documents/{promised}"))).await;
    assert!(html.contains("Test ann"), "the owner by name");
    assert!(html.contains("nobody who may sign it can log in"), "{html}");
    app.user_with_roles("quinn", &["quality_manager"]).await;
    let html = page_text(&qm, app.url(&format!("/documents/{promised}"))).await;
    assert!(
        html.contains("Step 1 needs one more signature, from one of: Test quinn"),
        "{html}"
    );

    // A case's action owner is picked among those who can act, the
    // responsible process's owner first; an auditor is refused.
    let number = crate::nonconformities::report(
        &app,
        &sam,
        json!({ "kind": "deviation", "title": "Burr", "detected_in": "PROD", "responsible": "PROD", "severity": "minor" }),
    )
    .await;
    let ann = app.login("ann", PASSWORD).await;
    for (path, body) in [
        ("/accept", json!({})),
        ("/disposition", json!({ "containment": "Lot quarantined" })),
        (
            "/analysis",
            json!({ "root_cause": "Worn tool", "cause_category": "machine" }),
        ),
    ] {
        crate::nonconformities::ok(
            &app,
            &ann,
            &format!("/api/v1/nonconformities/{number}{path}"),
            body,
        )
        .await;
    }
    let annp = page_login(&app, "ann", PASSWORD).await;
    let html = page_text(&annp, app.url(&format!("/nonconformities/{number}"))).await;
    let owners = select_options(&html, "form[action$='/actions'] select[name=owner] option");
    assert!(!owners.is_empty(), "the action form is offered");
    assert!(
        owners.iter().all(|o| o.0 != "aud" && o.0 != "admin"),
        "{owners:?}"
    );
    assert!(owners.iter().any(|o| o.0 == "sam" && o.1 == "Test sam"));
    assert_eq!(
        owners
            .iter()
            .filter(|o| o.2)
            .map(|o| o.0.as_str())
            .collect::<Vec<_>>(),
        ["ann"],
        "the responsible process's owner by default"
    );
    crate::nonconformities::refused(
        &app,
        &ann,
        &number,
        "/actions",
        json!({ "description": "Audit it", "owner": "aud", "due_on": crate::nonconformities::days_from_today(30) }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "action_owner_cannot_act",
    )
    .await;
}

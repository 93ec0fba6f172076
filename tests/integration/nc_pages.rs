//! Nonconformity pages as a browser uses them: forms with CSRF tokens,
//! refusals shown with what was typed, the steps each person is offered,
//! evidence uploaded as multipart, tasks, both languages.

use reqwest::StatusCode;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, csrf_token, page_login, spawn_app};

backend_tests!(a_case_is_handled_through_the_pages);

async fn html(c: &reqwest::Client, url: String) -> String {
    let res = c.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

/// Posts a form with the page's CSRF token; returns status, location and body.
async fn post_form(
    app: &TestApp,
    c: &reqwest::Client,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let token = csrf_token(&html(c, app.url(from)).await);
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    let res = c.post(app.url(to)).form(&form).send().await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

fn count(app_html: &str, selector: &str) -> usize {
    let doc = scraper::Html::parse_document(app_html);
    doc.select(&scraper::Selector::parse(selector).unwrap())
        .count()
}

async fn a_case_is_handled_through_the_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    app.user_with_roles("ann", &["process_owner"]).await;
    app.user_with_roles("sam", &["staff"]).await;
    app.user_with_roles("aud", &["auditor"]).await;
    let res = qm
        .post(app.url("/api/v1/processes"))
        .json(&json!({ "code": "PROD", "name": "Production", "owner": "ann", "members": ["sam"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    // Sam reports through the short form; a missing title keeps what he typed.
    let sam = page_login(&app, "sam", PASSWORD).await;
    let form = html(&sam, app.url("/nonconformities/new?kind=deviation")).await;
    assert_eq!(
        count(&form, r#"select[name="responsible"] option[value="PROD"]"#),
        1
    );
    let mut fields = vec![
        ("kind", "deviation"),
        ("title", ""),
        ("description", "Coolant on the floor by lathe 3"),
        ("detected_in", "PROD"),
        ("responsible", "PROD"),
        ("severity", "minor"),
        ("references", ""),
        ("detected_on", ""),
    ];
    let (status, _, body) = post_form(
        &app,
        &sam,
        "/nonconformities/new",
        "/nonconformities",
        &fields,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Coolant on the floor by lathe 3"),
        "typed text kept"
    );
    assert_eq!(count(&body, r#"p.error[role="alert"]"#), 1);
    fields[1] = ("title", "Coolant leak at lathe 3");
    let (status, location, _) = post_form(
        &app,
        &sam,
        "/nonconformities/new",
        "/nonconformities",
        &fields,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let year = crate::helpers::test_now_utc().format("%Y").to_string();
    let number = format!("NC-{year}-001");
    assert_eq!(
        location,
        format!("/nonconformities/{number}?notice=nc-reported")
    );
    let page = html(&sam, app.url(&location)).await;
    assert!(page.contains("Coolant leak at lathe 3"));
    assert_eq!(count(&page, r#"p.notice[role="status"]"#), 1);
    assert_eq!(
        count(&page, r#"form[action$="/accept"]"#),
        0,
        "not Sam's to accept"
    );

    // A form post without the token changes nothing.
    let res = sam
        .post(app.url(&format!("/nonconformities/{number}/accept")))
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Ann, the owner, is offered acceptance and then the analysis.
    let ann = page_login(&app, "ann", PASSWORD).await;
    let case = format!("/nonconformities/{number}");
    let page = html(&ann, app.url(&case)).await;
    assert_eq!(count(&page, r#"form[action$="/accept"]"#), 1);
    let (status, location, _) = post_form(&app, &ann, &case, &format!("{case}/accept"), &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (
            StatusCode::SEE_OTHER,
            format!("{case}?notice=nc-accepted#accept").as_str()
        )
    );
    let analysis = [
        ("why", "The pump seal leaks"),
        ("why", "The seal is past its service life"),
        ("why", ""),
        ("why", ""),
        ("why", ""),
        ("root_cause", "Seals are not in the maintenance plan"),
        ("cause_category", "weather"),
        ("effectiveness_due_on", ""),
    ];
    let (status, _, body) =
        post_form(&app, &ann, &case, &format!("{case}/analysis"), &analysis).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Seals are not in the maintenance plan"),
        "typed root cause kept"
    );
    assert!(
        body.contains("The seal is past its service life"),
        "typed whys kept"
    );
    let mut analysis = analysis.to_vec();
    analysis[6] = ("cause_category", "machine");
    let (status, _, _) = post_form(&app, &ann, &case, &format!("{case}/analysis"), &analysis).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let yesterday =
        (crate::helpers::test_now_utc().date_naive() - chrono::TimeDelta::days(1)).to_string();
    let next_week =
        (crate::helpers::test_now_utc().date_naive() + chrono::TimeDelta::days(7)).to_string();
    let mut action = vec![
        ("description", "Add pump seals to the maintenance plan"),
        ("owner", "sam"),
        ("due_on", yesterday.as_str()),
        ("document", ""),
    ];
    let (status, _, body) = post_form(&app, &ann, &case, &format!("{case}/actions"), &action).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Add pump seals to the maintenance plan"));
    action[2] = ("due_on", next_week.as_str());
    let (status, _, _) = post_form(&app, &ann, &case, &format!("{case}/actions"), &action).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Sam sees the action in his tasks and marks it done from the case page.
    let tasks = html(&sam, app.url("/tasks")).await;
    assert_eq!(count(&tasks, &format!(r#"a[href="{case}"]"#)), 1, "{tasks}");
    let page = html(&sam, app.url(&case)).await;
    let done: Vec<String> = scraper::Html::parse_document(&page)
        .select(&scraper::Selector::parse(r#"form[action$="/done"]"#).unwrap())
        .map(|f| f.value().attr("action").unwrap().to_string())
        .collect();
    assert_eq!(done.len(), 1);
    let (status, _, _) = post_form(&app, &sam, &case, &done[0], &[("note", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = post_form(
        &app,
        &sam,
        &case,
        &done[0],
        &[("note", "Seals added to the plan, every 6 months")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Evidence as a multipart upload, then downloaded back.
    let token = csrf_token(&html(&sam, app.url(&case)).await);
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("action", "")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"plan v7".to_vec()).file_name("maintenance-plan.txt"),
        );
    let res = sam
        .post(app.url(&format!("{case}/attachments")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = html(&sam, app.url(&case)).await;
    let link: String = scraper::Html::parse_document(&page)
        .select(&scraper::Selector::parse(r#"#files a[href*="/attachments/"]"#).unwrap())
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    let res = sam.get(app.url(&link)).send().await.unwrap();
    assert_eq!(res.text().await.unwrap(), "plan v7");

    // The quality manager verifies and closes; the auditor reads the history, offered no forms.
    let qm_page = page_login(&app, "qm", PASSWORD).await;
    let page = html(&qm_page, app.url(&case)).await;
    assert_eq!(count(&page, r#"form[action$="/verify"]"#), 1);
    let (status, _, _) = post_form(
        &app,
        &qm_page,
        &case,
        &format!("{case}/verify"),
        &[("result", "effective"), ("comment", "No leaks for a month")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = post_form(
        &app,
        &qm_page,
        &case,
        &format!("{case}/close"),
        &[("comment", "")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let aud = page_login(&app, "aud", PASSWORD).await;
    let page = html(&aud, app.url(&case)).await;
    assert_eq!(
        count(&page, "main form"),
        0,
        "auditors are offered no forms"
    );
    assert!(
        count(&page, "#history tbody tr") >= 8,
        "the history shows every step"
    );
    assert!(page.contains(r#"id="nc-status""#));

    // The list filters, in Finnish.
    let fi = crate::helpers::client();
    let token = csrf_token(&html(&fi, app.url("/login")).await);
    let res = fi
        .post(app.url("/login"))
        .header("accept-language", "fi")
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "aud"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = fi
        .get(app.url("/nonconformities?status=closed&process=PROD"))
        .header("accept-language", "fi")
        .send()
        .await
        .unwrap();
    let list = res.text().await.unwrap();
    assert!(list.contains("Poikkeamat"), "Finnish page");
    assert!(list.contains("Suljettu"));
    assert_eq!(count(&list, "table.ncs tbody tr"), 1);
    let empty = html(&fi, app.url("/nonconformities?status=reported")).await;
    assert_eq!(count(&empty, "table.ncs tbody tr"), 0);
}

//! The competence pages as people use them: each reader sees the pages
//! their role allows, forms post and come back with the record, the matrix
//! downloads open as a workbook and as CSV with the cells the matrix shows.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::json;

use super::competence::{get, post};
use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, csrf_token, page_login, spawn_app};

backend_tests!(
    pages_answer_each_reader_as_their_role_allows,
    the_matrix_downloads_as_a_workbook_and_csv,
    forms_record_plan_and_complete,
);

/// PROD (owner olga, members ville and wilma); FORK required of PROD; WELD
/// (ILUO, U) required of PROD; ville holds FORK, expiring.
async fn setup(app: &TestApp) -> reqwest::Client {
    let qm = app.user_with_roles("quinn", &["quality_manager"]).await;
    app.user_with_roles("olga", &["process_owner"]).await;
    app.user_with_roles("ville", &["staff"]).await;
    app.user_with_roles("wilma", &["staff"]).await;
    app.user_with_roles("aud", &["auditor"]).await;
    post(app, &qm, "/api/v1/processes", json!({ "code": "PROD", "name": "Production", "owner": "olga", "members": ["ville", "wilma"] })).await;
    post(app, &qm, "/api/v1/competences", json!({ "code": "FORK", "name": "Forklift licence", "name_fi": "Trukkikortti", "validity_months": 60, "evidence_required": true })).await;
    post(
        app,
        &qm,
        "/api/v1/competences",
        json!({ "code": "WELD", "name": "MAG welding", "name_fi": "MAG-hitsaus", "scale": "iluo" }),
    )
    .await;
    post(
        app,
        &qm,
        "/api/v1/competences/FORK/requirements",
        json!({ "process": "PROD" }),
    )
    .await;
    post(
        app,
        &qm,
        "/api/v1/competences/WELD/requirements",
        json!({ "process": "PROD", "level": "U" }),
    )
    .await;
    let day = |d: i64| (app.today() + chrono::TimeDelta::days(d)).to_string();
    post(app, &qm, "/api/v1/certifications", json!({ "user": "ville", "competence": "FORK", "issued_on": day(-300), "expires_on": day(10) })).await;
    post(
        app,
        &qm,
        "/api/v1/certifications",
        json!({ "user": "wilma", "competence": "WELD", "issued_on": day(-30), "level": "O" }),
    )
    .await;
    qm
}

/// Follows a form's 303 to the page it leads to.
async fn follow(app: &TestApp, c: &reqwest::Client, res: reqwest::Response) -> reqwest::Response {
    if res.status() != StatusCode::SEE_OTHER {
        return res;
    }
    let to = res.headers()["location"].to_str().unwrap().to_string();
    c.get(app.url(&to)).send().await.unwrap()
}

async fn status(c: &reqwest::Client, app: &TestApp, path: &str) -> StatusCode {
    c.get(app.url(path)).send().await.unwrap().status()
}

async fn pages_answer_each_reader_as_their_role_allows(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = setup(&app).await;
    let cert = get(&app, &qm, "/api/v1/certifications?user=ville").await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pages = [
        "/competence",
        "/competence/catalogue",
        "/competence/catalogue/WELD",
        "/competence/certifications",
        &format!("/competence/certifications/{cert}"),
        "/competence/trainings",
        "/competence/people/ville",
        "/processes/PROD",
        "/admin/users",
        "/admin/users/ville",
    ];
    for who in ["quinn", "olga", "aud"] {
        let c = page_login(&app, who, PASSWORD).await;
        for p in &pages {
            let expected = if p.starts_with("/admin") && who != "aud" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::OK
            };
            assert_eq!(status(&c, &app, p).await, expected, "{who} {p}");
        }
    }
    // Staff see their own competence, not the matrix or other people's.
    let ville = page_login(&app, "ville", PASSWORD).await;
    let res = ville.get(app.url("/competence")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/competence/people/ville");
    assert_eq!(
        status(&ville, &app, "/competence/people/wilma").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status(&ville, &app, &format!("/competence/certifications/{cert}")).await,
        StatusCode::OK
    );
    assert_eq!(
        status(&ville, &app, "/competence/matrix.csv").await,
        StatusCode::FORBIDDEN
    );
    let wilma = page_login(&app, "wilma", PASSWORD).await;
    assert_eq!(
        status(&wilma, &app, &format!("/competence/certifications/{cert}")).await,
        StatusCode::FORBIDDEN
    );

    // The matrix page shows each cell's state, and the turtle page who lacks what.
    let html = qm
        .get(app.url("/competence?process=PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("td[data-user]").unwrap();
    let cells: Vec<(String, String, String)> = doc
        .select(&sel)
        .map(|td| {
            let v = td.value();
            (
                v.attr("data-user").unwrap().to_string(),
                v.attr("data-key").unwrap().to_string(),
                v.attr("data-state").unwrap().to_string(),
            )
        })
        .collect();
    for want in [
        ("ville", "FORK", "expiring"),
        ("ville", "WELD", "missing"),
        ("wilma", "FORK", "missing"),
        ("wilma", "WELD", "valid"),
    ] {
        assert!(
            cells.contains(&(want.0.into(), want.1.into(), want.2.into())),
            "{want:?} in {cells:?}"
        );
    }
    let olga = page_login(&app, "olga", PASSWORD).await;
    let turtle = olga
        .get(app.url("/processes/PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&turtle);
    let sel = scraper::Selector::parse("#competence tbody tr").unwrap();
    let rows: Vec<String> = doc
        .select(&sel)
        .map(|r| r.text().collect::<String>())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let fork = rows.iter().find(|r| r.contains("Forklift")).unwrap();
    assert!(
        fork.contains("Test wilma") && !fork.contains("Test ville"),
        "{fork}"
    );
    assert!(fork.contains("1 / 2"), "{fork}");
    // A staff member sees the requirements, not the names.
    let turtle = ville
        .get(app.url("/processes/PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(turtle.contains("Forklift") && !turtle.contains("Test wilma</a>"));
}

async fn the_matrix_downloads_as_a_workbook_and_csv(backend: Backend) {
    let app = spawn_app(backend).await;
    let qm = setup(&app).await;
    let res = qm
        .get(app.url("/competence/matrix.xlsx?process=PROD"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let sheet = book.sheet_names()[0].clone();
    assert_eq!(sheet, "Competence matrix");
    let range = book.worksheet_range(&sheet).unwrap();
    let cell = |r: usize, c: usize| match range.get((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    };
    assert_eq!(cell(0, 0), "Person");
    assert_eq!(cell(0, 2), "FORK Forklift licence");
    assert_eq!(cell(0, 3), "WELD MAG welding");
    let rows: Vec<Vec<String>> = (1..range.height())
        .map(|r| (0..4).map(|c| cell(r, c)).collect())
        .collect();
    let expiry = app.today() + chrono::TimeDelta::days(10);
    assert_eq!(
        rows,
        [
            vec![
                "Test ville".to_string(),
                "PROD".into(),
                format!("Expiring – {}", expiry.format("%-d %b %Y")),
                "Missing".into()
            ],
            vec![
                "Test wilma".into(),
                "PROD".into(),
                "Missing".into(),
                "Valid (O)".into()
            ],
        ]
    );
    // In Finnish, as Excel set to Finnish reads CSV.
    let fi = page_login(&app, "quinn", PASSWORD).await;
    let html = fi
        .get(app.url("/competence"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token(&html);
    fi.post(app.url("/language"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("lang", "fi"),
            ("back", "/"),
        ])
        .send()
        .await
        .unwrap();
    let csv = fi
        .get(app.url("/competence/matrix.csv?process=PROD"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "Henkilö;Prosessit;FORK Trukkikortti;WELD MAG-hitsaus"
    );
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "Test ville;PROD;Vanhenemassa – {};Puuttuu",
            expiry.format("%-d.%-m.%Y")
        )
    );
}

async fn forms_record_plan_and_complete(backend: Backend) {
    let app = spawn_app(backend).await;
    let _qm = setup(&app).await;
    let olga = page_login(&app, "olga", PASSWORD).await;
    // The process owner records a certificate for a person of her process, with its evidence file.
    let html = olga
        .get(app.url("/competence/certifications"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token(&html);
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token.clone())
        .text("user", "wilma")
        .text("competence", "FORK")
        .text("issued_on", app.today().to_string())
        .text("issuer", "Ajokoulu Oy")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("kortti.pdf"),
        );
    let res = olga
        .post(app.url("/competence/certifications"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let res = follow(&app, &olga, res).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "followed to the certification"
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("kortti.pdf") && page.contains("Ajokoulu Oy"));
    // A refusal keeps what was typed.
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token.clone())
        .text("user", "wilma")
        .text("competence", "WELD")
        .text("issued_on", app.today().to_string())
        .text("issuer", "Kept issuer");
    let res = olga
        .post(app.url("/competence/certifications"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Kept issuer"), "typed values kept");
    assert!(page.contains("level on its scale"), "the refusal is shown");
    // She plans training for ville and completes it as his process owner.
    let res = olga
        .post(app.url("/competence/trainings"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("competence", "WELD"),
            ("users", "ville"),
            ("trainer", "olga"),
            (
                "due_on",
                &(app.today() + chrono::TimeDelta::days(7)).to_string(),
            ),
            ("level", "U"),
        ])
        .send()
        .await
        .unwrap();
    let res = follow(&app, &olga, res).await;
    assert_eq!(res.status(), StatusCode::OK);
    let training_url = res.url().path().to_string();
    assert!(
        training_url.starts_with("/competence/trainings/"),
        "{training_url}"
    );
    let res = olga
        .post(app.url(&format!("{training_url}/complete")))
        .form(&[
            ("csrf_token", token.as_str()),
            ("effective", "yes"),
            ("evaluation", "Bend test passed"),
            ("issued_on", &app.today().to_string()),
            ("level", "U"),
            ("issuer", "Olga"),
        ])
        .send()
        .await
        .unwrap();
    let res = follow(&app, &olga, res).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("Bend test passed"));
    let qm = app.login("quinn", PASSWORD).await;
    let m = get(&app, &qm, "/api/v1/competence-matrix?process=PROD").await;
    let ville = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["user"] == "ville")
        .unwrap();
    let weld = m["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["key"] == "WELD")
        .unwrap();
    assert_eq!(ville["cells"][weld]["state"], "valid");
    assert_eq!(ville["cells"][weld]["level_label"], "U");
}

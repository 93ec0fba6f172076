//! Records in the pages, over HTTP without JavaScript: the owner of a
//! process builds a form in the builder, it is approved, staff fill it in
//! (a refusal keeps what was typed and names the field), the register
//! filters and downloads it, a record's deviation is reported as a
//! nonconformity prefilled from it, and a correction is a new version.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, create_document, csrf_token, page_login, spawn_app,
};

backend_tests!(
    a_form_is_built_filled_registered_and_corrected_in_pages,
    the_builder_names_mistakes_and_only_editors_use_it,
    a_record_is_signed_on_its_page,
);

async fn text(c: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    let status = res.status();
    (status, res.text().await.unwrap())
}

async fn api(
    c: &reqwest::Client,
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> Value {
    let res = c
        .request(method, app.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Posts the builder with `fields` and the button `op`; answers the status
/// and the page (or the redirect's target).
async fn builder(
    app: &TestApp,
    c: &reqwest::Client,
    number: &str,
    fields: &[(&str, &str)],
    op: &str,
) -> (StatusCode, String) {
    let (status, page) = text(c, app, &format!("/documents/{number}/form")).await;
    if status != StatusCode::OK {
        return (status, page);
    }
    let token = csrf_token(&page);
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", &token), ("op", op)];
    form.extend_from_slice(fields);
    let res = c
        .post(app.url(&format!("/documents/{number}/form")))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (status, location.unwrap_or(res.text().await.unwrap()))
}

const FIELDS: &[(&str, &str)] = &[
    ("f.0.type", "text"),
    ("f.0.label_en", "Lot"),
    ("f.0.label_fi", "Erä"),
    ("f.0.required", "on"),
    ("f.1.type", "number"),
    ("f.1.label_en", "Temperature"),
    ("f.1.label_fi", "Lämpötila"),
    ("f.1.unit", "°C"),
    ("f.1.min", "18"),
    ("f.1.max", "25"),
    ("f.1.decimals", "1"),
    ("f.1.deviation", "outside_limits"),
    ("f.2.type", "yes_no"),
    ("f.2.label_en", "Clean"),
    ("f.2.label_fi", "Puhdas"),
    ("f.2.required", "on"),
    ("f.2.deviation", "no"),
    ("clauses", "8.5.1"),
];

/// A process PROD owned by olga with hanna in it, an auditor, a quality
/// manager, and a form template of PROD drafted by olga.
async fn setup(
    app: &TestApp,
) -> (
    reqwest::Client,
    reqwest::Client,
    reqwest::Client,
    reqwest::Client,
    String,
) {
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    app.user_with_roles("olga", &["process_owner"]).await;
    app.user_with_roles("hanna", &["staff"]).await;
    app.user_with_roles("aud", &["auditor"]).await;
    let olga = page_login(app, "olga", PASSWORD).await;
    let hanna = page_login(app, "hanna", PASSWORD).await;
    let aud = page_login(app, "aud", PASSWORD).await;
    api(
        &quinn,
        app,
        reqwest::Method::POST,
        "/api/v1/processes",
        json!({ "code": "PROD", "name": "Production", "owner": "olga", "members": ["hanna"] }),
    )
    .await;
    let number = create_document(
        app,
        &olga,
        json!({ "title": "Line check", "kind": "form", "process": "PROD" }),
    )
    .await;
    (quinn, olga, hanna, aud, number)
}

async fn fill(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    parts: &[(&str, &str)],
) -> (StatusCode, String) {
    let (status, page) = text(c, app, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {page}");
    let mut form = Form::new().text("csrf_token", csrf_token(&page));
    for (k, v) in parts {
        form = form.text(k.to_string(), v.to_string());
    }
    let res = c.post(app.url(path)).multipart(form).send().await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (status, location.unwrap_or(res.text().await.unwrap()))
}

async fn a_form_is_built_filled_registered_and_corrected_in_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let (quinn, olga, hanna, aud, number) = setup(&app).await;

    // Fields are added with buttons; nothing is saved until "save".
    let (status, page) = builder(&app, &olga, &number, &[("new_type", "number")], "add").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(r#"name="f.0.type""#), "a field was added");
    let (status, page) = builder(&app, &olga, &number, FIELDS, "preview").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(r#"id="preview""#) && page.contains(r#"name="v.temperature""#));
    let (status, to) = builder(&app, &olga, &number, FIELDS, "save").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let doc = api(
        &olga,
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/documents/{number}"),
        json!(null),
    )
    .await;
    let keys: Vec<&str> = doc["draft_form"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["lot", "temperature", "clean"],
        "keys come from the labels"
    );

    // Approved like a document.
    api(
        &olga,
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/documents/{number}/draft/submit"),
        json!({}),
    )
    .await;
    api(
        &quinn,
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved" }),
    )
    .await;

    // The auditor reads but does not fill in.
    let fill_path = format!("/forms/{number}/fill");
    assert_eq!(text(&aud, &app, &fill_path).await.0, StatusCode::FORBIDDEN);

    // A refusal keeps what was typed and names the field.
    let (status, page) = fill(
        &app,
        &hanna,
        &fill_path,
        &[
            ("process", "PROD"),
            ("v.lot", "L-77"),
            ("v.temperature", "warm"),
            ("v.clean", "yes"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse("#field-temperature .field-error").unwrap();
    assert_eq!(
        doc.select(&sel).count(),
        1,
        "the mistake is beside its field"
    );
    assert!(page.contains(r#"value="L-77""#) && page.contains(r#"value="warm""#));
    let (status, page) = fill(
        &app,
        &hanna,
        &fill_path,
        &[("process", "PROD"), ("v.temperature", "20")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["lot", "clean"] {
        let sel = scraper::Selector::parse(&format!("#field-{f} .field-error")).unwrap();
        assert_eq!(
            scraper::Html::parse_document(&page).select(&sel).count(),
            1,
            "{f} is required"
        );
    }

    // Filled in: a decimal comma is read, a deviation is offered as a nonconformity.
    let (status, to) = fill(
        &app,
        &hanna,
        &fill_path,
        &[
            ("process", "PROD"),
            ("v.lot", "=HYPERLINK(\"x\")"),
            ("v.temperature", "26,5"),
            ("v.clean", "no"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let record = format!("{number}-0001");
    assert!(to.starts_with(&format!("/records/{record}")), "{to}");
    let (status, page) = text(&hanna, &app, &format!("/records/{record}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("26.5\u{a0}°C"), "the reading with its unit");
    assert!(
        page.contains(&format!("/nonconformities/new?record={record}")),
        "a deviation offers a report"
    );
    let (_, second) = fill(
        &app,
        &hanna,
        &fill_path,
        &[
            ("process", "PROD"),
            ("v.lot", "L-78"),
            ("v.temperature", "21"),
            ("v.clean", "yes"),
        ],
    )
    .await;
    assert!(second.contains("-0002"), "{second}");

    // The report starts from the record and links both ways.
    let (status, page) = text(
        &hanna,
        &app,
        &format!("/nonconformities/new?record={record}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!(r#"name="record" value="{record}""#)));
    assert!(
        page.contains("Temperature: 26.5"),
        "the deviating answer is in the description"
    );
    let token = csrf_token(&page);
    let res = hanna
        .post(app.url("/nonconformities"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("kind", "deviation"),
            ("title", "Line too warm"),
            ("description", "26.5"),
            ("detected_in", "PROD"),
            ("responsible", "PROD"),
            ("severity", "minor"),
            ("record", record.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let r = api(
        &aud,
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/records/{record}"),
        json!(null),
    )
    .await;
    assert_eq!(r["nonconformities"].as_array().unwrap().len(), 1);

    // The register filters on the fields' values.
    let register = format!("/forms/{number}");
    let (status, page) = text(&aud, &app, &register).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&record) && page.contains("-0002"));
    let (_, page) = text(&aud, &app, &format!("{register}?eq.clean=yes")).await;
    assert!(
        !page.contains(&format!(">{record}<")) && page.contains("-0002"),
        "only the clean one"
    );
    let (_, page) = text(&aud, &app, &format!("{register}?min.temperature=25")).await;
    assert!(
        page.contains(&format!(">{record}<")) && !page.contains("-0002<"),
        "only the warm one"
    );

    // Downloads: one column a field, formulas neutralised, the list's filters.
    let res = aud
        .get(app.url(&format!("/forms/{number}/records.csv?eq.clean=no")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(
        csv.contains("Temperature (°C)") && csv.contains("26.5"),
        "{csv}"
    );
    assert!(
        csv.contains("'=HYPERLINK"),
        "a formula is written as text: {csv}"
    );
    assert!(!csv.contains("L-78"), "the filter applies");
    let res = aud
        .get(app.url(&format!("/forms/{number}/records.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.bytes().await.unwrap().starts_with(b"PK"),
        "an XLSX workbook"
    );

    // A correction is a new version with a reason; the first stays in the history.
    let correct = format!("/records/{record}/correct");
    assert_eq!(text(&aud, &app, &correct).await.0, StatusCode::FORBIDDEN);
    let (_, page) = text(&hanna, &app, &correct).await;
    assert!(
        page.contains(r#"value="26.5""#),
        "the answers in force are filled in"
    );
    let (status, page) = fill(
        &app,
        &hanna,
        &correct,
        &[
            ("version", "1"),
            ("v.lot", "L-77"),
            ("v.temperature", "24"),
            ("v.clean", "yes"),
        ],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    assert!(page.contains(r#"value="24""#), "what was typed is kept");
    let (status, _) = fill(
        &app,
        &hanna,
        &correct,
        &[
            ("version", "1"),
            ("v.lot", "L-77"),
            ("v.temperature", "24"),
            ("v.clean", "yes"),
            ("reason", "Read the wrong gauge"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = text(&aud, &app, &format!("/records/{record}")).await;
    assert!(
        page.contains("Read the wrong gauge") && page.contains("26.5") && page.contains("24.0")
    );
    let r = api(
        &aud,
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/records/{record}"),
        json!(null),
    )
    .await;
    assert_eq!(r["version"], 2);
    assert_eq!(r["versions"][0]["values"]["temperature"], 26.5);

    // The list of templates.
    let (status, page) = text(&hanna, &app, "/forms").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&number) && page.contains(&fill_path));
}

async fn the_builder_names_mistakes_and_only_editors_use_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_quinn, olga, hanna, aud, number) = setup(&app).await;
    let path = format!("/documents/{number}/form");
    assert_eq!(text(&aud, &app, &path).await.0, StatusCode::FORBIDDEN);
    assert_eq!(text(&hanna, &app, &path).await.0, StatusCode::FORBIDDEN);
    let bad = [
        ("f.0.type", "choice"),
        ("f.0.label_en", "Result"),
        ("f.1.type", "number"),
        ("f.1.label_en", "Reading"),
        ("f.1.min", "9"),
        ("f.1.max", "1"),
    ];
    let (status, page) = builder(&app, &olga, &number, &bad, "save").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let doc = scraper::Html::parse_document(&page);
    for i in 0..2 {
        let sel = scraper::Selector::parse(&format!("#f{i} .field-error")).unwrap();
        assert!(
            doc.select(&sel).count() >= 1,
            "field {i} names its mistake: {page}"
        );
    }
    assert!(
        page.contains(r#"value="Reading""#),
        "what was typed is kept"
    );
    let doc = api(
        &olga,
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/documents/{number}"),
        json!(null),
    )
    .await;
    assert!(doc["draft_form"].is_null(), "nothing was saved: {doc}");
    // Moving and removing are buttons too.
    let two = [
        ("f.0.type", "text"),
        ("f.0.label_en", "First"),
        ("f.1.type", "text"),
        ("f.1.label_en", "Second"),
    ];
    let (_, page) = builder(&app, &olga, &number, &two, "up-1").await;
    let first = page.find(r#"value="Second""#).unwrap();
    assert!(first < page.find(r#"value="First""#).unwrap(), "moved up");
    let (_, page) = builder(&app, &olga, &number, &two, "remove-0").await;
    assert!(!page.contains(r#"value="First""#) && page.contains(r#"value="Second""#));
}

async fn a_record_is_signed_on_its_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let (quinn, olga, hanna, aud, number) = setup(&app).await;
    let quinn_page = page_login(&app, "quinn", PASSWORD).await;
    api(
        &olga,
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        json!({ "content": "# Check", "form": {
            "fields": [{"key": "ok", "type": "yes_no", "label": {"en": "OK", "fi": "OK"}}],
            "signatures": [{"meaning": "reviewed"}]
        }}),
    )
    .await;
    api(
        &olga,
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/documents/{number}/draft/submit"),
        json!({}),
    )
    .await;
    api(
        &quinn,
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved" }),
    )
    .await;
    let (status, to) = fill(
        &app,
        &hanna,
        &format!("/forms/{number}/fill"),
        &[("v.ok", "yes")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let record = format!("{number}-0001");
    let path = format!("/records/{record}");
    let (_, page) = text(&aud, &app, &path).await;
    assert!(
        !page.contains(&format!("{path}/sign")),
        "the auditor is not offered to sign"
    );
    let (_, page) = text(&quinn_page, &app, &path).await;
    assert!(page.contains(&format!("{path}/sign")), "the reviewer is");
    let sign = |password: &'static str, token: String| {
        let c = quinn_page.clone();
        let url = app.url(&format!("{path}/sign"));
        async move {
            c.post(url)
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("meaning", "reviewed"),
                    ("version", "1"),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let res = sign("wrong-password", csrf_token(&page)).await;
    assert!(res.status().is_client_error(), "{}", res.status());
    let again = res.text().await.unwrap();
    assert!(again.contains(r#"class="error""#) && again.contains(&format!("{path}/sign")));
    let res = sign(PASSWORD, csrf_token(&page)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let r = api(
        &aud,
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/records/{record}"),
        json!(null),
    )
    .await;
    assert_eq!(r["signed"], true);
    assert_eq!(r["signatures"][0]["signer"], "quinn");
    let (_, page) = text(&aud, &app, &path).await;
    assert!(page.contains("Reviewed") && page.contains("Test quinn"));
}

//! The auditor reads everything and changes nothing, provably: on the demo
//! data, every write route of the OpenAPI document is called as the
//! auditor with real identifiers, each must refuse with 403 (`forbidden`,
//! or `signer_not_allowed` where a signature is asked for),
//! and the database and the document repository are the same afterwards.
//!
//! Only the auditor's own account is theirs to change: logging in and out,
//! their language and mail choice, their password, their API tokens.

use diesel::{Connection, QueryableByName, RunQueryDsl};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, get, spawn_demo_app};

backend_tests!(the_auditor_changes_nothing_through_any_write_route);

const DEMO_PASSWORD: &str = "laatu-demo-2026";

/// The routes of the auditor's own account.
const OWN_ACCOUNT: &[(&str, &str)] = &[
    ("POST", "/api/v1/session"),
    ("DELETE", "/api/v1/session"),
    ("PATCH", "/api/v1/me"),
    ("POST", "/api/v1/me/password"),
    ("POST", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{id}"),
];

/// Tables that change when anyone, the auditor included, uses the server:
/// sessions and tokens (last seen), login throttling.
const BOOKKEEPING: &[&str] = &[
    "sessions",
    "api_tokens",
    "login_throttles",
    "__diesel_schema_migrations",
];

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

/// Every row of every table but the bookkeeping ones, as text, sorted; and
/// every ref of the document repository with its target.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let (backend, url, repo) = (
        app.backend.clone(),
        app.database_url.clone(),
        app.data_dir.join("documents.git"),
    );
    tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        match backend {
            Backend::Sqlite => {
                let mut c = diesel::SqliteConnection::establish(&url).expect("sqlite");
                let tables: Vec<Line> = diesel::sql_query(
                    "SELECT name AS line FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .load(&mut c)
                .unwrap();
                for t in tables.into_iter().filter(|t| !BOOKKEEPING.contains(&t.line.as_str())) {
                    let cols: Vec<Line> = diesel::sql_query(format!(
                        "SELECT name AS line FROM pragma_table_info('{}')",
                        t.line
                    ))
                    .load(&mut c)
                    .unwrap();
                    let row = cols
                        .iter()
                        .map(|c| format!("quote(\"{}\")", c.line))
                        .collect::<Vec<_>>()
                        .join(" || '|' || ");
                    let rows: Vec<Line> =
                        diesel::sql_query(format!("SELECT {row} AS line FROM \"{}\"", t.line))
                            .load(&mut c)
                            .unwrap();
                    out.extend(rows.into_iter().map(|r| format!("{}: {}", t.line, r.line)));
                }
            }
            Backend::Postgres(_) => {
                let mut c = diesel::PgConnection::establish(&url).expect("postgres");
                let tables: Vec<Line> = diesel::sql_query(
                    "SELECT tablename::text AS line FROM pg_tables WHERE schemaname = 'public'",
                )
                .load(&mut c)
                .unwrap();
                for t in tables.into_iter().filter(|t| !BOOKKEEPING.contains(&t.line.as_str())) {
                    let rows: Vec<Line> = diesel::sql_query(format!(
                        "SELECT t::text AS line FROM \"{}\" t",
                        t.line
                    ))
                    .load(&mut c)
                    .unwrap();
                    out.extend(rows.into_iter().map(|r| format!("{}: {}", t.line, r.line)));
                }
            }
        }
        let repo = git2::Repository::open_bare(&repo).expect("document repository");
        for r in repo.references().unwrap() {
            let r = r.unwrap();
            out.push(format!(
                "ref {} {}",
                r.name().unwrap_or_default(),
                r.target().map(|o| o.to_string()).unwrap_or_default()
            ));
        }
        out.sort();
        out
    })
    .await
    .unwrap()
}

fn first(v: &Value) -> &Value {
    match v {
        Value::Array(a) => &a[0],
        other => &other["items"][0],
    }
}

fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

/// Real identifiers of the demo, read as the quality manager.
struct Ids {
    document: String,
    form: String,
    record: String,
    schedule: String,
    nc: String,
    action: String,
    process: String,
    output: String,
    input: String,
    kpi: String,
    competence: String,
    requirement: String,
    certification: String,
    training: String,
}

async fn ids(app: &TestApp, qm: &reqwest::Client) -> Ids {
    let docs = get(app, qm, "/api/v1/documents?per_page=100").await;
    let document = text(&docs["items"][0]["number"]);
    let forms = get(app, qm, "/api/v1/documents?kind=form&per_page=100").await;
    let mut with_record = None;
    for f in forms["items"].as_array().unwrap() {
        let form = text(&f["number"]);
        let records = get(app, qm, &format!("/api/v1/forms/{form}/records")).await;
        if let Some(r) = records["items"].as_array().and_then(|r| r.first()) {
            with_record = Some((form, text(&r["number"])));
            break;
        }
    }
    let (form, record) = with_record.expect("the demo has a form with records");
    let schedules = get(app, qm, &format!("/api/v1/forms/{form}/schedules")).await;
    let schedule = schedules.as_array().and_then(|a| a.first()).map_or_else(
        || "00000000-0000-0000-0000-000000000000".into(),
        |s| text(&s["id"]),
    );
    let ncs = get(app, qm, "/api/v1/nonconformities?per_page=100").await;
    let mut with_action = None;
    for n in ncs["items"].as_array().unwrap() {
        let number = text(&n["number"]);
        let detail = get(app, qm, &format!("/api/v1/nonconformities/{number}")).await;
        if let Some(a) = detail["actions"].as_array().and_then(|a| a.first()) {
            with_action = Some((number, text(&a["id"])));
            break;
        }
    }
    let (nc, action) = with_action.expect("the demo has a case with an action");
    let process = "PROD".to_string();
    let p = get(app, qm, &format!("/api/v1/processes/{process}")).await;
    let kpis = get(app, qm, &format!("/api/v1/processes/{process}/kpis")).await;
    let competences = get(app, qm, "/api/v1/competences").await;
    let with_requirement = competences
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["requirements"].as_array().is_some_and(|r| !r.is_empty()))
        .expect("a competence with a requirement");
    Ids {
        document,
        form,
        record,
        schedule,
        nc,
        action,
        output: text(&p["outputs"][0]["id"]),
        input: text(&p["inputs"][0]["id"]),
        process,
        kpi: text(&first(&kpis)["id"]),
        competence: text(&with_requirement["code"]),
        requirement: text(&with_requirement["requirements"][0]["id"]),
        certification: text(&first(&get(app, qm, "/api/v1/certifications").await)["id"]),
        training: text(&first(&get(app, qm, "/api/v1/trainings").await)["id"]),
    }
}

/// The path with its parameters replaced by real identifiers.
fn concrete(path: &str, ids: &Ids) -> String {
    let number = if path.starts_with("/api/v1/documents/") {
        &ids.document
    } else if path.starts_with("/api/v1/nonconformities/") {
        &ids.nc
    } else if path.starts_with("/api/v1/forms/") {
        &ids.form
    } else {
        &ids.record
    };
    let id = if path.contains("/outputs/") {
        &ids.output
    } else if path.contains("/inputs/") {
        &ids.input
    } else if path.starts_with("/api/v1/kpis/") {
        &ids.kpi
    } else if path.contains("/actions/") {
        &ids.action
    } else if path.contains("/requirements/") {
        &ids.requirement
    } else if path.starts_with("/api/v1/certifications/") {
        &ids.certification
    } else if path.starts_with("/api/v1/trainings/") {
        &ids.training
    } else {
        &ids.schedule
    };
    let code = if path.starts_with("/api/v1/competences/") {
        &ids.competence
    } else {
        &ids.process
    };
    path.replace("{number}", number)
        .replace("{id}", id)
        .replace("{code}", code)
        .replace("{username}", "emma")
        .replace("{kind}", "procedure")
        .replace("{name}", "evidence.pdf")
        .replace("{n}", "1")
}

async fn the_auditor_changes_nothing_through_any_write_route(backend: Backend) {
    let app = spawn_demo_app(backend).await;
    let qm = app.login("laura", DEMO_PASSWORD).await;
    let ids = ids(&app, &qm).await;
    let auditor = app.login("aino", DEMO_PASSWORD).await;
    let token = app.token_for(&auditor).await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut writes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let m = method.to_uppercase();
            if ["POST", "PUT", "PATCH", "DELETE"].contains(&m.as_str())
                && !OWN_ACCOUNT.contains(&(m.as_str(), path.as_str()))
            {
                writes.push((m, path.clone()));
            }
        }
    }
    assert!(
        writes.len() > 40,
        "the walk covers the write routes: {}",
        writes.len()
    );

    let before = snapshot(&app).await;
    let mut failures = Vec::new();
    for (method, path) in &writes {
        let url = app.url(&concrete(path, &ids));
        let res = crate::helpers::client()
            .request(Method::from_bytes(method.as_bytes()).unwrap(), &url)
            .bearer_auth(&token)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        let code = body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        // `signer_not_allowed` is the signature routes' own word for it.
        let refusal = ["forbidden", "signer_not_allowed"].contains(&code.as_str());
        if !(status == StatusCode::FORBIDDEN && refusal) {
            failures.push(format!("{method} {path} ({url}) -> {status} {code}"));
        }
    }
    assert!(
        failures.is_empty(),
        "the auditor must be refused everywhere:\n{}",
        failures.join("\n")
    );
    let after = snapshot(&app).await;
    let gone: Vec<&String> = before.iter().filter(|l| !after.contains(l)).collect();
    let new: Vec<&String> = after.iter().filter(|l| !before.contains(l)).collect();
    assert!(
        gone.is_empty() && new.is_empty(),
        "the data changed:\nbefore only: {gone:#?}\nafter only: {new:#?}"
    );
    assert!(
        before.len() > 1000,
        "the snapshot holds the demo: {}",
        before.len()
    );
}

//! The audit trail as a person reads it: sentences in both languages,
//! filters as selects, logins hidden unless asked, the CSV download with
//! hashes, the chain check button, who may see what, and the page in a
//! real browser at desktop and phone size.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use diesel::RunQueryDsl;
use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::browser::{both_sizes, browser_login, open_browser, start_driver};
use crate::helpers::{
    ADMIN_PASSWORD, Backend, PASSWORD, TestApp, csrf_token, page_login, spawn_app, spawn_demo_app,
};

backend_tests!(
    events_read_as_sentences_in_both_languages,
    filters_select_and_logins_are_hidden_unless_asked,
    csv_holds_the_filtered_events_with_their_hashes,
    verify_button_runs_the_chain_check_and_changes_nothing,
    who_may_read_download_and_verify,
);

// --- Every action written has a sentence ----------------------------------

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn catalog(lang: &str) -> BTreeSet<String> {
    let dir = format!("{}/src/i18n/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
    let mut keys = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        keys.extend(
            text.lines()
                .filter(|l| !l.starts_with([' ', '#']))
                .filter_map(|l| l.split_once(" ="))
                .map(|(k, _)| k.trim().to_string()),
        );
    }
    keys
}

/// Every string literal of the sources shaped like `area.verb`.
fn dotted_literals() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut found = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for piece in text.split('"').skip(1).step_by(2) {
            let Some((a, b)) = piece.split_once('.') else {
                continue;
            };
            let word = |s: &str| {
                s.starts_with(|c: char| c.is_ascii_lowercase())
                    && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            };
            if word(a) && word(b) {
                found.insert(piece.to_string());
            }
        }
    }
    found
}

/// Dotted literals that are not actions: file names and form field paths.
/// A new literal shaped like an action that is not one must be named here,
/// so that an action can never slip past unnoticed.
fn is_not_an_action(lit: &str) -> bool {
    const FILE_ENDINGS: &[&str] = &[
        "pdf", "xlsx", "html", "txt", "toml", "lock", "git", "db", "key", "png", "csv", "json",
        "md", "svg", "example", "bundle", "jsonl",
    ];
    const FORM_PATHS: &[&str] = &["v.m", "v.t", "promise.fi"];
    let (_, end) = lit.split_once('.').unwrap_or_default();
    FILE_ENDINGS.contains(&end) || FORM_PATHS.contains(&lit)
}

#[test]
fn every_action_written_has_a_sentence_and_a_label_in_both_catalogs() {
    let actions: Vec<String> = dotted_literals()
        .into_iter()
        .filter(|l| !is_not_an_action(l))
        .collect();
    assert!(actions.len() > 80, "found only {} actions", actions.len());
    for must in [
        "record.submitted",
        "nonconformity.accepted",
        "session.created",
    ] {
        assert!(actions.iter().any(|a| a == must), "{must} not found");
    }
    let (en, fi) = (catalog("en"), catalog("fi"));
    let mut missing = Vec::new();
    for a in &actions {
        for prefix in ["audit-sentence-", "audit-action-"] {
            let key = laatu::audit::sentence::action_key(prefix, a);
            if !(en.contains(&key) && fi.contains(&key)) {
                missing.push(key);
            }
        }
    }
    assert!(missing.is_empty(), "actions without messages: {missing:?}");

    // Each system actor and each area reads as words too.
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut keys = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (marker, prefix) in [
            ("Actor::system(\"", "audit-system-"),
            ("entity_type: \"", "audit-area-"),
            ("const ENTITY: &'static str = \"", "audit-area-"),
        ] {
            for (i, _) in text.match_indices(marker) {
                let rest = &text[i + marker.len()..];
                let name = &rest[..rest.find('"').unwrap()];
                keys.insert(format!("{prefix}{name}"));
            }
        }
    }
    assert!(keys.contains("audit-system-scheduler"), "{keys:?}");
    let missing: Vec<_> = keys
        .iter()
        .filter(|k| !(en.contains(*k) && fi.contains(*k)))
        .collect();
    assert!(missing.is_empty(), "without words: {missing:?}");
}

// --- Helpers ----------------------------------------------------------------

async fn page(c: &reqwest::Client, app: &TestApp, path: &str, lang: &str) -> (StatusCode, String) {
    let res = c
        .get(app.url(path))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The sentences of a trail page, in order.
fn sentences(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("li.event p.sentence").unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn options(html: &str, select: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("select[name={select}] option")).unwrap();
    doc.select(&sel)
        .map(|e| {
            (
                e.value().attr("value").unwrap_or_default().to_string(),
                e.text().collect::<String>(),
            )
        })
        .collect()
}

/// A quality manager named Laura Laatikainen who creates a process.
async fn laura_creates_a_process(app: &TestApp) -> reqwest::Client {
    let admin = app.admin().await;
    let res = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({
            "username": "laura", "display_name": "Laura Laatikainen",
            "email": "laura@example.com", "password": PASSWORD,
            "roles": ["quality_manager"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let laura = app.login("laura", PASSWORD).await;
    let res = laura
        .post(app.url("/api/v1/processes"))
        .json(&json!({ "code": "PROD", "name": "Production", "owner": "laura" }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    laura
}

// --- Sentences --------------------------------------------------------------

async fn events_read_as_sentences_in_both_languages(backend: Backend) {
    let app = spawn_app(backend).await;
    laura_creates_a_process(&app).await;
    app.user_with_roles("aino", &["auditor"]).await;
    let aino = page_login(&app, "aino", PASSWORD).await;

    let (status, en) = page(&aino, &app, "/audit", "en").await;
    assert_eq!(status, StatusCode::OK);
    let en = sentences(&en);
    assert!(
        en.contains(&"Laura Laatikainen created the process PROD".to_string()),
        "{en:?}"
    );
    assert!(
        en.contains(&"Administrator created the account of Laura Laatikainen".to_string()),
        "{en:?}"
    );
    assert!(
        en.contains(&"Laatu (setup) created the account of Administrator".to_string()),
        "{en:?}"
    );
    let (_, fi_html) = page(&aino, &app, "/audit", "fi").await;
    let fi = sentences(&fi_html);
    assert!(
        fi.contains(&"Laura Laatikainen perusti prosessin PROD".to_string()),
        "{fi:?}"
    );
    assert!(
        fi.contains(&"Administrator loi käyttäjätilin: Laura Laatikainen".to_string()),
        "{fi:?}"
    );
    // The changed fields are a table with names through the catalog.
    let doc = scraper::Html::parse_document(&fi_html);
    let sel = scraper::Selector::parse("table.changes th[scope=row]").unwrap();
    let fields: BTreeSet<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert!(
        fields.contains("Omistaja") && fields.contains("Nimi"),
        "{fields:?}"
    );
    let sel = scraper::Selector::parse("main").unwrap();
    let shown: String = doc.select(&sel).next().unwrap().text().collect();
    for raw in ["process.created", "user.created", "system:", "{$"] {
        assert!(!shown.contains(raw), "{raw} shown on the Finnish page");
    }
}

/// The whole demo trail: every event reads as its own sentence, in both
/// languages, with no code, no `system:` and no unfilled argument.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_event_reads_as_its_own_sentence() {
    let app = spawn_demo_app(Backend::Sqlite).await;
    let admin = page_login(&app, "admin", ADMIN_PASSWORD).await;
    for lang in ["en", "fi"] {
        let res = admin
            .get(app.url("/audit-events.csv"))
            .header("Accept-Language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body = res.text().await.unwrap();
        let delimiter = if lang == "fi" { b';' } else { b',' };
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(body.trim_start_matches('\u{feff}').as_bytes());
        let mut actions = BTreeSet::new();
        let mut scheduler = false;
        for row in csv.records() {
            let row = row.unwrap();
            let (who, sentence, action) = (&row[2], &row[4], &row[5]);
            actions.insert(action.to_string());
            let label = laatu::audit::sentence::action_name(
                laatu::i18n::Lang::parse(lang).unwrap(),
                action,
            );
            assert!(
                !sentence.contains('{')
                    && !sentence.contains("system:")
                    && !sentence.contains(action)
                    && !sentence.contains(&format!(": {label} (")),
                "{lang}: {action} reads {sentence:?}"
            );
            assert!(!who.starts_with("system:"), "{who}");
            scheduler |= who
                == if lang == "fi" {
                    "Laatu (ajastettu tarkistus)"
                } else {
                    "Laatu (scheduled check)"
                };
        }
        assert!(scheduler, "{lang}: the scheduler's events are in the demo");
        assert!(actions.len() > 30, "{actions:?}");
    }
}

// --- Filters ----------------------------------------------------------------

async fn filters_select_and_logins_are_hidden_unless_asked(backend: Backend) {
    let app = spawn_app(backend).await;
    laura_creates_a_process(&app).await;
    app.user_with_roles("aino", &["auditor"]).await;
    let aino = page_login(&app, "aino", PASSWORD).await;

    let (_, html) = page(&aino, &app, "/audit", "en").await;
    let shown = sentences(&html);
    assert!(!shown.is_empty());
    assert!(
        shown.iter().all(|s| !s.contains("logged in")),
        "logins hidden by default: {shown:?}"
    );
    // The selects offer areas, actions and people by name.
    let areas = options(&html, "entity_type");
    assert!(
        areas.contains(&("process".into(), "Processes".into())),
        "{areas:?}"
    );
    let people = options(&html, "actor");
    assert!(
        people.contains(&("laura".into(), "Laura Laatikainen".into())),
        "{people:?}"
    );
    assert!(
        people.contains(&("system:setup".into(), "Laatu (setup)".into())),
        "{people:?}"
    );
    let actions = options(&html, "action");
    assert!(
        actions.contains(&("process.created".into(), "Process created".into())),
        "{actions:?}"
    );
    assert!(html.contains("name=\"logins\""));

    let (_, html) = page(&aino, &app, "/audit?logins=true", "en").await;
    let shown = sentences(&html);
    assert!(
        shown.contains(&"Laura Laatikainen logged in".to_string()),
        "{shown:?}"
    );

    let (_, html) = page(&aino, &app, "/audit?actor=laura&entity_type=process", "en").await;
    assert_eq!(
        sentences(&html),
        ["Laura Laatikainen created the process PROD"]
    );
    let (_, html) = page(&aino, &app, "/audit?action=user.created", "en").await;
    assert_eq!(sentences(&html).len(), 3, "admin, laura, aino");

    // Date range: whole days, both ends included.
    let today = app
        .now()
        .and_utc()
        .with_timezone(&app.state.tz)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let (_, html) = page(
        &aino,
        &app,
        &format!("/audit?from={today}&to={today}"),
        "en",
    )
    .await;
    assert!(sentences(&html).len() >= 4);
    let (_, html) = page(&aino, &app, "/audit?from=2999-01-01", "en").await;
    assert!(sentences(&html).is_empty());
    assert!(html.contains("No events"));

    // Paging: 50 a page; more events make a second page.
    for n in 0..50 {
        let admin = app.admin().await;
        let res = admin
            .post(app.url("/api/v1/users"))
            .json(&json!({
                "username": format!("u{n}"), "display_name": format!("User {n}"),
                "email": "", "password": PASSWORD, "roles": ["staff"],
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let (_, html) = page(&aino, &app, "/audit", "en").await;
    assert_eq!(sentences(&html).len(), 50);
    assert!(html.contains("rel=\"next\""));
    let (_, page2) = page(&aino, &app, "/audit?page=2", "en").await;
    assert!(!sentences(&page2).is_empty());
    assert_ne!(sentences(&page2)[0], sentences(&html)[0]);
}

// --- CSV --------------------------------------------------------------------

async fn csv_holds_the_filtered_events_with_their_hashes(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    // A display name that a spreadsheet would run as a formula.
    let res = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({
            "username": "eve", "display_name": "=HYPERLINK(\"http://x\")",
            "email": "", "password": PASSWORD, "roles": ["auditor"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let eve = page_login(&app, "eve", PASSWORD).await;
    let api: Value = eve
        .get(app.url("/api/v1/audit-events?entity_type=user&per_page=200"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let res = eve
        .get(app.url("/audit-events.csv?entity_type=user"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("audit-events.csv")
    );
    let body = res.text().await.unwrap();
    let mut csv = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "#");
    assert_eq!(header.last().unwrap(), "Hash");
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let items = api["items"].as_array().unwrap();
    assert_eq!(rows.len(), items.len());
    for (row, e) in rows.iter().zip(items) {
        assert_eq!(row[0], e["seq"].as_i64().unwrap().to_string());
        assert_eq!(&row[10], e["prev_hash"].as_str().unwrap());
        assert_eq!(&row[11], e["hash"].as_str().unwrap());
        assert_eq!(&row[6], "user");
    }

    // Logins are in unless the filter leaves them out, as in the API; the
    // formula in eve's name is neutralised.
    let res = eve
        .get(app.url("/audit-events.csv?action=session.created&actor=eve"))
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    let mut csv = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][2], "'=HYPERLINK(\"http://x\")");
    assert!(rows[0][4].starts_with("'=HYPERLINK"), "{:?}", &rows[0][4]);
    let res = eve
        .get(app.url("/audit-events.csv?action=session.created&logins=false"))
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    assert_eq!(
        body.trim_start_matches('\u{feff}').lines().count(),
        1,
        "{body}"
    );

    // The page links to the CSV of what it shows.
    let (_, html) = page(&eve, &app, "/audit?entity_type=user", "en").await;
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("a#audit-csv").unwrap();
    let href = doc
        .select(&sel)
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap();
    assert_eq!(href, "/audit-events.csv?entity_type=user&logins=false");
    let res = eve
        .get(app.url("/audit-events.csv?from=yesterday"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

// --- The chain check --------------------------------------------------------

async fn verify(c: &reqwest::Client, app: &TestApp, lang: &str) -> (StatusCode, String) {
    let (_, html) = page(c, app, "/audit", lang).await;
    let token = csrf_token(&html);
    let res = c
        .post(app.url("/audit/verify?entity_type=user"))
        .header("Accept-Language", lang)
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

fn chain_result(html: &str) -> (String, String) {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("#audit-chain").unwrap();
    let e = doc.select(&sel).next().expect("a chain result");
    (
        e.value().attr("class").unwrap_or_default().to_string(),
        e.text().collect(),
    )
}

fn event_count(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    laatu::db::schema::audit_events::table
        .count()
        .get_result(&mut app.db())
        .unwrap()
}

async fn verify_button_runs_the_chain_check_and_changes_nothing(backend: Backend) {
    let app = spawn_app(backend.clone()).await;
    app.user_with_roles("anna", &["staff"]).await;
    app.user_with_roles("aino", &["auditor"]).await;
    let aino = page_login(&app, "aino", PASSWORD).await;
    let (_, html) = page(&aino, &app, "/audit", "en").await;
    assert!(html.contains("id=\"audit-verify\""));
    assert!(
        !html.contains("laatu check"),
        "no pointer to the command line"
    );

    let before = event_count(&app);
    let (status, html) = verify(&aino, &app, "en").await;
    assert_eq!(status, StatusCode::OK);
    let (class, text) = chain_result(&html);
    assert_eq!(class, "notice");
    assert!(
        text.contains(&format!("all {before} events follow")),
        "{text}"
    );
    assert_eq!(event_count(&app), before, "verifying writes nothing");
    // The filters stay as they were.
    assert!(sentences(&html).iter().all(|s| s.contains("account")));

    // Someone with database access edits event #3 behind the application's back.
    let mut db = app.db();
    let drop_guard = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_events_no_update",
        Backend::Postgres(_) => "DROP TRIGGER audit_events_no_change ON audit_events",
    };
    diesel::sql_query(drop_guard).execute(&mut db).unwrap();
    diesel::sql_query("UPDATE audit_events SET actor_name = 'someone-else' WHERE seq = 3")
        .execute(&mut db)
        .unwrap();
    let (_, html) = verify(&aino, &app, "fi").await;
    let (class, text) = chain_result(&html);
    assert_eq!(class, "error");
    assert!(text.contains("#3"), "{text}");
    assert!(text.contains("muutettu jälkikäteen"), "{text}");
    // The command line agrees.
    let out = app.laatu(&["check"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("audit event #3 is broken"));
}

// --- Roles ------------------------------------------------------------------

async fn who_may_read_download_and_verify(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_roles("anna", &["staff"]).await;
    app.user_with_roles("quinn", &["quality_manager"]).await;
    let anna = page_login(&app, "anna", PASSWORD).await;
    let (status, _) = page(&anna, &app, "/audit", "en").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = page(&anna, &app, "/audit-events.csv", "en").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let home = page(&anna, &app, "/", "en").await.1;
    let token = csrf_token(&home);
    let res = anna
        .post(app.url("/audit/verify"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // A quality manager reads and downloads, but the check is the
    // administrators' and auditors' (not offered, and refused).
    let quinn = page_login(&app, "quinn", PASSWORD).await;
    let (status, html) = page(&quinn, &app, "/audit", "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("id=\"audit-verify\""));
    assert!(html.contains("id=\"audit-csv\""));
    let (status, _) = page(&quinn, &app, "/audit-events.csv", "en").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = verify(&quinn, &app, "en").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = page_login(&app, "admin", ADMIN_PASSWORD).await;
    let (status, html) = verify(&admin, &app, "en").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(chain_result(&html).0, "notice");

    // Anonymous: to the login page, no data.
    let res = crate::helpers::client()
        .get(app.url("/audit-events.csv"))
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), StatusCode::OK);
}

// --- In a real browser ------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auditor_filters_the_trail_and_verifies_the_chain_in_the_browser() {
    let Some(driver) = start_driver().await else {
        return;
    };
    let app = spawn_demo_app(Backend::Sqlite).await;
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    let result = async {
        browser_login(&browser, &app, "aino", "laatu-demo-2026").await?;
        browser.goto(&app.url("/audit")).await?;
        browser
            .wait()
            .for_element(Locator::Css("ol.trail li.event"))
            .await?;
        both_sizes(&browser, "audit-trail").await?;

        browser
            .find(Locator::Css("select[name=entity_type]"))
            .await?
            .select_by_value("nonconformity")
            .await?;
        browser
            .find(Locator::Css(".audit-filters button[type=submit]"))
            .await?
            .click()
            .await?;
        browser
            .wait()
            .for_element(Locator::Css(
                "select[name=entity_type] option[value=nonconformity][selected]",
            ))
            .await?;
        let areas = browser.find_all(Locator::Css("li.event .area")).await?;
        assert!(!areas.is_empty());
        for a in areas.iter().take(10) {
            let t = a.text().await?;
            assert!(t == "Nonconformities" || t == "Poikkeamat", "{t}");
        }
        both_sizes(&browser, "audit-trail-nonconformities").await?;

        browser
            .find(Locator::Css("#audit-verify button"))
            .await?
            .click()
            .await?;
        let result = browser
            .wait()
            .for_element(Locator::Css("#audit-chain"))
            .await?;
        let class = result.attr("class").await?.unwrap_or_default();
        assert_eq!(class, "notice");
        both_sizes(&browser, "audit-trail-verified").await?;

        // The sentences fit the phone's width: no event wider than the page.
        browser.set_window_size(390, 844).await?;
        let overflow = browser
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth + 1;",
                vec![],
            )
            .await?;
        assert_eq!(
            overflow,
            Value::Bool(false),
            "the page scrolls sideways on a phone"
        );
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    browser.close().await.ok();
    result.unwrap();
}

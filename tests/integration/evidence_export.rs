//! The evidence export over HTTP and from the command line, on a history
//! prepared by the test's clock: the revision in force on `as_of` (not the
//! current one) with that revision's signatures; a streamed zip that
//! `laatu verify` accepts, whose `documents.bundle` git verifies and
//! clones; clause and process filters that keep what they should and
//! nothing else; stable codes for bad parameters before a byte is sent;
//! every export audited with its root hash and listed; the CLI writing a
//! verifiable bundle without leaving a partial file; auditors exporting.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, create_document, error_code, get, ok, post, send, spawn_app,
};

backend_tests!(
    an_export_holds_what_was_in_force_on_the_date_and_verifies,
    filters_keep_what_they_name_and_nothing_else,
    bad_parameters_are_refused_with_stable_codes,
    the_cli_writes_a_verifiable_bundle_and_audits_it,
);

/// Files of a zip by name.
pub(crate) type Files = BTreeMap<String, Vec<u8>>;

pub(crate) fn unzip(bytes: &[u8]) -> Files {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = Files::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut b = Vec::new();
        e.read_to_end(&mut b).unwrap();
        out.insert(e.name().unwrap().to_string(), b);
    }
    out
}

fn text(files: &Files, name: &str) -> String {
    String::from_utf8(
        files
            .get(name)
            .unwrap_or_else(|| panic!("{name} not in {:?}", files.keys().collect::<Vec<_>>()))
            .clone(),
    )
    .unwrap()
}

fn verify(path: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_laatu"))
        .arg("verify")
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    (out.status.success(), text)
}

/// The people and processes of these tests: quinn (quality manager),
/// olga (owner of PROD and PURCH), aud (auditor).
pub(crate) struct People {
    pub quinn: reqwest::Client,
    pub olga: reqwest::Client,
    pub aud: reqwest::Client,
}

pub(crate) async fn people(app: &TestApp) -> People {
    let quinn = app.user_with_roles("quinn", &["quality_manager"]).await;
    let olga = app.user_with_roles("olga", &["process_owner"]).await;
    let aud = app.user_with_roles("aud", &["auditor"]).await;
    app.user_with_roles("stan", &["staff"]).await;
    for (code, name) in [("PROD", "Production"), ("PURCH", "Purchasing")] {
        ok(post(
            app,
            &quinn,
            "/api/v1/processes",
            json!({ "code": code, "name": name, "owner": "olga", "members": ["stan"] }),
        )
        .await)
        .await;
    }
    People { quinn, olga, aud }
}

/// Has olga save `content` as the draft of `number` and submit it, and
/// quinn approve it (the default route): in force at the clock's instant.
pub(crate) async fn make_effective(app: &TestApp, p: &People, number: &str, content: &str) {
    ok(send(
        app,
        &p.olga,
        reqwest::Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({ "content": content, "change_reason": format!("reason for {content}") })),
    )
    .await)
    .await;
    ok(post(
        app,
        &p.olga,
        &format!("/api/v1/documents/{number}/draft/submit"),
        json!({}),
    )
    .await)
    .await;
    let res = post(
        app,
        &p.quinn,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved", "comment": format!("ok {content}") }),
    )
    .await;
    ok(res).await;
}

/// The history of the tests: a policy and two procedures (one per
/// process), the PROD procedure revised 40 days after the start, and one
/// nonconformity of PROD.
pub(crate) struct History {
    pub policy: String,
    pub prod: String,
    pub purch: String,
}

pub(crate) async fn history(app: &TestApp, p: &mut People) -> History {
    let policy = create_document(
        app,
        &p.olga,
        json!({ "title": "Quality policy", "kind": "policy" }),
    )
    .await;
    let prod = create_document(
        app,
        &p.olga,
        json!({ "title": "Welding", "kind": "procedure", "process": "PROD" }),
    )
    .await;
    let purch = create_document(
        app,
        &p.olga,
        json!({ "title": "Buying", "kind": "procedure", "process": "PURCH" }),
    )
    .await;
    make_effective(app, p, &policy, "We deliver on time.").await;
    make_effective(app, p, &prod, "Weld revision one.").await;
    make_effective(app, p, &purch, "Buy revision one.").await;
    let res = post(
        app,
        &p.olga,
        "/api/v1/nonconformities",
        json!({ "kind": "deviation", "title": "Burr on the weld", "responsible": "PROD",
                "detected_in": "PROD", "severity": "minor" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    app.clock.advance(TimeDelta::days(40));
    // Sessions do not last 40 idle days.
    p.quinn = app.login("quinn", PASSWORD).await;
    p.olga = app.login("olga", PASSWORD).await;
    p.aud = app.login("aud", PASSWORD).await;
    make_effective(app, p, &prod, "Weld revision two.").await;
    History {
        policy,
        prod,
        purch,
    }
}

/// Exports as `c` with `query`; answers the zip's bytes.
pub(crate) async fn export(app: &TestApp, c: &reqwest::Client, query: &str) -> Vec<u8> {
    let res = c
        .get(app.url(&format!("/api/v1/evidence?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{query}");
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/zip"
    );
    assert!(
        res.headers().get("content-length").is_none(),
        "the bundle is streamed, not sized beforehand"
    );
    res.bytes().await.unwrap().to_vec()
}

fn day(app: &TestApp, days_back: i64) -> String {
    (app.today() - TimeDelta::days(days_back)).to_string()
}

async fn an_export_holds_what_was_in_force_on_the_date_and_verifies(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut p = people(&app).await;
    let h = history(&app, &mut p).await;
    let dir = tempfile::tempdir().unwrap();

    // On a date before the second revision: the first, with its signature.
    let before = day(&app, 20);
    let bytes = export(
        &app,
        &p.aud,
        &format!("as_of={before}&from={}&lang=en", day(&app, 60)),
    )
    .await;
    let files = unzip(&bytes);
    let md = text(&files, &format!("documents/{0}/{0}.md", h.prod));
    assert!(md.contains("Weld revision one."), "{md}");
    assert!(!md.contains("revision two"), "{md}");
    let html = text(&files, &format!("documents/{0}/{0}.html", h.prod));
    assert!(html.contains("Weld revision one."), "{html}");
    let history = text(&files, &format!("documents/{}/history.html", h.prod));
    assert!(history.contains("ok Weld revision one."), "{history}");
    assert!(
        history.contains("Test quinn"),
        "signer by display name: {history}"
    );
    assert!(!history.contains("ok Weld revision two."), "{history}");
    assert!(!history.contains("r2 "), "no later revision: {history}");
    // Today: the second.
    let now = export(&app, &p.quinn, "").await;
    let now_files = unzip(&now);
    let md = text(&now_files, &format!("documents/{0}/{0}.md", h.prod));
    assert!(md.contains("Weld revision two."), "{md}");
    let history = text(&now_files, &format!("documents/{}/history.html", h.prod));
    assert!(history.contains("ok Weld revision two."), "{history}");

    // The streamed zip verifies.
    let path = dir.path().join("evidence.zip");
    std::fs::write(&path, &bytes).unwrap();
    let (okay, out) = verify(&path);
    assert!(okay, "{out}");
    assert!(out.contains("exported by aud"), "{out}");
    let manifest: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["parameters"]["as_of"], json!(before));
    let root = manifest["root"].as_str().unwrap().to_string();
    assert!(out.contains(&root), "{out}");

    // Every file is in the index; the clause table says where there is none.
    let index = text(&files, "index.html");
    for name in files.keys().filter(|n| *n != "index.html") {
        let href = name.replace(' ', "%20");
        assert!(
            index.contains(&format!("href=\"{href}\"")),
            "{name} not linked"
        );
    }
    assert!(index.contains("Nothing in this bundle evidences this clause."));
    assert!(!index.contains("<script"), "no script");
    assert!(
        !index.contains("http://") && !index.contains("https://"),
        "nothing online"
    );
    assert!(files.contains_key("nonconformities/register.csv"));
    assert!(text(&files, "nonconformities/register.csv").contains("Burr on the weld"));
    assert!(files.contains_key("processes/processes.csv"));
    assert!(files.contains_key("processes/map.svg"));
    assert!(files.contains_key("competence/matrix.csv"));
    assert!(files.contains_key("audit/events.jsonl"));

    // documents.bundle: git verifies and clones it.
    let git_dir = dir.path().join("repo");
    std::fs::create_dir(&git_dir).unwrap();
    let bundle = dir.path().join("documents.bundle");
    std::fs::write(&bundle, &files["documents.bundle"]).unwrap();
    let git = |args: &[&str], cwd: &Path| {
        let out = Command::new("git")
            .args(args)
            .current_dir(cwd)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"], &git_dir);
    git(&["bundle", "verify", bundle.to_str().unwrap()], &git_dir);
    let clone = dir.path().join("clone");
    git(
        &[
            "clone",
            "-q",
            bundle.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
        dir.path(),
    );
    let cloned = std::fs::read_to_string(clone.join(format!("{}.md", h.policy))).unwrap();
    assert!(cloned.contains("We deliver on time."), "{cloned}");

    // Both exports are listed with their roots and audited.
    let listed = get(&app, &p.aud, "/api/v1/evidence/exports").await;
    let rows = listed.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{listed}");
    let row = rows
        .iter()
        .find(|r| r["root_hash"] == json!(root))
        .unwrap_or_else(|| panic!("{root} not in {listed}"));
    assert_eq!(row["exported_by_name"], json!("aud"));
    assert_eq!(row["size_bytes"], json!(bytes.len()));
    let events = app.audit_events("action=evidence.exported").await;
    assert_eq!(events.len(), 2);
    let audited = events
        .iter()
        .find(|e| e["actor_name"] == json!("aud"))
        .expect("the auditor's export is audited");
    let changes = crate::helpers::changes(audited);
    assert_eq!(changes["root"], json!(root));
    assert_eq!(changes["parameters"]["as_of"], json!(before));
    let _ = h.purch;

    // The export page lists both with their roots, in the reader's words.
    let res = p.aud.get(app.url("/evidence")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let doc = scraper::Html::parse_document(&html);
    let rows = scraper::Selector::parse("#evidence-exports tbody tr").unwrap();
    assert_eq!(doc.select(&rows).count(), 2, "{html}");
    assert!(html.contains(&root), "the root hash is shown");
    assert!(html.contains("Test aud"), "who, by display name");
    let boxes = scraper::Selector::parse("input[name=clauses]").unwrap();
    assert_eq!(doc.select(&boxes).count(), 23, "every clause to pick from");
    let procs = scraper::Selector::parse("input[name=processes]").unwrap();
    assert_eq!(doc.select(&procs).count(), 2, "every process to pick from");
    // The page's download: the same bundle; a refusal shown on the form.
    let res = p
        .aud
        .get(app.url("/evidence/bundle?as_of=&from=&to=&clauses=10.2.2&clauses=8.7.2&lang=fi"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let files = unzip(&res.bytes().await.unwrap());
    assert!(files.contains_key("nonconformities/register.csv"));
    assert!(text(&files, "index.html").contains("Näyttö auditoijille"));
    let res = p
        .aud
        .get(app.url("/evidence/bundle?from=2026-06-02&to=2026-06-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"evidence-error\""), "{html}");
    let staff = app.login("stan", PASSWORD).await;
    let res = staff.get(app.url("/evidence")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn filters_keep_what_they_name_and_nothing_else(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut p = people(&app).await;
    let h = history(&app, &mut p).await;
    let always = [
        "index.html",
        "manifest.json",
        "audit/events.jsonl",
        "audit/segment.json",
    ];

    // 10.2: the cases, nothing of documents or processes.
    let files = unzip(&export(&app, &p.quinn, "clauses=10.2").await);
    let names: Vec<&String> = files.keys().collect();
    assert!(
        files.contains_key("nonconformities/register.csv"),
        "{names:?}"
    );
    for n in &names {
        assert!(
            n.starts_with("nonconformities/") || always.contains(&n.as_str()),
            "{n} does not evidence 10.2"
        );
    }
    let index = text(&files, "index.html");
    assert!(
        index.contains("10.2.2") && !index.contains(">5.2.2<"),
        "only the asked rows"
    );

    // 5.2.2: the policy, not the procedures, no cases.
    let files = unzip(&export(&app, &p.quinn, "clauses=5.2.2").await);
    let names: Vec<&String> = files.keys().collect();
    assert!(
        files.contains_key(&format!("documents/{0}/{0}.md", h.policy)),
        "{names:?}"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.contains(&h.prod) || n.contains(&h.purch)),
        "{names:?}"
    );
    assert!(!files.contains_key("nonconformities/register.csv"));
    assert!(!files.contains_key("processes/processes.csv"));

    // 7.2: competence and acknowledgements only.
    let files = unzip(&export(&app, &p.quinn, "clauses=7.2").await);
    assert!(files.contains_key("competence/matrix.csv"));
    for n in files.keys() {
        assert!(
            n.starts_with("competence/")
                || n.ends_with("/acknowledgements.csv")
                || always.contains(&n.as_str()),
            "{n} does not evidence 7.2"
        );
    }

    // PURCH: its procedure, not PROD's, no repository, no PROD case.
    let files = unzip(&export(&app, &p.quinn, "processes=PURCH").await);
    let names: Vec<&String> = files.keys().collect();
    assert!(
        files.contains_key(&format!("documents/{0}/{0}.md", h.purch)),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains(&h.prod)), "{names:?}");
    assert!(!files.contains_key("documents.bundle"));
    assert!(!files.contains_key("processes/map.svg"));
    assert!(!text(&files, "nonconformities/register.csv").contains("Burr on the weld"));
    let processes = text(&files, "processes/processes.csv");
    assert!(
        processes.contains("PURCH") && !processes.contains("PROD"),
        "{processes}"
    );
    // PROD keeps its case.
    let files = unzip(&export(&app, &p.quinn, "processes=PROD&clauses=10.2").await);
    assert!(text(&files, "nonconformities/register.csv").contains("Burr on the weld"));
    // A filtered bundle verifies as well.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.zip");
    std::fs::write(
        &path,
        export(&app, &p.quinn, "processes=PROD&clauses=10.2").await,
    )
    .unwrap();
    let (okay, out) = verify(&path);
    assert!(okay, "{out}");
}

async fn bad_parameters_are_refused_with_stable_codes(backend: Backend) {
    let app = spawn_app(backend).await;
    let p = people(&app).await;
    let staff = app.login("stan", PASSWORD).await;
    for (query, code) in [
        ("as_of=2026-13-01", "invalid_date"),
        ("from=yesterday", "invalid_date"),
        ("from=2026-06-02&to=2026-06-01", "invalid_range"),
        ("clauses=3.1", "unknown_clause"),
        ("clauses=7.2,11", "unknown_clause"),
        ("processes=NOPE", "unknown_process"),
        ("lang=sv", "unknown_language"),
    ] {
        let res = p
            .quinn
            .get(app.url(&format!("/api/v1/evidence?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(error_code(res).await, code, "{query}");
    }
    let res = staff.get(app.url("/api/v1/evidence")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = staff
        .get(app.url("/api/v1/evidence/exports"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Nothing was exported, nothing audited.
    assert!(
        app.audit_events("action=evidence.exported")
            .await
            .is_empty()
    );
    assert_eq!(
        get(&app, &p.aud, "/api/v1/evidence/exports").await,
        json!([])
    );
}

async fn the_cli_writes_a_verifiable_bundle_and_audits_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut p = people(&app).await;
    let h = history(&app, &mut p).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("evidence.zip");
    let as_of = day(&app, 20);
    let run = app.laatu(&[
        "export",
        "--as-of",
        &as_of,
        "--clauses",
        "5.2.2,4.4.2",
        "--as",
        "quinn",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        run.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // Not on a terminal: one line, no progress bar.
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("wrote "), "{stdout}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(leftovers, ["evidence.zip"], "no partial file is left");
    let (okay, verified) = verify(&out);
    assert!(okay, "{verified}");
    let files = unzip(&std::fs::read(&out).unwrap());
    assert!(text(&files, &format!("documents/{0}/{0}.md", h.prod)).contains("revision one"));
    let manifest: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let root = manifest["root"].as_str().unwrap();
    assert!(stdout.contains(root), "{stdout}");
    let rows = get(&app, &p.quinn, "/api/v1/evidence/exports").await;
    assert_eq!(rows[0]["root_hash"], json!(root));
    assert_eq!(rows[0]["exported_by_name"], json!("quinn"));
    // As the system, and refused for a user who may not export.
    let run = app.laatu(&[
        "export",
        "--out",
        dir.path().join("sys.zip").to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rows = get(&app, &p.quinn, "/api/v1/evidence/exports").await;
    assert_eq!(rows[0]["exported_by_name"], json!("system:cli"));
    let refused = dir.path().join("stan.zip");
    let run = app.laatu(&["export", "--as", "stan", "--out", refused.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(!refused.exists());
    let run = app.laatu(&[
        "export",
        "--clauses",
        "3.1",
        "--out",
        refused.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("unknown_clause"));
    assert!(!refused.exists());
}

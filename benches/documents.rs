//! `cargo bench --bench documents`: document control with 10,000 documents.
//!
//! Measures over HTTP on loopback, against a real server with fsync on:
//! saving a draft, approving a revision (signature with password check,
//! tag, main tree), listing and searching; and, in the same run, the raw
//! floor of a save: one git2 commit of a 4 KiB file on a bare repository plus
//! one SQLite row insert, with the same durability settings. Prints a
//! Markdown report (also written to `$CARGO_TARGET_TMPDIR/bench-documents.md`)
//! for docs/performance.md.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl, SqliteConnection};
use laatu::audit::Actor;
use laatu::auth::model::{NewPassword, Role, Username};
use laatu::auth::service::{self as users, NewUser};
use laatu::config::Config;
use laatu::documents::model::Meaning;
use laatu::documents::service::{self as docs, NewDocument};
use serde_json::{Value, json};

const DOCUMENTS: usize = 10_000;
const EFFECTIVE: usize = 1_000;
const SAMPLES: usize = 200;
const APPROVALS: usize = 60;
const PASSWORD: &str = "benchmark-password";

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let rank = ((p / 100.0) * (samples.len() as f64 - 1.0)).round() as usize;
    samples[rank].as_secs_f64() * 1000.0
}

struct Stat {
    name: &'static str,
    p50: f64,
    p99: f64,
}

fn stat(name: &'static str, mut samples: Vec<Duration>) -> Stat {
    Stat {
        name,
        p50: percentile(&mut samples, 50.0),
        p99: percentile(&mut samples, 99.0),
    }
}

fn words(i: usize) -> String {
    const W: [&str; 12] = [
        "supplier",
        "calibration",
        "inspection",
        "customer",
        "packing",
        "training",
        "audit",
        "machining",
        "drawing",
        "tolerance",
        "delivery",
        "complaint",
    ];
    let mut s = format!("# Document {i}\n\n");
    for k in 0..600 {
        s.push_str(W[(i * 7 + k * 13) % W.len()]);
        s.push(if k % 12 == 11 { '\n' } else { ' ' });
    }
    s
}

/// The raw floor: a bare git2 commit of a 4 KiB file plus one row insert.
fn raw_floor(dir: &std::path::Path) -> Vec<Duration> {
    let repo = git2::Repository::init_bare(dir.join("floor.git")).expect("repo");
    let mut db = SqliteConnection::establish(dir.join("floor.db").to_str().unwrap()).expect("db");
    db.batch_execute(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         CREATE TABLE saves (id INTEGER PRIMARY KEY, commit_id TEXT NOT NULL, at TEXT NOT NULL);",
    )
    .expect("floor table");
    let sig = git2::Signature::now("Bench", "bench@laatu.invalid").expect("sig");
    let mut parent: Option<git2::Oid> = None;
    let mut out = Vec::new();
    for i in 0..SAMPLES {
        let content = format!("{:04096}", i);
        let t = Instant::now();
        let blob = repo.blob(content.as_bytes()).expect("blob");
        let base = match parent {
            Some(p) => repo.find_commit(p).and_then(|c| c.tree()).expect("tree"),
            None => repo
                .find_tree(repo.treebuilder(None).unwrap().write().unwrap())
                .unwrap(),
        };
        let tree_id = git2::build::TreeUpdateBuilder::new()
            .upsert("QP-001.md", blob, git2::FileMode::Blob)
            .create_updated(&repo, &base)
            .expect("tree");
        let tree = repo.find_tree(tree_id).expect("tree");
        let parents: Vec<git2::Commit<'_>> = parent
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let c = repo
            .commit(Some("refs/drafts/QP-001"), &sig, &sig, "save", &tree, &refs)
            .expect("commit");
        diesel::sql_query(format!(
            "INSERT INTO saves (commit_id, at) VALUES ('{c}', datetime('now'))"
        ))
        .execute(&mut db)
        .expect("insert");
        out.push(t.elapsed());
        parent = Some(c);
    }
    out
}

fn seed(state: &laatu::state::AppState) -> Vec<String> {
    let mut conn = state.pool.get().expect("conn");
    let make = |conn: &mut laatu::db::DbConn, name: &str, role: Role| {
        users::create_user(
            conn,
            &Actor::system("bench"),
            NewUser {
                username: Username::parse(name).unwrap(),
                display_name: name.into(),
                email: String::new(),
                password: NewPassword::parse(PASSWORD).unwrap(),
                roles: vec![role],
                expires_at: None,
                language: None,
            },
        )
        .expect("user")
    };
    let owner = make(&mut conn, "owner", Role::ProcessOwner);
    let qm = make(&mut conn, "qm", Role::QualityManager);
    let kinds = ["procedure", "work_instruction", "form", "policy"];
    let mut numbers = Vec::with_capacity(DOCUMENTS);
    for i in 0..DOCUMENTS {
        let new = NewDocument::parse(
            &format!("Benchmark document {i}"),
            kinds[i % kinds.len()],
            None,
            Some(["SALES", "PROD", "PURCH", "DELIV"][i % 4]),
            None,
            Some(12),
        )
        .unwrap();
        let number = docs::create_document(&mut conn, &owner, new).expect("create");
        docs::save_draft(
            &mut conn,
            &state.store,
            &owner,
            &number,
            &words(i),
            None,
            None,
        )
        .expect("save");
        if i < EFFECTIVE {
            docs::submit(&mut conn, &owner, &number, None).expect("submit");
            docs::sign(
                &mut conn,
                &state.store,
                &qm,
                &number,
                PASSWORD,
                Meaning::Approved,
                "",
                None,
            )
            .expect("sign");
        }
        numbers.push(number);
        if (i + 1) % 1000 == 0 {
            eprintln!("seeded {} documents", i + 1);
        }
    }
    numbers
}

async fn login(base: &str, user: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let r = c
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": user, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    c
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("tmp");

    // Seed quickly without fsync, then measure with it on (the default).
    let seed_config = Config {
        data_dir: dir.path().join("data"),
        bind: "127.0.0.1:0".into(),
        git_fsync: false,
        scheduler_interval_secs: 0,
        admin_password: Some("benchmark-admin-password".into()),
        ..Config::default()
    };
    let started = Instant::now();
    let state = laatu::open_state(seed_config.clone()).expect("state");
    let numbers = tokio::task::spawn_blocking(move || seed(&state))
        .await
        .expect("seed");
    let seeding = started.elapsed();

    let config = Config {
        git_fsync: true,
        workers: 2,
        ..seed_config
    };
    let (app, _) = laatu::Application::build(config, false).expect("app");
    // Measured now that libgit2's process-wide fsync option is on, as for the server.
    let floor = stat("raw floor: git2 commit + row insert", raw_floor(dir.path()));
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    let owner = login(&base, "owner").await;
    let qm = login(&base, "qm").await;

    // Save drafts (documents beyond the effective ones: plain drafts).
    let mut save = Vec::new();
    for i in 0..SAMPLES {
        let number = &numbers[EFFECTIVE + i];
        let doc: Value = owner
            .get(format!("{base}/api/v1/documents/{number}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let body = json!({ "content": words(i + 77), "base": doc["draft"]["commit"] });
        let t = Instant::now();
        let r = owner
            .put(format!("{base}/api/v1/documents/{number}/draft"))
            .json(&body)
            .send()
            .await
            .unwrap();
        save.push(t.elapsed());
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }
    // Approve: the last signature (password check, tag, new main tree).
    let mut approve = Vec::new();
    for i in 0..APPROVALS {
        let number = &numbers[EFFECTIVE + SAMPLES + i];
        let r = owner
            .post(format!("{base}/api/v1/documents/{number}/draft/submit"))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
        let t = Instant::now();
        let r = qm
            .post(format!("{base}/api/v1/documents/{number}/draft/signatures"))
            .json(&json!({ "password": PASSWORD, "meaning": "approved" }))
            .send()
            .await
            .unwrap();
        approve.push(t.elapsed());
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }
    let mut list = Vec::new();
    let queries = [
        "",
        "status=effective",
        "kind=form",
        "process=PROD",
        "owner=owner&status=draft",
    ];
    for i in 0..SAMPLES {
        let url = format!(
            "{base}/api/v1/documents?page={}&{}",
            i % 50 + 1,
            queries[i % queries.len()]
        );
        let t = Instant::now();
        let r = owner.get(url).send().await.unwrap();
        let _ = r.bytes().await.unwrap();
        list.push(t.elapsed());
    }
    let mut search = Vec::new();
    let terms = [
        "calibration",
        "supplier tolerance",
        "QP-01",
        "document 77",
        "complaint delivery",
        "nothing-matches",
    ];
    for i in 0..SAMPLES {
        let url = format!(
            "{base}/api/v1/documents?q={}",
            terms[i % terms.len()].replace(' ', "+")
        );
        let t = Instant::now();
        let r = owner.get(url).send().await.unwrap();
        let _ = r.bytes().await.unwrap();
        search.push(t.elapsed());
    }

    let save = stat("save draft (HTTP)", save);
    let approve = stat("approve: last signature (HTTP)", approve);
    let list = stat("list, filtered and paged (HTTP)", list);
    let search = stat("full-text search (HTTP)", search);
    let mut report = format!(
        "{DOCUMENTS} documents ({EFFECTIVE} in force, the rest drafts), seeded in {:.0} s; SQLite, fsync on.\n\n\
         | operation | p50 ms | p99 ms | p50 / floor |\n|---|---|---|---|\n",
        seeding.as_secs_f64()
    );
    for s in [&floor, &save, &approve, &list, &search] {
        report.push_str(&format!(
            "| {} | {:.2} | {:.2} | {:.2} |\n",
            s.name,
            s.p50,
            s.p99,
            s.p50 / floor.p50
        ));
    }
    println!("{report}");
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-documents.md");
    std::fs::write(&out, &report).expect("write report");
    eprintln!("report written to {}", out.display());
}

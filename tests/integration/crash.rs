//! Crash safety: the server is killed with SIGKILL at random moments while
//! clients save drafts and approve revisions. After each restart no save or
//! approval that was answered 2xx is missing, and `laatu check` passes.

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use rand::{Rng, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, PgDatabase, client};

const ADMIN_PASSWORD: &str = "admin-password-123";
const PASSWORD: &str = "crash-test-password";
const DOCS: usize = 4;
/// Kills at the least; the test goes on killing until it has what it needs.
const ROUNDS: usize = 5;
/// Acknowledged saves the test needs before it checks them.
const MIN_SAVES: usize = 20;
/// A safety limit only: on a slow machine the test runs longer, not red.
const SAFETY_LIMIT: Duration = Duration::from_secs(600);

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data: &std::path::Path, db_url: &str, port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_laatu"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .arg("--database-url")
        .arg(db_url)
        .env("LAATU_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("LAATU_LOG_LEVEL", "error")
        .env("LAATU_SCHEDULER_INTERVAL_SECS", "0")
        .env("LAATU_LOGIN_FAILURE_DELAY_MS", "1")
        .env_remove("LAATU_CONFIG")
        .stdout(Stdio::null())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(data.with_extension("log"))
                .map(Stdio::from)
                .unwrap_or_else(|_| Stdio::null()),
        )
        .spawn()
        .expect("start laatu serve");
    Server { child }
}

/// Waits until the server answers `/readyz`, for as long as it is alive
/// (under the safety limit); false if it exited first.
async fn ready(base: &str, server: &mut Server) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < SAFETY_LIMIT {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await
            && r.status() == StatusCode::OK
        {
            return true;
        }
        if !matches!(server.child.try_wait(), Ok(None)) {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

async fn wait_ready(base: &str, server: &mut Server, data: &std::path::Path) {
    assert!(
        ready(base, server).await,
        "server at {base} did not become ready:\n{}",
        std::fs::read_to_string(data.with_extension("log")).unwrap_or_default()
    );
}

async fn login(base: &str, username: &str, password: &str) -> reqwest::Client {
    let c = client();
    let res = c
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "login {username}");
    c
}

/// What the server acknowledged.
#[derive(Default)]
struct Acked {
    /// (document, commit) of every save answered 200.
    saves: Vec<(String, String)>,
    /// (document, revision) of every approval answered 200.
    approvals: Vec<(String, i64)>,
}

/// One document's writer: save, and every second save submit and approve.
async fn writer(base: String, number: String, acked: Arc<Mutex<Acked>>, seed: u64) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut n = 0u64;
    loop {
        // Log in anew after every connection failure (the server may have restarted).
        let Ok(owner) = try_login(&base, "owner").await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Ok(qm) = try_login(&base, "qm").await else {
            continue;
        };
        loop {
            n += 1;
            let Ok(res) = owner
                .get(format!("{base}/api/v1/documents/{number}"))
                .send()
                .await
            else {
                break;
            };
            let Ok(doc) = res.json::<Value>().await else {
                break;
            };
            let base_commit = doc["draft"]["commit"].as_str().map(str::to_string);
            let body = json!({
                "content": format!("# {number}\n\nSave {n}: {}\n", rng.random::<u64>()),
                "base": base_commit,
                "change_reason": "crash test",
            });
            let Ok(res) = owner
                .put(format!("{base}/api/v1/documents/{number}/draft"))
                .json(&body)
                .send()
                .await
            else {
                break;
            };
            if res.status() == StatusCode::OK {
                let Ok(saved) = res.json::<Value>().await else {
                    break;
                };
                acked.lock().unwrap().saves.push((
                    number.clone(),
                    saved["commit"].as_str().unwrap().to_string(),
                ));
            }
            if !n.is_multiple_of(2) {
                continue;
            }
            let Ok(res) = owner
                .post(format!("{base}/api/v1/documents/{number}/draft/submit"))
                .send()
                .await
            else {
                break;
            };
            // A revision left in review by a crash is signed all the same.
            if res.status() != StatusCode::OK && res.status() != StatusCode::CONFLICT {
                continue;
            }
            let Ok(res) = qm
                .post(format!("{base}/api/v1/documents/{number}/draft/signatures"))
                .json(&json!({ "password": PASSWORD, "meaning": "approved" }))
                .send()
                .await
            else {
                break;
            };
            if res.status() == StatusCode::OK {
                let Ok(out) = res.json::<Value>().await else {
                    break;
                };
                let rev: i64 = out["tag"]
                    .as_str()
                    .unwrap()
                    .rsplit("/r")
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                acked.lock().unwrap().approvals.push((number.clone(), rev));
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn try_login(base: &str, username: &str) -> Result<reqwest::Client, ()> {
    let c = client();
    match c
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": username, "password": PASSWORD }))
        .send()
        .await
    {
        Ok(r) if r.status() == StatusCode::OK => Ok(c),
        _ => Err(()),
    }
}

async fn crash_loop(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let pg = match &backend {
        Backend::Sqlite => None,
        Backend::Postgres(server) => Some(PgDatabase::create(server)),
    };
    let db_url = pg.as_ref().map_or_else(
        || data.join("laatu.db").to_string_lossy().into_owned(),
        |p| p.url.clone(),
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");

    let mut server = start(&data, &db_url, port);
    wait_ready(&base, &mut server, &data).await;
    let admin = login(&base, "admin", ADMIN_PASSWORD).await;
    for (name, role) in [("owner", "process_owner"), ("qm", "quality_manager")] {
        let res = admin
            .post(format!("{base}/api/v1/users"))
            .json(&json!({ "username": name, "password": PASSWORD, "roles": [role] }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    let owner = login(&base, "owner", PASSWORD).await;
    let mut numbers = Vec::new();
    for i in 0..DOCS {
        let res = owner
            .post(format!("{base}/api/v1/documents"))
            .json(&json!({ "title": format!("Crash {i}"), "kind": "procedure" }))
            .send()
            .await
            .unwrap();
        let body: Value = res.json().await.unwrap();
        numbers.push(body["number"].as_str().unwrap().to_string());
    }

    let acked = Arc::new(Mutex::new(Acked::default()));
    let writers: Vec<_> = numbers
        .iter()
        .enumerate()
        .map(|(i, n)| tokio::spawn(writer(base.clone(), n.clone(), acked.clone(), i as u64)))
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let started = std::time::Instant::now();
    let enough = |a: &Acked| a.saves.len() > MIN_SAVES && !a.approvals.is_empty();
    let mut kills = 0;
    // Kill at random moments until there were ROUNDS kills and enough was
    // acknowledged, however long a busy machine takes for that.
    while kills < ROUNDS || !enough(&acked.lock().unwrap()) {
        assert!(
            started.elapsed() < SAFETY_LIMIT,
            "after {kills} kills in {:?} only {} saves and {} approvals were acknowledged",
            started.elapsed(),
            acked.lock().unwrap().saves.len(),
            acked.lock().unwrap().approvals.len()
        );
        tokio::time::sleep(Duration::from_millis(rng.random_range(400..1500))).await;
        // SIGKILL: no shutdown, no flush.
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        drop(server);
        kills += 1;
        server = start(&data, &db_url, port);
        wait_ready(&base, &mut server, &data).await;
    }
    // Writes in flight now are killed too, without a restart in between.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    for w in writers {
        w.abort();
    }
    drop(server);

    // Restart once more: start-up catches refs up with the database.
    let mut server = start(&data, &db_url, port);
    wait_ready(&base, &mut server, &data).await;
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    assert!(enough(&acked), "the loop above ends only with enough");
    eprintln!(
        "{kills} kills: {} saves and {} approvals acknowledged",
        acked.saves.len(),
        acked.approvals.len()
    );

    let mut conn = laatu::db::DbConn::establish(&db_url).unwrap();
    let saved: Vec<String> = laatu::db::schema::draft_saves::table
        .select(laatu::db::schema::draft_saves::commit_id)
        .load(&mut conn)
        .unwrap();
    let repo = git2::Repository::open_bare(data.join("documents.git")).unwrap();
    for (number, commit) in &acked.saves {
        assert!(
            saved.contains(commit),
            "acknowledged save {commit} of {number} is missing from the database"
        );
        assert!(
            repo.find_commit(git2::Oid::from_str(commit).unwrap())
                .is_ok(),
            "commit {commit} missing from git"
        );
    }
    let mut latest: BTreeMap<&str, i64> = BTreeMap::new();
    for (number, rev) in &acked.approvals {
        let tag = repo.find_reference(&format!("refs/tags/{number}/r{rev}"));
        assert!(
            tag.is_ok(),
            "acknowledged approval {number}/r{rev} has no tag"
        );
        let e = latest.entry(number).or_default();
        *e = (*e).max(*rev);
    }
    let reader = login(&base, "owner", PASSWORD).await;
    for (number, rev) in latest {
        let doc: Value = reader
            .get(format!("{base}/api/v1/documents/{number}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            doc["effective_revision"].as_i64().unwrap() >= rev,
            "{number}: {doc}"
        );
    }
    drop(server);

    let out = Command::new(env!("CARGO_BIN_EXE_laatu"))
        .arg("--data-dir")
        .arg(&data)
        .arg("--database-url")
        .arg(&db_url)
        .arg("check")
        .env("LAATU_LOG_LEVEL", "error")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "laatu check after crashes:\n{stdout}");
    drop(pg);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_saves_and_approvals_loses_nothing_acknowledged_sqlite() {
    crash_loop(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_saves_and_approvals_loses_nothing_acknowledged_postgres() {
    match Backend::postgres() {
        Some(b) => crash_loop(b).await,
        None => eprintln!("LAATU_TEST_POSTGRES_URL not set: PostgreSQL variant not run"),
    }
}

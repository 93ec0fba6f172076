//! The `laatu` binary as an operator uses it: `serve --demo` prints the
//! address and the admin password, loads demo data once, and shuts down
//! gracefully on Ctrl-C, finishing the request in flight.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::client;

/// How long a wait may take before the test gives up: a safety limit for a
/// stuck server, never a measure of speed.
const SAFETY_LIMIT: Duration = Duration::from_secs(180);

struct Served {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Served {
    /// Starts `laatu serve --demo` on a free port.
    fn start(data_dir: &std::path::Path, extra_env: &[(&str, &str)]) -> Served {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_laatu"));
        cmd.args(["serve", "--demo", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .env_remove("LAATU_ADMIN_PASSWORD")
            .env_remove("LAATU_DATABASE_URL")
            .env("LAATU_LOG_LEVEL", "warn")
            .env("LAATU_GIT_FSYNC", "false")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start laatu serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Served {
            child,
            lines: rx,
            seen: Vec::new(),
        }
    }

    /// Waits for a printed line that starts with `prefix`.
    fn wait_for(&mut self, prefix: &str) -> String {
        if let Some(l) = self.seen.iter().find(|l| l.starts_with(prefix)) {
            return l.clone();
        }
        loop {
            let line = self
                .lines
                .recv_timeout(SAFETY_LIMIT)
                .unwrap_or_else(|_| panic!("no line `{prefix}` in {:?}", self.seen));
            self.seen.push(line.clone());
            if line.starts_with(prefix) {
                return line;
            }
        }
    }

    fn base(&mut self) -> String {
        self.wait_for("Laatu is listening on ")
            .trim_start_matches("Laatu is listening on ")
            .to_string()
    }

    /// Sends SIGINT, as Ctrl-C does.
    fn interrupt(&self) {
        let ok = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    fn wait_exit(&mut self) -> std::process::ExitStatus {
        let start = std::time::Instant::now();
        while start.elapsed() < SAFETY_LIMIT {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("server did not stop");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `total` of a list, read as admin.
async fn admin_total(base: &str, password: &str, path: &str) -> i64 {
    let c = client();
    let res = c
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": "admin", "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let list: Value = c
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["total"].as_i64().unwrap()
}

async fn users_total(base: &str, password: &str) -> i64 {
    admin_total(base, password, "/api/v1/users").await
}

async fn nonconformities_total(base: &str, password: &str) -> i64 {
    admin_total(base, password, "/api/v1/nonconformities").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_prints_admin_password_loads_demo_once_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("laatu-data");

    let mut first = Served::start(&data, &[]);
    let base = first.base();
    let password = first
        .wait_for("created user `admin` with password: ")
        .trim_start_matches("created user `admin` with password: ")
        .to_string();
    first.wait_for("demo users");
    assert!(data.join("laatu.db").is_file());
    assert!(data.join("documents.git").join("HEAD").is_file());
    let total = users_total(&base, &password).await;
    assert_eq!(total, 1 + laatu_demo_users());
    // 31 cases of the nonconformity demo, the complaint of a low internal
    // rating, and the two improvements and the complaint from survey answers.
    assert_eq!(nonconformities_total(&base, &password).await, 35);
    // A demo user logs in with the printed demo password.
    let res = client()
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "username": "laura", "password": laatu::demo::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    first.interrupt();
    assert!(first.wait_exit().success());

    // Second start on the same folder: no new admin password, no duplicates.
    let mut second = Served::start(&data, &[]);
    let base = second.base();
    second.wait_for("database:");
    assert_eq!(users_total(&base, &password).await, total);
    // 31 cases of the nonconformity demo, the complaint of a low internal
    // rating, and the two improvements and the complaint from survey answers.
    assert_eq!(nonconformities_total(&base, &password).await, 35);
    assert!(!second.seen.iter().any(|l| l.contains("with password")));
    drop(second);
}

fn laatu_demo_users() -> i64 {
    i64::try_from(laatu::demo::user_count()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_finishes_the_request_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("laatu-data");
    // The third failed login in a row is answered after 3 s.
    let mut served = Served::start(
        &data,
        &[
            ("LAATU_LOGIN_FAILURE_DELAY_MS", "3000"),
            ("LAATU_ADMIN_PASSWORD", "admin-password-123"),
        ],
    );
    let base = served.base();
    served.wait_for("database:");
    let attempt = || {
        client()
            .post(format!("{base}/api/v1/session"))
            .json(&json!({ "username": "admin", "password": "wrong-password" }))
            .send()
    };
    attempt().await.unwrap();
    attempt().await.unwrap();
    let slow = tokio::spawn(attempt());
    // The failure is recorded before the delay: once the third one is in
    // the audit trail, the request is being handled and waits.
    let db = data.join("laatu.db").to_string_lossy().into_owned();
    let recorded = || {
        use diesel::prelude::*;
        use laatu::db::schema::audit_events::dsl::*;
        let mut conn = laatu::db::DbConn::establish(&db).unwrap();
        audit_events
            .filter(action.eq("user.login_failed"))
            .count()
            .get_result::<i64>(&mut conn)
            .unwrap()
    };
    let start = std::time::Instant::now();
    while recorded() < 3 {
        assert!(
            start.elapsed() < SAFETY_LIMIT,
            "the third failed login was never recorded"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    served.interrupt();
    let res = slow
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let status = tokio::task::spawn_blocking(move || served.wait_exit())
        .await
        .unwrap();
    assert!(status.success());
}

#[test]
fn user_commands_manage_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_laatu"))
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .env_remove("LAATU_DATABASE_URL")
            .env("LAATU_LOG_LEVEL", "warn")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, out, _) = run(&[
        "user",
        "add",
        "ext",
        "--role",
        "auditor",
        "--expires",
        "2030-06-30",
    ]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("password: "),
        "a generated password is printed: {out}"
    );
    let (code, _, err) = run(&["user", "add", "ext", "--role", "staff"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("username_taken"), "{err}");
    let (code, _, err) = run(&["user", "roles", "ext", "wizard"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("unknown_role"), "{err}");
    let (code, out, _) = run(&["user", "roles", "ext", "auditor", "staff"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("ext: staff,auditor"), "{out}");
    let (code, _, _) = run(&["user", "passwd", "ext", "--password", "fresh-password-1"]);
    assert_eq!(code, Some(0));
    let (code, _, _) = run(&["user", "deactivate", "ext"]);
    assert_eq!(code, Some(0));
    let (_, out, _) = run(&["user", "list"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("ext ") && l.contains("deactivated")),
        "{out}"
    );
    let (code, out, _) = run(&["check"]);
    assert_eq!(code, Some(0), "{out}");
}

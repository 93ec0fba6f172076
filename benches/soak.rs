//! `cargo bench --bench soak`: does the server's memory settle under a steady load?
//!
//! Starts the release `laatu` binary with demo data in a temporary data
//! folder on a free port of 127.0.0.1 (SQLite), and runs a steady mixed
//! load against it for `SOAK_MINUTES` (default 10): a few clients that read
//! pages and API answers, report nonconformities, save drafts, upload
//! evidence files, log in (argon2), and send what a fuzzer sends (unknown
//! routes, unknown users, malformed JSON, unknown methods).
//! Every minute it records the server's resident memory (`VmRSS` and
//! `VmHWM` from `/proc/<pid>/status`) and the requests done, and prints a
//! Markdown table for docs/performance.md (also written to
//! `$CARGO_TARGET_TMPDIR/bench-soak.md`).
//!
//! Bounded: it stops at the deadline or after `MAX_REQUESTS`, whichever
//! comes first, and talks only to the server it started on 127.0.0.1.
//! `SOAK_ENV=NAME=VALUE` passes one variable to the server (for example
//! `MALLOC_ARENA_MAX=2`, to compare allocator settings).

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CLIENTS: usize = 4;
const MAX_REQUESTS: u64 = 5_000_000;
const ADMIN_PASSWORD: &str = "soak-admin-password";
const PASSWORD: &str = "soak-user-password";

/// One reading of the server's memory.
struct Row {
    minute: u64,
    rss: u64,
    anon: u64,
    file: u64,
    hwm: u64,
    threads: u64,
    requests: u64,
}

impl Row {
    fn line(&self) -> String {
        let mb = |kb: u64| kb as f64 / 1024.0;
        format!(
            "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {} |",
            self.minute,
            mb(self.rss),
            mb(self.anon),
            mb(self.file),
            mb(self.hwm),
            self.threads,
            self.requests
        )
    }
}

/// Kills the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

async fn post(c: &reqwest::Client, url: String, body: Value) -> Value {
    let res = c.post(&url).json(&body).send().await.expect("request");
    assert!(res.status().is_success(), "{url}: {}", res.status());
    res.json().await.unwrap_or(Value::Null)
}

/// A user with `roles`, logged in with a session cookie.
async fn user(base: &str, admin: &reqwest::Client, name: &str, roles: &[&str]) -> reqwest::Client {
    post(
        admin,
        format!("{base}/api/v1/users"),
        json!({"username": name, "display_name": name, "email": format!("{name}@example.com"),
               "password": PASSWORD, "roles": roles}),
    )
    .await;
    let c = client();
    post(
        &c,
        format!("{base}/api/v1/session"),
        json!({"username": name, "password": PASSWORD}),
    )
    .await;
    c
}

/// One client's loop: a fixed rotation of reads, writes and refusals.
async fn worker(
    id: usize,
    base: String,
    c: reqwest::Client,
    process: String,
    number: String,
    stop: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
) {
    // Without a cookie jar: its logins leave `c`'s session alone.
    let anon = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let mut base_commit: Option<String> = None;
    let mut last_nc: Option<String> = None;
    let evidence: Vec<u8> = (0..256 * 1024).map(|n| (n % 251) as u8).collect();
    let mut i: u64 = 0;
    while !stop.load(Ordering::Relaxed) && done.load(Ordering::Relaxed) < MAX_REQUESTS {
        i += 1;
        let step = (i as usize + id) % 20;
        let req = match step {
            0 => c.get(format!("{base}/")),
            1 => c.get(format!("{base}/documents")),
            2 => c.get(format!("{base}/documents/{number}")),
            3 => c.get(format!("{base}/processes")),
            4 => c.get(format!("{base}/processes/map.svg")),
            5 => c.get(format!("{base}/nonconformities")),
            6 => c.get(format!("{base}/nonconformities/stats")),
            // Logins cost an argon2 hash (19 MiB of memory each): the
            // user's own, and an unknown user's (which costs the same).
            7 if i % 40 < 20 => anon
                .post(format!("{base}/api/v1/session"))
                .json(&json!({"username": format!("soak{id}"), "password": PASSWORD})),
            7 => c.get(format!("{base}/tasks")),
            8 => c.get(format!("{base}/api/v1/documents?q=supplier")),
            9 => c.get(format!("{base}/api/v1/documents/{number}")),
            10 => c.get(format!("{base}/api/v1/nonconformities?status=open")),
            11 => c.get(format!("{base}/api/v1/processes/{process}")),
            12 => c.get(format!("{base}/api/v1/tasks")),
            13 => c.get(format!("{base}/api/v1/openapi.json")),
            14 if i % 40 < 20 => c
                .post(format!("{base}/api/v1/nonconformities"))
                .json(&json!({
                "kind": "deviation", "title": format!("Soak {id}-{i}"),
                "description": "Found during the soak run.", "responsible": process,
                "severity": "minor"})),
            14 => {
                let mut body = json!({"content": format!("# Soak\n\nSave {i} of client {id}.\n")});
                if let Some(b) = &base_commit {
                    body["base"] = json!(b);
                }
                c.put(format!("{base}/api/v1/documents/{number}/draft"))
                    .json(&body)
            }
            15 if i % 40 < 20 => anon
                .post(format!("{base}/api/v1/session"))
                .json(&json!({"username": format!("nobody{id}"), "password": PASSWORD})),
            15 => c.get(format!("{base}/api/v1/no-such-route")),
            16 => c
                .post(format!("{base}/api/v1/nonconformities"))
                .header("content-type", "application/json")
                .body("{not json"),
            17 => c.request(reqwest::Method::TRACE, format!("{base}/api/v1/documents")),
            18 => c.get(format!("{base}/api/v1/audit-events?per_page=50")),
            // A 256 KiB evidence file on the client's last case, now and then.
            19 if i % 40 < 20 && last_nc.is_some() => c
                .post(format!(
                    "{base}/api/v1/nonconformities/{}/attachments?name=photo.bin",
                    last_nc.as_deref().unwrap_or_default()
                ))
                .header("content-type", "application/octet-stream")
                .body(evidence.clone()),
            _ => c.get(format!("{base}/api/v1/me")),
        };
        match req.send().await {
            Ok(res) => {
                let is_draft = step == 14 && i % 40 >= 20;
                let is_report = step == 14 && i % 40 < 20;
                if res.status().is_server_error() {
                    eprintln!("server error {} at step {step}", res.status());
                }
                if is_draft {
                    if let Ok(v) = res.json::<Value>().await {
                        base_commit = v["commit"].as_str().map(str::to_string).or(base_commit);
                    }
                } else if is_report {
                    if let Ok(v) = res.json::<Value>().await {
                        last_nc = v["number"].as_str().map(str::to_string).or(last_nc);
                    }
                } else {
                    let _ = res.bytes().await;
                }
            }
            Err(e) => eprintln!("request failed: {e}"),
        }
        done.fetch_add(1, Ordering::Relaxed);
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let minutes: u64 = std::env::var("SOAK_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(10)
        .clamp(1, 120);
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_laatu"));
    cmd.args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env_remove("LAATU_CONFIG")
        .env("LAATU_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("LAATU_LOG_LEVEL", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let extra = std::env::var("SOAK_ENV").ok();
    if let Some((k, v)) = extra.as_deref().and_then(|e| e.split_once('=')) {
        cmd.env(k, v);
    }
    let server = Server(cmd.spawn().expect("start laatu"));
    let pid = server.0.id();
    let c = client();
    let started = Instant::now();
    while c.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let admin = client();
    post(
        &admin,
        format!("{base}/api/v1/session"),
        json!({"username": "admin", "password": ADMIN_PASSWORD}),
    )
    .await;
    let processes: Value = admin
        .get(format!("{base}/api/v1/processes"))
        .send()
        .await
        .expect("processes")
        .json()
        .await
        .expect("json");
    let process = processes["items"][0]["code"]
        .as_str()
        .expect("a demo process")
        .to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for id in 0..CLIENTS {
        let c = user(
            &base,
            &admin,
            &format!("soak{id}"),
            &["quality_manager", "process_owner", "staff"],
        )
        .await;
        let created = post(
            &c,
            format!("{base}/api/v1/documents"),
            json!({"title": format!("Soak document {id}"), "kind": "work_instruction"}),
        )
        .await;
        let number = created["number"].as_str().expect("number").to_string();
        tasks.push(tokio::spawn(worker(
            id,
            base.clone(),
            c,
            process.clone(),
            number,
            stop.clone(),
            done.clone(),
        )));
    }

    let sample = |minute: u64, n: u64| Row {
        minute,
        rss: status_kb(pid, "VmRSS:"),
        anon: status_kb(pid, "RssAnon:"),
        file: status_kb(pid, "RssFile:"),
        hwm: status_kb(pid, "VmHWM:"),
        threads: status_kb(pid, "Threads:"),
        requests: n,
    };
    let mut rows = vec![sample(0, 0)];
    println!("{}", rows[0].line());
    for minute in 1..=minutes {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let row = sample(minute, done.load(Ordering::Relaxed));
        println!("{}", row.line());
        rows.push(row);
        if done.load(Ordering::Relaxed) >= MAX_REQUESTS {
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let mut report = format!(
        "Soak: {CLIENTS} clients, {minutes} min, server env {}\n\n\
         | minute | VmRSS MB | RssAnon MB | RssFile MB | VmHWM MB | threads | requests so far |\n\
         |---|---|---|---|---|---|---|\n",
        extra.as_deref().unwrap_or("default")
    );
    for row in &rows {
        report.push_str(&row.line());
        report.push('\n');
    }
    println!("\n{report}");
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-soak.md");
    let _ = std::fs::write(&out, &report);
    drop(server);
}

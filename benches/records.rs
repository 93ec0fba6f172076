//! `cargo bench --bench records`: the register of one form template with
//! 100,000 records.
//!
//! Seeds through the services: the template is created, saved with its
//! fields, submitted and approved like any form; every record goes through
//! `records::service::submit` (answers checked, number from the sequence,
//! versions, filter values and the audit event in one transaction), on a
//! seeding connection with SQLite's `synchronous = OFF` so that 100,000
//! transactions do not wait for 100,000 fsyncs. Then it starts the real
//! server (fsync on, the default) and measures over HTTP on loopback: the
//! register list unfiltered, filtered and paged, filtered by values of the
//! fields, and submitting a record against reporting a nonconformity.
//! Prints a Markdown report (also written to
//! `$CARGO_TARGET_TMPDIR/bench-records.md`) for docs/performance.md.
//!
//! `RECORDS_BENCH_KEEP=1` keeps the data folder (printed) for `EXPLAIN`.

use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use diesel::connection::{Connection, InstrumentationEvent, SimpleConnection};
use laatu::audit::Actor;
use laatu::auth::model::{NewPassword, Role, User, Username};
use laatu::auth::service::{self as users, NewUser};
use laatu::config::Config;
use laatu::db::DbConn;
use laatu::documents::model::Meaning;
use laatu::documents::service::{self as docs, NewDocument};
use laatu::processes::service::{self as processes, ProcessInput};
use laatu::records::form::FormInput;
use laatu::records::service as records;
use serde_json::{Map, Value, json};

const RECORDS: usize = 100_000;
const PROCESSES: usize = 5;
const STAFF: usize = 10;
const SAMPLES: usize = 300;
const WRITES: usize = 200;
const PASSWORD: &str = "benchmark-password";
/// Minutes between two seeded records: 100,000 records over about 16 months.
const STEP_MINUTES: i64 = 7;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn form() -> FormInput {
    serde_json::from_value(json!({
        "fields": [
            {"key": "lot", "type": "text", "required": true, "label": {"en": "Lot", "fi": "Erä"}},
            {"key": "reading", "type": "number", "required": true, "unit": "mm", "decimals": 3,
             "min": 9.95, "max": 10.05, "deviation": "outside_limits",
             "label": {"en": "Diameter", "fi": "Halkaisija"}},
            {"key": "ok", "type": "yes_no", "required": true, "deviation": "no",
             "label": {"en": "Visual check passed", "fi": "Silmämääräinen tarkastus hyväksytty"}},
            {"key": "decision", "type": "choice", "required": true, "deviation": ["hold"],
             "label": {"en": "Decision", "fi": "Päätös"},
             "options": [{"key": "release", "label": {"en": "Release", "fi": "Vapautetaan"}},
                         {"key": "hold", "label": {"en": "Hold", "fi": "Pidätetään"}}]},
            {"key": "inspector", "type": "person", "label": {"en": "Inspector", "fi": "Tarkastaja"}},
            {"key": "notes", "type": "long_text", "label": {"en": "Notes", "fi": "Huomautukset"}}
        ],
        "clauses": ["8.6"]
    }))
    .expect("form")
}

/// The answers of the `i`th record: one in twenty fails the visual check.
fn answers(rng: &mut Rng, i: usize, inspector: &str) -> Map<String, Value> {
    let ok = rng.below(20) != 0;
    let reading = 10.0 + (rng.below(121) as f64 - 60.0) / 1000.0;
    let v = json!({
        "lot": format!("L{:06}", i),
        "reading": format!("{reading:.3}"),
        "ok": ok,
        "decision": if ok { "release" } else { "hold" },
        "inspector": inspector,
        "notes": if ok { "" } else { "Scratches on the face; lot held for sorting." },
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn user(conn: &mut DbConn, name: &str, roles: Vec<Role>) -> User {
    users::create_user(
        conn,
        &Actor::system("bench"),
        NewUser {
            username: Username::parse(name).unwrap(),
            display_name: name.to_uppercase(),
            email: String::new(),
            password: NewPassword::parse(PASSWORD).unwrap(),
            roles,
            expires_at: None,
            language: None,
        },
    )
    .expect("user")
}

/// Seeds the template and its records; answers the template's number and
/// the first record's time.
fn seed(state: &laatu::state::AppState) -> (String, NaiveDateTime) {
    let mut conn = state.pool.get().expect("conn");
    if let DbConn::Sqlite(c) = &mut *conn {
        c.batch_execute("PRAGMA synchronous = OFF").expect("pragma");
    }
    let conn = &mut *conn;
    let qm = user(conn, "qm", vec![Role::QualityManager]);
    let owner = user(conn, "owner", vec![Role::ProcessOwner]);
    let staff: Vec<User> = (0..STAFF)
        .map(|i| user(conn, &format!("staff{i:02}"), vec![Role::Staff]))
        .collect();
    for p in 0..PROCESSES {
        processes::create(
            conn,
            &qm,
            ProcessInput {
                code: Some(format!("P{:02}", p + 1)),
                name: Some(format!("Process {}", p + 1)),
                owner: Some("owner".into()),
                members: Some(staff.iter().map(|s| s.username.clone()).collect()),
                ..ProcessInput::default()
            },
        )
        .expect("process");
    }
    let new = NewDocument::parse(
        "Final inspection",
        "form",
        None,
        Some("P01"),
        Some("owner"),
        Some(24),
    )
    .unwrap();
    let number = docs::create_document(conn, &owner, new).expect("template");
    let number = number.as_str().to_string();
    docs::save_draft_with_form(
        conn,
        &state.store,
        &owner,
        &number,
        "# Final inspection\n\nInspect each lot before release.\n",
        Some(&form()),
        None,
        None,
    )
    .expect("draft");
    docs::submit(conn, &owner, &number, None).expect("submit");
    docs::sign(
        conn,
        &state.store,
        &qm,
        &number,
        PASSWORD,
        Meaning::Approved,
        "",
        None,
    )
    .expect("approve");

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let first = laatu::ids::now() - TimeDelta::minutes(STEP_MINUTES * RECORDS as i64 + 60);
    let codes: Vec<String> = (1..=PROCESSES).map(|p| format!("P{p:02}")).collect();
    let started = Instant::now();
    for i in 0..RECORDS {
        let by = &staff[rng.below(STAFF as u64) as usize];
        let inspector = &staff[rng.below(STAFF as u64) as usize].username;
        let process = &codes[rng.below(PROCESSES as u64) as usize];
        let at = first + TimeDelta::minutes(STEP_MINUTES * i as i64);
        records::submit(
            conn,
            &state.store,
            by,
            &number,
            &answers(&mut rng, i, inspector),
            Some(process),
            at,
        )
        .expect("record");
        if (i + 1) % 20_000 == 0 {
            eprintln!(
                "seeded {} records in {:.0} s",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    // One register read of each kind in the process, with the time of
    // each SQL statement (`RECORDS_BENCH_SQL=1` prints the statements).
    let show = std::env::var_os("RECORDS_BENCH_SQL").is_some();
    let last = std::sync::Arc::new(std::sync::Mutex::new(Instant::now()));
    let clock = last.clone();
    conn.set_instrumentation(move |e: InstrumentationEvent<'_>| match e {
        InstrumentationEvent::StartQuery { .. } => {
            if let Ok(mut t) = clock.lock() {
                *t = Instant::now();
            }
        }
        InstrumentationEvent::FinishQuery { query, .. } if show => {
            let took = clock.lock().map(|t| t.elapsed()).unwrap_or_default();
            eprintln!("{:>8.2} ms  {query}", took.as_secs_f64() * 1000.0);
        }
        _ => {}
    });
    for value in [
        vec![],
        vec!["ok:no".to_string()],
        vec!["reading>=10.045".to_string()],
    ] {
        let filter = records::RecordFilter {
            value,
            ..records::RecordFilter::default()
        };
        let t = Instant::now();
        records::list(conn, &state.store, &number, &filter).expect("list");
        if show {
            eprintln!("records::list {:?}: {:?}", filter.value, t.elapsed());
        }
    }
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    (number, first)
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let rank = ((p / 100.0) * (samples.len() as f64 - 1.0)).round() as usize;
    samples[rank].as_secs_f64() * 1000.0
}

struct Stat {
    name: String,
    n: usize,
    total: Option<i64>,
    p50: f64,
    p95: f64,
    p99: f64,
}

fn stat(name: &str, mut samples: Vec<Duration>, total: Option<i64>) -> Stat {
    Stat {
        name: name.into(),
        n: samples.len(),
        total,
        p50: percentile(&mut samples, 50.0),
        p95: percentile(&mut samples, 95.0),
        p99: percentile(&mut samples, 99.0),
    }
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

/// Times `n` reads of `url`; answers the times and the list's total.
async fn time_list(c: &reqwest::Client, url: &str, n: usize) -> (Vec<Duration>, i64) {
    let mut out = Vec::with_capacity(n);
    let mut total = 0;
    for _ in 0..n {
        let t = Instant::now();
        let r = c.get(url).send().await.unwrap();
        assert!(r.status().is_success(), "GET {url}: {}", r.status());
        let body: Value = r.json().await.unwrap();
        out.push(t.elapsed());
        total = body["total"].as_i64().unwrap_or_default();
        assert!(
            total == 0 || !body["items"].as_array().unwrap().is_empty(),
            "{url}: an empty page"
        );
    }
    (out, total)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("tmp");
    let config = Config {
        data_dir: dir.path().join("data"),
        bind: "127.0.0.1:0".into(),
        git_fsync: false,
        scheduler_interval_secs: 0,
        workers: 2,
        admin_password: Some("benchmark-admin-password".into()),
        ..Config::default()
    };
    let started = Instant::now();
    let state = laatu::open_state(config.clone()).expect("state");
    let (number, first) = tokio::task::spawn_blocking(move || seed(&state))
        .await
        .expect("seed");
    let seeding = started.elapsed();

    let config = Config {
        git_fsync: true,
        ..config
    };
    let (app, _) = laatu::Application::build(config, false).expect("app");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    let qm = login(&base, "qm").await;
    let staff = login(&base, "staff03").await;

    let register = format!("{base}/api/v1/forms/{number}/records");
    // A quarter in the middle of the register's time.
    let from = (first + TimeDelta::days(200)).date();
    let to = from + TimeDelta::days(90);
    let lists = [
        (
            "register, page 1 (no filter)",
            format!("{register}?per_page=50"),
        ),
        (
            "process and dates, page 3",
            format!("{register}?process=P03&from={from}&to={to}&page=3&per_page=50"),
        ),
        (
            "person, page 20",
            format!("{register}?person=staff04&page=20&per_page=50"),
        ),
        (
            "number (sequence 54321)",
            format!("{register}?number=54321"),
        ),
        ("`value=ok:no`, page 1", format!("{register}?value=ok:no")),
        (
            "`value=ok:no` and process, page 2",
            format!("{register}?value=ok:no&process=P02&page=2"),
        ),
        (
            "`value=reading>=10.045`, page 1",
            format!("{register}?value=reading%3E%3D10.045"),
        ),
        (
            "`value=ok:no`, `decision:hold` and dates",
            format!("{register}?value=ok:no&value=decision:hold&from={from}&to={to}"),
        ),
    ];
    // Warm up (the first reads fill SQLite's page cache).
    for (_, url) in &lists {
        let _ = time_list(&qm, url, 3).await;
    }
    let mut stats = Vec::new();
    for (name, url) in &lists {
        let (samples, total) = time_list(&qm, url, SAMPLES).await;
        stats.push(stat(&format!("GET records: {name}"), samples, Some(total)));
    }

    // Writes, interleaved so that both see the same machine: a record
    // (with fsync, as in use) and a nonconformity report.
    let (mut submit, mut report) = (Vec::new(), Vec::new());
    let mut rng = Rng(42);
    for i in 0..WRITES {
        let values = answers(&mut rng, RECORDS + i, "staff05");
        let t = Instant::now();
        let r = staff
            .post(&register)
            .json(&json!({ "values": values, "process": "P02" }))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let _ = r.bytes().await;
        submit.push(t.elapsed());
        assert_eq!(status.as_u16(), 201, "submit");
        let t = Instant::now();
        let r = staff
            .post(format!("{base}/api/v1/nonconformities"))
            .json(&json!({
                "kind": "deviation", "title": format!("Lot L{i:06} scratched"),
                "description": "Scratches found in final inspection.",
                "responsible": "P02", "severity": "minor"
            }))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let _ = r.bytes().await;
        report.push(t.elapsed());
        assert_eq!(status.as_u16(), 201, "report");
    }
    let submit = stat("POST a record (201)", submit, None);
    let report = stat("POST a nonconformity (201)", report, None);
    let ratio = submit.p50 / report.p50;
    stats.push(submit);
    stats.push(report);

    let mut out = format!(
        "One form template (6 fields), {RECORDS} records in {PROCESSES} processes by {STAFF} people \
         over {} days, seeded through `records::service::submit` in {:.0} s; SQLite; \
         measured over HTTP with fsync on.\n\n\
         | request | n | total | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|\n",
        (STEP_MINUTES * RECORDS as i64) / (24 * 60),
        seeding.as_secs_f64(),
    );
    for s in &stats {
        out.push_str(&format!(
            "| {} | {} | {} | {:.2} | {:.2} | {:.2} |\n",
            s.name,
            s.n,
            s.total.map_or(String::new(), |t| t.to_string()),
            s.p50,
            s.p95,
            s.p99
        ));
    }
    out.push_str(&format!(
        "\nSubmit p50 / report p50: {ratio:.2} (target at most 2).\n"
    ));
    println!("{out}");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-records.md");
    std::fs::write(&path, &out).expect("write report");
    eprintln!("report written to {}", path.display());
    if std::env::var_os("RECORDS_BENCH_KEEP").is_some() {
        let kept = dir.keep();
        eprintln!("data kept in {}", kept.display());
    }
}

//! `cargo bench --bench competence`: the competence matrix of 500 people in
//! 20 processes against 100 competences, with 20,000 certifications.
//!
//! Sets the data up with direct inserts, one transaction a table (the services
//! would audit each row; what is measured here is reading), then measures
//! over HTTP on loopback against the real server: the matrix as JSON, the
//! matrix page and the XLSX download; and, in the process, one matrix read
//! with diesel's instrumentation counting the SQL statements it runs.
//! Prints a Markdown report (also written to
//! `$CARGO_TARGET_TMPDIR/bench-competence.md`) for docs/performance.md.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{Months, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::connection::{Connection, InstrumentationEvent};
use diesel::prelude::*;
use laatu::audit::Actor;
use laatu::auth::model::{NewPassword, Role, Username};
use laatu::auth::service::{self as users, NewUser};
use laatu::competence::certifications::Policy;
use laatu::competence::matrix::{self, MatrixFilter};
use laatu::competence::model::{
    CertificationRow, CompetenceRow, CompetenceStatus, RequirementRow, Scale, Scope, Standing,
    TrainingRow, TrainingStatus,
};
use laatu::config::Config;
use laatu::db::DbConn;
use laatu::db::schema::{
    certification_files, certifications, competence_requirements, competences, process_members,
    processes, trainings, user_roles, users as users_table,
};
use serde_json::json;

const PEOPLE: usize = 500;
const PROCESSES: usize = 20;
const COMPETENCES: usize = 100;
const CERTIFICATIONS: usize = 20_000;
const SAMPLES: usize = 200;
const XLSX_SAMPLES: usize = 100;
const PASSWORD: &str = "benchmark-password";
const WINDOW: u32 = 60;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn id() -> String {
    laatu::ids::new_id()
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).unwrap()
}

/// What was set up, for the report.
#[derive(Default)]
struct Seeded {
    requirements: usize,
    certifications: usize,
    corrected: usize,
    renewed: usize,
    expiring: usize,
    expired: usize,
    files: usize,
    trainings: usize,
}

/// Inserts `rows` one statement a row (diesel's multi-row insert is not
/// offered over the MultiConnection), in one transaction.
fn insert_all<T, F>(conn: &mut DbConn, rows: &[T], f: F)
where
    F: Fn(&mut DbConn, &T) -> QueryResult<usize>,
{
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        for row in rows {
            f(conn, row)?;
        }
        Ok(())
    })
    .expect("insert");
}

fn seed(conn: &mut DbConn, today: NaiveDate) -> Seeded {
    let mut out = Seeded::default();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let now = laatu::ids::now();
    let qm = users::create_user(
        conn,
        &Actor::system("bench"),
        NewUser {
            username: Username::parse("qm").unwrap(),
            display_name: "Quality Manager".into(),
            email: String::new(),
            password: NewPassword::parse(PASSWORD).unwrap(),
            roles: vec![Role::QualityManager],
            expires_at: None,
            language: None,
        },
    )
    .expect("qm");
    let hash: String = users_table::table
        .find(qm.id.as_str())
        .select(users_table::password_hash)
        .first(conn)
        .unwrap();

    // People: the first of each process's people owns it.
    let people: Vec<String> = (0..PEOPLE).map(|_| id()).collect();
    let user_rows: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(i, uid)| {
            (
                users_table::id.eq(uid.clone()),
                users_table::username.eq(format!("p{i:03}")),
                users_table::display_name.eq(format!("Person {i:03}")),
                users_table::email.eq(String::new()),
                users_table::password_hash.eq(hash.clone()),
                users_table::language.eq(None::<String>),
                users_table::active.eq(true),
                users_table::expires_at.eq(None::<NaiveDateTime>),
                users_table::version.eq(1),
                users_table::created_at.eq(now),
                users_table::updated_at.eq(now),
            )
        })
        .collect();
    insert_all(conn, &user_rows, |c, row| {
        diesel::insert_into(users_table::table)
            .values(row)
            .execute(c)
    });
    let per_process = PEOPLE / PROCESSES;
    let mut role_rows = Vec::new();
    for (i, uid) in people.iter().enumerate() {
        role_rows.push((
            user_roles::user_id.eq(uid.clone()),
            user_roles::role.eq(Role::Staff.as_str().to_string()),
        ));
        if i % per_process == 0 {
            role_rows.push((
                user_roles::user_id.eq(uid.clone()),
                user_roles::role.eq(Role::ProcessOwner.as_str().to_string()),
            ));
        }
    }
    insert_all(conn, &role_rows, |c, row| {
        diesel::insert_into(user_roles::table)
            .values(row)
            .execute(c)
    });

    // Processes: 25 people each; one person in five works in a second one.
    let procs: Vec<String> = (0..PROCESSES).map(|_| id()).collect();
    let proc_rows: Vec<_> = procs
        .iter()
        .enumerate()
        .map(|(p, pid)| {
            (
                processes::id.eq(pid.clone()),
                processes::code.eq(format!("P{:02}", p + 1)),
                processes::name.eq(format!("Process {}", p + 1)),
                processes::purpose.eq(String::new()),
                processes::owner_id.eq(people[p * per_process].clone()),
                processes::criteria.eq(String::new()),
                processes::resources.eq(String::new()),
                processes::risks.eq(String::new()),
                processes::status.eq("active".to_string()),
                processes::version.eq(1),
                processes::created_at.eq(now),
                processes::updated_at.eq(now),
            )
        })
        .collect();
    insert_all(conn, &proc_rows, |c, row| {
        diesel::insert_into(processes::table).values(row).execute(c)
    });
    let mut member_of: Vec<Vec<usize>> = vec![Vec::new(); PEOPLE];
    let mut member_rows = Vec::new();
    for (i, uid) in people.iter().enumerate() {
        let home = i / per_process;
        member_of[i].push(home);
        if i % 5 == 1 {
            member_of[i].push((home + 1 + rng.below(PROCESSES - 1)) % PROCESSES);
        }
        for p in &member_of[i] {
            member_rows.push((
                process_members::process_id.eq(procs[*p].clone()),
                process_members::user_id.eq(uid.clone()),
            ));
        }
    }
    insert_all(conn, &member_rows, |c, row| {
        diesel::insert_into(process_members::table)
            .values(row)
            .execute(c)
    });

    // Competences: a third on the ILUO scale, some one-to-five; the
    // licences expire after 24, 36 or 60 months, a fifth need evidence.
    let comps: Vec<CompetenceRow> = (0..COMPETENCES)
        .map(|k| CompetenceRow {
            id: id(),
            code: format!("C{k:03}"),
            name_en: format!("Competence {k}"),
            name_fi: format!("Osaaminen {k}"),
            description_en: String::new(),
            description_fi: String::new(),
            validity_months: match k % 5 {
                0 => Some(24),
                1 => Some(36),
                2 => Some(60),
                _ => None,
            },
            evidence_required: k % 5 == 0,
            scale: match k % 10 {
                3 | 6 | 9 => Scale::Iluo,
                4 => Scale::OneToFive,
                _ => Scale::None,
            },
            status: CompetenceStatus::Active,
            version: 1,
            created_at: now,
            updated_at: now,
        })
        .collect();
    insert_all(conn, &comps, |c, row| {
        diesel::insert_into(competences::table)
            .values(row)
            .execute(c)
    });

    // Requirements: eight competences per process, three per working role,
    // one for every tenth person.
    let required_level = |c: &CompetenceRow, rng: &mut Rng| match c.scale {
        Scale::None => None,
        s => Some(1 + rng.below(s.levels() as usize) as i32),
    };
    let mut reqs: Vec<RequirementRow> = Vec::new();
    let mut required: Vec<Vec<(usize, Option<i32>)>> = vec![Vec::new(); PEOPLE];
    let mut by_process: Vec<Vec<(usize, Option<i32>)>> = vec![Vec::new(); PROCESSES];
    for (p, pid) in procs.iter().enumerate() {
        let mut chosen = Vec::new();
        while chosen.len() < 8 {
            let k = rng.below(COMPETENCES);
            if !chosen.contains(&k) {
                chosen.push(k);
            }
        }
        for k in chosen {
            let level = required_level(&comps[k], &mut rng);
            by_process[p].push((k, level));
            reqs.push(RequirementRow {
                id: id(),
                competence_id: comps[k].id.clone(),
                scope: Scope::Process,
                target: pid.clone(),
                level,
                created_by: qm.id.0.clone(),
                created_at: now,
            });
        }
    }
    for (role, ks) in [
        (Role::Staff, [0usize, 1, 2]),
        (Role::ProcessOwner, [5, 10, 15]),
    ] {
        for k in ks {
            reqs.push(RequirementRow {
                id: id(),
                competence_id: comps[k].id.clone(),
                scope: Scope::Role,
                target: role.as_str().to_string(),
                level: None,
                created_by: qm.id.0.clone(),
                created_at: now,
            });
        }
    }
    for (i, ps) in member_of.iter().enumerate() {
        for p in ps {
            required[i].extend(by_process[*p].iter().copied());
        }
        required[i].extend([(0, None), (1, None), (2, None)]);
        if i % per_process == 0 {
            required[i].extend([(5, None), (10, None), (15, None)]);
        }
        if i % 10 == 0 {
            let k = rng.below(COMPETENCES);
            let level = required_level(&comps[k], &mut rng);
            required[i].push((k, level));
            reqs.push(RequirementRow {
                id: id(),
                competence_id: comps[k].id.clone(),
                scope: Scope::User,
                target: people[i].clone(),
                level,
                created_by: qm.id.0.clone(),
                created_at: now,
            });
        }
    }
    out.requirements = reqs.len();
    insert_all(conn, &reqs, |c, row| {
        diesel::insert_into(competence_requirements::table)
            .values(row)
            .execute(c)
    });

    // Certifications: 40 a person on average, most of what is required of
    // them and more; some renewed (an expired entry and a valid one), some
    // corrected (the corrected entry and its correction).
    let policy = Policy {
        expiring_days: WINDOW,
    };
    let mut certs: Vec<CertificationRow> = Vec::with_capacity(CERTIFICATIONS);
    let mut files = Vec::new();
    let make = |rng: &mut Rng, i: usize, k: usize, level: Option<i32>, issued: NaiveDate| {
        let c = &comps[k];
        let expires = c
            .validity_months
            .and_then(|m| issued.checked_add_months(Months::new(m as u32)));
        let standing = policy.standing(expires, today);
        let level = match c.scale {
            Scale::None => None,
            s => Some(level.unwrap_or(1 + rng.below(s.levels() as usize) as i32)),
        };
        CertificationRow {
            id: id(),
            user_id: people[i].clone(),
            competence_id: c.id.clone(),
            level,
            issued_on: midnight(issued),
            expires_on: expires.map(midnight),
            issuer: "Bench Academy".into(),
            expiring: standing != Standing::Valid,
            expired: standing == Standing::Expired,
            training_id: None,
            corrects_id: None,
            correction_reason: String::new(),
            corrected: false,
            verified_by: None,
            verified_at: None,
            recorded_by: qm.id.0.clone(),
            recorded_at: now,
            version: 1,
        }
    };
    let mut held: HashSet<(usize, usize)> = HashSet::new();
    let mut i = 0usize;
    while certs.len() < CERTIFICATIONS {
        let person = i % PEOPLE;
        let round = i / PEOPLE;
        i += 1;
        // The first rounds go over what is required of the person (mostly
        // met), the later ones over any competence.
        let (k, level) = match required[person].get(round) {
            Some(&(k, level)) if rng.below(10) < 8 => (k, level),
            Some(_) => continue,
            None => (rng.below(COMPETENCES), None),
        };
        if !held.insert((person, k)) {
            continue;
        }
        let issued = today - TimeDelta::days(rng.below(2000) as i64);
        let kind = rng.below(100);
        let mut row = make(&mut rng, person, k, level, issued);
        if kind < 6 && comps[k].validity_months.is_some() {
            // Renewed: an older expired entry, then the current one.
            let old_issued = issued
                .checked_sub_months(Months::new(
                    comps[k].validity_months.unwrap_or(24) as u32 + 2,
                ))
                .unwrap();
            certs.push(make(&mut rng, person, k, row.level, old_issued));
            out.renewed += 1;
        } else if kind < 10 {
            // Corrected: the wrong entry stays, marked; the correction counts.
            let mut wrong = make(&mut rng, person, k, row.level, issued - TimeDelta::days(30));
            wrong.corrected = true;
            wrong.version = 2;
            row.corrects_id = Some(wrong.id.clone());
            row.correction_reason = "Wrong day of issue".into();
            certs.push(wrong);
            out.corrected += 1;
        }
        if comps[k].evidence_required && kind % 3 != 0 {
            files.push((
                certification_files::id.eq(id()),
                certification_files::certification_id.eq(row.id.clone()),
                certification_files::filename.eq("scan.pdf".to_string()),
                certification_files::content_type.eq("application/pdf".to_string()),
                certification_files::size.eq(64i64),
                certification_files::sha256.eq("0".repeat(64)),
                certification_files::content.eq(vec![b'%'; 64]),
                certification_files::uploaded_by.eq(qm.id.0.clone()),
                certification_files::uploaded_at.eq(now),
            ));
        }
        if kind % 7 == 0 {
            row.verified_by = Some(qm.id.0.clone());
            row.verified_at = Some(now);
        }
        certs.push(row);
    }
    certs.truncate(CERTIFICATIONS);
    out.certifications = certs.len();
    out.expiring = certs
        .iter()
        .filter(|c| c.expiring && !c.expired && !c.corrected)
        .count();
    out.expired = certs.iter().filter(|c| c.expired && !c.corrected).count();
    out.files = files.len();
    insert_all(conn, &certs, |c, row| {
        diesel::insert_into(certifications::table)
            .values(row)
            .execute(c)
    });
    insert_all(conn, &files, |c, row| {
        diesel::insert_into(certification_files::table)
            .values(row)
            .execute(c)
    });

    // Training: 1,000 planned (a tenth overdue), 500 completed.
    let mut rows: Vec<TrainingRow> = Vec::new();
    for t in 0..1500 {
        let person = rng.below(PEOPLE);
        let (k, level) = required[person]
            .get(rng.below(required[person].len()))
            .copied()
            .unwrap_or((0, None));
        let planned = t < 1000;
        let due = today + TimeDelta::days(rng.below(120) as i64 - 12);
        rows.push(TrainingRow {
            id: id(),
            competence_id: comps[k].id.clone(),
            user_id: people[person].clone(),
            trainer_id: people[(person + 7) % PEOPLE].clone(),
            group_id: id(),
            due_on: midnight(due),
            level,
            note: String::new(),
            status: if planned {
                TrainingStatus::Planned
            } else {
                TrainingStatus::Completed
            },
            overdue: planned && due < today,
            planned_by: qm.id.0.clone(),
            planned_at: now,
            closed_by: (!planned).then(|| qm.id.0.clone()),
            closed_at: (!planned).then_some(now),
            effective: (!planned).then_some(t % 3 != 0),
            evaluation: if planned {
                String::new()
            } else {
                "Evaluated".into()
            },
            version: 1,
        });
    }
    out.trainings = rows.len();
    insert_all(conn, &rows, |c, row| {
        diesel::insert_into(trainings::table).values(row).execute(c)
    });
    out
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let rank = ((p / 100.0) * (samples.len() as f64 - 1.0)).round() as usize;
    samples[rank].as_secs_f64() * 1000.0
}

struct Stat {
    name: String,
    n: usize,
    bytes: usize,
    p50: f64,
    p95: f64,
    p99: f64,
}

fn stat(name: &str, mut samples: Vec<Duration>, bytes: usize) -> Stat {
    Stat {
        name: name.into(),
        n: samples.len(),
        bytes,
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

async fn time_get(c: &reqwest::Client, url: &str, n: usize) -> (Vec<Duration>, usize) {
    let mut out = Vec::with_capacity(n);
    let mut bytes = 0;
    for _ in 0..n {
        let t = Instant::now();
        let r = c.get(url).send().await.unwrap();
        assert!(r.status().is_success(), "GET {url}: {}", r.status());
        bytes = r.bytes().await.unwrap().len();
        out.push(t.elapsed());
    }
    (out, bytes)
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
    let today = laatu::ids::now().date();
    let started = Instant::now();
    let state = laatu::open_state(config.clone()).expect("state");
    let (seeded, direct, queries, matrix_size) = tokio::task::spawn_blocking(move || {
        let mut conn = state.pool.get().expect("conn");
        let seeded = seed(&mut conn, today);
        // One read in the process: how many statements, and how long the
        // read itself takes without HTTP and JSON.
        let count = Arc::new(AtomicUsize::new(0));
        let counter = count.clone();
        conn.set_instrumentation(move |e: InstrumentationEvent<'_>| {
            if matches!(e, InstrumentationEvent::StartQuery { .. }) {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        let m = matrix::read(&mut conn, &MatrixFilter::default(), WINDOW, today).expect("read");
        let queries = count.load(Ordering::SeqCst);
        let size = (
            m.rows.len(),
            m.columns.len(),
            m.rows
                .iter()
                .map(|r| r.cells.iter().flatten().count())
                .sum::<usize>(),
        );
        conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
        // `COMPETENCE_BENCH_READS=N`: only N reads in the process, then
        // stop (to profile the read, e.g. under `perf record`).
        let only_reads: Option<usize> = std::env::var("COMPETENCE_BENCH_READS")
            .ok()
            .and_then(|n| n.parse().ok());
        let mut direct = Vec::new();
        for _ in 0..only_reads.unwrap_or(50) {
            let t = Instant::now();
            let m = matrix::read(&mut conn, &MatrixFilter::default(), WINDOW, today).unwrap();
            direct.push(t.elapsed());
            assert_eq!(m.rows.len(), size.0);
        }
        if only_reads.is_some() {
            let mut d = direct.clone();
            println!("matrix::read p50 {:.1} ms", percentile(&mut d, 50.0));
            std::process::exit(0);
        }
        (seeded, direct, queries, size)
    })
    .await
    .expect("seed");
    let seeding = started.elapsed();

    let (app, _) = laatu::Application::build(config, false).expect("app");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run());
    let qm = login(&base, "qm").await;

    // Warm up (the first read fills SQLite's page cache).
    let _ = time_get(&qm, &format!("{base}/api/v1/competence-matrix"), 3).await;
    let (json_all, json_bytes) =
        time_get(&qm, &format!("{base}/api/v1/competence-matrix"), SAMPLES).await;
    let (json_proc, json_proc_bytes) = time_get(
        &qm,
        &format!("{base}/api/v1/competence-matrix?process=P07"),
        SAMPLES,
    )
    .await;
    let (page, page_bytes) = time_get(&qm, &format!("{base}/competence"), SAMPLES).await;
    let (page_proc, page_proc_bytes) =
        time_get(&qm, &format!("{base}/competence?process=P07"), SAMPLES).await;
    let (xlsx, xlsx_bytes) =
        time_get(&qm, &format!("{base}/competence/matrix.xlsx"), XLSX_SAMPLES).await;

    let stats = [
        stat("matrix::read in the process (no HTTP)", direct, 0),
        stat("GET /api/v1/competence-matrix", json_all, json_bytes),
        stat(
            "GET /api/v1/competence-matrix?process=P07",
            json_proc,
            json_proc_bytes,
        ),
        stat("GET /competence (the page)", page, page_bytes),
        stat("GET /competence?process=P07", page_proc, page_proc_bytes),
        stat("GET /competence/matrix.xlsx", xlsx, xlsx_bytes),
    ];
    let mut report = format!(
        "{PEOPLE} people in {PROCESSES} processes, {COMPETENCES} competences, {} requirements, \
         {} certifications ({} renewed, {} corrected, {} expiring, {} expired; {} evidence files), \
         {} trainings; seeded in {:.1} s; SQLite.\n\
         One matrix read: {} SQL statements; {} rows x {} columns, {} cells.\n\n\
         | request | n | p50 ms | p95 ms | p99 ms | size |\n|---|---:|---:|---:|---:|---:|\n",
        seeded.requirements,
        seeded.certifications,
        seeded.renewed,
        seeded.corrected,
        seeded.expiring,
        seeded.expired,
        seeded.files,
        seeded.trainings,
        seeding.as_secs_f64(),
        queries,
        matrix_size.0,
        matrix_size.1,
        matrix_size.2,
    );
    for s in &stats {
        report.push_str(&format!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {} |\n",
            s.name,
            s.n,
            s.p50,
            s.p95,
            s.p99,
            if s.bytes == 0 {
                String::new()
            } else {
                format!("{} KB", s.bytes / 1024)
            }
        ));
    }
    println!("{report}");
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-competence.md");
    std::fs::write(&out, &report).expect("write report");
    eprintln!("report written to {}", out.display());
}

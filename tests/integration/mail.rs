//! E-mail for what waits, against a real SMTP server (Python's aiosmtpd,
//! started by the test on a free port): the events queue mails, the
//! scheduler's job sends them at the instant the test gives, and the test
//! reads back what arrived (recipient, language, subject, link).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    Backend, PASSWORD, TestApp, create_document, csrf_token, error_code, get, ok, page_login, post,
    send, spawn_app_with,
};

backend_tests!(
    every_kind_of_waiting_work_is_mailed_in_the_readers_language,
    a_digest_gathers_the_day_into_one_mail_at_seven,
    off_means_no_mail_and_the_account_page_changes_it,
    a_mail_waits_for_the_server_and_is_retried,
    a_mail_given_up_on_shows_on_the_admin_page,
    without_smtp_nothing_is_sent_and_the_admin_page_says_so,
    survey_invitations_are_mailed_in_the_customers_language_and_their_links_wiped,
);

/// An SMTP server that writes each message it receives, decoded, as one
/// JSON file into a folder.
const SERVER: &str = r#"
import email, email.policy, json, os, signal, sys, time
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]

class Keep:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        record = {
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "subject": str(msg["Subject"]),
            "language": str(msg["Content-Language"]),
            "body": msg.get_content().replace("\r\n", "\n"),
        }
        name = os.path.join(out, "%020d.json" % time.time_ns())
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(name + ".tmp", name)
        return "250 OK"

controller = Controller(Keep(), hostname="127.0.0.1", port=port)
controller.start()
signal.sigwait([signal.SIGTERM, signal.SIGINT])
controller.stop()
"#;

/// Whether aiosmtpd can be used; under CI its absence fails the test.
fn aiosmtpd() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "aiosmtpd is not installed; .ci/run installs it (python3 -m pip install aiosmtpd)"
        );
        eprintln!("aiosmtpd is not installed (python3 -m pip install aiosmtpd): mail test skipped");
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One message as the server received it.
#[derive(Debug, Clone)]
struct Received {
    to: String,
    language: String,
    subject: String,
    body: String,
}

struct SmtpServer {
    child: Child,
    dir: PathBuf,
}

impl SmtpServer {
    /// Starts the server on `port` and waits until the port answers.
    fn start(port: u16, dir: &Path) -> SmtpServer {
        std::fs::create_dir_all(dir).unwrap();
        let script = dir.join("../smtp_server.py");
        std::fs::write(&script, SERVER).unwrap();
        let child = Command::new("python3")
            .arg(&script)
            .arg(port.to_string())
            .arg(dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("start python3");
        let server = SmtpServer {
            child,
            dir: dir.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the SMTP server did not answer on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// Every message received so far, in the order they came.
    fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| {
                let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
                Received {
                    to: v["to"][0].as_str().unwrap().to_string(),
                    language: v["language"].as_str().unwrap().to_string(),
                    subject: v["subject"].as_str().unwrap().to_string(),
                    body: v["body"].as_str().unwrap().to_string(),
                }
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const SITE: &str = "https://laatu.example.com";

/// An app whose mail goes to 127.0.0.1:`port` (`None`: no SMTP settings).
async fn app_mailing_to(backend: Backend, port: Option<u16>) -> TestApp {
    spawn_app_with(backend, |c| {
        if let Some(port) = port {
            c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
            c.mail_from = Some("Laatu <laatu@example.com>".into());
        }
        c.public_url = Some(SITE.into());
        // The test talks plain http to the server itself.
        c.secure_cookies = Some(false);
        c.timezone = "Europe/Helsinki".into();
    })
    .await
}

/// One scheduler pass at `at`; every job must succeed. Answers how many
/// mails the send job changed.
fn pass(app: &TestApp, at: NaiveDateTime) -> usize {
    let state = app.state.clone();
    let report = app.at_app_time(|| laatu::scheduler::run_once(&state, at));
    assert!(report.failed().is_empty(), "{report:?}");
    report.changed("mail", "send").unwrap()
}

/// Process PROD (owner ann, member sam) and PURCH (owner bea); a quality
/// manager qm. Answers (qm, ann, sam).
async fn people(app: &TestApp) -> (reqwest::Client, reqwest::Client, reqwest::Client) {
    let qm = app.user_with_roles("qm", &["quality_manager"]).await;
    let ann = app.user_with_roles("ann", &["process_owner"]).await;
    app.user_with_roles("bea", &["process_owner"]).await;
    let sam = app.user_with_roles("sam", &["staff"]).await;
    for (code, owner, members) in [("PROD", "ann", json!(["sam"])), ("PURCH", "bea", json!([]))] {
        let res = post(
            app,
            &qm,
            "/api/v1/processes",
            json!({ "code": code, "name": code, "owner": owner, "members": members }),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }
    (qm, ann, sam)
}

async fn set_mail(app: &TestApp, c: &reqwest::Client, body: Value) -> Value {
    ok(send(app, c, Method::PATCH, "/api/v1/me", Some(body)).await).await
}

/// `sam` reports a deviation against PROD; answers its number.
async fn report(app: &TestApp, sam: &reqwest::Client, title: &str) -> String {
    let res = post(
        app,
        sam,
        "/api/v1/nonconformities",
        json!({ "kind": "deviation", "title": title, "description": "Seen on the line.", "detected_in": "PROD", "responsible": "PROD", "severity": "minor" }),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    ok(res).await["number"].as_str().unwrap().to_string()
}

fn to<'a>(mails: &'a [Received], who: &str) -> Vec<&'a Received> {
    mails
        .iter()
        .filter(|m| m.to == format!("{who}@example.com"))
        .collect()
}

async fn every_kind_of_waiting_work_is_mailed_in_the_readers_language(backend: Backend) {
    if !aiosmtpd() {
        return;
    }
    let port = free_port();
    let app = app_mailing_to(backend, Some(port)).await;
    let server = SmtpServer::start(port, &app.data_dir.join("../smtp"));
    let (qm, ann, sam) = people(&app).await;
    for c in [&qm, &sam] {
        set_mail(&app, c, json!({ "mail": "immediate" })).await;
    }
    let me = set_mail(&app, &ann, json!({ "mail": "immediate", "language": "fi" })).await;
    assert_eq!(me["mail"], "immediate");

    // A revision submitted to its route: the quality manager must sign.
    let number = create_document(
        &app,
        &ann,
        json!({ "title": "Deburring", "kind": "work_instruction", "process": "PROD" }),
    )
    .await;
    ok(send(
        &app,
        &ann,
        Method::PUT,
        &format!("/api/v1/documents/{number}/draft"),
        Some(json!({ "content": "# Deburring\n\nCheck every bore." })),
    )
    .await)
    .await;
    ok(post(
        &app,
        &ann,
        &format!("/api/v1/documents/{number}/draft/submit"),
        json!({}),
    )
    .await)
    .await;
    // A nonconformity to accept: the owner of the process.
    let nc = report(&app, &sam, "Burrs on flange bores").await;
    assert!(
        server.received().is_empty(),
        "nothing is sent during a request"
    );

    assert_eq!(pass(&app, app.now()), 2);
    let mails = server.received();
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let sign = to(&mails, "qm");
    assert_eq!(sign.len(), 1, "{mails:#?}");
    assert_eq!(sign[0].language, "en");
    assert_eq!(
        sign[0].subject,
        format!("Signature needed: {number} r1 Deburring")
    );
    assert!(
        sign[0]
            .body
            .contains(&format!("{SITE}/documents/{number}\n")),
        "{}",
        sign[0].body
    );
    let accept = to(&mails, "ann");
    assert_eq!(accept.len(), 1, "{mails:#?}");
    assert_eq!(accept[0].language, "fi");
    assert_eq!(
        accept[0].subject,
        format!("Käsiteltävä poikkeama: {nc} Burrs on flange bores")
    );
    assert!(accept[0].body.contains("omistamallesi prosessille PROD"));
    assert!(
        accept[0]
            .body
            .contains(&format!("{SITE}/nonconformities/{nc}\n"))
    );
    assert!(accept[0].body.contains(&format!("{SITE}/account")));
    assert_eq!(pass(&app, app.now()), 0, "a mail is sent once");

    // An action assigned, a document to acknowledge, a certification expiring.
    let base = format!("/api/v1/nonconformities/{nc}");
    ok(post(&app, &ann, &format!("{base}/accept"), json!({})).await).await;
    ok(post(
        &app,
        &ann,
        &format!("{base}/analysis"),
        json!({ "root_cause": "The instruction predates the bores", "cause_category": "method" }),
    )
    .await)
    .await;
    let due = app.today() + TimeDelta::days(14);
    ok(post(
        &app,
        &ann,
        &format!("{base}/actions"),
        json!({ "description": "Deburr the twelve flanges again.", "owner": "sam", "due_on": due.to_string() }),
    )
    .await)
    .await;
    ok(post(
        &app,
        &qm,
        &format!("/api/v1/documents/{number}/draft/signatures"),
        json!({ "password": PASSWORD, "meaning": "approved" }),
    )
    .await)
    .await;
    ok(post(
        &app,
        &qm,
        "/api/v1/competences",
        json!({ "code": "FORK", "name": "Forklift licence", "name_fi": "Trukkikortti", "validity_months": 60 }),
    )
    .await)
    .await;
    let expires = app.today() + TimeDelta::days(62);
    ok(post(
        &app,
        &qm,
        "/api/v1/certifications",
        json!({ "user": "sam", "competence": "FORK", "issued_on": (app.today() - TimeDelta::days(400)).to_string(), "expires_on": expires.to_string() }),
    )
    .await)
    .await;

    assert_eq!(pass(&app, app.now()), 2);
    let mails = server.received();
    let sams = to(&mails, "sam");
    let subjects: Vec<&str> = sams.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(sams.len(), 2, "{subjects:?}");
    let action = sams
        .iter()
        .find(|m| m.subject == format!("Corrective action for you: {nc}"))
        .unwrap_or_else(|| panic!("{subjects:?}"));
    assert!(action.body.contains("Deburr the twelve flanges again."));
    assert!(
        action
            .body
            .contains(&format!("{SITE}/nonconformities/{nc}\n"))
    );
    let read = sams
        .iter()
        .find(|m| m.subject == format!("Document to read: {number} r1 Deburring"))
        .unwrap_or_else(|| panic!("{subjects:?}"));
    assert!(
        read.body
            .contains(&format!("{SITE}/documents/{number}#acknowledge\n"))
    );

    // Two days on, the certification comes within the 60 days' window.
    let later = app.now() + TimeDelta::days(2);
    assert_eq!(pass(&app, later), 1);
    let mails = server.received();
    let cert = mails.last().unwrap();
    assert_eq!(cert.to, "sam@example.com");
    assert_eq!(cert.subject, "Certification expiring: Forklift licence");
    assert!(
        cert.body
            .contains(&format!("{SITE}/competence/certifications/"))
    );
    assert_eq!(pass(&app, later), 0, "reminders are mailed once");
    assert_eq!(server.received().len(), 5);
}

async fn a_digest_gathers_the_day_into_one_mail_at_seven(backend: Backend) {
    if !aiosmtpd() {
        return;
    }
    let port = free_port();
    let app = app_mailing_to(backend, Some(port)).await;
    let server = SmtpServer::start(port, &app.data_dir.join("../smtp"));
    let (_qm, ann, sam) = people(&app).await;
    assert_eq!(
        get(&app, &ann, "/api/v1/me").await["mail"],
        "digest",
        "the default"
    );
    let first = report(&app, &sam, "Scratched housing").await;
    let second = report(&app, &sam, "Wrong torque").await;
    let now = app.now();
    assert_eq!(pass(&app, now), 0);

    // 07:00 in Helsinki the next morning (and not a minute before).
    let seven =
        laatu::mail::send::digest_instant(now + TimeDelta::days(1), chrono_tz::Europe::Helsinki, 7);
    assert!(seven > now && seven - now <= TimeDelta::days(1));
    assert_eq!(pass(&app, seven - TimeDelta::minutes(1)), 0);
    assert!(server.received().is_empty());
    assert_eq!(pass(&app, seven), 2, "two queued mails, in one digest");
    let mails = server.received();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let digest = &mails[0];
    assert_eq!(digest.to, "ann@example.com");
    assert_eq!(digest.language, "en");
    assert_eq!(digest.subject, "2 things wait for you in Laatu");
    for (nc, title) in [(&first, "Scratched housing"), (&second, "Wrong torque")] {
        assert!(
            digest
                .body
                .contains(&format!("Nonconformity to accept: {nc} {title}")),
            "{}",
            digest.body
        );
        assert!(
            digest
                .body
                .contains(&format!("{SITE}/nonconformities/{nc}\n"))
        );
    }
    assert_eq!(pass(&app, seven + TimeDelta::minutes(5)), 0);
    assert_eq!(server.received().len(), 1);
}

async fn off_means_no_mail_and_the_account_page_changes_it(backend: Backend) {
    if !aiosmtpd() {
        return;
    }
    let port = free_port();
    let app = app_mailing_to(backend, Some(port)).await;
    let server = SmtpServer::start(port, &app.data_dir.join("../smtp"));
    let (_qm, ann, sam) = people(&app).await;
    let res = send(
        &app,
        &ann,
        Method::PATCH,
        "/api/v1/me",
        Some(json!({ "mail": "weekly" })),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(res).await, "invalid_mail_choice");
    assert_eq!(
        set_mail(&app, &ann, json!({ "mail": "off" })).await["mail"],
        "off"
    );
    let changed = app.audit_events("entity_type=user").await;
    assert_eq!(
        crate::helpers::changes(changed.last().unwrap())["mail"],
        json!({ "before": "digest", "after": "off" })
    );

    report(&app, &sam, "Scratched housing").await;
    let now = app.now();
    pass(&app, now);
    pass(&app, now + TimeDelta::days(1));
    pass(&app, now + TimeDelta::days(2));
    assert!(server.received().is_empty(), "{:#?}", server.received());

    // The account page offers the three choices and saves one.
    let page = page_login(&app, "ann", PASSWORD).await;
    let html = page
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<option value="off" selected>"#), "{html}");
    assert!(html.contains(r#"<option value="immediate">"#));
    let res = page
        .post(app.url("/account/mail"))
        .form(&[
            ("csrf_token", csrf_token(&html).as_str()),
            ("mail", "immediate"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(get(&app, &ann, "/api/v1/me").await["mail"], "immediate");
    let nc = report(&app, &sam, "Wrong torque").await;
    pass(&app, app.now());
    let mails = server.received();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert!(mails[0].subject.contains(&nc));
}

async fn a_mail_waits_for_the_server_and_is_retried(backend: Backend) {
    if !aiosmtpd() {
        return;
    }
    let port = free_port();
    let app = app_mailing_to(backend, Some(port)).await;
    let (_qm, ann, sam) = people(&app).await;
    set_mail(&app, &ann, json!({ "mail": "immediate" })).await;
    let nc = report(&app, &sam, "Scratched housing").await;
    let t0 = app.now();
    // The server is down: the request went through, the try fails.
    assert_eq!(pass(&app, t0), 1);
    let admin = app.admin().await;
    let html = admin
        .get(app.url("/admin/mail"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<dd id="count-queued">1</dd>"#), "{html}");
    assert!(html.contains(&nc));

    let server = SmtpServer::start(port, &app.data_dir.join("../smtp"));
    assert_eq!(
        pass(&app, t0 + TimeDelta::minutes(1)),
        0,
        "not before its retry"
    );
    assert!(server.received().is_empty());
    assert_eq!(pass(&app, t0 + TimeDelta::minutes(5)), 1);
    let mails = server.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "ann@example.com");
    assert!(mails[0].subject.contains(&nc));
    assert_eq!(pass(&app, t0 + TimeDelta::hours(3)), 0);
}

async fn a_mail_given_up_on_shows_on_the_admin_page(backend: Backend) {
    let port = free_port();
    let app = app_mailing_to(backend, Some(port)).await;
    let (_qm, ann, sam) = people(&app).await;
    set_mail(&app, &ann, json!({ "mail": "immediate" })).await;
    let nc = report(&app, &sam, "Scratched housing").await;
    let t0 = app.now();
    // Nothing listens on the port: 5 tries, 5, 10, 20 and 40 minutes apart.
    for minutes in [0, 5, 15, 35, 75] {
        assert_eq!(pass(&app, t0 + TimeDelta::minutes(minutes)), 1, "{minutes}");
    }
    assert_eq!(pass(&app, t0 + TimeDelta::days(1)), 0, "given up");
    let admin = app.admin().await;
    let html = admin
        .get(app.url("/admin/mail"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<dd id="count-failed">1</dd>"#), "{html}");
    assert!(html.contains(r#"<dd id="count-queued">0</dd>"#));
    let doc = scraper::Html::parse_document(&html);
    let row = scraper::Selector::parse("#failed-mails tbody tr").unwrap();
    let rows: Vec<String> = doc
        .select(&row)
        .map(|r| r.text().collect::<String>())
        .collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("ann@example.com"), "{}", rows[0]);
    assert!(rows[0].contains(&nc));
    assert!(rows[0].contains('5'), "five tries: {}", rows[0]);
    let users = admin
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        users.contains(r#"href="/admin/mail""#),
        "linked from the users page"
    );
    let events = app.audit_events("entity_type=mail").await;
    assert_eq!(events.len(), 5);
    assert_eq!(
        crate::helpers::changes(events.last().unwrap())["failed"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The others may not look.
    let res = sam.get(app.url("/admin/mail")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn without_smtp_nothing_is_sent_and_the_admin_page_says_so(backend: Backend) {
    let app = app_mailing_to(backend, None).await;
    let (_qm, ann, sam) = people(&app).await;
    set_mail(&app, &ann, json!({ "mail": "immediate" })).await;
    report(&app, &sam, "Scratched housing").await;
    assert_eq!(pass(&app, app.now()), 0);
    let admin = app.admin().await;
    let html = admin
        .get(app.url("/admin/mail"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"data-configured="false""#), "{html}");
    assert!(html.contains("No mail server is set up"));
    assert!(html.contains(r#"<dd id="count-queued">1</dd>"#));
}

/// In a real browser: the admin's mail page with a mail given up on and
/// one waiting, and a person choosing the daily mail on the account page
/// in Finnish; screenshots at desktop and phone size are kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mail_pages_in_the_browser() {
    use crate::browser::{browser_login, open_browser, screenshot, start_driver};
    use fantoccini::Locator;

    let Some(driver) = start_driver().await else {
        return;
    };
    let app = app_mailing_to(Backend::Sqlite, Some(free_port())).await;
    let (_qm, ann, sam) = people(&app).await;
    set_mail(&app, &ann, json!({ "mail": "immediate", "language": "fi" })).await;
    report(&app, &sam, "Scratched housing").await;
    let t0 = app.now();
    for minutes in [0, 5, 15, 35, 75] {
        pass(&app, t0 + TimeDelta::minutes(minutes));
    }
    set_mail(&app, &ann, json!({ "mail": "digest" })).await;
    report(
        &app,
        &sam,
        "Wrong torque on the M8 bolts of the gearbox cover",
    )
    .await;

    let profile = tempfile::tempdir().unwrap();
    let b = open_browser(&driver, profile.path()).await;
    let shots = |name: &'static str| {
        let b = b.clone();
        async move {
            b.set_window_size(1400, 1000).await?;
            screenshot(&format!("{name}-desktop.png"), b.screenshot().await?);
            b.set_window_size(390, 844).await?;
            screenshot(&format!("{name}-phone.png"), b.screenshot().await?);
            b.set_window_size(1400, 1000).await
        }
    };
    browser_login(&b, &app, "admin", crate::helpers::ADMIN_PASSWORD)
        .await
        .unwrap();
    b.goto(&app.url("/admin/users")).await.unwrap();
    b.find(Locator::Css("a[href='/admin/mail']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let failed = b
        .wait()
        .for_element(Locator::Css("#failed-mails tbody tr"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(failed.contains("ann@example.com"), "{failed}");
    shots("mail-admin").await.unwrap();
    b.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    browser_login(&b, &app, "ann", PASSWORD).await.unwrap();
    b.goto(&app.url("/account")).await.unwrap();
    b.find(Locator::Css("#mail-choice"))
        .await
        .unwrap()
        .select_by_value("immediate")
        .await
        .unwrap();
    b.find(Locator::Css("form[action='/account/mail'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let notice = b
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(notice, "Sähköpostiasetuksesi tallennettiin.");
    shots("mail-account-fi").await.unwrap();
    // On a phone the section is further down: the address scrolls to it.
    b.set_window_size(390, 844).await.unwrap();
    b.goto(&app.url("/account?notice=mail-saved#mail"))
        .await
        .unwrap();
    screenshot("mail-account-fi-phone.png", b.screenshot().await.unwrap());
    assert_eq!(get(&app, &ann, "/api/v1/me").await["mail"], "immediate");
    b.close().await.unwrap();
}

/// What the survey invitations' mails keep: (state, address, body) per invitation.
fn survey_mail_rows(app: &TestApp) -> Vec<(String, String, String, String)> {
    use diesel::prelude::*;
    use laatu::db::schema::survey_invitation_mail as m;
    let mut conn = app.db();
    m::table
        .order(m::created_at.asc())
        .select((m::invitation_id, m::state, m::address, m::body))
        .load(&mut conn)
        .unwrap()
}

async fn survey_invitations_are_mailed_in_the_customers_language_and_their_links_wiped(
    backend: Backend,
) {
    if !aiosmtpd() {
        return;
    }
    let port = free_port();
    let app = app_mailing_to(backend, Some(port)).await;
    let (qm, _ann, _sam) = people(&app).await;
    let survey = ok(post(
        &app,
        &qm,
        "/api/v1/surveys",
        json!({
            "title": { "en": "How did your delivery go?", "fi": "Miten toimitus onnistui?" },
            "touchpoint": "order_delivered",
            "process": "PROD",
            "questions": [{ "key": "nps", "type": "nps", "required": true,
                            "label": { "en": "Recommend us?", "fi": "Suosittelisitko?" } }],
        }),
    )
    .await)
    .await;
    let id = survey["id"].as_str().unwrap().to_string();
    let invite = |contacts: Value| {
        let path = format!("/api/v1/surveys/{id}/invitations");
        let qm = qm.clone();
        let app = &app;
        async move {
            ok(post(
                app,
                &qm,
                &path,
                json!({ "send": true, "contacts": contacts }),
            )
            .await)
            .await
        }
    };
    let made = invite(json!([
        { "name": "Erkki", "email": "erkki@example.com", "company": "Esimerkki Oy", "language": "fi" },
        { "name": "Nora", "email": "nora@example.com", "language": "en" },
        { "name": "Paavo" },
    ]))
    .await;
    let mailed: Vec<bool> = made
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["mailed"].as_bool().unwrap())
        .collect();
    assert_eq!(mailed, [true, true, false], "only those with an address");
    let listed = get(&app, &qm, &format!("/api/v1/surveys/{id}/invitations")).await;
    let states: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["mail"])
        .collect();
    assert_eq!(
        states.iter().filter(|s| **s == "queued").count(),
        2,
        "{listed}"
    );

    // Nothing goes during the request; the scheduler sends both, once.
    let invitations_pass = |at: NaiveDateTime| {
        let state = app.state.clone();
        let report = app.at_app_time(|| laatu::scheduler::run_once(&state, at));
        assert!(report.failed().is_empty(), "{report:?}");
        report.changed("feedback", "send_invitations").unwrap()
    };
    let server = SmtpServer::start(port, &app.data_dir.join("../smtp"));
    assert!(server.received().is_empty());
    assert_eq!(invitations_pass(app.now()), 2);
    assert_eq!(invitations_pass(app.now() + TimeDelta::hours(1)), 0);
    let mails = server.received();
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let erkki = mails.iter().find(|m| m.to == "erkki@example.com").unwrap();
    assert_eq!(erkki.language, "fi");
    assert_eq!(erkki.subject, "Miten toimitus onnistui?");
    assert!(erkki.body.starts_with("Hei Erkki,"), "{}", erkki.body);
    let nora = mails.iter().find(|m| m.to == "nora@example.com").unwrap();
    assert_eq!(nora.language, "en");
    assert!(
        nora.body.contains("How did your delivery go?"),
        "{}",
        nora.body
    );

    // Each mail holds that customer's own link, and it opens the survey.
    for (m, made) in [(erkki, &made[0]), (nora, &made[1])] {
        let link = made["link"].as_str().unwrap();
        assert!(link.starts_with(&format!("{SITE}/s/")), "{link}");
        assert!(m.body.contains(&format!("{link}\n")), "{}", m.body);
        let page = reqwest::Client::new()
            .get(link.replace(SITE, &app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
    }
    assert!(!nora.body.contains(made[0]["link"].as_str().unwrap()));

    // Once sent, the database keeps no link.
    let rows = survey_mail_rows(&app);
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter().all(|r| r.1 == "sent" && r.3.is_empty()),
        "{rows:?}"
    );
    let listed = get(&app, &qm, &format!("/api/v1/surveys/{id}/invitations")).await;
    assert_eq!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["mail"] == "sent")
            .count(),
        2
    );

    // A contact erased before the mail went is never mailed, and the
    // address and link are gone at once.
    let late = invite(json!([{ "name": "Eila", "email": "eila@example.com" }])).await;
    let inv = late[0]["id"].as_str().unwrap();
    ok(post(
        &app,
        &qm,
        &format!("/api/v1/surveys/{id}/invitations/{inv}/erase"),
        json!({}),
    )
    .await)
    .await;
    let erased = survey_mail_rows(&app)
        .into_iter()
        .find(|r| r.0 == inv)
        .unwrap();
    assert_eq!(
        (erased.1.as_str(), erased.2.as_str(), erased.3.as_str()),
        ("dropped", "", "")
    );
    assert_eq!(invitations_pass(app.now() + TimeDelta::hours(2)), 0);
    assert_eq!(server.received().len(), 2);
    let events = app.audit_events("action=survey.invitations_mailed").await;
    assert_eq!(events.len(), 1);
}

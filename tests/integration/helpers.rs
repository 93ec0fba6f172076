//! The test harness: each test gets its own data folder, its own database
//! (a SQLite file, or a fresh PostgreSQL database when
//! `LAATU_TEST_POSTGRES_URL` is set) and its own server on a real port.

use std::path::PathBuf;
use std::process::Command;

use diesel::{Connection, PgConnection, RunQueryDsl};
use laatu::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

pub const ADMIN_PASSWORD: &str = "admin-password-123";

/// The instant every test application starts at, unless
/// `LAATU_TEST_NOW` (`2028-02-29T23:30:00`) names another: what a test
/// checks never depends on the day the suite runs.
pub const TEST_START: &str = "2026-05-13T09:30:00";

/// The instant test applications start at (see [`TEST_START`]).
pub fn test_start() -> chrono::NaiveDateTime {
    let text = std::env::var("LAATU_TEST_NOW")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| TEST_START.to_string());
    chrono::NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S")
        .unwrap_or_else(|e| panic!("LAATU_TEST_NOW `{text}`: {e}"))
}
pub const PASSWORD: &str = "correct-horse-battery";

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    /// The PostgreSQL server to test against, when configured.
    pub fn postgres() -> Option<Backend> {
        std::env::var("LAATU_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(Backend::Postgres)
    }
}

/// Runs an async test body once per backend: SQLite always, PostgreSQL when configured.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    match $crate::helpers::Backend::postgres() {
                        Some(b) => super::$name(b).await,
                        None => eprintln!("LAATU_TEST_POSTGRES_URL not set: PostgreSQL variant not run"),
                    }
                }
            )*
        }
    };
}

/// A fresh PostgreSQL database on the test server, dropped with the app.
pub struct PgDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create(server_url: &str) -> PgDatabase {
        let name = format!("laatu_t_{}", uuid::Uuid::now_v7().simple());
        let mut conn = PgConnection::establish(server_url).expect("connect to test PostgreSQL");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .expect("create test database");
        let base = server_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .expect("URL has a database");
        PgDatabase {
            admin_url: server_url.to_string(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

/// A running server and a way to talk to it.
pub struct TestApp {
    pub base: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub backend: Backend,
    /// The application's clock: set it to the instant a test means.
    pub clock: laatu::kit::Clock,
    /// Anonymous client with its own cookie jar.
    pub client: reqwest::Client,
    /// The server's state (to read counters such as password verifications).
    pub state: actix_web::web::Data<laatu::state::AppState>,
    handle: actix_web::dev::ServerHandle,
    _dir: TempDir,
    _pg: Option<PgDatabase>,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A client whose connections come from another loopback address (Linux
/// routes all of 127.0.0.0/8 to the loopback device), as a second computer.
pub fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::from(ip))
        .build()
        .expect("client")
}

/// The configuration tests use: quick, quiet, on port 0.
pub fn test_config(data_dir: PathBuf, database_url: Option<String>) -> Config {
    Config {
        data_dir,
        bind: "127.0.0.1:0".into(),
        database_url,
        workers: 1,
        db_pool_size: 4,
        // A busy machine makes writers wait longer, never fail.
        db_wait_secs: 600,
        git_fsync: false,
        check_api_contract: true,
        login_failure_delay_ms: 5,
        admin_password: Some(ADMIN_PASSWORD.into()),
        ..Config::default()
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// An app with the demo data loaded (as `serve --demo` does).
pub async fn spawn_demo_app(backend: Backend) -> TestApp {
    spawn_app_inner(backend, |_| {}, true).await
}

pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_inner(backend, tweak, false).await
}

async fn spawn_app_inner(backend: Backend, tweak: impl FnOnce(&mut Config), demo: bool) -> TestApp {
    init_test_log();
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().join("data");
    let pg = match &backend {
        Backend::Sqlite => None,
        Backend::Postgres(server) => Some(PgDatabase::create(server)),
    };
    let mut config = test_config(data_dir.clone(), pg.as_ref().map(|p| p.url.clone()));
    tweak(&mut config);
    let database_url = config.database_url();
    let clock = laatu::kit::Clock::starting_at(test_start());
    let app_clock = clock.clone();
    let (app, _) = tokio::task::spawn_blocking(move || {
        laatu::Application::build_with_clock(config, demo, app_clock)
    })
    .await
    .expect("join")
    .expect("app builds");
    let port = app.port();
    let state = app.state();
    let server = app.into_server();
    let handle = server.handle();
    tokio::spawn(server);
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        data_dir,
        database_url,
        backend,
        clock,
        client: client(),
        state,
        handle,
        _dir: dir,
        _pg: pg,
    }
}

fn init_test_log() {
    if std::env::var("TEST_LOG").is_ok() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("info")
            .with_test_writer()
            .try_init();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the workers so that the database can be dropped.
        drop(self.handle.stop(false));
        // Every answer the test saw must be one the OpenAPI document gives.
        let breaches = self.state.contract_breaches.all();
        if !breaches.is_empty() && !std::thread::panicking() {
            panic!(
                "API answers the OpenAPI document does not give:
{}",
                breaches.join(
                    "
"
                )
            );
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What the application's clock reads now.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }

    /// The application's today (UTC).
    pub fn today(&self) -> chrono::NaiveDate {
        self.now().date()
    }

    /// Runs `f` (a direct service call) by the application's clock.
    pub fn at_app_time<R>(&self, f: impl FnOnce() -> R) -> R {
        self.clock.enter(f)
    }

    /// A client logged in by the JSON API (session cookie).
    pub async fn login(&self, username: &str, password: &str) -> reqwest::Client {
        let c = client();
        let res = c
            .post(self.url("/api/v1/session"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK, "login of {username}");
        c
    }

    /// GET with a given client.
    pub async fn client_get(&self, c: &reqwest::Client, path: &str) -> reqwest::Response {
        c.get(self.url(path)).send().await.expect("request")
    }

    pub async fn admin(&self) -> reqwest::Client {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user with the given roles (as admin) and returns a logged-in client.
    pub async fn user_with_roles(&self, username: &str, roles: &[&str]) -> reqwest::Client {
        let admin = self.admin().await;
        let res = admin
            .post(self.url("/api/v1/users"))
            .json(&json!({
                "username": username,
                "display_name": format!("Test {username}"),
                "email": format!("{username}@example.com"),
                "password": PASSWORD,
                "roles": roles,
            }))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::CREATED, "create {username}");
        self.login(username, PASSWORD).await
    }

    /// Creates an API token for a logged-in client.
    pub async fn token_for(&self, c: &reqwest::Client) -> String {
        let res = c
            .post(self.url("/api/v1/tokens"))
            .json(&json!({ "name": "test" }))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.expect("json");
        body["token"].as_str().expect("token").to_string()
    }

    /// All audit events, oldest first, read through the API as admin.
    pub async fn audit_events(&self, query: &str) -> Vec<Value> {
        let admin = self.admin().await;
        let body: Value = admin
            .get(self.url(&format!("/api/v1/audit-events?per_page=200&{query}")))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let mut items = body["items"].as_array().expect("items").clone();
        items.reverse();
        items
    }

    /// Runs the `laatu` binary against this app's data folder and database.
    pub fn laatu(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_laatu"));
        cmd.arg("--data-dir")
            .arg(&self.data_dir)
            .arg("--database-url")
            .arg(&self.database_url)
            .args(args)
            .env_remove("LAATU_CONFIG")
            .env("LAATU_LOG_LEVEL", "warn");
        cmd.output().expect("run laatu")
    }

    /// A direct database connection (for tampering and counting).
    pub fn db(&self) -> laatu::db::DbConn {
        let url = match &self.backend {
            Backend::Sqlite => self.database_url.clone(),
            Backend::Postgres(_) => self.database_url.clone(),
        };
        laatu::db::DbConn::establish(&url).expect("connect")
    }
}

/// The `changes` of an audit event as read through the API (a JSON text), parsed.
pub fn changes(event: &Value) -> Value {
    serde_json::from_str(event["changes"].as_str().expect("changes is a JSON text"))
        .expect("changes parse")
}

/// Reads an error answer and returns its code, checking the shape.
pub async fn error_code(res: reqwest::Response) -> String {
    let body: Value = res.json().await.expect("error body is JSON");
    let code = body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error.code in {body}"));
    assert!(
        body["error"]["message"].is_string(),
        "no error.message in {body}"
    );
    code.to_string()
}

/// Extracts the CSRF token from a page.
pub fn csrf_token(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(r#"input[name="csrf_token"]"#).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .expect("page has a CSRF token")
        .to_string()
}

/// Logs in through the HTML form; returns the browser-like client.
pub async fn page_login(app: &TestApp, username: &str, password: &str) -> reqwest::Client {
    let c = client();
    let html = c
        .get(app.url("/login"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("text");
    let token = csrf_token(&html);
    let res = c
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", username),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "form login of {username}"
    );
    c
}

/// The instant test applications start at, as a UTC date-time.
pub fn test_now_utc() -> chrono::DateTime<chrono::Utc> {
    test_start().and_utc()
}

/// Creates a document as `c` (`{"title", "kind", "process"}`) and answers its number.
pub async fn create_document(app: &TestApp, c: &reqwest::Client, body: Value) -> String {
    let res = c
        .post(app.url("/api/v1/documents"))
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.expect("json")["number"]
        .as_str()
        .expect("number")
        .to_string()
}

/// Sends a JSON request (or none) as `c`.
pub async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = c.request(method, app.url(path));
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

/// The JSON of a successful answer; fails the test on any other.
pub async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// GETs JSON that must succeed.
pub async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> Value {
    ok(send(app, c, Method::GET, path, None).await).await
}

/// POSTs JSON.
pub async fn post(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    body: Value,
) -> reqwest::Response {
    send(app, c, Method::POST, path, Some(body)).await
}

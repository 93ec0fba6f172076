//! Laatu: an ISO 9001 quality-management system.
//!
//! [`Application::build`] opens the data folder, the database and the git
//! repository and binds the HTTP server; `main.rs` is only the CLI around it.

#![warn(missing_docs)]

pub mod area;
pub mod audit;
pub mod auth;
pub mod body;
pub mod charts;
pub mod check;
pub mod cli;
pub mod competence;
pub mod config;
pub mod contract;
pub mod db;
pub mod demo;
pub mod documents;
pub mod download;
pub mod error;
pub mod evidence;
pub mod experience;
pub mod feedback;
pub mod i18n;
pub mod ids;
pub mod json;
pub mod kit;
pub mod mail;
pub mod memory;
pub mod nonconformities;
pub mod openapi;
pub mod pages;
pub mod people;
pub mod processes;
pub mod records;
pub mod routes;
pub mod scheduler;
pub mod security;
pub mod spreadsheet;
pub mod state;
pub mod store;
pub mod system;
pub mod tasks;
pub mod time;

use std::net::TcpListener;
use std::path::Path;

use actix_web::dev::Server;
use actix_web::middleware::ErrorHandlers;
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use rust_embed::RustEmbed;
use utoipa_actix_web::AppExt;

use crate::config::Config;
use crate::error::{AppError, Code};
use crate::state::AppState;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct Templates;

#[derive(RustEmbed)]
#[folder = "static/"]
struct StaticFiles;

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    /// Held while the server runs: one server per data folder.
    _data_lock: std::fs::File,
}

/// What start-up prints: the admin password when it was just created.
pub struct Startup {
    /// The generated password of the `admin` account, when start-up just created it.
    pub admin_password: Option<String>,
    /// The passwords of the demo users, when start-up just loaded the demo data.
    pub demo_passwords: Option<String>,
}

/// Takes the data folder's lock, so that a second server cannot share the
/// git repository (the operating system releases it when the process dies).
fn lock_data_dir(data_dir: &Path) -> anyhow::Result<std::fs::File> {
    let path = data_dir.join("laatu.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another Laatu server is using {}; stop it first",
            data_dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(anyhow::Error::new(e).context(format!("cannot lock {}", path.display())))
        }
    }
}

/// Reads the CSRF key from the data folder, creating it on first start.
fn load_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("secret.key");
    if path.exists() {
        let hex_key = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return hex::decode(hex_key.trim()).context("secret.key is not hex");
    }
    let (secret, _) = auth::service::new_secret("");
    write_private(&path, &secret)?;
    hex::decode(secret).context("generated key")
}

fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(content.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// Loads the embedded templates and registers our functions and filters.
///
/// # Errors
/// A template that does not parse.
pub fn load_templates(tz: chrono_tz::Tz) -> anyhow::Result<tera::Tera> {
    let mut tera = tera::Tera::default();
    let mut files = Vec::new();
    for name in Templates::iter() {
        let file = Templates::get(&name).context("embedded template vanished")?;
        let text = String::from_utf8(file.data.into_owned())
            .with_context(|| format!("template {name} is not UTF-8"))?;
        files.push((name.to_string(), text));
    }
    tera.add_raw_templates(files)
        .map_err(|e| anyhow::anyhow!("templates: {e:?}"))?;
    tera.autoescape_on(vec![".html"]);
    i18n::register(&mut tera, tz);
    Ok(tera)
}

/// Opens everything the server needs: data folder, secret, git, database.
///
/// # Errors
/// Anything that keeps the server from starting, with the reason.
pub fn open_state(config: Config) -> anyhow::Result<AppState> {
    open_state_with_clock(config, kit::Clock::system())
}

/// As [`open_state`], with the services reading `clock`.
///
/// # Errors
/// As [`open_state`].
pub fn open_state_with_clock(config: Config, clock: kit::Clock) -> anyhow::Result<AppState> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    let secret = load_secret(&config.data_dir)?;
    let store = store::DocStore::open_or_init(&config.repository_path(), config.git_fsync)?;
    let pool = db::connect(
        &config.database_url(),
        config.db_pool_size,
        config.db_wait_secs,
    )?
    .with_clock(clock);
    let tz = config.tz()?;
    let templates = load_templates(tz)?;
    // Once, here: unknown login names are checked against this hash.
    let passwords = auth::password::Passwords::new()
        .map_err(|e| anyhow::anyhow!("preparing password checks: {e}"))?;
    Ok(AppState {
        config,
        pool,
        templates,
        secret,
        tz,
        store,
        map_cache: Default::default(),
        survey_limiter: Default::default(),
        passwords,
        contract_breaches: Default::default(),
    })
}

impl Application {
    /// Opens the state, makes sure an admin exists, loads demo data if asked,
    /// and binds the listener.
    ///
    /// # Errors
    /// Anything that keeps the server from starting.
    pub fn build(config: Config, demo: bool) -> anyhow::Result<(Application, Startup)> {
        Self::build_with_clock(config, demo, kit::Clock::system())
    }

    /// As [`Application::build`], with every service reading `clock`
    /// (tests start the application at the instant they mean).
    ///
    /// # Errors
    /// As [`Application::build`].
    pub fn build_with_clock(
        config: Config,
        demo: bool,
        clock: kit::Clock,
    ) -> anyhow::Result<(Application, Startup)> {
        clock.clone().enter(|| Self::build_on(config, demo, clock))
    }

    fn build_on(
        config: Config,
        demo: bool,
        clock: kit::Clock,
    ) -> anyhow::Result<(Application, Startup)> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
        let data_lock = lock_data_dir(&config.data_dir)?;
        let state = open_state_with_clock(config, clock)?;
        for stale in state.store.remove_stale_locks()? {
            tracing::warn!(path = %stale.display(), "removed a lock file left by a stopped process");
        }
        let mut conn = state.pool.get()?;
        let admin_password =
            auth::service::ensure_admin(&mut conn, state.config.admin_password.as_deref())
                .map_err(|e| anyhow::anyhow!("creating the admin user: {e}"))?;
        // A crash between a database commit and a ref update leaves a ref
        // behind the database; catch it up before serving.
        for action in check::repair(&mut conn, &state.store)
            .map_err(|e| anyhow::Error::new(e).context("repairing git refs"))?
        {
            tracing::warn!(%action, "git ref repaired at start-up");
        }
        let demo_passwords = if demo {
            demo::load(&mut conn, &state.store)
                .map_err(|e| anyhow::anyhow!("loading demo data: {e}"))?
        } else {
            None
        };
        drop(conn);
        let listener = TcpListener::bind(&state.config.bind)
            .with_context(|| format!("cannot listen on {}", state.config.bind))?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(state);
        let server = Self::serve(listener, state.clone())?;
        Ok((
            Application {
                port,
                server,
                state,
                _data_lock: data_lock,
            },
            Startup {
                admin_password,
                demo_passwords,
            },
        ))
    }

    fn serve(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Server> {
        let config = state.config.clone();
        let mut server = HttpServer::new(move || {
            // The factory runs once on each worker thread, which serves this
            // application only.
            state.pool.clock().install();
            db::mark_worker_thread();
            let (app, api) = App::new()
                .into_utoipa_app()
                .openapi(openapi::base())
                .service(
                    utoipa_actix_web::scope::scope("/api/v1")
                        .wrap(actix_web::middleware::from_fn(security::origin_guard))
                        .wrap(actix_web::middleware::from_fn(contract::check))
                        .configure(configure_api)
                        .default_service(web::to(api_not_found)),
                )
                .split_for_parts();
            let mut api = api;
            openapi::complete(&mut api);
            let api_methods = web::Data::new(ApiMethods(routes::MethodTable::from_openapi(&api)));
            let contract = web::Data::new(contract::Contract::from_openapi(&api));
            let mut page_methods = routes::MethodTable::default();
            for path in ["/healthz", "/readyz", "/static/{file:.*}"] {
                page_methods.add(path, actix_web::http::Method::GET);
            }
            let pages = web::scope("")
                .wrap(actix_web::middleware::from_fn(security::origin_guard))
                .wrap(ErrorHandlers::new().default_handler(pages::error_page))
                .configure(|cfg| {
                    configure_pages(&mut routes::PageRoutes::new(cfg, &mut page_methods))
                });
            let pages = pages
                .app_data(web::Data::new(PageMethods(page_methods)))
                .default_service(web::to(page_not_found));
            app.app_data(state.clone())
                .app_data(web::Data::new(api))
                .app_data(api_methods)
                .app_data(contract)
                .app_data(web::PayloadConfig::default().limit(config.max_form_bytes))
                .app_data(web::QueryConfig::default().error_handler(error::query_error_handler))
                .app_data(web::PathConfig::default().error_handler(error::path_error_handler))
                .wrap(actix_web::middleware::from_fn(refuse_control_characters))
                .wrap(actix_web::middleware::from_fn(security::headers))
                .wrap(actix_web::middleware::from_fn(request_id_header))
                .wrap(tracing_actix_web::TracingLogger::default())
                .route("/healthz", web::get().to(system::healthz))
                .route("/readyz", web::get().to(system::readyz))
                .route("/static/{file:.*}", web::get().to(static_file))
                .service(pages)
        })
        .listen(listener)?
        .shutdown_timeout(config.shutdown_timeout_secs);
        if config.workers > 0 {
            server = server.workers(config.workers);
        }
        // actix treats SIGINT as a forced stop; main.rs handles signals and
        // stops gracefully instead.
        server = server.disable_signals();
        Ok(server.run())
    }

    /// The port the server is bound to (the one chosen by the system for port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server future, for callers that run it themselves (tests).
    pub fn into_server(self) -> Server {
        self.server
    }

    /// The application's shared state (configuration, pool, templates, store).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// A handle to stop the server (gracefully: requests in flight finish).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Runs until stopped through [`Application::handle`].
    ///
    /// # Errors
    /// An I/O fault of the server.
    pub async fn run(self) -> std::io::Result<()> {
        scheduler::spawn(self.state.clone());
        self.server.await
    }
}

/// Every area of Laatu, each saying what it adds (see [`area::Area`]).
/// Routes, scheduler jobs, tasks and "in use" go over this list; a new
/// area is its folder and one line here.
pub const AREAS: &[area::Area] = &[
    system::AREA,
    auth::AREA,
    audit::AREA,
    documents::AREA,
    processes::AREA,
    nonconformities::AREA,
    competence::AREA,
    records::AREA,
    experience::AREA,
    feedback::ratings::AREA,
    feedback::AREA,
    evidence::AREA,
    mail::AREA,
    tasks::AREA,
];

/// Every JSON route, under `/api/v1`: each area's, in the order of [`AREAS`].
pub fn configure_api(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    for area in AREAS {
        (area.api)(cfg);
    }
}

/// Every HTML route: each area's, in the order of [`AREAS`].
pub fn configure_pages(cfg: &mut routes::PageRoutes) {
    for area in AREAS {
        (area.pages)(cfg);
    }
}

/// The methods of the API's paths (from the OpenAPI document).
struct ApiMethods(routes::MethodTable);

/// The methods of the page paths (from [`routes::PageRoutes`]).
struct PageMethods(routes::MethodTable);

/// No API route took the request: 405 with `Allow` when the path is known
/// with other methods, else 404 `route_not_found`.
async fn api_not_found(req: actix_web::HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    let allow = req
        .app_data::<web::Data<ApiMethods>>()
        .and_then(|t| t.0.allow_header(req.path()));
    match allow {
        Some(allow) => {
            let mut res = AppError::method_not_allowed().error_response();
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&allow) {
                res.headers_mut().insert(actix_web::http::header::ALLOW, v);
            }
            res
        }
        None => AppError::not_found(Code::RouteNotFound, "no such API route").error_response(),
    }
}

/// No page took the request: 405 with `Allow` when the path is known with
/// other methods (the error page keeps the header), else 404 `page_not_found`.
async fn page_not_found(
    req: actix_web::HttpRequest,
    _page: pages::PageCtx,
) -> Result<HttpResponse, AppError> {
    let allow = req
        .app_data::<web::Data<PageMethods>>()
        .and_then(|t| t.0.allow_header(req.path()));
    match allow {
        Some(allow) => Ok(HttpResponse::MethodNotAllowed()
            .insert_header((actix_web::http::header::ALLOW, allow))
            .finish()),
        None => Err(AppError::not_found(Code::PageNotFound, "no such page")),
    }
}

async fn static_file(path: web::Path<String>) -> HttpResponse {
    // rust-embed only knows the files it embedded; no user path reaches the file system.
    match StaticFiles::get(&path) {
        Some(file) => HttpResponse::Ok()
            .content_type(file.metadata.mimetype())
            .insert_header(("Cache-Control", "public, max-age=3600"))
            .body(file.data.into_owned()),
        None => HttpResponse::NotFound().finish(),
    }
}

/// Refuses a request whose path or query holds a control character or a
/// bidirectional override (see [`kit::text`]) before any handler sees it.
async fn refuse_control_characters(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let uri = req.uri();
    kit::text::check_url_part(uri.path())
        .and_then(|()| kit::text::check_url_part(uri.query().unwrap_or_default()))?;
    next.call(req).await
}

/// Echoes the request id of the log line as `x-request-id`, so that a user
/// reporting a problem can quote it.
async fn request_id_header(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    let id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(ToString::to_string);
    let mut res = next.call(req).await?;
    if let Some(id) = id
        && let Ok(value) = actix_web::http::header::HeaderValue::from_str(&id)
    {
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-request-id"),
            value,
        );
    }
    Ok(res)
}

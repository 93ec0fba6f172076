//! One typed configuration: defaults < `laatu.toml` < `LAATU_*` environment < flags.
//! Unknown keys are an error that names the key. `docs/configuration.md` lists every key.

use std::path::{Path, PathBuf};

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Environment variables with our prefix that are not configuration keys.
const ENV_NOT_KEYS: &[&str] = &["config", "test_postgres_url", "test_log", "test_now"];

/// The whole configuration, from the file, `LAATU_*` variables and the command line (in rising order).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Folder for the SQLite database, the git repository and the secret key.
    pub data_dir: PathBuf,
    /// Address to listen on.
    pub bind: String,
    /// `postgres://...` for PostgreSQL; otherwise a SQLite file path
    /// (default: `<data_dir>/laatu.db`).
    pub database_url: Option<String>,
    /// The address people reach Laatu at, such as `https://laatu.example.com`
    /// (scheme, host, optional port). Unsafe requests whose `Origin` is this
    /// one (or the request's own host) are same-origin; an https address
    /// turns `Secure` cookies on.
    pub public_url: Option<String>,
    /// Mark cookies `Secure`; unset: on exactly when `public_url` is https.
    pub secure_cookies: Option<bool>,
    /// How long a login session lasts.
    pub session_hours: u32,
    /// Time zone in which pages show times (IANA name).
    pub timezone: String,
    /// Language when neither the user nor the browser says (`en` or `fi`).
    pub default_language: String,
    /// `text` or `json` log lines.
    pub log_format: String,
    /// Log filter, as in `RUST_LOG` (`info`, `laatu=debug,info`, ...).
    pub log_level: String,
    /// Largest JSON request body, in bytes.
    pub max_json_bytes: usize,
    /// Largest form request body, in bytes.
    pub max_form_bytes: usize,
    /// Largest attached file, in bytes.
    pub max_attachment_bytes: usize,
    /// Failed logins in a row, per account name and client address, that cost no wait.
    pub login_free_failures: i32,
    /// The wait after the first failure past the free ones; doubles with each further one.
    pub login_failure_delay_ms: u64,
    /// The longest wait between failed logins of one account name from one address.
    pub login_max_delay_ms: u64,
    /// Hours after its last failure that a name and address start from zero again.
    pub login_throttle_forget_hours: u32,
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Password for the `admin` user when it is first created (else one is generated).
    pub admin_password: Option<String>,
    /// HTTP worker threads (0: one per core).
    pub workers: usize,
    /// Seconds to let requests in flight finish on shutdown.
    pub shutdown_timeout_secs: u64,
    /// Database connections in the pool.
    pub db_pool_size: u32,
    /// Seconds a request waits for a database connection, and on SQLite for
    /// the write lock, before it is answered 503 (`database_unavailable`, or
    /// `database_busy` for the write lock).
    pub db_wait_secs: u64,
    /// libgit2 fsyncs objects and refs (keep on in production).
    pub git_fsync: bool,
    /// Check every API answer's status against the OpenAPI document and log
    /// the ones it does not give (development and tests; see `contract`).
    pub check_api_contract: bool,
    /// Seconds between scheduler passes (effective dates, overdue reviews); 0 turns it off.
    pub scheduler_interval_secs: u64,
    /// Days the responsible process owner has to accept or reject a reported nonconformity.
    pub nc_acceptance_days: u32,
    /// Days after the last corrective action is done until its effectiveness check is due,
    /// unless the analysis set a date.
    pub nc_effectiveness_days: u32,
    /// Days before its last valid day that a certification counts as
    /// expiring: it shows in the matrix and gives tasks from then on.
    pub competence_expiring_days: u32,
    /// Acknowledging a document ("read and understood") asks for the
    /// reader's password again, as signing does.
    pub acknowledge_with_password: bool,
    /// The SMTP server mail goes through, as a URL:
    /// `smtp://user:pass@mail.example:587?tls=required`, `smtps://...:465`,
    /// or `smtp://host:25` without TLS. Unset: no mail is sent.
    pub smtp_url: Option<String>,
    /// The SMTP password, when it is kept out of `smtp_url`
    /// (`LAATU_SMTP_PASSWORD`); the URL names the user.
    pub smtp_password: Option<String>,
    /// The sender of Laatu's mail: `Laatu <laatu@example.com>`.
    pub mail_from: Option<String>,
    /// The hour of the day (site time, 0-23) at which the daily digest goes out.
    pub mail_digest_hour: u32,
    /// How often the people of a process are asked to rate what they
    /// receive from each supplying process: `monthly`, `quarterly` or `yearly`.
    pub internal_ratings_frequency: String,
    /// Days a survey invitation's link stays open, unless the survey says otherwise.
    pub survey_expiry_days: u32,
    /// Requests a minute one client address may make to the public survey
    /// pages (`/s/...`); 0 turns the limit off.
    pub survey_requests_per_minute: u32,
    /// Working days the process owner has to follow up a detractor or a low CSAT answer.
    pub survey_followup_days: u32,
    /// The site's public holidays (`2026-12-24`): they are not working days.
    pub public_holidays: Vec<chrono::NaiveDate>,
}

/// Where mail links point when `public_url` is not set.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./laatu-data"),
            bind: "127.0.0.1:8080".into(),
            database_url: None,
            public_url: None,
            secure_cookies: None,
            session_hours: 12,
            timezone: "UTC".into(),
            default_language: "en".into(),
            log_format: "text".into(),
            log_level: "info".into(),
            max_json_bytes: 1024 * 1024,
            max_form_bytes: 1024 * 1024,
            max_attachment_bytes: 25 * 1024 * 1024,
            login_free_failures: 2,
            login_failure_delay_ms: 500,
            login_max_delay_ms: 30_000,
            login_throttle_forget_hours: 24,
            trusted_proxies: Vec::new(),
            admin_password: None,
            workers: 0,
            shutdown_timeout_secs: 30,
            db_pool_size: 8,
            db_wait_secs: 15,
            git_fsync: true,
            check_api_contract: false,
            scheduler_interval_secs: 60,
            nc_acceptance_days: 5,
            nc_effectiveness_days: 30,
            competence_expiring_days: 60,
            acknowledge_with_password: true,
            smtp_url: None,
            smtp_password: None,
            mail_from: None,
            mail_digest_hour: 7,
            internal_ratings_frequency: "quarterly".into(),
            survey_expiry_days: 30,
            survey_requests_per_minute: 30,
            survey_followup_days: 2,
            public_holidays: Vec::new(),
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers in force.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    /// The data folder, instead of the configured one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// The address to listen on, instead of the configured one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    /// The database URL, instead of the configured one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl Config {
    /// Loads the layers. `file` is the config file named by `--config` or
    /// `LAATU_CONFIG`; without one, `./laatu.toml` is read if it exists.
    ///
    /// # Errors
    /// A missing named file, a malformed value or an unknown key.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                anyhow::ensure!(
                    path.is_file(),
                    "configuration file {} does not exist",
                    path.display()
                );
                figment = figment.merge(Toml::file_exact(path));
            }
            None if Path::new("laatu.toml").is_file() => {
                figment = figment.merge(Toml::file_exact("laatu.toml"));
            }
            None => {}
        }
        let config: Config = figment
            .merge(Env::prefixed("LAATU_").ignore(ENV_NOT_KEYS))
            .merge(Serialized::defaults(overrides))
            .extract()
            .context("invalid configuration")?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            matches!(self.log_format.as_str(), "text" | "json"),
            "log_format must be `text` or `json`, not `{}`",
            self.log_format
        );
        anyhow::ensure!(
            crate::i18n::Lang::parse(&self.default_language).is_some(),
            "default_language must be `en` or `fi`, not `{}`",
            self.default_language
        );
        self.tz()?;
        anyhow::ensure!(self.session_hours > 0, "session_hours must be at least 1");
        anyhow::ensure!(
            self.login_free_failures >= 0,
            "login_free_failures must be 0 or more"
        );
        anyhow::ensure!(
            self.login_throttle_forget_hours > 0,
            "login_throttle_forget_hours must be at least 1"
        );
        self.public_origin()?;
        anyhow::ensure!(
            self.nc_acceptance_days > 0 && self.nc_effectiveness_days > 0,
            "nc_acceptance_days and nc_effectiveness_days must be at least 1"
        );
        anyhow::ensure!(
            self.mail_digest_hour < 24,
            "mail_digest_hour must be 0 to 23, not {}",
            self.mail_digest_hour
        );
        anyhow::ensure!(
            matches!(
                self.internal_ratings_frequency.as_str(),
                "monthly" | "quarterly" | "yearly"
            ),
            "internal_ratings_frequency must be `monthly`, `quarterly` or `yearly`, not `{}`",
            self.internal_ratings_frequency
        );
        anyhow::ensure!(
            (1..=365).contains(&self.survey_expiry_days),
            "survey_expiry_days must be 1 to 365, not {}",
            self.survey_expiry_days
        );
        crate::mail::smtp::Smtp::from_config(self)?;
        Ok(())
    }

    /// The address links in mails start with: `public_url` without a
    /// trailing slash, else [`DEFAULT_BASE_URL`].
    pub fn base_url(&self) -> String {
        match self.public_url.as_deref().map(str::trim) {
            Some(u) if !u.is_empty() => u.trim_end_matches('/').to_string(),
            _ => DEFAULT_BASE_URL.to_string(),
        }
    }

    /// The configured display time zone.
    ///
    /// # Errors
    /// When the name is not an IANA time zone.
    pub fn tz(&self) -> anyhow::Result<chrono_tz::Tz> {
        self.timezone
            .parse()
            .map_err(|_| anyhow::anyhow!("timezone `{}` is not an IANA time zone", self.timezone))
    }

    /// The origin (`scheme://host[:port]`, lower case, default port left out)
    /// of `public_url`, if one is configured.
    ///
    /// # Errors
    /// A `public_url` that is not an http or https address.
    pub fn public_origin(&self) -> anyhow::Result<Option<String>> {
        let Some(url) = self.public_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        crate::security::origin_of(url.trim())
            .map(Some)
            .ok_or_else(|| {
                anyhow::anyhow!("public_url `{url}` is not an http:// or https:// address")
            })
    }

    /// Whether cookies are marked `Secure`: `secure_cookies` when set, else
    /// whether `public_url` is https.
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies.unwrap_or_else(|| {
            self.public_url
                .as_deref()
                .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
        })
    }

    /// The database URL in force: the configured one, or the SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => self
                .data_dir
                .join("laatu.db")
                .to_string_lossy()
                .into_owned(),
        }
    }

    /// Path of the bare git repository holding controlled documents.
    pub fn repository_path(&self) -> PathBuf {
        self.data_dir.join("documents.git")
    }
}

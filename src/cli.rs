//! The command line: `laatu serve`, `laatu user ...`, `laatu check`,
//! `laatu export`, `laatu verify`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::audit::Actor;
use crate::auth::model::{NewPassword, Role};
use crate::auth::service::{self, NewUser, UserChanges};
use crate::config::{Config, Overrides};
use crate::error::AppError;

/// The command line of `laatu`: options every command shares, and the command.
#[derive(Debug, Parser)]
#[command(name = "laatu", version, about = "ISO 9001 quality-management system")]
pub struct Cli {
    /// Configuration file (default: ./laatu.toml if it exists).
    #[arg(long, global = true, env = "LAATU_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data folder: SQLite database, git repository, secret key.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// `postgres://...` for PostgreSQL; otherwise a SQLite file.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands of `laatu`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server.
    Serve(ServeArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Verify the audit chain and that git matches the database; exit 1 on any finding.
    Check {
        /// Re-derive refs (drafts, tags, main) from the database first.
        #[arg(long)]
        repair: bool,
    },
    /// Export an evidence bundle to a file (the same bundle as
    /// `GET /api/v1/evidence`), audited as the user named by --as or as
    /// the system (`system:cli`).
    Export(ExportArgs),
    /// Verify an evidence bundle: every file's SHA-256 against its
    /// manifest, the manifest's root hash and the audit trail's hash chain.
    /// Needs no server and no database; exit 0 only when everything holds.
    Verify {
        /// The bundle (`evidence.zip`).
        bundle: PathBuf,
    },
}

/// `laatu verify`: prints what was checked and every finding; true when the
/// bundle is intact.
pub fn run_verify(bundle: &std::path::Path) -> bool {
    let v = crate::evidence::verify::verify(bundle);
    if let Some(m) = &v.manifest {
        println!(
            "bundle exported by {} at {} (Laatu {}), root {}",
            m.info.exported_by, m.info.exported_at, m.info.software_version, m.root
        );
    }
    println!(
        "{} files checked, {} audit events checked",
        v.files_checked, v.events_checked
    );
    for f in &v.findings {
        println!("FAIL {f}");
    }
    if v.ok() {
        println!("OK: the bundle is intact");
    }
    v.ok()
}

/// Options of `laatu export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Documents, matrix and processes as they were on this date (default today).
    #[arg(long)]
    pub as_of: Option<String>,
    /// First day of the period of records, cases and audit events (default 1 January of --to's year).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of the period, included (default --as-of).
    #[arg(long)]
    pub to: Option<String>,
    /// Comma-separated ISO 9001 clauses, such as 7.2,10.2 (default all).
    #[arg(long)]
    pub clauses: Option<String>,
    /// Comma-separated process codes, such as PROD,PURCH (default all).
    #[arg(long)]
    pub processes: Option<String>,
    /// Language of the bundle's pages: en or fi (default: the user's, else en).
    #[arg(long)]
    pub lang: Option<String>,
    /// Export as this user (a quality manager or auditor); without it the
    /// export is made and audited as the system (`system:cli`).
    #[arg(long = "as")]
    pub as_user: Option<String>,
    /// Where to write the bundle; it is written beside it under a
    /// temporary name and renamed when complete.
    #[arg(long)]
    pub out: PathBuf,
}

/// Options of `laatu serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Load demo data (once; running again adds nothing).
    #[arg(long)]
    pub demo: bool,
    /// Address to listen on, such as 127.0.0.1:8080.
    #[arg(long)]
    pub bind: Option<String>,
}

/// The commands of `laatu user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. Without --password one is generated and printed.
    Add {
        /// The new user's login name.
        username: String,
        /// Role (repeat for several): admin, quality_manager, process_owner, staff, auditor.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The name shown to others; left empty, the username is shown.
        #[arg(long, default_value = "")]
        display_name: String,
        /// An e-mail address.
        #[arg(long, default_value = "")]
        email: String,
        /// The first password (at least 10 characters).
        #[arg(long)]
        password: Option<String>,
        /// Account expiry, UTC date or time (for external auditors).
        #[arg(long)]
        expires: Option<String>,
    },
    /// List users.
    List,
    /// Replace a user's roles.
    Roles {
        /// The user whose roles change.
        username: String,
        /// The roles the user is to hold, replacing those held now.
        #[arg(required = true)]
        roles: Vec<String>,
    },
    /// Set a user's password. Without --password one is generated and printed.
    Passwd {
        /// The user whose password is set.
        username: String,
        /// The new password (at least 10 characters).
        #[arg(long)]
        password: Option<String>,
    },
    /// Deactivate a user: their sessions and tokens stop working at once.
    Deactivate {
        /// The user to deactivate.
        username: String,
    },
}

impl Cli {
    /// The configuration with this command line's overrides.
    ///
    /// # Errors
    /// An invalid configuration.
    pub fn load_config(&self) -> anyhow::Result<Config> {
        let bind = match &self.command {
            Command::Serve(a) => a.bind.clone(),
            _ => None,
        };
        Config::load(
            self.config.as_deref(),
            &Overrides {
                data_dir: self.data_dir.clone(),
                bind,
                database_url: self.database_url.clone(),
            },
        )
    }
}

fn generated_password() -> String {
    let (secret, _) = service::new_secret("");
    secret[..20].to_string()
}

fn cli_err(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{} ({})", e.message, e.code)
}

/// Runs a `laatu user ...` command against the configured database.
///
/// # Errors
/// Refusals (with their code) and faults.
pub fn run_user_command(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let state = crate::open_state(config.clone())?;
    let mut conn = state.pool.get()?;
    let actor = Actor::system("cli");
    match command {
        UserCommand::Add {
            username,
            roles,
            display_name,
            email,
            password,
            expires,
        } => {
            let shown = password.is_none();
            let password = password.unwrap_or_else(generated_password);
            let new = NewUser::parse(
                &username,
                &display_name,
                &email,
                &password,
                &roles,
                expires.as_deref(),
            )
            .map_err(cli_err)?;
            let user = service::create_user(&mut conn, &actor, new).map_err(cli_err)?;
            println!("created {} ({})", user.username, join_roles(&user.roles));
            if shown {
                println!("password: {password}");
            }
        }
        UserCommand::List => {
            let mut page = 1;
            loop {
                let users =
                    service::list_users(&mut conn, Some(page), Some(200)).map_err(cli_err)?;
                for u in &users.items {
                    let state = if !u.active {
                        "deactivated".to_string()
                    } else if let Some(t) = u.expires_at {
                        format!("expires {}", t.format("%Y-%m-%d %H:%M"))
                    } else {
                        "active".to_string()
                    };
                    println!(
                        "{:<20} {:<30} {:<45} {}",
                        u.username,
                        u.display_name,
                        join_roles(&u.roles),
                        state
                    );
                }
                if page >= users.pages() {
                    break;
                }
                page += 1;
            }
        }
        UserCommand::Roles { username, roles } => {
            let roles = Role::parse_set(&roles).map_err(cli_err)?;
            let user = service::update_user(
                &mut conn,
                &actor,
                &username,
                UserChanges {
                    roles: Some(roles),
                    ..UserChanges::default()
                },
            )
            .map_err(cli_err)?;
            println!("{}: {}", user.username, join_roles(&user.roles));
        }
        UserCommand::Passwd { username, password } => {
            let shown = password.is_none();
            let password = password.unwrap_or_else(generated_password);
            let password = NewPassword::parse(&password).map_err(cli_err)?;
            service::set_password(&mut conn, &actor, &username, &password, None)
                .map_err(cli_err)?;
            println!("password of {username} set; their sessions ended and API tokens revoked");
            if shown {
                println!("password: {}", password.expose());
            }
        }
        UserCommand::Deactivate { username } => {
            service::update_user(
                &mut conn,
                &actor,
                &username,
                UserChanges {
                    active: Some(false),
                    ..UserChanges::default()
                },
            )
            .map_err(cli_err)?;
            println!("{username} deactivated");
        }
    }
    Ok(())
}

fn join_roles(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Runs `laatu check`; returns whether everything held.
///
/// # Errors
/// When the check itself cannot run.
pub fn run_check(config: &Config, repair: bool) -> anyhow::Result<bool> {
    let pool = crate::db::connect(&config.database_url(), 2, config.db_wait_secs)?;
    let mut conn = pool.get()?;
    let store = crate::store::DocStore::at(&config.repository_path());
    if repair {
        for action in crate::check::repair(&mut conn, &store).map_err(cli_err)? {
            println!("repaired: {action}");
        }
    }
    let (findings, passed) = crate::check::run(&mut conn, &store).map_err(cli_err)?;
    for p in &passed {
        println!("ok: {p}");
    }
    for f in &findings {
        println!("FAIL [{}]: {}", f.area, f.message);
    }
    Ok(findings.is_empty())
}

/// Runs `laatu export`: checks the parameters, writes the bundle to a
/// temporary file beside `--out` (a progress bar on a terminal, nothing
/// while it runs otherwise), flushes and syncs it, records the export
/// (row and audit event), and only then renames it to `--out`: a crash
/// leaves no half bundle under the final name. Prints one line with the
/// file count and root hash.
///
/// # Errors
/// Refusals (with their code) and faults.
pub fn run_export(config: &Config, args: ExportArgs) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use crate::evidence::bundle::Bundle;
    use crate::evidence::export::{self, Counting, ExportQuery, ExportScope};

    let state = crate::open_state(config.clone())?;
    let mut conn = state.pool.get()?;
    let (actor, lang) = match &args.as_user {
        None => (Actor::system("cli"), crate::i18n::Lang::En),
        Some(name) => {
            let user = service::user_by_username(&mut conn, name).map_err(cli_err)?;
            if !user.active || user.expires_at.is_some_and(|t| t <= crate::ids::now()) {
                anyhow::bail!("{name} is deactivated or expired");
            }
            user.require_any(crate::evidence::api::EXPORTERS)
                .map_err(|_| anyhow::anyhow!("{name} is not a quality manager or auditor"))?;
            (
                Actor::user(&user.id, &user.username),
                user.lang().unwrap_or_default(),
            )
        }
    };
    let q = ExportQuery {
        as_of: args.as_of,
        from: args.from,
        to: args.to,
        clauses: args.clauses,
        processes: args.processes,
        lang: args.lang,
    };
    let today = crate::evidence::api::today(state.tz);
    let scope = ExportScope::parse(&mut conn, &q, today, state.tz, lang).map_err(cli_err)?;
    let out = args.out;
    let name = out
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("--out names no file"))?
        .to_string_lossy()
        .to_string();
    let partial = out.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let file = std::fs::File::create(&partial)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", partial.display()))?;
    let result = (|| -> anyhow::Result<_> {
        let given = Arc::new(AtomicU64::new(0));
        let written = Arc::new(AtomicU64::new(0));
        let bundle = Bundle::new(Counting::new(
            std::io::BufWriter::with_capacity(256 * 1024, Counting::new(&file, written.clone())),
            given.clone(),
        ));
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {elapsed} {pos} files  {wide_msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar
        });
        let mut progress = |path: &str| {
            if let Some(bar) = &bar {
                bar.inc(1);
                bar.set_message(path.to_string());
            }
        };
        let manifest = export::write_export(
            &mut conn,
            &state.store,
            &scope,
            &actor.name,
            bundle,
            &mut progress,
        )
        .map_err(cli_err)?;
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        // The buffer is flushed when the zip ends; what reached the file
        // must be all that was written.
        let size = given.load(Ordering::Relaxed);
        if written.load(Ordering::Relaxed) != size {
            anyhow::bail!("writing {} failed", partial.display());
        }
        file.sync_all()?;
        Ok((manifest, size))
    })();
    let (manifest, size) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    if let Err(e) = export::record_export(&mut conn, &actor, &manifest, size) {
        let _ = std::fs::remove_file(&partial);
        return Err(cli_err(e));
    }
    std::fs::rename(&partial, &out)
        .map_err(|e| anyhow::anyhow!("cannot rename to {}: {e}", out.display()))?;
    println!(
        "wrote {}: {} files, {} bytes, root {}",
        out.display(),
        manifest.files.len() + 1,
        size,
        manifest.root
    );
    Ok(())
}

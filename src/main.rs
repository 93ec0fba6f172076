//! The `laatu` command: parse, load the configuration, call into the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use laatu::cli::{Cli, Command};
use laatu::config::Config;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(config.log_level.clone()));
    // One line per request: the request span (id, method, route, status)
    // closes with its latency.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    laatu::memory::tune_allocator();
    let cli = Cli::parse();
    // Verifying a bundle needs no configuration, server or database.
    if let Command::Verify { bundle } = &cli.command {
        return if laatu::cli::run_verify(bundle) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    let config = match cli.load_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    let result = match cli.command {
        Command::Serve(args) => serve(config, args.demo).await,
        Command::User(cmd) => laatu::cli::run_user_command(&config, cmd),
        Command::Export(args) => laatu::cli::run_export(&config, args),
        Command::Verify { .. } => Ok(()),
        Command::Check { repair } => match laatu::cli::run_check(&config, repair) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::from(1),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let bind = config.bind.clone();
    let data_dir = config.data_dir.clone();
    let database = laatu::db::redact(&config.database_url());
    let (app, startup) = laatu::Application::build(config, demo)?;
    let host = bind.rsplit_once(':').map_or(bind.as_str(), |(h, _)| h);
    println!("Laatu is listening on http://{host}:{}", app.port());
    println!("data folder: {}", data_dir.display());
    println!("database: {database}");
    if let Some(password) = &startup.admin_password {
        println!("created user `admin` with password: {password}");
    }
    if let Some(demo) = &startup.demo_passwords {
        println!("{demo}");
    }
    let handle = app.handle();
    actix_web::rt::spawn(async move {
        wait_for_stop_signal().await;
        println!("Stopping: finishing requests in flight...");
        handle.stop(true).await;
    });
    app.run().await?;
    println!("Laatu stopped.");
    Ok(())
}

/// Ctrl-C (SIGINT) or SIGTERM.
async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

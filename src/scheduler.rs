//! The scheduler: states that follow from the calendar (a revision's
//! effective date, an overdue periodic review, a late KPI measurement, a
//! nonconformity or corrective action past its date) are computed here on a
//! timer, not when someone happens to open a page.
//!
//! Each area registers its jobs ([`crate::area::Area::jobs`]). A pass runs
//! every job on its own connection, one after the other: a job that fails
//! (or panics) is logged with its name and rolls back only its own
//! transaction, and the jobs after it still run.

use std::time::Duration;

use actix_web::web;
use chrono::NaiveDateTime;

use crate::area::Area;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::state::AppState;

/// One job an area gives the scheduler.
#[derive(Clone, Copy)]
pub struct Job {
    /// Its name, unique within the area (`reviews_overdue`).
    pub name: &'static str,
    /// Runs the job once as of an instant on a connection of its own, and
    /// says how many records it changed.
    pub run: fn(&AppState, &mut DbConn, NaiveDateTime) -> AppResult<usize>,
}

/// What one job did in a pass.
#[derive(Debug, PartialEq, Eq)]
pub struct JobReport {
    /// The area that registered it.
    pub area: &'static str,
    /// The job's name.
    pub job: &'static str,
    /// How many records it changed, or why it failed.
    pub outcome: Result<usize, String>,
}

/// What one pass did, job by job, in the order the jobs ran.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// One report per job.
    pub jobs: Vec<JobReport>,
}

impl Pass {
    /// How many records the job `area`/`job` changed, or `None` when it
    /// failed or did not run.
    pub fn changed(&self, area: &str, job: &str) -> Option<usize> {
        self.jobs
            .iter()
            .find(|r| r.area == area && r.job == job)
            .and_then(|r| r.outcome.clone().ok())
    }

    /// The jobs that failed, as `area/job`.
    pub fn failed(&self) -> Vec<String> {
        self.jobs
            .iter()
            .filter(|r| r.outcome.is_err())
            .map(|r| format!("{}/{}", r.area, r.job))
            .collect()
    }

    /// Whether the pass changed anything or failed somewhere (worth a log line).
    pub fn is_eventful(&self) -> bool {
        self.jobs.iter().any(|r| r.outcome != Ok(0))
    }
}

/// Runs every job of every area ([`crate::AREAS`]) once, as of `now`.
pub fn run_once(state: &AppState, now: NaiveDateTime) -> Pass {
    run_jobs(state, crate::AREAS, now)
}

/// Runs every job of `areas` once, as of `now`, each on its own connection;
/// a failure is logged with the job's name and the next job runs.
pub fn run_jobs(state: &AppState, areas: &[Area], now: NaiveDateTime) -> Pass {
    let mut pass = Pass::default();
    for area in areas {
        for job in area.jobs {
            let outcome = run_job(state, job, now);
            if let Err(error) = &outcome {
                tracing::error!(area = area.name, job = job.name, %error, "scheduled job failed");
            }
            pass.jobs.push(JobReport {
                area: area.name,
                job: job.name,
                outcome,
            });
        }
    }
    pass
}

fn run_job(state: &AppState, job: &Job, now: NaiveDateTime) -> Result<usize, String> {
    let mut conn = state
        .pool
        .get()
        .map_err(|e| format!("no connection: {e}"))?;
    // A panic in one job must not end the pass: the others still run.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        (job.run)(state, &mut conn, now)
    })) {
        Ok(Ok(changed)) => Ok(changed),
        Ok(Err(e)) => Err(match &e.source {
            Some(source) => format!("{e}: {source:#}"),
            None => e.to_string(),
        }),
        // A transaction the panic left open marks the connection broken,
        // and the pool drops it instead of handing it out again.
        Err(_) => Err("the job panicked".into()),
    }
}

/// Starts the timer on the current (actix) runtime.
pub fn spawn(state: web::Data<AppState>) {
    let every = state.config.scheduler_interval_secs;
    if every == 0 {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(every));
        loop {
            tick.tick().await;
            let s = state.clone();
            match web::block(move || s.pool.clock().enter(|| run_once(&s, crate::ids::now()))).await
            {
                Ok(pass) if pass.is_eventful() => tracing::info!(?pass, "scheduler pass"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "scheduler task failed"),
            }
        }
    });
}

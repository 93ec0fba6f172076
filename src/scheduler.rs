//! The scheduler: states that follow from the calendar (a revision's
//! effective date, an overdue periodic review, a late KPI measurement, a
//! nonconformity or corrective action past its date) are computed here on a
//! timer, not when someone happens to open a page.

use std::time::Duration;

use actix_web::web;

use crate::error::AppResult;
use crate::state::AppState;

/// What one pass changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Approved revisions that came into force.
    pub made_effective: usize,
    /// Documents whose periodic review became overdue.
    pub reviews_overdue: usize,
    /// KPIs whose late-measurement mark was set or cleared.
    pub kpis_changed: usize,
    /// Nonconformities whose overdue mark was set or cleared.
    pub nonconformities_changed: usize,
}

/// Runs every scheduled rule once, as of `now`.
///
/// # Errors
/// A database or repository fault.
pub fn run_once(state: &AppState, now: chrono::NaiveDateTime) -> AppResult<Pass> {
    let mut conn = state.pool.get()?;
    let made_effective =
        crate::documents::service::make_due_effective(&mut conn, &state.store, now)?;
    let reviews_overdue = crate::documents::service::mark_overdue_reviews(&mut conn, now)?;
    let kpis_changed = crate::processes::kpis::mark_overdue(&mut conn, now)?;
    let nonconformities_changed = crate::nonconformities::service::mark_overdue(
        &mut conn,
        crate::nonconformities::service::NcPolicy::of(state),
        now,
    )?;
    Ok(Pass {
        made_effective,
        reviews_overdue,
        kpis_changed,
        nonconformities_changed,
    })
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
                Ok(Ok(pass)) if pass != Pass::default() => {
                    tracing::info!(?pass, "scheduler pass");
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::error!(error = ?e, "scheduler pass failed"),
                Err(e) => tracing::error!(error = %e, "scheduler task failed"),
            }
        }
    });
}

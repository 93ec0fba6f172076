//! Nonconformities and corrective actions (ISO 9001 8.7 and 10.2): reports
//! of deviations and complaints, numbered NC-<year>-<seq> without gaps,
//! accepted or rejected by the responsible process's owner, contained,
//! analysed to a root cause, corrected by actions whose effectiveness a
//! quality manager verifies, and closed; with statistics over all of them.

pub mod api;
pub mod cards;
pub mod evidence;
pub mod model;
mod page_actions;
pub mod pages;
pub mod service;
pub mod stats;
pub mod stats_api;
pub mod stats_pages;

use diesel::prelude::*;

use crate::area::{Area, Reference, Referent, Target, TaskSource};
use crate::db::DbConn;
use crate::db::schema::nonconformities;
use crate::error::AppResult;
use crate::routes::PageRoutes;
use crate::scheduler::Job;

/// What nonconformities add: their routes, the scheduler's overdue marks,
/// the steps waiting for each person, and the processes they name.
pub const AREA: Area = Area {
    name: "nonconformities",
    evidence: evidence::PARTS,
    api: configure_api,
    pages: configure_pages,
    jobs: &[Job {
        name: "overdue",
        run: |state, conn, at| service::mark_overdue(conn, service::NcPolicy::of(state), at),
    }],
    tasks: &[TaskSource {
        kinds: &[
            "nc_accept",
            "nc_analyse",
            "nc_plan_actions",
            "nc_action",
            "nc_verify",
            "nc_close",
        ],
        of: |conn, by, _| service::tasks(conn, by),
    }],
    references: &[Reference {
        to: Target::Process,
        one: "nonconformity",
        many: "nonconformities",
        count: nonconformities_of,
    }],
    cards: &[crate::area::Card {
        title: "dash-card-nc",
        figures: cards::figures,
    }],
};

/// The JSON routes. The statistics come first: `/nonconformities/{number}`
/// would take `stats` for a number.
fn configure_api(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    stats_api::configure(cfg);
    api::configure(cfg);
}

/// The pages. The statistics pages come first: actix matches in
/// registration order, and `/nonconformities/{number}` would take `stats`.
fn configure_pages(cfg: &mut PageRoutes<'_>) {
    stats_pages::configure(cfg);
    pages::configure(cfg);
}

/// Cases the process is responsible for or where they were detected.
fn nonconformities_of(conn: &mut DbConn, p: Referent<'_>) -> AppResult<i64> {
    Ok(nonconformities::table
        .filter(
            nonconformities::responsible_id
                .eq(p.id)
                .or(nonconformities::detected_in_id.eq(p.id)),
        )
        .count()
        .get_result(conn)?)
}

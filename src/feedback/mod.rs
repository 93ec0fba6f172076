//! Feedback from customers (ISO 9001 9.1.2): external customer surveys
//! for a touchpoint and a process (`model.rs`, `service.rs`), personal
//! invitations from contacts or a CSV (`contacts.rs`), the public answer
//! page (`public.rs`, rate-limited by `limit.rs`), and results with
//! intervals (`results.rs`), and follow-ups of detractors and low
//! satisfaction for the process's owner (`followup.rs`), and the cases
//! (customer complaints, improvements) opened from answers (`links.rs`); and what internal
//! customers say of what they receive from other processes (`ratings`, an
//! area of its own).

pub mod api;
pub mod contacts;
pub mod followup;
pub mod limit;
pub mod links;
pub mod mail;
pub mod model;
pub mod pages;
pub mod public;
pub mod ratings;
pub mod results;
pub mod service;

use diesel::prelude::*;

use crate::area::{Area, Reference, Referent, Target};
use crate::db::DbConn;
use crate::db::schema::surveys;
use crate::error::AppResult;

/// What feedback adds: the survey routes, the public answer page, and the
/// surveys that keep a process in use.
pub const AREA: Area = Area {
    name: "feedback",
    api: api::configure,
    pages: pages::configure,
    references: &[Reference {
        to: Target::Process,
        one: "survey",
        many: "surveys",
        count: surveys_of,
    }],
    tasks: &[followup::TASKS],
    jobs: &[crate::scheduler::Job {
        name: "send_invitations",
        run: |state, conn, at| mail::send_due(state, conn, at),
    }],
    ..Area::EMPTY
};

/// Surveys asking about the process.
fn surveys_of(conn: &mut DbConn, p: Referent<'_>) -> AppResult<i64> {
    Ok(surveys::table
        .filter(surveys::process_id.eq(p.id))
        .count()
        .get_result(conn)?)
}

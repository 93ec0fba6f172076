//! Records (ISO 9001 7.5.3) filled from form templates. A template is a
//! controlled document of kind `form`: its fields (`form.rs`) are kept in
//! git beside its Markdown and approved with it. A record is filled on the
//! revision in force and keeps that revision's commit; it is never edited
//! or deleted, only corrected by a new version (`service.rs`), and the
//! database refuses anything else. Answers are checked field by field
//! (`values.rs`).

pub mod api;
pub mod builder;
pub mod cards;
pub mod display;
pub mod evidence;
pub mod fill;
pub mod form;
pub mod model;
pub mod pages;
pub mod schedule;
pub mod schedule_api;
pub mod schedule_due;
pub mod schedule_pages;
pub mod service;
pub mod values;

use crate::area::{Area, Reference, Target};
use crate::scheduler::Job;

/// What the records area adds: its routes, the records that point at
/// processes, and scheduled records: their overdue marks (kept by the
/// scheduler) and the `record_due` tasks of the people who fill them in.
pub const AREA: Area = Area {
    name: "records",
    api: api::configure,
    pages: pages::configure,
    jobs: &[Job {
        name: "record_schedules_overdue",
        run: |state, conn, at| schedule_due::mark_overdue(conn, at, state.tz),
    }],
    tasks: &[schedule_due::TASKS],
    references: &[Reference {
        to: Target::Process,
        one: "record",
        many: "records",
        count: |conn, p| service::count_for_process(conn, p.id),
    }],
    evidence: evidence::PARTS,
    cards: &[crate::area::Card {
        title: "dash-card-records",
        figures: cards::figures,
    }],
};

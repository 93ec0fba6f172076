//! Document control (ISO 9001 7.5): controlled documents, their revisions in
//! git, approval by signature, effective dates, redlines, periodic review.

pub mod api;
pub mod api_files;
pub mod cards;
pub mod evidence;
pub mod model;
pub mod pages;
pub mod redline;
pub mod render;
pub mod route_form;
pub mod service;
pub mod tasks;

use diesel::prelude::*;

use crate::area::{Area, Reference, Referent, Target, TaskSource};
use crate::db::DbConn;
use crate::db::schema::documents;
use crate::error::AppResult;
use crate::scheduler::Job;

/// What document control adds: its routes, the scheduler's effective dates
/// and overdue reviews, signatures and reviews as tasks, and its documents'
/// owning processes.
pub const AREA: Area = Area {
    name: "documents",
    evidence: evidence::PARTS,
    api: api::configure,
    pages: pages::configure,
    jobs: &[
        Job {
            name: "effective_dates",
            run: |state, conn, at| service::make_due_effective(conn, &state.store, at),
        },
        Job {
            name: "reviews_overdue",
            run: |_, conn, at| service::mark_overdue_reviews(conn, at),
        },
    ],
    tasks: &[TaskSource {
        kinds: &["document_sign", "document_review"],
        of: tasks::tasks,
    }],
    references: &[Reference {
        to: Target::Process,
        one: "document",
        many: "documents",
        count: documents_of_process,
    }],
    cards: &[crate::area::Card {
        title: "dash-card-documents",
        figures: cards::figures,
    }],
};

/// Documents of a process (they name it by its code).
fn documents_of_process(conn: &mut DbConn, p: Referent<'_>) -> AppResult<i64> {
    Ok(documents::table
        .filter(documents::process.eq(p.key))
        .count()
        .get_result(conn)?)
}

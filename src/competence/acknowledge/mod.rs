//! "Read and understood" (ISO 9001 7.3 awareness, 7.5.3 distribution): when
//! a revision becomes effective, every member of the document's process and
//! every holder of a role the document names must acknowledge it, with an
//! electronic signature bound to the revision's commit.
//!
//! Readers are the members of the document's process and the active
//! holders of the roles it names (`document_reader_roles`), who work by
//! documents (auditors and admins never read as readers). A reader has
//! acknowledged the revision in force, or an earlier one whose
//! acknowledgement carries over because every revision since was approved
//! as "no retraining needed" (`revisions.retraining = false`), or is
//! pending, which is a task for them.

pub mod api;
pub mod pages;
pub mod service;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::area::Task;
use crate::auth::model::User;
use crate::db::DbConn;
use crate::error::AppResult;

pub use service::{
    AckPolicy, AcknowledgementView, DocumentAcknowledgements, READ_AND_UNDERSTOOD, READER_ROLES,
    ReaderView, acknowledge, duties_of, for_document, parse_reader_roles, reader_roles_of,
    readers_of, set_reader_roles,
};

crate::kit::choice::choice!(
    /// Where one reader stands with the effective revision of one document.
    AckState, crate::error::Code::InvalidAckState, "acknowledgement state" {
        Acknowledged => "acknowledged",
        CarriedOver => "carried_over",
        Pending => "pending",
    }
);

/// One reader of one effective document, and whether they acknowledged it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReadingDuty {
    /// The reader's user id.
    #[serde(skip)]
    pub user_id: String,
    /// The document's id.
    #[serde(skip)]
    pub document_id: String,
    /// The reader's username.
    pub username: String,
    /// The reader's name.
    pub name: String,
    /// The document's number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// The effective revision.
    pub rev: i32,
    /// Where the reader stands.
    pub state: AckState,
    /// The revision the reader acknowledged, when they did (an earlier one when carried over).
    pub acknowledged_rev: Option<i32>,
    /// When.
    #[serde(with = "crate::time::rfc3339_opt")]
    pub acknowledged_at: Option<NaiveDateTime>,
}

/// Every reader of every effective document, in a fixed number of queries.
///
/// # Errors
/// A database fault.
pub fn duties(conn: &mut DbConn) -> AppResult<Vec<ReadingDuty>> {
    service::all_duties(conn)
}

/// Adds the acknowledgement routes to the `/api/v1` scope.
pub fn configure_api(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    api::configure(cfg);
}

/// Adds the acknowledgement pages.
pub fn configure_pages(cfg: &mut crate::routes::PageRoutes<'_>) {
    pages::configure(cfg);
}

/// The acknowledgements waiting for one person: one task per effective
/// document they read and have not acknowledged.
///
/// # Errors
/// A database fault.
pub fn tasks(conn: &mut DbConn, by: &User, _at: NaiveDateTime) -> AppResult<Vec<Task>> {
    Ok(duties_of(conn, by.id.as_str())?
        .into_iter()
        .filter(|d| d.state == AckState::Pending)
        .map(|d| Task {
            kind: "document_acknowledge".into(),
            link: format!("/documents/{}#acknowledge", d.number),
            reference: d.number,
            title: d.title,
            due: None,
            overdue: false,
        })
        .collect())
}

/// Acknowledgements waiting for one person.
pub const TASKS: crate::area::TaskSource = crate::area::TaskSource {
    kinds: &["document_acknowledge"],
    of: tasks,
};

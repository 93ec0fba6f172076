//! "Read and understood" (ISO 9001 7.3 awareness, 7.5.3 distribution): when
//! a revision becomes effective, every member of the document's process and
//! every holder of a role the document names must acknowledge it, with an
//! electronic signature bound to the revision's commit.
//!
//! (Being built: see issue 11.)

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::DbConn;
use crate::error::AppResult;

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
    pub acknowledged_at: Option<NaiveDateTime>,
}

/// Every reader of every effective document, in a fixed number of queries.
///
/// # Errors
/// A database fault.
pub fn duties(_conn: &mut DbConn) -> AppResult<Vec<ReadingDuty>> {
    Ok(Vec::new())
}

/// Adds the acknowledgement routes to the `/api/v1` scope.
pub fn configure_api(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}

/// Adds the acknowledgement pages.
pub fn configure_pages(_cfg: &mut crate::routes::PageRoutes<'_>) {}

/// Acknowledgements waiting for one person.
pub const TASKS: crate::area::TaskSource = crate::area::TaskSource {
    kinds: &["document_acknowledge"],
    of: |_, _, _| Ok(Vec::new()),
};

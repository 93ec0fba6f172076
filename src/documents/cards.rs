//! The documents card of the home page: revisions waiting for approval
//! and documents whose periodic review is late, of the whole system or of
//! the reader's processes and own documents.

use diesel::prelude::*;

use super::model::{DocStatus, RevisionStatus};
use crate::area::{Figure, Reader};
use crate::db::DbConn;
use crate::db::schema::{documents, revisions};
use crate::error::AppResult;

/// Two queries for the card.
///
/// # Errors
/// A database fault.
pub fn figures(conn: &mut DbConn, r: &Reader) -> AppResult<Vec<Figure>> {
    if !r.oversees() {
        return Ok(Vec::new());
    }
    let scoped = || {
        let mut q = documents::table
            .filter(documents::status.ne(DocStatus::Obsolete))
            .into_boxed();
        if !r.whole {
            q = q.filter(
                documents::process
                    .eq_any(r.owned_codes.clone())
                    .or(documents::owner_id.eq(r.user.id.0.clone())),
            );
        }
        q
    };
    let in_review: i64 = scoped()
        .filter(
            documents::id.eq_any(
                revisions::table
                    .filter(revisions::status.eq(RevisionStatus::InReview))
                    .select(revisions::document_id),
            ),
        )
        .count()
        .get_result(conn)?;
    let review_late: i64 = scoped()
        .filter(documents::review_overdue.eq(true))
        .count()
        .get_result(conn)?;
    Ok(vec![
        Figure {
            label: "dash-docs-in-review".into(),
            count: in_review,
            link: "/documents?in_review=true".into(),
            alert: false,
        },
        Figure {
            label: "dash-docs-review-late".into(),
            count: review_late,
            link: "/documents?review_overdue=true".into(),
            alert: true,
        },
    ])
}

//! What documents ask of one person: revisions waiting for their signature,
//! and periodic reviews of the documents they own that are due soon or late.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::model::DocStatus;
use crate::area::Task;
use crate::auth::model::User;
use crate::db::DbConn;
use crate::db::schema::documents;
use crate::error::AppResult;

/// How far ahead a periodic review shows as a task.
const REVIEW_NOTICE_DAYS: i64 = 30;

/// The document tasks of `by` at `at`: `document_sign` and `document_review`.
///
/// # Errors
/// A database fault.
pub fn tasks(conn: &mut DbConn, by: &User, at: NaiveDateTime) -> AppResult<Vec<Task>> {
    let mut out: Vec<Task> = super::service::awaiting_signature(conn, by)?
        .into_iter()
        .map(|s| Task {
            kind: "document_sign".into(),
            link: format!("/documents/{}", s.number),
            title: format!("{} r{}", s.title, s.rev),
            reference: s.number,
            due: None,
            overdue: false,
        })
        .collect();
    let horizon = at + TimeDelta::days(REVIEW_NOTICE_DAYS);
    let reviews: Vec<(String, String, Option<NaiveDateTime>, bool)> = documents::table
        .filter(documents::owner_id.eq(by.id.as_str()))
        .filter(documents::status.eq(DocStatus::Effective.as_str()))
        .filter(
            documents::review_overdue
                .eq(true)
                .or(documents::next_review_at.le(horizon)),
        )
        .select((
            documents::number,
            documents::title,
            documents::next_review_at,
            documents::review_overdue,
        ))
        .load(conn)?;
    out.extend(
        reviews
            .into_iter()
            .map(|(number, title, next, overdue)| Task {
                kind: "document_review".into(),
                link: format!("/documents/{number}"),
                reference: number,
                title,
                due: next.map(|t| t.date()),
                overdue,
            }),
    );
    Ok(out)
}

//! "My tasks": everything that waits for the person asking, gathered from
//! every area: nonconformities to accept, analyse, act on, verify or close;
//! revisions waiting for their signature; documents due for periodic
//! review; KPI measurements that are late. Each area answers for its own
//! tasks; this module only puts them in one list, late ones first.

pub mod api;
pub mod pages;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::model::User;
use crate::db::DbConn;
use crate::db::schema::{documents, kpis, processes};
use crate::error::AppResult;

/// Every kind of task, as `Task::kind` writes it.
pub const KINDS: &[&str] = &[
    "nc_accept",
    "nc_analyse",
    "nc_plan_actions",
    "nc_action",
    "nc_verify",
    "nc_close",
    "document_sign",
    "document_review",
    "kpi_measure",
];

/// One thing for one person to do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Task {
    /// `nc_accept`, `nc_analyse`, `nc_plan_actions`, `nc_action`, `nc_verify`,
    /// `nc_close`, `document_sign`, `document_review`, `kpi_measure`.
    pub kind: String,
    /// What it is about: a nonconformity or document number, a process code.
    pub reference: String,
    /// One line saying what is to be done.
    pub title: String,
    /// The page where it is done.
    pub link: String,
    /// The date it is due, if it has one.
    pub due: Option<NaiveDate>,
    /// Whether it is late.
    pub overdue: bool,
}

/// The tasks of `by` at `at`, late ones first, then by due date.
///
/// # Errors
/// A database fault.
pub fn for_user(conn: &mut DbConn, by: &User, at: NaiveDateTime) -> AppResult<Vec<Task>> {
    let mut tasks = crate::nonconformities::service::tasks(conn, by)?;
    tasks.extend(document_tasks(conn, by, at)?);
    tasks.extend(kpi_tasks(conn, by)?);
    tasks.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| match (a.due, b.due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.reference.cmp(&b.reference))
    });
    Ok(tasks)
}

/// How far ahead a periodic review shows as a task.
const REVIEW_NOTICE_DAYS: i64 = 30;

fn document_tasks(conn: &mut DbConn, by: &User, at: NaiveDateTime) -> AppResult<Vec<Task>> {
    let mut out: Vec<Task> = crate::documents::service::awaiting_signature(conn, by)?
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
        .filter(documents::status.eq("effective"))
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

fn kpi_tasks(conn: &mut DbConn, by: &User) -> AppResult<Vec<Task>> {
    let late: Vec<(String, String)> = kpis::table
        .inner_join(processes::table)
        .filter(processes::owner_id.eq(by.id.as_str()))
        .filter(processes::status.eq("active"))
        .filter(kpis::measurement_overdue.eq(true))
        .order((processes::code.asc(), kpis::name.asc()))
        .select((processes::code, kpis::name))
        .load(conn)?;
    Ok(late
        .into_iter()
        .map(|(code, name)| Task {
            kind: "kpi_measure".into(),
            link: format!("/processes/{code}"),
            reference: code,
            title: name,
            due: None,
            overdue: true,
        })
        .collect())
}

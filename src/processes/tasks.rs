//! What processes ask of one person: the late KPI measurements of the
//! active processes they own.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::ProcessStatus;
use crate::area::Task;
use crate::auth::model::User;
use crate::db::DbConn;
use crate::db::schema::{kpis, processes};
use crate::error::AppResult;

/// The `kpi_measure` tasks of `by`.
///
/// # Errors
/// A database fault.
pub fn tasks(conn: &mut DbConn, by: &User, _at: NaiveDateTime) -> AppResult<Vec<Task>> {
    let late: Vec<(String, String)> = kpis::table
        .inner_join(processes::table)
        .filter(processes::owner_id.eq(by.id.as_str()))
        .filter(processes::status.eq(ProcessStatus::Active.as_str()))
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

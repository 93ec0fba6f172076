//! What nonconformities ask of one person: the responsible owner accepts,
//! analyses and plans; action owners act; quality managers verify and close.

use diesel::prelude::*;

use super::super::model::{ActionStatus, NcRow, NcStatus};
use crate::area::Task;
use crate::auth::model::{Role, User};
use crate::db::DbConn;
use crate::db::schema::{corrective_actions, nonconformities, processes};
use crate::error::AppResult;

fn task(
    kind: &str,
    row: &NcRow,
    title: String,
    due: Option<chrono::NaiveDate>,
    overdue: bool,
) -> Task {
    Task {
        kind: kind.into(),
        reference: row.number.clone(),
        title,
        link: format!("/nonconformities/{}", row.number),
        due,
        overdue,
    }
}

/// The nonconformity tasks of `by`.
///
/// # Errors
/// A database fault.
pub fn tasks(conn: &mut DbConn, by: &User) -> AppResult<Vec<Task>> {
    let mut out = Vec::new();
    let owned: Vec<NcRow> = nonconformities::table
        .inner_join(processes::table.on(processes::id.eq(nonconformities::responsible_id)))
        .filter(processes::owner_id.eq(by.id.as_str()))
        .filter(nonconformities::status.eq_any([
            NcStatus::Reported.as_str(),
            NcStatus::Accepted.as_str(),
            NcStatus::Analysed.as_str(),
        ]))
        .select(NcRow::as_select())
        .load(conn)?;
    for r in &owned {
        let kind = match r.status {
            NcStatus::Reported => "nc_accept",
            NcStatus::Accepted => "nc_analyse",
            _ => "nc_plan_actions",
        };
        let due = (kind == "nc_accept").then(|| r.accept_due_at.date());
        out.push(task(kind, r, r.title.clone(), due, r.overdue));
    }

    let actions: Vec<(NcRow, String, chrono::NaiveDateTime, bool)> = corrective_actions::table
        .inner_join(nonconformities::table)
        .filter(corrective_actions::owner_id.eq(by.id.as_str()))
        .filter(corrective_actions::status.eq(ActionStatus::Open.as_str()))
        .select((
            NcRow::as_select(),
            corrective_actions::description,
            corrective_actions::due_on,
            corrective_actions::overdue,
        ))
        .load(conn)?;
    for (r, description, due_on, overdue) in &actions {
        out.push(task(
            "nc_action",
            r,
            description.clone(),
            Some(due_on.date()),
            *overdue,
        ));
    }

    if by.has_role(Role::QualityManager) {
        let involved: Vec<String> = corrective_actions::table
            .filter(corrective_actions::status.eq(ActionStatus::Done.as_str()))
            .filter(
                corrective_actions::owner_id
                    .eq(by.id.as_str())
                    .or(corrective_actions::completed_by.eq(by.id.as_str())),
            )
            .select(corrective_actions::nc_id)
            .load(conn)?;
        let waiting: Vec<NcRow> = nonconformities::table
            .filter(
                nonconformities::status
                    .eq_any([NcStatus::ActionsDone.as_str(), NcStatus::Verified.as_str()]),
            )
            .order(nonconformities::created_at.asc())
            .select(NcRow::as_select())
            .load(conn)?;
        for r in &waiting {
            if r.status == NcStatus::Verified {
                out.push(task("nc_close", r, r.title.clone(), None, false));
            } else if !involved.contains(&r.id) {
                let due = r.effectiveness_due_on.map(|d| d.date());
                out.push(task("nc_verify", r, r.title.clone(), due, r.overdue));
            }
        }
    }
    Ok(out)
}

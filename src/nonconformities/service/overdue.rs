//! What is late, computed from the dates and the state: a report not
//! accepted or rejected in time, an open action past its due date, an
//! effectiveness check past its date. The scheduler marks it (with an audit
//! event, through [`crate::kit::due`]); every change of a case recomputes
//! its own mark in its transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::super::model::{ActionStatus, NcRow, NcStatus};
use super::NcPolicy;
use crate::audit::{Actor, Diff};
use crate::db::schema::{corrective_actions, nonconformities};
use crate::db::{self, DbConn};
use crate::error::AppResult;
use crate::kit::due::{self, Deadline, Due};

/// What a case in `status` is due by, given its open actions' due dates.
fn deadlines(row: &NcRow, status: NcStatus, open_due: &[NaiveDateTime]) -> Vec<Deadline> {
    match status {
        NcStatus::Reported => vec![Deadline::After(row.accept_due_at)],
        NcStatus::ActionsPlanned => open_due.iter().copied().map(Deadline::day_of).collect(),
        NcStatus::ActionsDone => row
            .effectiveness_due_on
            .map(Deadline::day_of)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the case is late at `at` (the site's date `today`), given its
/// open actions' due dates.
fn late(
    row: &NcRow,
    status: NcStatus,
    open_due: &[NaiveDateTime],
    at: NaiveDateTime,
    today: NaiveDate,
) -> bool {
    deadlines(row, status, open_due)
        .iter()
        .any(|d| d.passed(at, today))
}

fn open_due_dates(conn: &mut DbConn, nc_id: &str) -> AppResult<Vec<NaiveDateTime>> {
    Ok(corrective_actions::table
        .filter(corrective_actions::nc_id.eq(nc_id))
        .filter(corrective_actions::status.eq(ActionStatus::Open.as_str()))
        .select(corrective_actions::due_on)
        .load(conn)?)
}

/// Recomputes a case's overdue mark inside the caller's transaction and
/// returns it.
pub(super) fn refresh(
    conn: &mut DbConn,
    nc_id: &str,
    at: NaiveDateTime,
    today: NaiveDate,
) -> AppResult<bool> {
    let row: NcRow = nonconformities::table
        .find(nc_id)
        .select(NcRow::as_select())
        .first(conn)?;
    let due = open_due_dates(conn, nc_id)?;
    let overdue = late(&row, row.status, &due, at, today);
    if overdue != row.overdue {
        diesel::update(nonconformities::table.find(nc_id))
            .set(nonconformities::overdue.eq(overdue))
            .execute(conn)?;
    }
    Ok(overdue)
}

/// An open corrective action and its case's number.
struct OpenAction {
    id: String,
    nc_id: String,
    due_on: NaiveDateTime,
    overdue: bool,
    description: String,
    number: String,
}

impl Due for OpenAction {
    fn deadlines(&self) -> Vec<Deadline> {
        vec![Deadline::day_of(self.due_on)]
    }

    fn marked(&self) -> bool {
        self.overdue
    }

    fn lock(&self, conn: &mut DbConn) -> AppResult<()> {
        db::lock_row(conn, &self.nc_id)
    }

    fn set_mark(&self, conn: &mut DbConn, overdue: bool) -> AppResult<usize> {
        Ok(diesel::update(corrective_actions::table.find(&self.id))
            .filter(corrective_actions::status.eq(ActionStatus::Open.as_str()))
            .filter(corrective_actions::overdue.eq(self.overdue))
            .set(corrective_actions::overdue.eq(overdue))
            .execute(conn)?)
    }

    const ACTIONS: (&'static str, &'static str) = (
        "nonconformity.action_overdue",
        "nonconformity.action_on_time",
    );
    const FIELD: &'static str = "overdue";

    fn entity(&self) -> (&str, &str) {
        ("nonconformity", &self.number)
    }

    fn summary(&self, overdue: bool) -> String {
        format!(
            "{}: action due {} {}: {}",
            self.number,
            self.due_on.date(),
            if overdue {
                "is overdue"
            } else {
                "is no longer overdue"
            },
            self.description
        )
    }

    fn detail(&self, changes: Diff) -> Diff {
        changes.created("action", &self.id)
    }
}

/// A case that may be late, with its state and its open actions' due dates.
struct OpenCase<'a> {
    row: NcRow,
    status: NcStatus,
    open_due: &'a [NaiveDateTime],
}

impl Due for OpenCase<'_> {
    fn deadlines(&self) -> Vec<Deadline> {
        deadlines(&self.row, self.status, self.open_due)
    }

    fn marked(&self) -> bool {
        self.row.overdue
    }

    fn lock(&self, conn: &mut DbConn) -> AppResult<()> {
        db::lock_row(conn, &self.row.id)
    }

    fn set_mark(&self, conn: &mut DbConn, overdue: bool) -> AppResult<usize> {
        Ok(diesel::update(nonconformities::table.find(&self.row.id))
            .filter(nonconformities::version.eq(self.row.version))
            .set(nonconformities::overdue.eq(overdue))
            .execute(conn)?)
    }

    const ACTIONS: (&'static str, &'static str) =
        ("nonconformity.overdue", "nonconformity.on_time");
    const FIELD: &'static str = "overdue";

    fn entity(&self) -> (&str, &str) {
        ("nonconformity", &self.row.number)
    }

    fn summary(&self, overdue: bool) -> String {
        format!(
            "{} ({}) {}",
            self.row.number,
            self.row.status,
            if overdue {
                "is overdue"
            } else {
                "is no longer overdue"
            }
        )
    }
}

/// Marks late actions and cases, and clears marks that no longer hold.
/// Run by the scheduler. Returns how many marks changed.
///
/// # Errors
/// A database fault.
pub fn mark_overdue(conn: &mut DbConn, policy: NcPolicy, at: NaiveDateTime) -> AppResult<usize> {
    let today = policy.today(at);
    let actor = Actor::system("scheduler");

    // Open actions past their due date.
    let actions: Vec<OpenAction> = corrective_actions::table
        .inner_join(nonconformities::table)
        .filter(corrective_actions::status.eq(ActionStatus::Open.as_str()))
        .select((
            corrective_actions::id,
            corrective_actions::nc_id,
            corrective_actions::due_on,
            corrective_actions::overdue,
            corrective_actions::description,
            nonconformities::number,
        ))
        .load::<(String, String, NaiveDateTime, bool, String, String)>(conn)?
        .into_iter()
        .map(
            |(id, nc_id, due_on, overdue, description, number)| OpenAction {
                id,
                nc_id,
                due_on,
                overdue,
                description,
                number,
            },
        )
        .collect();
    // The open actions' due dates per case, for the cases below.
    let mut open_due: HashMap<String, Vec<NaiveDateTime>> = HashMap::new();
    for a in &actions {
        open_due.entry(a.nc_id.clone()).or_default().push(a.due_on);
    }
    let mut changed = due::reconcile(conn, &actor, at, today, actions)?;

    // Cases: those that may become late, and those marked late.
    let waiting = [
        NcStatus::Reported.as_str(),
        NcStatus::ActionsPlanned.as_str(),
        NcStatus::ActionsDone.as_str(),
    ];
    let rows: Vec<NcRow> = nonconformities::table
        .filter(
            nonconformities::status
                .eq_any(waiting)
                .or(nonconformities::overdue.eq(true)),
        )
        .select(NcRow::as_select())
        .load(conn)?;
    let cases = rows
        .into_iter()
        .map(|row| {
            Ok(OpenCase {
                status: row.status,
                open_due: open_due.get(&row.id).map_or(&[][..], Vec::as_slice),
                row,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    changed += due::reconcile(conn, &actor, at, today, cases)?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use crate::nonconformities::model::{NcKind, Severity};

    use super::*;
    use crate::kit::date::midnight;

    fn at(d: u32) -> NaiveDateTime {
        midnight(NaiveDate::from_ymd_opt(2026, 11, d).unwrap()) + TimeDelta::hours(10)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn row(status: NcStatus) -> NcRow {
        NcRow {
            id: "x".into(),
            number: "NC-2026-001".into(),
            year: 2026,
            seq: 1,
            kind: NcKind::Deviation,
            title: "t".into(),
            description: String::new(),
            detected_on: at(1),
            detected_in_id: None,
            responsible_id: "p".into(),
            reporter_id: "u".into(),
            severity: Severity::Minor,
            refs: String::new(),
            status,
            accept_due_at: at(6),
            accepted_by: None,
            accepted_at: None,
            rejection_reason: None,
            effectiveness_due_on: Some(midnight(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())),
            closed_by: None,
            closed_at: None,
            closing_comment: String::new(),
            overdue: false,
            version: 1,
            created_at: at(1),
            updated_at: at(1),
        }
    }

    #[test]
    fn acceptance_is_late_after_its_deadline() {
        let r = row(NcStatus::Reported);
        assert!(!late(
            &r,
            NcStatus::Reported,
            &[],
            at(6) - TimeDelta::hours(1),
            day(6)
        ));
        assert!(late(&r, NcStatus::Reported, &[], at(7), day(7)));
        // Once accepted, the acceptance deadline no longer matters.
        assert!(!late(&r, NcStatus::Accepted, &[], at(7), day(7)));
    }

    #[test]
    fn an_action_is_late_the_day_after_it_is_due() {
        let r = row(NcStatus::ActionsPlanned);
        let due = [midnight(NaiveDate::from_ymd_opt(2026, 11, 10).unwrap())];
        assert!(!late(&r, NcStatus::ActionsPlanned, &due, at(10), day(10)));
        assert!(late(&r, NcStatus::ActionsPlanned, &due, at(11), day(11)));
    }

    #[test]
    fn the_effectiveness_check_is_late_after_its_date() {
        let r = row(NcStatus::ActionsDone);
        assert!(!late(&r, NcStatus::ActionsDone, &[], at(20), day(20)));
        assert!(late(&r, NcStatus::ActionsDone, &[], at(21), day(21)));
        assert!(!late(&r, NcStatus::Verified, &[], at(21), day(21)));
    }
}

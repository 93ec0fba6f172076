//! What is late, computed from the dates and the state: a report not
//! accepted or rejected in time, an open action past its due date, an
//! effectiveness check past its date. The scheduler marks it (with an audit
//! event); every change of a case recomputes its own mark in its transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::super::model::{ActionStatus, NcRow, NcStatus};
use super::NcPolicy;
use crate::audit::{self, Actor, Change, Diff};
use crate::db::schema::{corrective_actions, nonconformities};
use crate::db::{self, DbConn, write_tx};
use crate::error::AppResult;
use crate::kit::date::midnight;

/// Whether the case is late at `at` (the site's date `today`), given its
/// open actions' due dates.
fn late(
    row: &NcRow,
    status: NcStatus,
    open_due: &[NaiveDateTime],
    at: NaiveDateTime,
    today: NaiveDate,
) -> bool {
    let today = midnight(today);
    match status {
        NcStatus::Reported => at > row.accept_due_at,
        NcStatus::ActionsPlanned => open_due.iter().any(|d| *d < today),
        NcStatus::ActionsDone => row.effectiveness_due_on.is_some_and(|d| d < today),
        _ => false,
    }
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

/// Marks late actions and cases, and clears marks that no longer hold.
/// Run by the scheduler. Returns how many marks changed.
///
/// # Errors
/// A database fault.
pub fn mark_overdue(conn: &mut DbConn, policy: NcPolicy, at: NaiveDateTime) -> AppResult<usize> {
    let day = policy.today(at);
    let today = midnight(day);
    let actor = Actor::system("scheduler");
    let mut changed = 0;

    // Open actions past their due date.
    let actions: Vec<(String, String, NaiveDateTime, bool, String, String)> =
        corrective_actions::table
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
            .load(conn)?;
    // The open actions' due dates per case, for the cases below.
    let mut open_due: HashMap<String, Vec<NaiveDateTime>> = HashMap::new();
    for (_, nc_id, due_on, ..) in &actions {
        open_due.entry(nc_id.clone()).or_default().push(*due_on);
    }
    for (id, nc_id, due_on, was, description, number) in actions {
        let now_late = due_on < today;
        if now_late == was {
            continue;
        }
        write_tx(conn, |conn| {
            db::lock_row(conn, &nc_id)?;
            diesel::update(corrective_actions::table.find(&id))
                .filter(corrective_actions::status.eq(ActionStatus::Open.as_str()))
                .set(corrective_actions::overdue.eq(now_late))
                .execute(conn)?;
            audit::record(
                conn,
                &actor,
                Change {
                    action: if now_late {
                        "nonconformity.action_overdue"
                    } else {
                        "nonconformity.action_on_time"
                    },
                    entity_type: "nonconformity",
                    entity_id: &number,
                    summary: format!(
                        "{number}: action due {} {}: {description}",
                        due_on.date(),
                        if now_late {
                            "is overdue"
                        } else {
                            "is no longer overdue"
                        }
                    ),
                    changes: Diff::new()
                        .created("action", &id)
                        .field("overdue", &was, &now_late)
                        .into_value(),
                },
            )?;
            Ok(())
        })?;
        changed += 1;
    }

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
    for row in rows {
        let due = open_due.get(&row.id).map_or(&[][..], Vec::as_slice);
        let now_late = late(&row, row.status, due, at, day);
        if now_late == row.overdue {
            continue;
        }
        write_tx(conn, |conn| {
            db::lock_row(conn, &row.id)?;
            diesel::update(nonconformities::table.find(&row.id))
                .filter(nonconformities::version.eq(row.version))
                .set(nonconformities::overdue.eq(now_late))
                .execute(conn)?;
            audit::record(
                conn,
                &actor,
                Change {
                    action: if now_late {
                        "nonconformity.overdue"
                    } else {
                        "nonconformity.on_time"
                    },
                    entity_type: "nonconformity",
                    entity_id: &row.number,
                    summary: format!(
                        "{} ({}) {}",
                        row.number,
                        row.status,
                        if now_late {
                            "is overdue"
                        } else {
                            "is no longer overdue"
                        }
                    ),
                    changes: Diff::new()
                        .field("overdue", &row.overdue, &now_late)
                        .into_value(),
                },
            )?;
            Ok(())
        })?;
        changed += 1;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use crate::nonconformities::model::{NcKind, Severity};

    use super::*;

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
            status: status,
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

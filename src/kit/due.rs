//! Due dates and overdue marks: "this is due on D; mark it overdue once D
//! has passed, and clear the mark when it is no longer late".
//!
//! A row that can be late says when it is due ([`Due::deadlines`]) and how
//! its mark is set and told to the audit trail; [`reconcile`] brings the
//! marks of many rows in line with the calendar, each change in its own
//! write transaction with its audit event, so a scheduler job that stops
//! half way leaves every mark it did set audited. The scheduler runs it
//! (see [`crate::scheduler`]); a change of a record may recompute its own
//! mark in its transaction with [`Due::is_late`].

use chrono::{NaiveDate, NaiveDateTime};

use crate::audit::{self, Actor, Change, Diff};
use crate::db::{DbConn, write_tx};
use crate::error::AppResult;

/// When something is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Due on a day of the site's calendar: late from the next day.
    Day(NaiveDate),
    /// Due at an instant (UTC): late once the instant has passed.
    After(NaiveDateTime),
    /// Late from an instant (UTC) on, that instant included.
    From(NaiveDateTime),
}

impl Deadline {
    /// Due on the day of a stored date (a day is stored as its midnight).
    pub fn day_of(t: NaiveDateTime) -> Deadline {
        Deadline::Day(t.date())
    }

    /// Whether it has passed at `at` (UTC), when the site's date is `today`.
    pub fn passed(self, at: NaiveDateTime, today: NaiveDate) -> bool {
        match self {
            Deadline::Day(d) => d < today,
            Deadline::After(t) => at > t,
            Deadline::From(t) => at >= t,
        }
    }
}

/// A row with an overdue mark.
pub trait Due {
    /// What it is due by now; none when it cannot be late in its state.
    fn deadlines(&self) -> Vec<Deadline>;

    /// Whether it carries the overdue mark (as loaded).
    fn marked(&self) -> bool;

    /// Sets (`true`) or clears the mark, inside the caller's transaction.
    /// Answers how many rows changed: 0 when the row moved on since it was
    /// loaded, and then nothing is recorded.
    ///
    /// # Errors
    /// A database fault.
    fn set_mark(&self, conn: &mut DbConn, overdue: bool) -> AppResult<usize>;

    /// The audit actions of setting and of clearing the mark:
    /// `("kpi.measurement_overdue", "kpi.measurement_on_time")`.
    const ACTIONS: (&'static str, &'static str);

    /// The mark's field in the audit event's changes (`review_overdue`).
    const FIELD: &'static str;

    /// The entity the audit event is recorded under: its type and id.
    fn entity(&self) -> (&str, &str);

    /// The audit event's summary when the mark is set (`true`) or cleared.
    fn summary(&self, overdue: bool) -> String;

    /// What else the event's changes name, before the mark (nothing by default).
    fn detail(&self, changes: Diff) -> Diff {
        changes
    }

    /// Locks what the change must hold, first in its transaction
    /// (nothing by default).
    ///
    /// # Errors
    /// A database fault.
    fn lock(&self, _conn: &mut DbConn) -> AppResult<()> {
        Ok(())
    }

    /// Whether a deadline has passed at `at` (UTC), the site's date being `today`.
    fn is_late(&self, at: NaiveDateTime, today: NaiveDate) -> bool {
        self.deadlines().iter().any(|d| d.passed(at, today))
    }
}

/// The audit event of setting (`true`) or clearing a row's mark.
fn event<R: Due>(row: &R, overdue: bool) -> Change<'_> {
    let (entity_type, entity_id) = row.entity();
    Change {
        action: if overdue { R::ACTIONS.0 } else { R::ACTIONS.1 },
        entity_type,
        entity_id,
        summary: row.summary(overdue),
        changes: row
            .detail(Diff::new())
            .field(R::FIELD, &row.marked(), &overdue)
            .into_value(),
    }
}

/// Marks the rows that are late at `at` (the site's date `today`) and
/// clears the marks of those that no longer are, each in its own write
/// transaction with its audit event by `actor`. Answers how many marks
/// changed.
///
/// # Errors
/// A database fault; the marks changed before it stay changed and audited.
pub fn reconcile<R: Due>(
    conn: &mut DbConn,
    actor: &Actor,
    at: NaiveDateTime,
    today: NaiveDate,
    rows: impl IntoIterator<Item = R>,
) -> AppResult<usize> {
    let mut changed = 0;
    for row in rows {
        let late = row.is_late(at, today);
        if late == row.marked() {
            continue;
        }
        let done = write_tx(conn, |conn| {
            row.lock(conn)?;
            let n = row.set_mark(conn, late)?;
            if n > 0 {
                audit::record(conn, actor, event(&row, late))?;
            }
            Ok(n > 0)
        })?;
        changed += usize::from(done);
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::kit::date::midnight;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn a_day_is_late_from_the_next_day() {
        let due = Deadline::Day(day(10));
        let at = midnight(day(10)) + TimeDelta::hours(23);
        assert!(!due.passed(at, day(10)));
        assert!(due.passed(at + TimeDelta::hours(2), day(11)));
        assert_eq!(Deadline::day_of(at), due);
    }

    #[test]
    fn after_excludes_its_instant_and_from_includes_it() {
        let t = midnight(day(6)) + TimeDelta::hours(10);
        assert!(!Deadline::After(t).passed(t, day(6)));
        assert!(Deadline::After(t).passed(t + TimeDelta::microseconds(1), day(6)));
        assert!(Deadline::From(t).passed(t, day(6)));
        assert!(!Deadline::From(t).passed(t - TimeDelta::microseconds(1), day(6)));
    }
}

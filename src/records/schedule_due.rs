//! When a scheduled record is due, met and overdue, on the site's
//! calendar, and the tasks that follow.
//!
//! - A schedule's periods are days, ISO weeks, months, quarters or years
//!   of the site's time zone. The current period is the one holding the
//!   site's date; a record is due by its last day.
//! - A period is **met** when a record of the template for the process was
//!   submitted within it (`records.created_at`, read in the site's time
//!   zone; a correction does not move a record between periods).
//! - A schedule is **overdue** when its last complete period was not met and
//!   the current one is not met yet; a schedule set up during the current
//!   period is not late for the one before. A record in the current period
//!   clears the mark (the work has caught up), as does stopping the
//!   schedule, or a template or process that is no longer in use. The
//!   scheduler keeps the mark ([`mark_overdue`]), each change audited.
//! - Each person's `record_due` tasks are the active schedules whose current
//!   period is not met: those assigned to them, and those without an
//!   assignee of the processes they own or are members of.

use chrono::{Days, Months, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use diesel::prelude::*;

use super::schedule::{ScheduleFrequency, ScheduleRow};
use crate::area::{Task, TaskSource};
use crate::audit::Actor;
use crate::auth::model::User;
use crate::charts::period_text;
use crate::db::DbConn;
use crate::db::schema::{documents, process_members, processes, record_schedules, records};
use crate::documents::model::DocStatus;
use crate::error::AppResult;
use crate::kit::date::midnight;
use crate::kit::due::{Deadline, Due, reconcile};
use crate::processes::kpi_model::{Frequency, period_of, period_start};

/// One period of a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// As people write it: `2026-05-13`, `2026-W20`, `2026-05`, `2026-Q2`, `2026`.
    pub label: String,
    /// Its first day.
    pub start: NaiveDate,
    /// The first day after it.
    pub end: NaiveDate,
}

impl Period {
    /// Its last day: a record is due by then.
    pub fn last_day(&self) -> NaiveDate {
        self.end.pred_opt().unwrap_or(self.end)
    }
}

fn kpi_frequency(f: ScheduleFrequency) -> Option<Frequency> {
    match f {
        ScheduleFrequency::Daily => None,
        ScheduleFrequency::Weekly => Some(Frequency::Weekly),
        ScheduleFrequency::Monthly => Some(Frequency::Monthly),
        ScheduleFrequency::Quarterly => Some(Frequency::Quarterly),
        ScheduleFrequency::Yearly => Some(Frequency::Yearly),
    }
}

/// The period of `frequency` that holds `day`.
pub fn period_containing(frequency: ScheduleFrequency, day: NaiveDate) -> Period {
    let Some(f) = kpi_frequency(frequency) else {
        return Period {
            label: day.to_string(),
            start: day,
            end: day + Days::new(1),
        };
    };
    let start = period_start(f, day);
    let end = match frequency {
        ScheduleFrequency::Weekly => start.checked_add_days(Days::new(7)),
        ScheduleFrequency::Monthly => start.checked_add_months(Months::new(1)),
        ScheduleFrequency::Quarterly => start.checked_add_months(Months::new(3)),
        _ => start.checked_add_months(Months::new(12)),
    }
    .unwrap_or(day);
    Period {
        label: period_of(f, start),
        start,
        end,
    }
}

/// The period before `p`.
pub fn previous(frequency: ScheduleFrequency, p: &Period) -> Period {
    period_containing(frequency, p.start.pred_opt().unwrap_or(p.start))
}

/// The site's date at the UTC time `at`.
pub fn site_date(tz: Tz, at: NaiveDateTime) -> NaiveDate {
    at.and_utc().with_timezone(&tz).date_naive()
}

/// The UTC time at which day `d` begins on the site (midnight, or the
/// first hour after it where a clock change skips midnight).
pub fn day_begins(tz: Tz, d: NaiveDate) -> NaiveDateTime {
    (0..3)
        .find_map(|h| {
            tz.from_local_datetime(&(midnight(d) + chrono::TimeDelta::hours(h)))
                .earliest()
        })
        .map_or_else(|| midnight(d), |t| t.naive_utc())
}

/// Whether a record of the schedule's template for its process was
/// submitted within `p` (the site's calendar).
///
/// # Errors
/// A database fault.
pub fn is_met(conn: &mut DbConn, s: &ScheduleRow, p: &Period, tz: Tz) -> AppResult<bool> {
    let n: i64 = records::table
        .filter(records::template_id.eq(&s.template_id))
        .filter(records::process_id.eq(&s.process_id))
        .filter(records::created_at.ge(day_begins(tz, p.start)))
        .filter(records::created_at.lt(day_begins(tz, p.end)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether schedule `s` is overdue at `at` (see the module's rule); `in_use`
/// says whether its template is in force and its process active.
///
/// # Errors
/// A database fault.
pub fn is_overdue(
    conn: &mut DbConn,
    s: &ScheduleRow,
    in_use: bool,
    at: NaiveDateTime,
    tz: Tz,
) -> AppResult<bool> {
    if !(s.active && in_use) {
        return Ok(false);
    }
    let current = period_containing(s.frequency, site_date(tz, at));
    if site_date(tz, s.created_at) >= current.start {
        return Ok(false);
    }
    let last = previous(s.frequency, &current);
    Ok(!is_met(conn, s, &last, tz)? && !is_met(conn, s, &current, tz)?)
}

/// A schedule whose mark the scheduler brings in line.
struct ScheduleDue {
    row: ScheduleRow,
    label: String,
    /// The last day of the period that went unmet, when it is late.
    late_since: Option<NaiveDate>,
}

impl Due for ScheduleDue {
    fn deadlines(&self) -> Vec<Deadline> {
        self.late_since.map(Deadline::Day).into_iter().collect()
    }

    fn marked(&self) -> bool {
        self.row.overdue
    }

    fn set_mark(&self, conn: &mut DbConn, overdue: bool) -> AppResult<usize> {
        // The mark is the scheduler's; it does not raise the version people
        // stop a schedule with.
        Ok(diesel::update(
            record_schedules::table
                .find(&self.row.id)
                .filter(record_schedules::overdue.eq(self.row.overdue))
                .filter(record_schedules::version.eq(self.row.version)),
        )
        .set(record_schedules::overdue.eq(overdue))
        .execute(conn)?)
    }

    const ACTIONS: (&'static str, &'static str) =
        ("record_schedule.overdue", "record_schedule.on_time");
    const FIELD: &'static str = "overdue";

    fn entity(&self) -> (&str, &str) {
        ("record_schedule", &self.row.id)
    }

    fn summary(&self, overdue: bool) -> String {
        if overdue {
            format!("{} is overdue", self.label)
        } else {
            format!("{} is no longer overdue", self.label)
        }
    }
}

/// Schedules with what decides whether they are in use: (row, template
/// number, template in force, process code, process active).
type Loaded = (ScheduleRow, String, DocStatus, String, String);

fn load(conn: &mut DbConn, only_active: bool) -> AppResult<Vec<Loaded>> {
    let mut q = record_schedules::table
        .inner_join(processes::table)
        .inner_join(documents::table.on(documents::id.eq(record_schedules::template_id)))
        .select((
            ScheduleRow::as_select(),
            documents::number,
            documents::status,
            processes::code,
            processes::status,
        ))
        .order(record_schedules::created_at.asc())
        .into_boxed();
    q = if only_active {
        q.filter(record_schedules::active.eq(true))
    } else {
        q.filter(
            record_schedules::active
                .eq(true)
                .or(record_schedules::overdue.eq(true)),
        )
    };
    Ok(q.load(conn)?)
}

/// Marks the schedules that are overdue at `at` and clears the marks of
/// those no longer overdue, on the calendar of `tz`. Run by the scheduler.
///
/// # Errors
/// A database fault; marks changed before it stay changed and audited.
pub fn mark_overdue(conn: &mut DbConn, at: NaiveDateTime, tz: Tz) -> AppResult<usize> {
    let today = site_date(tz, at);
    let mut due = Vec::new();
    for (row, number, doc_status, code, process_status) in load(conn, false)? {
        let in_use = doc_status == DocStatus::Effective && process_status == "active";
        let late = is_overdue(conn, &row, in_use, at, tz)?;
        let current = period_containing(row.frequency, today);
        let last = previous(row.frequency, &current);
        due.push(ScheduleDue {
            label: format!("{number} for {code} ({})", last.label),
            late_since: late.then(|| last.last_day()),
            row,
        });
    }
    reconcile(conn, &Actor::system("scheduler"), at, today, due)
}

/// The `record_due` tasks of `by` at `at`, on the calendar of `tz`.
///
/// # Errors
/// A database fault.
pub fn tasks_at(conn: &mut DbConn, by: &User, at: NaiveDateTime, tz: Tz) -> AppResult<Vec<Task>> {
    let me = by.id.0.as_str();
    let mut mine: Vec<String> = process_members::table
        .filter(process_members::user_id.eq(me))
        .select(process_members::process_id)
        .load(conn)?;
    mine.extend(
        processes::table
            .filter(processes::owner_id.eq(me))
            .select(processes::id)
            .load::<String>(conn)?,
    );
    let titles: std::collections::HashMap<String, String> = documents::table
        .filter(
            documents::id.eq_any(
                record_schedules::table
                    .filter(record_schedules::active.eq(true))
                    .select(record_schedules::template_id),
            ),
        )
        .select((documents::id, documents::title))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let today = site_date(tz, at);
    // The period in the person's own language, as other areas' task titles.
    let lang = by.lang().unwrap_or_default();
    let mut out = Vec::new();
    for (row, number, doc_status, code, process_status) in load(conn, true)? {
        if doc_status != DocStatus::Effective || process_status != "active" {
            continue;
        }
        let for_me = match &row.assignee_id {
            Some(a) => a == me,
            None => mine.contains(&row.process_id),
        };
        if !for_me {
            continue;
        }
        let period = period_containing(row.frequency, today);
        if is_met(conn, &row, &period, tz)? {
            continue;
        }
        let title = titles.get(&row.template_id).cloned().unwrap_or_default();
        out.push(Task {
            kind: "record_due".into(),
            title: format!("{title} – {code} ({})", period_text(lang, &period.label)),
            link: format!("/forms/{number}/fill?process={code}"),
            reference: number,
            due: Some(period.last_day()),
            overdue: row.overdue,
        });
    }
    Ok(out)
}

/// The records area's tasks. "My tasks" hands a source no site time zone,
/// so these periods are read on UTC's calendar (the scheduler's marks and
/// the pages use the site's).
pub const TASKS: TaskSource = TaskSource {
    kinds: &["record_due"],
    of: |conn, by, at| tasks_at(conn, by, at, chrono_tz::UTC),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_of_each_frequency() {
        let p = period_containing(ScheduleFrequency::Daily, d(2026, 5, 13));
        assert_eq!(
            (p.label.as_str(), p.last_day()),
            ("2026-05-13", d(2026, 5, 13))
        );
        let p = period_containing(ScheduleFrequency::Weekly, d(2026, 5, 13));
        assert_eq!(
            (p.label.as_str(), p.start, p.last_day()),
            ("2026-W20", d(2026, 5, 11), d(2026, 5, 17))
        );
        let p = period_containing(ScheduleFrequency::Monthly, d(2026, 2, 13));
        assert_eq!(
            (p.label.as_str(), p.last_day()),
            ("2026-02", d(2026, 2, 28))
        );
        let p = period_containing(ScheduleFrequency::Quarterly, d(2026, 5, 13));
        assert_eq!(
            (p.label.as_str(), p.start, p.last_day()),
            ("2026-Q2", d(2026, 4, 1), d(2026, 6, 30))
        );
        let p = period_containing(ScheduleFrequency::Yearly, d(2026, 5, 13));
        assert_eq!((p.label.as_str(), p.last_day()), ("2026", d(2026, 12, 31)));
        let prev = previous(
            ScheduleFrequency::Monthly,
            &period_containing(ScheduleFrequency::Monthly, d(2026, 1, 5)),
        );
        assert_eq!(prev.label, "2025-12");
        assert_eq!(prev.end, d(2026, 1, 1));
    }

    #[test]
    fn a_site_day_begins_at_its_local_midnight() {
        let helsinki: Tz = "Europe/Helsinki".parse().unwrap();
        // Summer time: UTC+3.
        assert_eq!(
            day_begins(helsinki, d(2026, 6, 1)).to_string(),
            "2026-05-31 21:00:00"
        );
        assert_eq!(
            day_begins(chrono_tz::UTC, d(2026, 6, 1)),
            midnight(d(2026, 6, 1))
        );
        let late_evening = midnight(d(2026, 5, 31)) + chrono::TimeDelta::hours(22);
        assert_eq!(site_date(helsinki, late_evening), d(2026, 6, 1));
    }
}

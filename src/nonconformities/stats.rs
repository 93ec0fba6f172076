//! Statistics over nonconformities (ISO 9001 9.1.3, analysis and
//! evaluation): where cases arise and who must handle them, of what kind and
//! severity, how many each month, how long they take to close, and how many
//! internal complaints each process receives from the processes it serves.
//!
//! A handful of grouped queries over the reports made in a range (by
//! `created_at`, the time of the report); everything else is summed here, so
//! the figures agree with each other on both databases.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::model::{NcKind, NcStatus, Severity};
use crate::db::schema::{nonconformities, processes};
use crate::db::{DbConn, MultiBackend};
use crate::error::{AppError, AppResult, Code};
use crate::kit::date::{midnight, parse_date};
use crate::processes::model::ProcessStatus;

/// The longest series of months one request may ask for (50 years).
const MAX_MONTHS: i64 = 600;

/// Which reports to count. Empty values are ignored.
#[derive(Debug, Default, Clone, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsFilter {
    /// First day counted, such as `2026-07-01`: reports made on or after it.
    pub from: Option<String>,
    /// First day no longer counted, such as `2026-10-01`: reports made before it.
    pub to: Option<String>,
}

/// A checked range of report dates: `from` inclusive, `to` exclusive (UTC days).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StatsRange {
    /// The first day counted, if the range has a start.
    pub from: Option<NaiveDate>,
    /// The first day no longer counted, if the range has an end.
    pub to: Option<NaiveDate>,
}

impl StatsFilter {
    /// # Errors
    /// `invalid_date`; `invalid_range` when `to` is before `from`.
    pub fn parse(&self) -> AppResult<StatsRange> {
        let date = |field: &str, v: &Option<String>| -> AppResult<Option<NaiveDate>> {
            let Some(s) = v.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
                return Ok(None);
            };
            Ok(Some(parse_date(field, s)?))
        };
        let from = date("from", &self.from)?;
        let to = date("to", &self.to)?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(AppError::invalid(
                Code::InvalidRange,
                format!("`to` ({t}) is before `from` ({f})"),
            ));
        }
        Ok(StatsRange { from, to })
    }
}

/// One process's share of the cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProcessStats {
    /// The process's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Cases this process is responsible for.
    pub responsible: i64,
    /// Cases detected in this process.
    pub detected_in: i64,
    /// Cases it is responsible for that are still being handled.
    pub open: i64,
    /// Cases it is responsible for that are late.
    pub overdue: i64,
}

/// A count for one process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProcessCount {
    /// The process's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// How many cases.
    pub count: i64,
}

/// How many cases of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct KindCount {
    /// The kind.
    pub kind: NcKind,
    /// How many cases.
    pub count: i64,
}

/// How many cases of one severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SeverityCount {
    /// The severity.
    pub severity: Severity,
    /// How many cases.
    pub count: i64,
}

/// How many cases were reported in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MonthCount {
    /// `2026-10`.
    pub month: String,
    /// How many cases.
    pub count: i64,
}

/// How long closed cases took, from report to closure.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TimeToClose {
    /// Cases closed (among those reported in the range).
    pub closed: i64,
    /// Mean days, one decimal; none when nothing is closed.
    pub mean_days: Option<f64>,
    /// 90th percentile of days (nearest rank), one decimal; none when nothing is closed.
    pub p90_days: Option<f64>,
}

/// How many cases there are, by where they stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Totals {
    /// Cases reported in the range.
    pub reported: i64,
    /// Every state but `rejected` and `closed`.
    pub open: i64,
    /// Open cases with something late.
    pub overdue: i64,
    /// Reports rejected as not nonconformities.
    pub rejected: i64,
}

/// The statistics of the reports made in a range.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NcStatistics {
    /// The range counted, as given.
    #[schema(value_type = Option<String>, example = "2026-07-01")]
    pub from: Option<NaiveDate>,
    /// The end of the range counted (exclusive), as given.
    #[schema(value_type = Option<String>, example = "2026-10-01")]
    pub to: Option<NaiveDate>,
    /// Counts of the whole range.
    pub totals: Totals,
    /// Every active process, and retired ones that have cases, by code.
    pub by_process: Vec<ProcessStats>,
    /// Every kind, zeros included.
    pub by_kind: Vec<KindCount>,
    /// Every severity, zeros included.
    pub by_severity: Vec<SeverityCount>,
    /// Reports per month over the range, every month present; without a
    /// range, the last 12 months.
    pub by_month: Vec<MonthCount>,
    /// How long closed cases took.
    pub time_to_close: TimeToClose,
    /// Internal complaints each process received from its internal
    /// customers (as the responsible process), same processes as `by_process`.
    pub complaints_received: Vec<ProcessCount>,
}

type RangeFilter = Box<dyn BoxableExpression<nonconformities::table, MultiBackend, SqlType = Bool>>;

/// Reports made in `[from, to)`.
fn reported_between(from: Option<NaiveDateTime>, to: Option<NaiveDateTime>) -> RangeFilter {
    use nonconformities::created_at;
    match (from, to) {
        (Some(f), Some(t)) => Box::new(created_at.ge(f).and(created_at.lt(t))),
        (Some(f), None) => Box::new(created_at.ge(f)),
        (None, Some(t)) => Box::new(created_at.lt(t)),
        (None, None) => Box::new(created_at.is_not_null()),
    }
}

/// A calendar month, ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Month {
    year: i32,
    month: u32,
}

impl Month {
    fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn from_index(i: i64) -> Option<Month> {
        Some(Month {
            year: i32::try_from(i.div_euclid(12)).ok()?,
            month: u32::try_from(i.rem_euclid(12) + 1).ok()?,
        })
    }

    fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// The months the series covers, first and last included: the range's, or
/// the last 12 up to `at`. `None` when the range holds no day at all.
fn month_span(r: StatsRange, at: NaiveDateTime) -> AppResult<Option<(Month, Month)>> {
    let last_day = match r.to {
        Some(t) => t.pred_opt(),
        None => Some(at.date().max(r.from.unwrap_or(NaiveDate::MIN))),
    };
    let Some(last_day) = last_day else {
        return Ok(None);
    };
    let last = Month::of(last_day);
    let first = match r.from {
        Some(f) => Month::of(f),
        None => Month::from_index(last.index() - 11).unwrap_or(last),
    };
    if r.from.is_some_and(|f| f > last_day) {
        return Ok(None);
    }
    if last.index() - first.index() + 1 > MAX_MONTHS {
        return Err(AppError::invalid(
            Code::RangeTooLong,
            format!("ask for at most {MAX_MONTHS} months at a time"),
        ));
    }
    Ok(Some((first, last)))
}

/// Rounds to one decimal.
fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The arithmetic mean; none of nothing.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().sum::<f64>() / values.len() as f64)
    }
}

/// The `p`-th percentile (0 < p <= 100) by the nearest-rank method: the
/// smallest value that at least `p` per cent of the values do not exceed.
/// None of nothing.
pub fn percentile_nearest_rank(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

fn days(d: TimeDelta) -> f64 {
    d.num_seconds() as f64 / 86_400.0
}

/// The statistics of the reports made in the filter's range; `at` is now,
/// which sets the 12 months shown when no range is given.
///
/// # Errors
/// `invalid_date`, `invalid_range`, `range_too_long`; a database fault.
pub fn statistics(
    conn: &mut DbConn,
    f: &StatsFilter,
    at: NaiveDateTime,
) -> AppResult<NcStatistics> {
    let r = f.parse()?;
    let span = month_span(r, at)?;
    let (lo, hi) = (r.from.map(midnight), r.to.map(midnight));

    let procs: Vec<(String, String, String, String)> = processes::table
        .order(processes::code.asc())
        .select((
            processes::id,
            processes::code,
            processes::name,
            processes::status,
        ))
        .load(conn)?;

    // One row per combination that occurs; a few hundred at most.
    let groups: Vec<(String, String, String, String, bool, i64)> = nonconformities::table
        .filter(reported_between(lo, hi))
        .group_by((
            nonconformities::responsible_id,
            nonconformities::kind,
            nonconformities::severity,
            nonconformities::status,
            nonconformities::overdue,
        ))
        .select((
            nonconformities::responsible_id,
            nonconformities::kind,
            nonconformities::severity,
            nonconformities::status,
            nonconformities::overdue,
            count_star(),
        ))
        .load(conn)?;

    let detected: Vec<(Option<String>, i64)> = nonconformities::table
        .filter(reported_between(lo, hi))
        .filter(nonconformities::detected_in_id.is_not_null())
        .group_by(nonconformities::detected_in_id)
        .select((nonconformities::detected_in_id, count_star()))
        .load(conn)?;

    // Months differ in SQL between the backends; the report times of the
    // months shown are one small column, counted here.
    let mut by_month: Vec<MonthCount> = Vec::new();
    if let Some((first, last)) = span {
        let start = first.first_day().map(midnight);
        let end = Month::from_index(last.index() + 1)
            .and_then(Month::first_day)
            .map(midnight);
        let lo_m = lo.max(start);
        let hi_m = match (hi, end) {
            (Some(h), Some(e)) => Some(h.min(e)),
            (h, e) => h.or(e),
        };
        let times: Vec<NaiveDateTime> = nonconformities::table
            .filter(reported_between(lo_m, hi_m))
            .select(nonconformities::created_at)
            .load(conn)?;
        let mut per: HashMap<Month, i64> = HashMap::new();
        for t in times {
            *per.entry(Month::of(t.date())).or_default() += 1;
        }
        by_month = (first.index()..=last.index())
            .filter_map(Month::from_index)
            .map(|m| MonthCount {
                month: m.label(),
                count: per.get(&m).copied().unwrap_or(0),
            })
            .collect();
    }

    let closed: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = nonconformities::table
        .filter(reported_between(lo, hi))
        .filter(nonconformities::status.eq(NcStatus::Closed.as_str()))
        .filter(nonconformities::closed_at.is_not_null())
        .select((nonconformities::created_at, nonconformities::closed_at))
        .load(conn)?;
    let durations: Vec<f64> = closed
        .iter()
        .filter_map(|(c, z)| z.map(|z| days(z - *c).max(0.0)))
        .collect();

    let mut totals = Totals {
        reported: 0,
        open: 0,
        overdue: 0,
        rejected: 0,
    };
    let mut kinds: HashMap<&str, i64> = HashMap::new();
    let mut severities: HashMap<&str, i64> = HashMap::new();
    let mut per_process: HashMap<&str, ProcessStats> = HashMap::new();
    let mut complaints: HashMap<&str, i64> = HashMap::new();
    let blank = || ProcessStats {
        code: String::new(),
        name: String::new(),
        responsible: 0,
        detected_in: 0,
        open: 0,
        overdue: 0,
    };
    for (responsible, kind, severity, status, overdue, n) in &groups {
        let open = NcStatus::parse(status)?.is_open();
        totals.reported += n;
        *kinds.entry(kind).or_default() += n;
        *severities.entry(severity).or_default() += n;
        let p = per_process.entry(responsible).or_insert_with(blank);
        p.responsible += n;
        if open {
            totals.open += n;
            p.open += n;
        }
        if *overdue {
            totals.overdue += n;
            p.overdue += n;
        }
        if status == NcStatus::Rejected.as_str() {
            totals.rejected += n;
        }
        if kind == NcKind::InternalComplaint.as_str() {
            *complaints.entry(responsible).or_default() += n;
        }
    }
    for (process, n) in &detected {
        if let Some(p) = process {
            per_process.entry(p).or_insert_with(blank).detected_in += n;
        }
    }

    let shown: Vec<&(String, String, String, String)> = procs
        .iter()
        .filter(|(id, _, _, status)| {
            status == ProcessStatus::Active.as_str() || per_process.contains_key(id.as_str())
        })
        .collect();
    let by_process = shown
        .iter()
        .map(|(id, code, name, _)| {
            let counts = per_process.get(id.as_str());
            ProcessStats {
                code: code.clone(),
                name: name.clone(),
                ..counts.cloned().unwrap_or_else(blank)
            }
        })
        .collect();
    let complaints_received = shown
        .iter()
        .map(|(id, code, name, _)| ProcessCount {
            code: code.clone(),
            name: name.clone(),
            count: complaints.get(id.as_str()).copied().unwrap_or(0),
        })
        .collect();

    Ok(NcStatistics {
        from: r.from,
        to: r.to,
        totals,
        by_process,
        by_kind: NcKind::ALL
            .iter()
            .map(|k| KindCount {
                kind: *k,
                count: kinds.get(k.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        by_severity: Severity::ALL
            .iter()
            .map(|s| SeverityCount {
                severity: *s,
                count: severities.get(s.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        by_month,
        time_to_close: TimeToClose {
            closed: i64::try_from(durations.len()).unwrap_or(i64::MAX),
            mean_days: mean(&durations).map(one_decimal),
            p90_days: percentile_nearest_rank(&durations, 90.0).map(one_decimal),
        },
        complaints_received,
    })
}

/// Internal complaints a process received, as the responsible process, from
/// reports made in `[from, to)`: how satisfied its internal customers are,
/// for a KPI to count.
///
/// # Errors
/// A database fault.
pub fn complaints_received(
    conn: &mut DbConn,
    process_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<i64> {
    Ok(nonconformities::table
        .filter(reported_between(Some(from), Some(to)))
        .filter(nonconformities::responsible_id.eq(process_id))
        .filter(nonconformities::kind.eq(NcKind::InternalComplaint.as_str()))
        .select(count_star())
        .first(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn filter(from: &str, to: &str) -> StatsFilter {
        let opt = |s: &str| Some(s.to_string());
        StatsFilter {
            from: opt(from),
            to: opt(to),
        }
    }

    #[test]
    fn nearest_rank_percentile() {
        assert_eq!(percentile_nearest_rank(&[], 90.0), None);
        assert_eq!(percentile_nearest_rank(&[4.0], 90.0), Some(4.0));
        // 90 % of 2 is 1.8: rank 2.
        assert_eq!(percentile_nearest_rank(&[4.0, 2.0], 90.0), Some(4.0));
        let ten: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        assert_eq!(percentile_nearest_rank(&ten, 90.0), Some(9.0));
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(percentile_nearest_rank(&eleven, 90.0), Some(10.0));
        assert_eq!(percentile_nearest_rank(&eleven, 100.0), Some(11.0));
        assert_eq!(percentile_nearest_rank(&[7.0, 3.0], 1.0), Some(3.0));
    }

    #[test]
    fn mean_and_rounding() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[2.0, 4.0]), Some(3.0));
        assert_eq!(mean(&[1.0, 2.0, 2.0]).map(one_decimal), Some(1.7));
        assert_eq!(one_decimal(0.04), 0.0);
        assert_eq!(days(TimeDelta::hours(36)), 1.5);
    }

    #[test]
    fn filters_parse_and_refuse_backwards_ranges() {
        let r = filter("2026-07-01", "1.10.2026").parse().unwrap();
        assert_eq!(r.from, Some(d("2026-07-01")));
        assert_eq!(r.to, Some(d("2026-10-01")));
        let empty = filter(" ", "").parse().unwrap();
        assert_eq!(empty, StatsRange::default());
        assert_eq!(
            filter("2026-13-01", "").parse().unwrap_err().code,
            "invalid_date"
        );
        assert_eq!(
            filter("+10000-01-01", "").parse().unwrap_err().code,
            "invalid_date"
        );
        assert_eq!(
            filter("2026-07-02", "2026-07-01").parse().unwrap_err().code,
            "invalid_range"
        );
        assert!(filter("2026-07-01", "2026-07-01").parse().is_ok());
    }

    fn labels(r: StatsRange, at: &str) -> Vec<String> {
        let at = d(at).and_hms_opt(12, 0, 0).unwrap();
        match month_span(r, at).unwrap() {
            Some((a, b)) => (a.index()..=b.index())
                .filter_map(Month::from_index)
                .map(Month::label)
                .collect(),
            None => Vec::new(),
        }
    }

    #[test]
    fn the_months_of_a_range() {
        let none = StatsRange::default();
        let last12 = labels(none, "2026-03-15");
        assert_eq!(last12.len(), 12);
        assert_eq!(last12[0], "2025-04");
        assert_eq!(last12[11], "2026-03");
        let r = filter("2026-07-01", "2026-10-01").parse().unwrap();
        assert_eq!(labels(r, "2027-01-01"), ["2026-07", "2026-08", "2026-09"]);
        let r = filter("2026-07-15", "2026-10-02").parse().unwrap();
        assert_eq!(labels(r, "2027-01-01").len(), 4);
        let r = filter("", "2026-01-01").parse().unwrap();
        let up_to = labels(r, "2027-01-01");
        assert_eq!((up_to[0].as_str(), up_to.len()), ("2025-01", 12));
        let r = filter("2026-11-01", "").parse().unwrap();
        assert_eq!(labels(r, "2027-01-10"), ["2026-11", "2026-12", "2027-01"]);
        let r = filter("2026-07-01", "2026-07-01").parse().unwrap();
        assert!(labels(r, "2027-01-01").is_empty(), "an empty range");
        let r = filter("1900-01-01", "2026-01-01").parse().unwrap();
        let at = d("2026-01-01").and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(month_span(r, at).unwrap_err().code, "range_too_long");
    }
}

//! Where a KPI's numbers come from. Most are entered by people (`manual`);
//! some are counted from records Laatu keeps anyway, so nobody types them
//! and nobody can get them wrong: `internal_complaints` counts the internal
//! complaints a process received as the responsible process, the signal of
//! how satisfied its internal customers are.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::kpi_model::{Frequency, Measurement, due_period, period_of, period_start};
use crate::db::DbConn;
use crate::error::{AppResult, Code};
use crate::kit::choice::choice;
use crate::kit::date::midnight;

choice!(
    /// Where a KPI's measurements come from.
    KpiSource, Code::InvalidKpiSource, "KPI source" {
        Manual => "manual",
        InternalComplaints => "internal_complaints",
    }
);

impl KpiSource {
    /// Whether people enter the measurements.
    pub fn is_manual(self) -> bool {
        self == KpiSource::Manual
    }
}

/// How many complete periods a counted KPI's trend shows.
pub const HISTORY: usize = 12;

/// The last `n` complete periods before `at`, oldest first: (period, first
/// day, first day of the next).
fn last_periods(
    frequency: Frequency,
    at: NaiveDateTime,
    n: usize,
) -> Vec<(String, NaiveDate, NaiveDate)> {
    let (_, current, _) = due_period(frequency, at);
    let mut end = current;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let start = period_start(frequency, end - TimeDelta::days(1));
        out.push((period_of(frequency, start), start, end));
        end = start;
    }
    out.reverse();
    out
}

/// The measurements of a counted KPI: one per complete period, the last
/// `periods` of them, counted now from the records.
///
/// # Errors
/// A database fault.
pub fn counted(
    conn: &mut DbConn,
    source: KpiSource,
    kpi_id: &str,
    process_id: &str,
    frequency: Frequency,
    at: NaiveDateTime,
    periods: usize,
) -> AppResult<Vec<Measurement>> {
    let mut out = Vec::new();
    for (period, start, end) in last_periods(frequency, at, periods) {
        let (from, to) = (midnight(start), midnight(end));
        let value = match source {
            KpiSource::Manual => continue,
            KpiSource::InternalComplaints => {
                crate::nonconformities::stats::complaints_received(conn, process_id, from, to)?
            }
        };
        out.push(Measurement {
            id: format!("{kpi_id}:{period}"),
            kpi_id: kpi_id.to_string(),
            period,
            value: value.to_string(),
            comment: String::new(),
            recorded_by: String::new(),
            recorded_by_name: format!("laatu:{}", source.as_str()),
            recorded_at: to,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        midnight(NaiveDate::from_ymd_opt(y, m, d).unwrap()) + TimeDelta::hours(9)
    }

    #[test]
    fn twelve_complete_months_oldest_first() {
        let p = last_periods(Frequency::Monthly, at(2026, 3, 5), HISTORY);
        assert_eq!(p.len(), 12);
        assert_eq!(p[0].0, "2025-03");
        assert_eq!(p[11].0, "2026-02");
        assert_eq!(p[11].2, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert!(p.windows(2).all(|w| w[0].2 == w[1].1), "periods meet");
    }

    #[test]
    fn quarters_and_weeks_meet_too() {
        let q = last_periods(Frequency::Quarterly, at(2026, 11, 23), HISTORY);
        assert_eq!(q.last().unwrap().0, "2026-Q3");
        assert!(q.windows(2).all(|w| w[0].2 == w[1].1));
        let w = last_periods(Frequency::Weekly, at(2026, 1, 2), HISTORY);
        assert_eq!(w.last().unwrap().0, "2025-W52");
        assert!(w.windows(2).all(|x| x[0].2 == x[1].1));
    }
}

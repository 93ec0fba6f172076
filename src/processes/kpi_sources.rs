//! Where a KPI's numbers come from. Most are entered by people (`manual`);
//! some are counted from records Laatu keeps anyway, so nobody types them
//! and nobody can get them wrong: `internal_complaints` counts the internal
//! complaints a process received as the responsible process, the signal of
//! how satisfied its internal customers are; `records` counts the records
//! filled from a form template for the process (how many, the average or
//! sum of a number field, the share of "yes" in a yes/no field, or the share
//! of records holding a deviation), from the answers of each record's
//! version in force; `internal_ratings` is the share (percent) of the
//! process's internal customers' ratings of the period that came on time
//! and were of quality 3 or more, a leading indicator that moves before
//! complaints do (`crate::feedback::ratings`); `survey_followups` is the
//! share (percent) of the follow-ups of detractors and low CSAT answers to
//! the process's surveys, due in the period, that were recorded by their
//! due day: a leading indicator of the loop being closed
//! (`crate::feedback::followup`).

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::kpi_model::{Frequency, Measurement, due_period, period_of, period_start};
use crate::db::DbConn;
use crate::db::schema::{record_values, records};
use crate::error::{AppResult, Code};
use crate::kit::choice::choice;
use crate::kit::date::midnight;

choice!(
    /// Where a KPI's measurements come from.
    KpiSource, Code::InvalidKpiSource, "KPI source" {
        Manual => "manual",
        InternalComplaints => "internal_complaints",
        Records => "records",
        InternalRatings => "internal_ratings",
        SurveyFollowups => "survey_followups",
    }
);

choice!(
    /// What a KPI counted from records takes of them each period.
    RecordMeasure, Code::InvalidKpiMeasure, "measure of records" {
        Count => "count",
        Average => "average",
        Sum => "sum",
        ShareYes => "share_yes",
        ShareDeviation => "share_deviation",
    }
);

impl RecordMeasure {
    /// Whether it is taken of one field of the form.
    pub fn needs_field(self) -> bool {
        matches!(
            self,
            RecordMeasure::Average | RecordMeasure::Sum | RecordMeasure::ShareYes
        )
    }
}

/// Which records a KPI of source `records` counts, and how.
#[derive(Debug, Clone)]
pub struct FromRecords {
    /// The form template's document id.
    pub template_id: String,
    /// What is taken of them.
    pub measure: RecordMeasure,
    /// The field's key, for a measure that needs one.
    pub field: Option<String>,
}

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

/// A value as a measurement writes it: at most two decimals, no trailing zeros.
fn written(v: f64) -> String {
    let s = format!("{:.2}", (v * 100.0).round() / 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// What the records of `from`'s template for `process_id` filled in
/// `[start, end)` give; `None` when there is nothing to take an average or
/// a share of.
///
/// # Errors
/// A database fault.
pub fn of_records(
    conn: &mut DbConn,
    from: &FromRecords,
    process_id: &str,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> AppResult<Option<String>> {
    let in_period = || {
        records::table
            .filter(records::template_id.eq(from.template_id.clone()))
            .filter(records::process_id.eq(process_id.to_string()))
            .filter(records::created_at.ge(start))
            .filter(records::created_at.lt(end))
    };
    let field = from.field.clone().unwrap_or_default();
    let answers = || {
        record_values::table
            .filter(record_values::field.eq(field.clone()))
            .filter(
                record_values::version_id.eq_any(in_period().select(records::current_version_id)),
            )
    };
    let share =
        |part: i64, whole: i64| (whole > 0).then(|| written(100.0 * part as f64 / whole as f64));
    Ok(match from.measure {
        RecordMeasure::Count => Some(in_period().count().get_result::<i64>(conn)?.to_string()),
        RecordMeasure::ShareDeviation => {
            let all: i64 = in_period().count().get_result(conn)?;
            let deviating: i64 = in_period()
                .filter(records::has_deviation.eq(true))
                .count()
                .get_result(conn)?;
            share(deviating, all)
        }
        RecordMeasure::ShareYes => {
            let answered: i64 = answers().count().get_result(conn)?;
            let yes: i64 = answers()
                .filter(record_values::text_value.eq("yes"))
                .count()
                .get_result(conn)?;
            share(yes, answered)
        }
        RecordMeasure::Average | RecordMeasure::Sum => {
            let values: Vec<f64> = answers()
                .select(record_values::num_value)
                .load::<Option<f64>>(conn)?
                .into_iter()
                .flatten()
                .collect();
            let sum: f64 = values.iter().sum();
            if from.measure == RecordMeasure::Sum {
                Some(written(sum))
            } else {
                (!values.is_empty()).then(|| written(sum / values.len() as f64))
            }
        }
    })
}

/// The measurements of a counted KPI: one per complete period, the last
/// `periods` of them, counted now from the records (`from` says which,
/// for the source `records`). A period with nothing to take an average or
/// a share of has no measurement.
///
/// # Errors
/// A database fault.
#[expect(clippy::too_many_arguments)]
pub fn counted(
    conn: &mut DbConn,
    source: KpiSource,
    from_records: Option<&FromRecords>,
    kpi_id: &str,
    process_id: &str,
    frequency: Frequency,
    at: NaiveDateTime,
    periods: usize,
) -> AppResult<Vec<Measurement>> {
    let mut out = Vec::new();
    for (period, start, end) in last_periods(frequency, at, periods) {
        let (from, to) = (midnight(start), midnight(end));
        let value = match (source, from_records) {
            (KpiSource::Manual, _) | (KpiSource::Records, None) => continue,
            (KpiSource::InternalComplaints, _) => {
                crate::nonconformities::stats::complaints_received(conn, process_id, from, to)?
                    .to_string()
            }
            (KpiSource::Records, Some(r)) => match of_records(conn, r, process_id, from, to)? {
                Some(v) => v,
                None => continue,
            },
            (KpiSource::InternalRatings, _) => {
                match crate::feedback::ratings::service::good_share(conn, process_id, start, end)? {
                    Some(v) => written(v),
                    None => continue,
                }
            }
            (KpiSource::SurveyFollowups, _) => {
                match crate::feedback::followup::in_time_share(conn, process_id, start, end)? {
                    Some(v) => written(v),
                    None => continue,
                }
            }
        };
        out.push(Measurement {
            id: format!("{kpi_id}:{period}"),
            kpi_id: kpi_id.to_string(),
            period,
            value,
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
    fn values_are_written_with_two_decimals_at_most() {
        assert_eq!(written(2.0), "2");
        assert_eq!(written(200.0 / 3.0), "66.67");
        assert_eq!(written(10.006), "10.01");
        assert_eq!(written(0.5), "0.5");
        assert_eq!(written(-0.001), "0");
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

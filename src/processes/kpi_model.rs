//! What KPIs (`kpis.rs`) and the sources of counted KPIs
//! (`kpi_sources.rs`) both speak of: how often a KPI is measured, the
//! periods that follow from it, and one measurement. Both import this file
//! and neither imports the other's vocabulary.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::kpi_measurements;
use crate::error::{AppError, AppResult, Code};
use crate::kit::choice::choice;

choice!(
    /// How often it is measured; decides the period format.
    Frequency, Code::InvalidFrequency, "frequency" {
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        Yearly => "yearly",
    }
);

/// A period as its frequency writes it: `2026-W41`, `2026-10`, `2026-Q3`, `2026`.
/// Returns the canonical text and the period's first day.
///
/// # Errors
/// `invalid_period`.
pub fn parse_period(frequency: Frequency, s: &str) -> AppResult<(String, NaiveDate)> {
    let s = s.trim();
    let bad = || {
        AppError::invalid(
            Code::InvalidPeriod,
            format!(
                "`{s}` is not a {} period ({})",
                frequency.as_str(),
                match frequency {
                    Frequency::Weekly => "2026-W41",
                    Frequency::Monthly => "2026-10",
                    Frequency::Quarterly => "2026-Q3",
                    Frequency::Yearly => "2026",
                }
            ),
        )
    };
    let year = |y: &str| y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
    let start = match frequency {
        Frequency::Yearly => year(s).and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
        Frequency::Monthly => s.split_once('-').and_then(|(y, m)| {
            let m = m.parse::<u32>().ok().filter(|_| m.len() == 2)?;
            NaiveDate::from_ymd_opt(year(y)?, m, 1)
        }),
        Frequency::Quarterly => s.split_once("-Q").and_then(|(y, q)| {
            let q = q.parse::<u32>().ok().filter(|q| (1..=4).contains(q))?;
            NaiveDate::from_ymd_opt(year(y)?, (q - 1) * 3 + 1, 1)
        }),
        Frequency::Weekly => s.split_once("-W").and_then(|(y, w)| {
            let w = w.parse::<u32>().ok().filter(|_| w.len() == 2)?;
            NaiveDate::from_isoywd_opt(year(y)?, w, chrono::Weekday::Mon)
        }),
    }
    .ok_or_else(bad)?;
    Ok((period_of(frequency, start), start))
}

/// The period that contains `day`.
pub fn period_of(frequency: Frequency, day: NaiveDate) -> String {
    match frequency {
        Frequency::Yearly => format!("{}", day.year()),
        Frequency::Monthly => format!("{}-{:02}", day.year(), day.month()),
        Frequency::Quarterly => format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
        Frequency::Weekly => {
            let w = day.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
    }
}

/// First day of the period that contains `day`.
pub fn period_start(frequency: Frequency, day: NaiveDate) -> NaiveDate {
    let start = match frequency {
        Frequency::Yearly => NaiveDate::from_ymd_opt(day.year(), 1, 1),
        Frequency::Monthly => NaiveDate::from_ymd_opt(day.year(), day.month(), 1),
        Frequency::Quarterly => {
            NaiveDate::from_ymd_opt(day.year(), (day.month() - 1) / 3 * 3 + 1, 1)
        }
        Frequency::Weekly => {
            Some(day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday())))
        }
    };
    start.unwrap_or(day)
}

/// The last complete period at `t`, and when a measurement for it is late:
/// a week into the current period (two days for weekly KPIs).
pub fn due_period(frequency: Frequency, t: NaiveDateTime) -> (String, NaiveDate, NaiveDateTime) {
    let current = period_start(frequency, t.date());
    let previous = period_start(frequency, current - TimeDelta::days(1));
    let grace = if frequency == Frequency::Weekly { 2 } else { 7 };
    let late_from = (current + TimeDelta::days(grace)).and_time(chrono::NaiveTime::MIN);
    (period_of(frequency, previous), current, late_from)
}

/// One measurement (the latest per period counts; earlier ones were corrected).
#[derive(Debug, Clone, Serialize, Queryable, Selectable, utoipa::ToSchema)]
#[diesel(table_name = kpi_measurements)]
pub struct Measurement {
    /// Its id (for a counted KPI, `<kpi id>:<period>`).
    pub id: String,
    /// The KPI measured.
    #[serde(skip)]
    pub kpi_id: String,
    /// The period it is for, as the KPI's frequency writes it.
    pub period: String,
    /// The value, a decimal with a point.
    pub value: String,
    /// What the person who measured noted.
    pub comment: String,
    /// Who recorded it (empty for a counted KPI).
    #[serde(skip)]
    pub recorded_by: String,
    /// Their username when they recorded it (`laatu:<source>` when counted).
    pub recorded_by_name: String,
    /// When it was recorded (UTC).
    #[serde(with = "crate::time::rfc3339")]
    pub recorded_at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn periods_parse_per_frequency() {
        let p = |f, s| parse_period(f, s).map(|(p, d)| (p, d.to_string()));
        assert_eq!(
            p(Frequency::Monthly, "2026-10").unwrap(),
            ("2026-10".into(), "2026-10-01".into())
        );
        assert_eq!(
            p(Frequency::Quarterly, "2026-Q3").unwrap(),
            ("2026-Q3".into(), "2026-07-01".into())
        );
        assert_eq!(
            p(Frequency::Yearly, "2025").unwrap(),
            ("2025".into(), "2025-01-01".into())
        );
        assert_eq!(p(Frequency::Weekly, "2026-W01").unwrap().1, "2025-12-29");
        for (f, bad) in [
            (Frequency::Monthly, "2026-13"),
            (Frequency::Monthly, "2026-1"),
            (Frequency::Quarterly, "2026-Q5"),
            (Frequency::Yearly, "26"),
            (Frequency::Monthly, "2026-Q1"),
        ] {
            assert_eq!(p(f, bad).unwrap_err().code, "invalid_period", "{bad}");
        }
    }

    #[test]
    fn the_due_period_and_its_grace() {
        let (due, _, late) = due_period(Frequency::Monthly, at(2026, 11, 22));
        assert_eq!(due, "2026-10");
        assert_eq!(late.to_string(), "2026-11-08 00:00:00");
        let (due, _, _) = due_period(Frequency::Monthly, at(2026, 1, 3));
        assert_eq!(due, "2025-12");
        let (due, _, _) = due_period(Frequency::Quarterly, at(2026, 11, 22));
        assert_eq!(due, "2026-Q3");
        let (due, _, _) = due_period(Frequency::Yearly, at(2026, 2, 1));
        assert_eq!(due, "2025");
        let (due, _, late) = due_period(Frequency::Weekly, at(2026, 11, 22));
        assert_eq!(due, "2026-W46");
        assert_eq!(late.to_string(), "2026-11-18 00:00:00");
    }
}

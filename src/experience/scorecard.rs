//! Scorecards for the management review and for the talks in which
//! rewards are decided: per process and review span (a quarter or a year),
//! how each customer-experience KPI did against its target, period by
//! period, beside the span before. A process without any CX measure is
//! listed too, so that the gap shows.
//!
//! The figures are the process's, never a person's: see
//! `docs/customer-experience.md` for why scores tied to individual pay get
//! gamed and how to use these instead.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use super::service::{CxStatus, cx_by_process, summary_of};
use crate::db::DbConn;
use crate::db::schema::{kpis, processes, users};
use crate::error::{AppError, AppResult, Code};
use crate::kit::choice::choice;
use crate::processes::kpis::{
    Direction, Frequency, Indicator, measurements_between, meets, parse_period,
};
use crate::processes::model::ProcessStatus;

/// A review span: a quarter (`2026-Q3`) or a year (`2026`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// As written: `2026-Q3`, `2026`.
    pub code: String,
    /// Its first day.
    pub from: NaiveDate,
    /// The first day after it.
    pub to: NaiveDate,
    /// Whether it is a year (else a quarter).
    pub year: bool,
}

impl Span {
    /// Reads `2026-Q3` or `2026`.
    ///
    /// # Errors
    /// `invalid_span`.
    pub fn parse(s: &str) -> AppResult<Span> {
        let s = s.trim();
        let bad = || {
            AppError::invalid(
                Code::InvalidSpan,
                format!("`{s}` is not a quarter (2026-Q3) or a year (2026)"),
            )
        };
        if s.contains("-Q") {
            let (code, from) = parse_period(Frequency::Quarterly, s).map_err(|_| bad())?;
            Ok(Span::quarter_from(code, from))
        } else {
            let (code, from) = parse_period(Frequency::Yearly, s).map_err(|_| bad())?;
            Ok(Span {
                code,
                from,
                to: NaiveDate::from_ymd_opt(from.year() + 1, 1, 1).unwrap_or(from),
                year: true,
            })
        }
    }

    fn quarter_from(code: String, from: NaiveDate) -> Span {
        let to =
            crate::processes::kpis::period_start(Frequency::Quarterly, from + TimeDelta::days(93));
        Span {
            code,
            from,
            to,
            year: false,
        }
    }

    /// The last quarter that is over on `today`.
    pub fn last_quarter(today: NaiveDate) -> Span {
        let current = crate::processes::kpis::period_start(Frequency::Quarterly, today);
        let from = crate::processes::kpis::period_start(
            Frequency::Quarterly,
            current - TimeDelta::days(1),
        );
        Span::quarter_from(
            crate::processes::kpis::period_of(Frequency::Quarterly, from),
            from,
        )
    }

    /// The span of the same length just before.
    pub fn previous(&self) -> Span {
        let day_before = self.from - TimeDelta::days(1);
        if self.year {
            Span::parse(&day_before.year().to_string()).unwrap_or_else(|_| self.clone())
        } else {
            let from = crate::processes::kpis::period_start(Frequency::Quarterly, day_before);
            Span::quarter_from(
                crate::processes::kpis::period_of(Frequency::Quarterly, from),
                from,
            )
        }
    }

    /// Its last day.
    pub fn last_day(&self) -> NaiveDate {
        self.to - TimeDelta::days(1)
    }
}

/// The spans a reader picks from on `today`: the current quarter and the
/// seven before it, then the current year and the two before it.
pub fn recent_spans(today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut q = Span::parse(&crate::processes::kpis::period_of(
        Frequency::Quarterly,
        today,
    ))
    .ok();
    for _ in 0..8 {
        let Some(span) = q else { break };
        out.push(span.code.clone());
        q = Some(span.previous());
    }
    for back in 0..3 {
        out.push((today.year() - back).to_string());
    }
    out
}

choice!(
    /// How a KPI did in a span.
    Verdict, Code::InvalidSpan, "verdict" {
        Met => "met",
        Partly => "partly",
        Missed => "missed",
        NoData => "no_data",
        NotDue => "not_due",
    }
);

/// One period's value of a KPI.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeriodValue {
    /// The period (`2026-08`, `2026-Q3`).
    pub period: String,
    /// The value, a decimal with a point; `null` when nothing was measured.
    pub value: Option<String>,
    /// Whether it meets the target; `null` without a value.
    pub meets: Option<bool>,
}

/// How one customer-experience KPI did in the span.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScoreLine {
    /// The KPI's id.
    pub kpi: String,
    /// Its name.
    pub name: String,
    /// The key of the target experience it measures.
    pub experience: String,
    /// Leading or lagging.
    pub indicator: Indicator,
    /// The unit of its values.
    pub unit: String,
    /// The target, a decimal with a point.
    pub target: String,
    /// Which way is better.
    pub direction: Direction,
    /// How often it is measured.
    pub frequency: Frequency,
    /// Each of its periods in the span that is over, oldest first.
    pub values: Vec<PeriodValue>,
    /// How many of those have a value.
    pub measured: i64,
    /// How many of those meet the target.
    pub on_target: i64,
    /// The same two for the span before.
    pub previous_measured: i64,
    /// Periods on target in the span before.
    pub previous_on_target: i64,
    /// `met`: every period over in the span measured and on target;
    /// `partly`: some on target; `missed`: none; `no_data`: none measured;
    /// `not_due`: none of its periods is over within the span (a yearly
    /// KPI in a quarter).
    pub verdict: Verdict,
}

/// One process's scorecard.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcessScore {
    /// The process's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its owner's display name.
    pub owner: String,
    /// `none`, `lagging_only` or `leading`.
    pub cx: CxStatus,
    /// Its CX KPIs, by name.
    pub lines: Vec<ScoreLine>,
    /// Periods measured over all its lines.
    pub measured: i64,
    /// Periods on target over all its lines.
    pub on_target: i64,
}

/// The scorecards of a span.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Scorecard {
    /// The span (`2026-Q3`, `2026`).
    pub span: String,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
    /// The span before, compared with.
    pub previous: String,
    /// Every active process, by code.
    pub processes: Vec<ProcessScore>,
}

fn tally(values: &[PeriodValue]) -> (i64, i64) {
    let measured = values.iter().filter(|v| v.value.is_some()).count();
    let on_target = values.iter().filter(|v| v.meets == Some(true)).count();
    (measured as i64, on_target as i64)
}

/// The verdict on `values`.
pub fn verdict(values: &[PeriodValue]) -> Verdict {
    let (measured, on_target) = tally(values);
    if values.is_empty() {
        Verdict::NotDue
    } else if measured == 0 {
        Verdict::NoData
    } else if on_target == values.len() as i64 {
        Verdict::Met
    } else if on_target == 0 {
        Verdict::Missed
    } else {
        Verdict::Partly
    }
}

type KpiFacts = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

fn values_in(
    conn: &mut DbConn,
    kpi: &str,
    span: &Span,
    direction: Direction,
    target: f64,
    now: NaiveDateTime,
) -> AppResult<Vec<PeriodValue>> {
    let (periods, got) = measurements_between(conn, kpi, span.from, span.to, now)?;
    Ok(periods
        .into_iter()
        .map(|period| {
            let value = got
                .iter()
                .find(|m| m.period == period)
                .map(|m| m.value.clone());
            let meets = value
                .as_deref()
                .and_then(|v| v.parse::<f64>().ok())
                .map(|v| meets(direction, v, target));
            PeriodValue {
                period,
                value,
                meets,
            }
        })
        .collect())
}

/// The scorecards of `span` at `now`, for the processes with these codes
/// (every active process when `only` is `None`).
///
/// # Errors
/// `unknown_process` for a code no process has; a database fault.
pub fn scorecard(
    conn: &mut DbConn,
    span: &Span,
    now: NaiveDateTime,
    only: Option<&[String]>,
) -> AppResult<Scorecard> {
    if let Some(codes) = only {
        let known: Vec<String> = processes::table
            .filter(processes::code.eq_any(codes))
            .select(processes::code)
            .load(conn)?;
        if let Some(unknown) = codes.iter().find(|c| !known.contains(c)) {
            return Err(AppError::invalid(
                Code::UnknownProcess,
                format!(
                    "no process has the code `{}`",
                    unknown.chars().take(40).collect::<String>()
                ),
            ));
        }
    }
    let mut q = processes::table
        .inner_join(users::table.on(users::id.eq(processes::owner_id)))
        .filter(processes::status.eq(ProcessStatus::Active))
        .into_boxed();
    if let Some(codes) = only {
        q = q.filter(processes::code.eq_any(codes.to_vec()));
    }
    let procs: Vec<(String, String, String, String)> = q
        .order(processes::code.asc())
        .select((
            processes::id,
            processes::code,
            processes::name,
            users::display_name,
        ))
        .load(conn)?;
    let ids: Vec<String> = procs.iter().map(|p| p.0.clone()).collect();
    let cx = cx_by_process(conn, Some(&ids))?;
    let facts: Vec<KpiFacts> = kpis::table
        .filter(kpis::experience.is_not_null())
        .filter(kpis::process_id.eq_any(&ids))
        .order(kpis::name.asc())
        .select((
            kpis::process_id,
            kpis::id,
            kpis::name,
            kpis::indicator,
            kpis::unit,
            kpis::target,
            kpis::direction,
            kpis::frequency,
            kpis::experience,
        ))
        .load(conn)?;
    let previous = span.previous();
    let mut out = Vec::with_capacity(procs.len());
    for (id, code, name, owner) in procs {
        let mut lines = Vec::new();
        for (_, kpi, kpi_name, indicator, unit, target, direction, frequency, experience) in
            facts.iter().filter(|f| f.0 == id)
        {
            let direction = Direction::parse(direction)?;
            let target_value: f64 = target.parse().unwrap_or(f64::NAN);
            let values = values_in(conn, kpi, span, direction, target_value, now)?;
            let before = values_in(conn, kpi, &previous, direction, target_value, now)?;
            let (measured, on_target) = tally(&values);
            let (previous_measured, previous_on_target) = tally(&before);
            lines.push(ScoreLine {
                kpi: kpi.clone(),
                name: kpi_name.clone(),
                experience: experience.clone().unwrap_or_default(),
                indicator: Indicator::parse(indicator)?,
                unit: unit.clone(),
                target: target.clone(),
                direction,
                frequency: Frequency::parse(frequency)?,
                verdict: verdict(&values),
                values,
                measured,
                on_target,
                previous_measured,
                previous_on_target,
            });
        }
        out.push(ProcessScore {
            measured: lines.iter().map(|l| l.measured).sum(),
            on_target: lines.iter().map(|l| l.on_target).sum(),
            cx: summary_of(&cx, &id).status,
            code,
            name,
            owner,
            lines,
        });
    }
    Ok(Scorecard {
        span: span.code.clone(),
        from: span.from,
        to: span.last_day(),
        previous: previous.code,
        processes: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn v(value: Option<&str>, meets: Option<bool>) -> PeriodValue {
        PeriodValue {
            period: "2026-01".into(),
            value: value.map(str::to_string),
            meets,
        }
    }

    #[test]
    fn spans_are_quarters_or_years() {
        let q = Span::parse("2026-Q3").unwrap();
        assert_eq!(
            (q.from, q.to, q.year),
            (day(2026, 7, 1), day(2026, 10, 1), false)
        );
        assert_eq!(q.previous().code, "2026-Q2");
        assert_eq!(Span::parse("2026-Q1").unwrap().previous().code, "2025-Q4");
        let y = Span::parse("2025").unwrap();
        assert_eq!(
            (y.from, y.to, y.year),
            (day(2025, 1, 1), day(2026, 1, 1), true)
        );
        assert_eq!(y.previous().code, "2024");
        assert_eq!(y.last_day(), day(2025, 12, 31));
        for bad in ["2026-Q5", "26", "2026-07", "", "Q3"] {
            assert!(Span::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Span::last_quarter(day(2026, 12, 3)).code, "2026-Q3");
        assert_eq!(Span::last_quarter(day(2026, 1, 1)).code, "2025-Q4");
    }

    #[test]
    fn the_picker_offers_eight_quarters_and_three_years() {
        let spans = recent_spans(day(2026, 2, 10));
        assert_eq!(spans.len(), 11);
        assert_eq!(spans[0], "2026-Q1");
        assert_eq!(spans[7], "2024-Q2");
        assert_eq!(&spans[8..], ["2026", "2025", "2024"]);
    }

    #[test]
    fn verdicts_count_missing_periods_against_the_process() {
        assert_eq!(verdict(&[]), Verdict::NotDue);
        assert_eq!(verdict(&[v(None, None)]), Verdict::NoData);
        let met = v(Some("1"), Some(true));
        let missed = v(Some("0"), Some(false));
        assert_eq!(verdict(&[met.clone(), met.clone()]), Verdict::Met);
        assert_eq!(verdict(&[met.clone(), v(None, None)]), Verdict::Partly);
        assert_eq!(verdict(&[met, missed.clone()]), Verdict::Partly);
        assert_eq!(verdict(&[missed.clone(), missed]), Verdict::Missed);
    }

    #[test]
    fn periods_in_a_span_are_those_over() {
        use crate::processes::kpis::periods_between;
        let q3 = Span::parse("2026-Q3").unwrap();
        let months = periods_between(Frequency::Monthly, q3.from, q3.to, day(2026, 9, 15));
        let names: Vec<&str> = months.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, ["2026-07", "2026-08"]);
        let all = periods_between(Frequency::Monthly, q3.from, q3.to, day(2026, 12, 1));
        assert_eq!(all.len(), 3);
        let quarters = periods_between(Frequency::Quarterly, q3.from, q3.to, day(2026, 10, 1));
        assert_eq!(quarters[0].0, "2026-Q3");
        let year = Span::parse("2025").unwrap();
        let weeks = periods_between(Frequency::Weekly, year.from, year.to, day(2026, 6, 1));
        // 2025 has 52 Mondays; the week of 29 December runs into 2026 but starts in 2025.
        assert_eq!(weeks.len(), 52);
        assert!(periods_between(Frequency::Yearly, q3.from, q3.to, day(2027, 1, 1)).is_empty());
    }
}

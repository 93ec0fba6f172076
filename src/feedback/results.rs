//! A survey's results over a period: NPS with promoters, passives and
//! detractors, CSAT, the response rate, breakdowns, and the answers and
//! ideas to read, each figure with the number of answers behind it and a
//! 95 % interval that shows how little a handful of answers says.
//!
//! - NPS = 100 × (promoters − detractors) / n. Its interval is the
//!   adjusted Wald interval for a difference of two multinomial shares
//!   (as MeasuringU recommends for NPS): add 3/4 of an answer to the
//!   promoters and to the detractors and 3/2 to the passives (n + 3), take
//!   p̃ − d̃ ± 1.96 √((p̃ + d̃ − (p̃ − d̃)²) / (n + 3)), clamp to ±100. So
//!   even ten promoters out of ten give an interval well below 100.
//! - CSAT is the mean score (1-5); its interval is mean ± t(0.975, n−1) ×
//!   s / √n with the sample deviation s, clamped to the scale; none below
//!   two answers.
//! - The response rate is the share of invitations made in the period that
//!   were answered.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::db::schema::{survey_answers, survey_invitations};
use crate::error::AppResult;

/// An interval of a figure, at 95 %.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Interval {
    /// Its lower end.
    pub low: f64,
    /// Its upper end.
    pub high: f64,
}

/// NPS over some answers.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Nps {
    /// The score, -100 to 100; `null` without answers.
    pub score: Option<f64>,
    /// Answers 9-10.
    pub promoters: i64,
    /// Answers 7-8.
    pub passives: i64,
    /// Answers 0-6.
    pub detractors: i64,
    /// Answers in all.
    pub n: i64,
    /// The 95 % adjusted Wald interval; `null` without answers.
    pub interval: Option<Interval>,
}

/// The category of an NPS score.
pub fn nps_category(score: i32) -> &'static str {
    match score {
        9.. => "promoter",
        7..=8 => "passive",
        _ => "detractor",
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Nps {
    /// NPS from the counts of each category.
    pub fn of_counts(promoters: i64, passives: i64, detractors: i64) -> Nps {
        let n = promoters + passives + detractors;
        if n == 0 {
            return Nps {
                score: None,
                promoters,
                passives,
                detractors,
                n,
                interval: None,
            };
        }
        let nf = n as f64;
        let score = 100.0 * (promoters - detractors) as f64 / nf;
        let na = nf + 3.0;
        let p = (promoters as f64 + 0.75) / na;
        let d = (detractors as f64 + 0.75) / na;
        let diff = p - d;
        let margin = 1.96 * ((p + d - diff * diff) / na).sqrt();
        Nps {
            score: Some(round1(score)),
            promoters,
            passives,
            detractors,
            n,
            interval: Some(Interval {
                low: round1((100.0 * (diff - margin)).max(-100.0)),
                high: round1((100.0 * (diff + margin)).min(100.0)),
            }),
        }
    }

    /// NPS of scores 0-10.
    pub fn of_scores(scores: &[i32]) -> Nps {
        let count = |c: &str| scores.iter().filter(|s| nps_category(**s) == c).count() as i64;
        Nps::of_counts(count("promoter"), count("passive"), count("detractor"))
    }
}

/// CSAT over some answers.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Csat {
    /// The mean score, 1-5; `null` without answers.
    pub mean: Option<f64>,
    /// Answers.
    pub n: i64,
    /// Answers of 4 or 5.
    pub satisfied: i64,
    /// The 95 % interval of the mean; `null` below two answers.
    pub interval: Option<Interval>,
}

/// Student's t at 0.975 for 1 to 30 degrees of freedom; 1.96 beyond.
fn t975(df: i64) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    usize::try_from(df - 1)
        .ok()
        .and_then(|i| T.get(i).copied())
        .unwrap_or(1.96)
}

impl Csat {
    /// CSAT of scores 1-5.
    pub fn of_scores(scores: &[i32]) -> Csat {
        let n = scores.len() as i64;
        let satisfied = scores.iter().filter(|s| **s >= 4).count() as i64;
        if n == 0 {
            return Csat {
                mean: None,
                n,
                satisfied,
                interval: None,
            };
        }
        let nf = n as f64;
        let mean = scores.iter().map(|s| f64::from(*s)).sum::<f64>() / nf;
        let interval = (n >= 2).then(|| {
            let var = scores
                .iter()
                .map(|s| (f64::from(*s) - mean).powi(2))
                .sum::<f64>()
                / (nf - 1.0);
            let margin = t975(n - 1) * (var / nf).sqrt();
            Interval {
                low: round2((mean - margin).max(1.0)),
                high: round2((mean + margin).min(5.0)),
            }
        });
        Csat {
            mean: Some(round2(mean)),
            n,
            satisfied,
            interval,
        }
    }
}

/// Invitations made in a period and how many of them were answered.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ResponseRate {
    /// Invitations made in the period.
    pub invited: i64,
    /// Of them, answered.
    pub answered: i64,
    /// Answered / invited, 0-1; `null` when none were invited.
    pub rate: Option<f64>,
}

impl ResponseRate {
    /// The rate of `answered` out of `invited`.
    pub fn of(invited: i64, answered: i64) -> ResponseRate {
        ResponseRate {
            invited,
            answered,
            rate: (invited > 0).then(|| round2(answered as f64 / invited as f64)),
        }
    }
}

/// The figures of one group of answers (a company, a period).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Group {
    /// What the group is: a company's name (`""` when none was given or it
    /// was erased), a period (`2026-05`), a process code or a touchpoint.
    pub key: String,
    /// Answers in it.
    pub answers: i64,
    /// Its NPS.
    pub nps: Nps,
    /// Its CSAT.
    pub csat: Csat,
}

/// One answer to read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerShown {
    /// The answer's id.
    pub id: String,
    /// When (UTC).
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub answered_at: NaiveDateTime,
    /// The customer's company, if known and not erased.
    pub company: Option<String>,
    /// The NPS score.
    pub nps: Option<i32>,
    /// The CSAT score.
    pub csat: Option<i32>,
    /// The effort score.
    pub effort: Option<i32>,
    /// Every answer by question key.
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    /// The idea, if one was written.
    pub idea: Option<String>,
}

/// A survey's results over a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Results {
    /// The survey's id.
    pub survey: String,
    /// The period's start (UTC, inclusive), if one was given.
    #[serde(with = "crate::time::rfc3339_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub from: Option<NaiveDateTime>,
    /// The period's end (UTC, exclusive), if one was given.
    #[serde(with = "crate::time::rfc3339_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub to: Option<NaiveDateTime>,
    /// Answers given in the period.
    pub answers: i64,
    /// NPS.
    pub nps: Nps,
    /// CSAT.
    pub csat: Csat,
    /// The mean effort score (1-5, 5 = very easy), `null` without answers.
    pub effort: Option<f64>,
    /// Invitations made in the period and how many were answered.
    pub response_rate: ResponseRate,
    /// By the survey's process (one group: a survey asks about one process).
    pub by_process: Vec<Group>,
    /// By the survey's touchpoint (one group).
    pub by_touchpoint: Vec<Group>,
    /// By the customer's company.
    pub by_company: Vec<Group>,
    /// By calendar month of the answer (UTC).
    pub by_month: Vec<Group>,
    /// The answers, newest first.
    pub list: Vec<AnswerShown>,
    /// The ideas, newest first.
    pub ideas: Vec<AnswerShown>,
}

type Row = (
    String,
    NaiveDateTime,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    String,
    Option<String>,
    Option<String>,
);

fn group(key: String, rows: &[&Row]) -> Group {
    let nps: Vec<i32> = rows.iter().filter_map(|r| r.2).collect();
    let csat: Vec<i32> = rows.iter().filter_map(|r| r.3).collect();
    Group {
        key,
        answers: rows.len() as i64,
        nps: Nps::of_scores(&nps),
        csat: Csat::of_scores(&csat),
    }
}

/// The results of survey `survey_id` (its process code and touchpoint for
/// the breakdowns) for answers in `from`..`to`.
///
/// # Errors
/// A database fault.
pub fn results(
    conn: &mut DbConn,
    survey_id: &str,
    process: &str,
    touchpoint: &str,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
) -> AppResult<Results> {
    let mut q = survey_answers::table
        .inner_join(survey_invitations::table)
        .filter(survey_answers::survey_id.eq(survey_id))
        .into_boxed();
    if let Some(f) = from {
        q = q.filter(survey_answers::answered_at.ge(f));
    }
    if let Some(t) = to {
        q = q.filter(survey_answers::answered_at.lt(t));
    }
    let rows: Vec<Row> = q
        .order((
            survey_answers::answered_at.desc(),
            survey_answers::id.desc(),
        ))
        .select((
            survey_answers::id,
            survey_answers::answered_at,
            survey_answers::nps,
            survey_answers::csat,
            survey_answers::effort,
            survey_answers::answers,
            survey_answers::idea,
            survey_invitations::company,
        ))
        .load(conn)?;
    let mut iq = survey_invitations::table
        .filter(survey_invitations::survey_id.eq(survey_id))
        .into_boxed();
    if let Some(f) = from {
        iq = iq.filter(survey_invitations::created_at.ge(f));
    }
    if let Some(t) = to {
        iq = iq.filter(survey_invitations::created_at.lt(t));
    }
    let invited: Vec<Option<NaiveDateTime>> =
        iq.select(survey_invitations::answered_at).load(conn)?;
    let answered = invited.iter().filter(|a| a.is_some()).count() as i64;
    let all: Vec<&Row> = rows.iter().collect();
    let whole = group(String::new(), &all);
    let efforts: Vec<i32> = rows.iter().filter_map(|r| r.4).collect();
    let mut companies: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    let mut months: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        companies
            .entry(r.7.clone().unwrap_or_default())
            .or_default()
            .push(r);
        months
            .entry(r.1.format("%Y-%m").to_string())
            .or_default()
            .push(r);
    }
    let shown = |r: &Row| AnswerShown {
        id: r.0.clone(),
        answered_at: r.1,
        nps: r.2,
        csat: r.3,
        effort: r.4,
        answers: serde_json::from_str(&r.5).unwrap_or(serde_json::Value::Null),
        idea: r.6.clone(),
        company: r.7.clone(),
    };
    let by_whole = |key: &str| {
        if rows.is_empty() {
            Vec::new()
        } else {
            vec![Group {
                key: key.to_string(),
                ..whole.clone()
            }]
        }
    };
    Ok(Results {
        survey: survey_id.to_string(),
        from,
        to,
        answers: whole.answers,
        effort: (!efforts.is_empty()).then(|| {
            round2(efforts.iter().map(|e| f64::from(*e)).sum::<f64>() / efforts.len() as f64)
        }),
        nps: whole.nps.clone(),
        csat: whole.csat.clone(),
        response_rate: ResponseRate::of(invited.len() as i64, answered),
        by_process: by_whole(process),
        by_touchpoint: by_whole(touchpoint),
        by_company: companies.into_iter().map(|(k, rs)| group(k, &rs)).collect(),
        by_month: months.into_iter().map(|(k, rs)| group(k, &rs)).collect(),
        ideas: rows.iter().filter(|r| r.6.is_some()).map(shown).collect(),
        list: rows.iter().map(shown).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_at_the_edges() {
        let none = Nps::of_scores(&[]);
        assert_eq!((none.score, none.n, none.interval), (None, 0, None));

        let all_promoters = Nps::of_scores(&[9, 10, 10, 9, 10, 10, 9, 10]);
        assert_eq!(all_promoters.score, Some(100.0));
        assert_eq!((all_promoters.promoters, all_promoters.n), (8, 8));
        let i = all_promoters.interval.unwrap();
        assert_eq!(i.high, 100.0);
        // Eight answers say little: the interval reaches far below 100.
        assert!(i.low < 60.0 && i.low > 20.0, "{i:?}");

        let all_detractors = Nps::of_scores(&[0, 6, 3, 5]);
        assert_eq!(all_detractors.score, Some(-100.0));
        assert_eq!(all_detractors.detractors, 4);
        let i = all_detractors.interval.unwrap();
        assert_eq!(i.low, -100.0);
        assert!(i.high > -80.0, "{i:?}");

        let one = Nps::of_scores(&[8]);
        assert_eq!((one.score, one.passives, one.n), (Some(0.0), 1, 1));
        let i = one.interval.unwrap();
        assert!(i.low < -50.0 && i.high > 50.0, "{i:?}");

        // 7 and 8 are passives, 6 a detractor, 9 a promoter.
        let mixed = Nps::of_scores(&[6, 7, 8, 9]);
        assert_eq!(
            (
                mixed.promoters,
                mixed.passives,
                mixed.detractors,
                mixed.score
            ),
            (1, 2, 1, Some(0.0))
        );
        let big = Nps::of_counts(600, 200, 200);
        assert_eq!(big.score, Some(40.0));
        let i = big.interval.unwrap();
        assert!(
            i.low > 34.0 && i.high < 46.0 && i.high - i.low < 10.5,
            "{i:?}"
        );
    }

    #[test]
    fn csat_means_and_response_rates() {
        let none = Csat::of_scores(&[]);
        assert_eq!((none.mean, none.n, none.interval), (None, 0, None));
        let one = Csat::of_scores(&[4]);
        assert_eq!(
            (one.mean, one.interval, one.satisfied),
            (Some(4.0), None, 1)
        );
        let some = Csat::of_scores(&[5, 4, 3, 2]);
        assert_eq!(some.mean, Some(3.5));
        assert_eq!(some.satisfied, 2);
        let i = some.interval.unwrap();
        assert!(i.low >= 1.0 && i.low < 2.0 && i.high == 5.0, "{i:?}");
        let same = Csat::of_scores(&[3, 3, 3]);
        assert_eq!(
            same.interval,
            Some(Interval {
                low: 3.0,
                high: 3.0
            })
        );
        assert_eq!(Csat::of_scores(&[1, 2]).mean, Some(1.5));

        assert_eq!(ResponseRate::of(0, 0).rate, None);
        assert_eq!(ResponseRate::of(8, 2).rate, Some(0.25));
        assert_eq!(ResponseRate::of(3, 3).rate, Some(1.0));
        assert_eq!(ResponseRate::of(3, 1).rate, Some(0.33));
    }
}

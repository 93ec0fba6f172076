//! The demo's internal ratings: every link of the demo's process map asked
//! of the receiving process's people in each of the four complete quarters
//! before the application's clock, and rated by most of them: mostly on
//! time and of good quality, a few late or weak. The current quarter is
//! asked too, so the demo's people have ratings to give; in it production
//! has just rated the purchased material late and poor, and filed the
//! internal complaint that the rating offered against purchasing. Everything goes through the services (the scheduler's
//! job, `rate`, `nonconformities::service::report`), so the trail is real.
//! Loaded only when there are no rating requests yet.

use chrono::TimeDelta;
use diesel::prelude::*;

use crate::auth::service::user_by_id;
use crate::db::DbConn;
use crate::db::schema::internal_rating_requests as req;
use crate::error::AppResult;
use crate::feedback::ratings::model::{RequestRow, Score};
use crate::feedback::ratings::schedule::{period_at, request_ratings};
use crate::feedback::ratings::service;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::kit::date::midnight;
use crate::nonconformities::service::{self as nc, NcPolicy, NewNonconformity};
use crate::processes::kpi_model::Frequency;
use crate::records::schedule::ScheduleFrequency;
use crate::records::schedule_due::previous;

/// Comments people leave now and then: (English, Finnish).
const COMMENTS: &[(&str, &str)] = &[
    ("", ""),
    ("Fine, as agreed.", "Hyvä, kuten sovittiin."),
    (
        "Came a day late, but complete.",
        "Tuli päivän myöhässä, mutta kaikki oli mukana.",
    ),
    (
        "Clear and complete, thank you.",
        "Selkeä ja täydellinen, kiitos.",
    ),
    (
        "Drawings revision was missing from the order.",
        "Tilauksesta puuttui piirustuksen revisio.",
    ),
];

/// Scores that look like a year of real answers: mostly on time and good,
/// now and then late or weak. `i` numbers the rating.
fn score_of(i: usize) -> (bool, i32, usize) {
    let on_time = i % 9 != 4;
    let quality = match i % 11 {
        0 | 5 => 5,
        3 => 3,
        7 => 2,
        _ => 4,
    };
    let comment = match (on_time, quality) {
        (false, _) => 2,
        (_, 2) => 4,
        (_, 5) => 3,
        _ if i.is_multiple_of(4) => 1,
        _ => 0,
    };
    (on_time, quality, comment)
}

/// Loads the ratings, unless there are rating requests already.
///
/// # Errors
/// A database fault, or a refusal by the services.
pub fn load(conn: &mut DbConn) -> AppResult<()> {
    let asked: i64 = req::table.count().get_result(conn)?;
    if asked > 0 {
        return Ok(());
    }
    let tz = chrono_tz::UTC;
    let now = crate::ids::now();
    let current = period_at(Frequency::Quarterly, now.date());
    let mut quarters = vec![previous(ScheduleFrequency::Quarterly, &current)];
    for _ in 1..4 {
        let before = previous(ScheduleFrequency::Quarterly, &quarters[quarters.len() - 1]);
        quarters.push(before);
    }
    quarters.reverse();
    let mut n = 0;
    for quarter in &quarters {
        let asked_at = midnight(quarter.start) + TimeDelta::days(2) + TimeDelta::hours(6);
        request_ratings(conn, Frequency::Quarterly, asked_at, tz)?;
        for (i, r) in of_period(conn, &quarter.label)?.iter().enumerate() {
            n += 1;
            // One in seven is never answered.
            if n % 7 == 3 {
                continue;
            }
            let (on_time, quality, comment) = score_of(n);
            let days = 20 + i64::try_from((n * 13) % 50).unwrap_or(0);
            let minutes = 37 * i64::try_from(i % 11).unwrap_or(0);
            let rated_at = asked_at + TimeDelta::days(days) + TimeDelta::minutes(minutes);
            rate(conn, r, (on_time, quality, comment), rated_at)?;
        }
    }
    // This quarter: asked, and production has just rated the purchased
    // material late and poor and filed the complaint the rating offered
    // (last, so that the nonconformity numbers follow their dates).
    let asked_at = (midnight(current.start) + TimeDelta::days(2) + TimeDelta::hours(6)).min(now);
    request_ratings(conn, Frequency::Quarterly, asked_at, tz)?;
    let material = of_period(conn, &current.label)?
        .into_iter()
        .find(|r| r.output_name.starts_with("Ostettu materiaali"));
    if let Some(r) = material {
        // An hour before the clock: the demo's cases all lie in the past.
        let rated_at = (now - TimeDelta::hours(2)).max(asked_at);
        let reported_at = (now - TimeDelta::hours(1)).max(rated_at + TimeDelta::minutes(1));
        let (user, rated) = rate(conn, &r, (false, 2, 4), rated_at)?;
        if let Some(draft) = rated.complaint {
            nc::report(
                conn,
                NcPolicy::default(),
                &user,
                NewNonconformity {
                    kind: draft.kind,
                    title: draft.title,
                    description: draft.description,
                    detected_in: Some(draft.detected_in),
                    responsible: draft.responsible,
                    severity: draft.severity,
                    ..NewNonconformity::default()
                },
                reported_at,
            )?;
        }
    }
    Ok(())
}

/// The requests of a period, in a fixed order.
fn of_period(conn: &mut DbConn, label: &str) -> AppResult<Vec<RequestRow>> {
    Ok(req::table
        .filter(req::period.eq(label))
        .order((req::output_name, req::customer_id, req::user_id))
        .select(RequestRow::as_select())
        .load(conn)?)
}

/// Rates `r` as its person, with a comment in their language.
fn rate(
    conn: &mut DbConn,
    r: &RequestRow,
    (on_time, quality, comment): (bool, i32, usize),
    at: chrono::NaiveDateTime,
) -> AppResult<(crate::auth::model::User, service::Rated)> {
    let user = user_by_id(conn, &UserId(r.user_id.clone()))?;
    let (en, fi) = COMMENTS[comment];
    let text = if user.lang().unwrap_or_default() == Lang::Fi {
        fi
    } else {
        en
    };
    let rated = service::rate(
        conn,
        &user,
        &r.id,
        Score::parse(on_time, quality, text)?,
        at,
    )?;
    Ok((user, rated))
}

//! Closing the loop: an answer with a detractor's score (NPS 0-6) or a low
//! CSAT (1-2) gives the owner of the survey's process a follow-up, due in
//! `survey_followup_days` working days (weekends and the site's
//! `public_holidays` do not count). It is a task ("my tasks") until its
//! owner or a quality manager records what was done and whether the
//! customer was told; it is late from the day after its due day.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::area::{Task, TaskSource};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{processes, survey_followups, surveys, users};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::ids::new_id;
use crate::kit::date::midnight;

/// The task kind of a follow-up.
pub const KIND: &str = "survey_followup";

/// The task source of follow-ups.
pub const TASKS: TaskSource = TaskSource {
    kinds: &[KIND],
    of: tasks_of,
};

/// The day `n` working days after `from`: weekends and `holidays` skipped.
pub fn add_working_days(from: NaiveDate, n: u32, holidays: &[NaiveDate]) -> NaiveDate {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend && !holidays.contains(&d) {
            left -= 1;
        }
    }
    d
}

/// Why an answer needs a follow-up, if it does.
pub fn reason(nps: Option<i32>, csat: Option<i32>) -> Option<&'static str> {
    if nps.is_some_and(|n| n <= 6) {
        Some("detractor")
    } else if csat.is_some_and(|c| c <= 2) {
        Some("low_csat")
    } else {
        None
    }
}

/// Opens the follow-up of answer `answer_id` when its scores ask for one,
/// in the answer's transaction, for the owner of the survey's process.
///
/// # Errors
/// A database fault.
pub fn open_if_needed(
    conn: &mut DbConn,
    survey_id: &str,
    answer_id: &str,
    nps: Option<i32>,
    csat: Option<i32>,
    at: NaiveDateTime,
    due_on: NaiveDate,
) -> AppResult<Option<String>> {
    let Some(why) = reason(nps, csat) else {
        return Ok(None);
    };
    let owner: String = surveys::table
        .inner_join(processes::table)
        .filter(surveys::id.eq(survey_id))
        .select(processes::owner_id)
        .first(conn)?;
    let id = new_id();
    diesel::insert_into(survey_followups::table)
        .values((
            survey_followups::id.eq(&id),
            survey_followups::answer_id.eq(answer_id),
            survey_followups::survey_id.eq(survey_id),
            survey_followups::owner_id.eq(&owner),
            survey_followups::reason.eq(why),
            survey_followups::due_on.eq(midnight(due_on)),
            survey_followups::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(Some(id))
}

/// The share (percent) of the follow-ups for process `process_id`'s
/// surveys due from `start` up to (not including) `end` that were recorded
/// by their due day; `None` when none was due. One not recorded yet counts
/// as late: the share is asked of periods that are over.
///
/// # Errors
/// A database fault.
pub fn in_time_share(
    conn: &mut DbConn,
    process_id: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<Option<f64>> {
    let due: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = survey_followups::table
        .inner_join(surveys::table)
        .filter(surveys::process_id.eq(process_id))
        .filter(survey_followups::due_on.ge(midnight(start)))
        .filter(survey_followups::due_on.lt(midnight(end)))
        .select((survey_followups::due_on, survey_followups::done_at))
        .load(conn)?;
    if due.is_empty() {
        return Ok(None);
    }
    let in_time = due
        .iter()
        .filter(|(due, done)| done.is_some_and(|d| d.date() <= due.date()))
        .count();
    Ok(Some(100.0 * in_time as f64 / due.len() as f64))
}

/// A follow-up as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowupView {
    /// Its id.
    pub id: String,
    /// The answer it follows up.
    pub answer: String,
    /// `detractor` or `low_csat`.
    pub reason: String,
    /// Username of who follows up.
    pub owner: String,
    /// The day it is due on.
    pub due: NaiveDate,
    /// Whether it is late at the time of asking.
    pub overdue: bool,
    /// When it was done (UTC).
    #[serde(with = "crate::time::rfc3339_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub done_at: Option<NaiveDateTime>,
    /// Username of who did it.
    pub done_by: Option<String>,
    /// What was done.
    pub action_taken: Option<String>,
    /// Whether the customer was told.
    pub customer_told: Option<bool>,
}

type Row = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
    Option<String>,
    Option<bool>,
);

fn view(conn: &mut DbConn, r: Row, today: NaiveDate) -> AppResult<FollowupView> {
    let name = |conn: &mut DbConn, id: &str| -> AppResult<String> {
        Ok(users::table.find(id).select(users::username).first(conn)?)
    };
    let owner = name(conn, &r.3)?;
    let done_by = match &r.6 {
        Some(id) => Some(name(conn, id)?),
        None => None,
    };
    let due = r.4.date();
    Ok(FollowupView {
        id: r.0,
        answer: r.1,
        reason: r.2,
        owner,
        due,
        overdue: r.5.is_none() && today > due,
        done_at: r.5,
        done_by,
        action_taken: r.7,
        customer_told: r.8,
    })
}

fn select() -> (
    survey_followups::id,
    survey_followups::answer_id,
    survey_followups::reason,
    survey_followups::owner_id,
    survey_followups::due_on,
    survey_followups::done_at,
    survey_followups::done_by,
    survey_followups::action_taken,
    survey_followups::customer_told,
) {
    (
        survey_followups::id,
        survey_followups::answer_id,
        survey_followups::reason,
        survey_followups::owner_id,
        survey_followups::due_on,
        survey_followups::done_at,
        survey_followups::done_by,
        survey_followups::action_taken,
        survey_followups::customer_told,
    )
}

/// The follow-ups of a survey, by due day.
///
/// # Errors
/// A database fault.
pub fn of_survey(
    conn: &mut DbConn,
    survey_id: &str,
    today: NaiveDate,
) -> AppResult<Vec<FollowupView>> {
    let rows: Vec<Row> = survey_followups::table
        .filter(survey_followups::survey_id.eq(survey_id))
        .order((survey_followups::due_on.asc(), survey_followups::id.asc()))
        .select(select())
        .load(conn)?;
    rows.into_iter().map(|r| view(conn, r, today)).collect()
}

fn tasks_of(conn: &mut DbConn, by: &User, at: NaiveDateTime) -> AppResult<Vec<Task>> {
    let rows: Vec<(String, String, NaiveDateTime, String, String)> = survey_followups::table
        .inner_join(surveys::table)
        .filter(survey_followups::owner_id.eq(&by.id.0))
        .filter(survey_followups::done_at.is_null())
        .select((
            survey_followups::id,
            survey_followups::survey_id,
            survey_followups::due_on,
            survey_followups::reason,
            surveys::title_en,
        ))
        .load(conn)?;
    let today = at.date();
    Ok(rows
        .into_iter()
        .map(|(id, survey, due, _reason, title)| Task {
            kind: KIND.to_string(),
            reference: title.clone(),
            title,
            link: format!("/surveys/{survey}#followup-{id}"),
            due: Some(due.date()),
            overdue: today > due.date(),
        })
        .collect())
}

/// What was done about an answer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowupDone {
    /// What was done (1 to 2000 characters).
    #[schema(max_length = 2000)]
    pub action_taken: String,
    /// Whether the customer was told what was done.
    pub customer_told: bool,
}

/// Records what was done (the follow-up's owner or a quality manager),
/// once, audited as `survey.followup_done`.
///
/// # Errors
/// `forbidden`; `followup_not_found`; `followup_done_already` (409);
/// `text_too_long` or a blank text.
pub fn record_done(
    conn: &mut DbConn,
    by: &User,
    survey_id: &str,
    id: &str,
    done: &FollowupDone,
    at: NaiveDateTime,
) -> AppResult<FollowupView> {
    by.require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let action = crate::kit::text::required_text(
        "action_taken",
        Code::TextTooLong,
        &done.action_taken,
        2000,
    )?;
    write_tx(conn, |conn| {
        crate::db::lock_row(conn, id)?;
        let r: Row = survey_followups::table
            .find(id)
            .filter(survey_followups::survey_id.eq(survey_id))
            .select(select())
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::not_found(Code::FollowupNotFound, "no such follow-up"))?;
        if !(by.has_role(Role::QualityManager) || r.3 == by.id.0) {
            return Err(AppError::forbidden());
        }
        if r.5.is_some() {
            return Err(AppError::conflict(
                Code::FollowupDoneAlready,
                "this follow-up was recorded already",
            ));
        }
        diesel::update(survey_followups::table.find(id))
            .set((
                survey_followups::done_at.eq(Some(at)),
                survey_followups::done_by.eq(Some(&by.id.0)),
                survey_followups::action_taken.eq(Some(&action)),
                survey_followups::customer_told.eq(Some(done.customer_told)),
            ))
            .execute(conn)?;
        let late = at.date() > r.4.date();
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "survey.followup_done",
                entity_type: "survey",
                entity_id: survey_id,
                summary: format!(
                    "follow-up {id} done{}; customer {}told",
                    if late { " late" } else { "" },
                    if done.customer_told { "" } else { "not " }
                ),
                changes: Diff::new()
                    .created("followup", &id)
                    .created("action_taken", &action)
                    .created("customer_told", &done.customer_told)
                    .into_value(),
            },
        )?;
        let r: Row = survey_followups::table
            .find(id)
            .select(select())
            .first(conn)?;
        view(conn, r, at.date())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Wednesday 13 May 2026 + 2: Friday 15th.
        assert_eq!(add_working_days(d(5, 13), 2, &[]), d(5, 15));
        // Ascension Day (Thursday 14th) does not count: Monday 18th.
        assert_eq!(add_working_days(d(5, 13), 2, &[d(5, 14)]), d(5, 18));
        // From a Friday: Tuesday.
        assert_eq!(add_working_days(d(5, 15), 2, &[]), d(5, 19));
        // Christmas Eve to Boxing Day and a weekend.
        let xmas = [d(12, 24), d(12, 25), d(12, 26)];
        assert_eq!(add_working_days(d(12, 23), 1, &xmas), d(12, 28));
        assert_eq!(add_working_days(d(5, 13), 0, &[]), d(5, 13));
    }

    #[test]
    fn detractors_and_low_csat_need_a_follow_up() {
        assert_eq!(reason(Some(6), None), Some("detractor"));
        assert_eq!(reason(Some(7), Some(2)), Some("low_csat"));
        assert_eq!(reason(Some(0), Some(1)), Some("detractor"));
        assert_eq!(reason(Some(9), Some(3)), None);
        assert_eq!(reason(None, None), None);
    }
}

//! Rating what one received, correcting a rating, reading ratings with
//! their figures per link and period, and the counted KPI. No HTTP.
//!
//! Only the person asked rates a request, once; a correction is a new
//! rating naming the one it replaces, with a reason. What counts is each
//! request's **current** rating: the one no later rating corrects.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{MAX_REASON, RatingRow, RequestRow, Score, is_low};
use crate::audit::{self, Actor, Change};
use crate::auth::model::User;
use crate::db::schema::{
    internal_rating_requests as req, internal_ratings as rating, processes, users,
};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult, Code};
use crate::i18n::Lang;
use crate::ids::new_id;
use crate::kit::text::required_text;

/// A request as its person and the pages see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestView {
    /// Its id.
    pub id: String,
    /// What was received (the output's name).
    pub output: String,
    /// The supplying process's code.
    pub supplier: String,
    /// The receiving process's code.
    pub customer: String,
    /// The period (`2026-Q2`).
    pub period: String,
    /// The day it is due.
    pub due_on: NaiveDate,
    /// Whether its period is over without a rating.
    pub overdue: bool,
    /// The person asked: username.
    pub rater: String,
    /// Their display name.
    pub rater_name: String,
    /// Its current rating, once rated.
    pub rating: Option<RatingView>,
}

/// One rating as read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingView {
    /// Its id.
    pub id: String,
    /// Whether it came on time.
    pub on_time: bool,
    /// Quality, 1 to 5.
    pub quality: i32,
    /// The comment.
    pub comment: String,
    /// Whether it is low (late or quality 2 or less).
    pub low: bool,
    /// The rating it corrects, when it is a correction.
    pub corrects: Option<String>,
    /// Why it corrects it.
    pub reason: String,
    /// When it was given (UTC).
    #[serde(with = "crate::time::rfc3339")]
    #[schema(value_type = String)]
    pub rated_at: chrono::NaiveDateTime,
}

impl From<RatingRow> for RatingView {
    fn from(r: RatingRow) -> Self {
        RatingView {
            low: is_low(r.on_time, r.quality),
            id: r.id,
            on_time: r.on_time,
            quality: r.quality,
            comment: r.comment,
            corrects: r.corrects_id,
            reason: r.reason,
            rated_at: r.created_at,
        }
    }
}

/// The figures of one link in one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Aggregate {
    /// The output (link) id.
    pub output_id: String,
    /// What flows.
    pub output: String,
    /// The supplying process's code.
    pub supplier: String,
    /// The receiving process's code.
    pub customer: String,
    /// The period.
    pub period: String,
    /// How many ratings the figures stand on.
    pub n: i64,
    /// How many were asked.
    pub asked: i64,
    /// Share of ratings on time, percent.
    pub on_time_share: f64,
    /// Average quality, 1 to 5.
    pub average_quality: f64,
    /// Share of ratings on time and of quality 3 or more (not low), percent:
    /// the counted KPI's figure.
    pub good_share: f64,
}

/// Ratings and their figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ratings {
    /// Each rated request with its current rating, newest period first.
    pub ratings: Vec<RequestView>,
    /// Figures per link and period.
    pub aggregates: Vec<Aggregate>,
}

/// What a low rating offers: the body of an internal complaint
/// (`POST /api/v1/nonconformities`) against the supplying process.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintDraft {
    /// `internal_complaint`.
    pub kind: String,
    /// A title naming what was received and the period.
    pub title: String,
    /// What the rating said.
    pub description: String,
    /// The receiving process.
    pub detected_in: String,
    /// The supplying process, whose owner answers it.
    pub responsible: String,
    /// `minor`; the reporter may choose otherwise.
    pub severity: String,
}

/// A rating given, with the complaint it offers when low.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rated {
    /// The request, with its new current rating.
    pub request: RequestView,
    /// The prefilled internal complaint, when the rating is low.
    pub complaint: Option<ComplaintDraft>,
}

fn not_found(id: &str) -> AppError {
    AppError::not_found(
        Code::RatingRequestNotFound,
        format!("no rating request {id}"),
    )
}

fn request_row(conn: &mut DbConn, id: &str) -> AppResult<RequestRow> {
    req::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| not_found(id))
}

/// The current rating of each of `ids`: the one no other corrects.
fn current(conn: &mut DbConn, ids: &[String]) -> AppResult<HashMap<String, RatingRow>> {
    let mut all: Vec<RatingRow> = Vec::new();
    for chunk in ids.chunks(500) {
        all.extend(
            rating::table
                .filter(rating::request_id.eq_any(chunk))
                .select(RatingRow::as_select())
                .load(conn)?,
        );
    }
    let corrected: HashSet<String> = all.iter().filter_map(|r| r.corrects_id.clone()).collect();
    Ok(all
        .into_iter()
        .filter(|r| !corrected.contains(&r.id))
        .map(|r| (r.request_id.clone(), r))
        .collect())
}

/// Codes of processes by id, and (username, display name) of users by id.
type Names = (HashMap<String, String>, HashMap<String, (String, String)>);

fn names(conn: &mut DbConn) -> AppResult<Names> {
    let codes = processes::table
        .select((processes::id, processes::code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let people = users::table
        .select((users::id, users::username, users::display_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, u, d)| (id, (u, d)))
        .collect();
    Ok((codes, people))
}

fn view(r: RequestRow, rating: Option<RatingRow>, n: &Names, today: NaiveDate) -> RequestView {
    let due_on = NaiveDate::parse_from_str(&r.due_on, "%Y-%m-%d").unwrap_or(today);
    let (rater, rater_name) = n.1.get(&r.user_id).cloned().unwrap_or_default();
    RequestView {
        overdue: rating.is_none() && due_on < today,
        supplier: n.0.get(&r.supplier_id).cloned().unwrap_or_default(),
        customer: n.0.get(&r.customer_id).cloned().unwrap_or_default(),
        id: r.id,
        output: r.output_name,
        period: r.period,
        due_on,
        rater,
        rater_name,
        rating: rating.map(RatingView::from),
    }
}

/// One request with its current rating, as of `today`.
///
/// # Errors
/// `rating_request_not_found`; a database fault.
pub fn get(conn: &mut DbConn, id: &str, today: NaiveDate) -> AppResult<RequestView> {
    let r = request_row(conn, id)?;
    let mut cur = current(conn, std::slice::from_ref(&r.id))?;
    let n = names(conn)?;
    let rating = cur.remove(&r.id);
    Ok(view(r, rating, &n, today))
}

/// The requests asked of `by`, newest period first.
///
/// # Errors
/// A database fault.
pub fn mine(conn: &mut DbConn, by: &User, today: NaiveDate) -> AppResult<Vec<RequestView>> {
    let rows: Vec<RequestRow> = req::table
        .filter(req::user_id.eq(by.id.as_str()))
        .order((req::period_start.desc(), req::output_name))
        .select(RequestRow::as_select())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut cur = current(conn, &ids)?;
    let n = names(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let rating = cur.remove(&r.id);
            view(r, rating, &n, today)
        })
        .collect())
}

/// The complaint a low rating of `r` offers, in `lang`.
pub fn complaint_draft(r: &RequestView, rating: &RatingView, lang: Lang) -> ComplaintDraft {
    let period = crate::charts::period_text(lang, &r.period);
    let on_time = crate::i18n::t(
        lang,
        if rating.on_time {
            "ratings-on-time-yes"
        } else {
            "ratings-on-time-no"
        },
    );
    let mut description = crate::i18n::t_args(
        lang,
        "ratings-complaint-description",
        &[
            ("output", r.output.clone()),
            ("supplier", r.supplier.clone()),
            ("period", period.clone()),
            ("on_time", on_time),
            ("quality", rating.quality.to_string()),
        ],
    );
    if !rating.comment.is_empty() {
        description.push_str("\n\n");
        description.push_str(&rating.comment);
    }
    ComplaintDraft {
        kind: "internal_complaint".into(),
        title: crate::i18n::t_args(
            lang,
            "ratings-complaint-title",
            &[("output", r.output.clone()), ("period", period)],
        ),
        description,
        detected_in: r.customer.clone(),
        responsible: r.supplier.clone(),
        severity: "minor".into(),
    }
}

fn rated(conn: &mut DbConn, id: &str, by: &User, today: NaiveDate) -> AppResult<Rated> {
    let request = get(conn, id, today)?;
    let complaint = request
        .rating
        .as_ref()
        .filter(|r| r.low)
        .map(|r| complaint_draft(&request, r, by.lang().unwrap_or_default()));
    Ok(Rated { request, complaint })
}

fn asked_of(by: &User, r: &RequestRow) -> AppResult<()> {
    if r.user_id == by.id.0 {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Rates request `id` at `at` (only its person may, once).
///
/// # Errors
/// `rating_request_not_found`, `forbidden`, `rating_already_given`; a
/// database fault.
pub fn rate(
    conn: &mut DbConn,
    by: &User,
    id: &str,
    score: Score,
    at: chrono::NaiveDateTime,
) -> AppResult<Rated> {
    write_tx(conn, |conn| {
        let r = request_row(conn, id)?;
        asked_of(by, &r)?;
        let given: i64 = rating::table
            .filter(rating::request_id.eq(&r.id))
            .count()
            .get_result(conn)?;
        if given > 0 {
            return Err(AppError::conflict(
                Code::RatingAlreadyGiven,
                "this request is rated already; correct the rating instead",
            ));
        }
        let row = RatingRow {
            id: new_id(),
            request_id: r.id.clone(),
            on_time: score.on_time,
            quality: score.quality,
            comment: score.comment.clone(),
            corrects_id: None,
            reason: String::new(),
            rated_by: by.id.0.clone(),
            created_at: at,
        };
        diesel::insert_into(rating::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "internal_rating.rated",
                entity_type: "internal_rating_request",
                entity_id: &r.id,
                summary: format!(
                    "{} rated {} ({}): on time {}, quality {}",
                    by.username,
                    r.output_name,
                    r.period,
                    if score.on_time { "yes" } else { "no" },
                    score.quality
                ),
                changes: serde_json::json!({
                    "name": r.output_name, "period": r.period,
                    "rating": row.id, "on_time": row.on_time,
                    "quality": row.quality, "comment": row.comment,
                }),
            },
        )?;
        Ok(())
    })?;
    rated(conn, id, by, at.date())
}

/// Corrects the current rating of request `id` at `at` with a new one and
/// a reason (only the person asked may).
///
/// # Errors
/// `rating_request_not_found`, `forbidden`, `rating_not_given`,
/// `reason_required`, `invalid_rating`; a database fault.
pub fn correct(
    conn: &mut DbConn,
    by: &User,
    id: &str,
    score: Score,
    reason: &str,
    at: chrono::NaiveDateTime,
) -> AppResult<Rated> {
    let reason = required_text("the reason", Code::ReasonRequired, reason, MAX_REASON)?;
    write_tx(conn, |conn| {
        let r = request_row(conn, id)?;
        asked_of(by, &r)?;
        let before = current(conn, std::slice::from_ref(&r.id))?
            .remove(&r.id)
            .ok_or_else(|| {
                AppError::conflict(
                    Code::RatingNotGiven,
                    "there is no rating to correct yet; rate it first",
                )
            })?;
        let row = RatingRow {
            id: new_id(),
            request_id: r.id.clone(),
            on_time: score.on_time,
            quality: score.quality,
            comment: score.comment.clone(),
            corrects_id: Some(before.id.clone()),
            reason: reason.clone(),
            rated_by: by.id.0.clone(),
            created_at: at,
        };
        diesel::insert_into(rating::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "internal_rating.corrected",
                entity_type: "internal_rating_request",
                entity_id: &r.id,
                summary: format!(
                    "{} corrected the rating of {} ({}): {reason}",
                    by.username, r.output_name, r.period
                ),
                changes: serde_json::json!({
                    "name": r.output_name, "period": r.period,
                    "rating": row.id, "corrects": before.id, "reason": reason,
                    "on_time": { "before": before.on_time, "after": row.on_time },
                    "quality": { "before": before.quality, "after": row.quality },
                    "comment": { "before": before.comment, "after": row.comment },
                }),
            },
        )?;
        Ok(())
    })?;
    rated(conn, id, by, at.date())
}

/// What [`list`] reads.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only what this process supplied (its code).
    pub supplier: Option<String>,
    /// Periods beginning on or after this day.
    pub from: Option<NaiveDate>,
    /// Periods beginning on or before this day.
    pub to: Option<NaiveDate>,
}

/// The rated requests that `filter` selects with their current ratings,
/// and their figures per link and period.
///
/// # Errors
/// `process_not_found`; a database fault.
pub fn list(conn: &mut DbConn, filter: &Filter, today: NaiveDate) -> AppResult<Ratings> {
    let mut q = req::table.into_boxed();
    if let Some(code) = &filter.supplier {
        let p = crate::processes::service::row_by_code(conn, code)?;
        q = q.filter(req::supplier_id.eq(p.id));
    }
    if let Some(from) = filter.from {
        q = q.filter(req::period_start.ge(from.to_string()));
    }
    if let Some(to) = filter.to {
        q = q.filter(req::period_start.le(to.to_string()));
    }
    let rows: Vec<RequestRow> = q
        .order((req::period_start.desc(), req::output_name, req::created_at))
        .select(RequestRow::as_select())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut cur = current(conn, &ids)?;
    let n = names(conn)?;
    // (period start, output, customer) -> figures, newest period first.
    let mut figures: BTreeMap<(std::cmp::Reverse<String>, String, String), Aggregate> =
        BTreeMap::new();
    let mut ratings = Vec::new();
    for r in rows {
        let key = (
            std::cmp::Reverse(r.period_start.clone()),
            r.output_name.clone(),
            r.customer_id.clone(),
        );
        let rating = cur.remove(&r.id);
        let v = view(r.clone(), rating, &n, today);
        let a = figures.entry(key).or_insert_with(|| Aggregate {
            output_id: r.output_id.clone(),
            output: v.output.clone(),
            supplier: v.supplier.clone(),
            customer: v.customer.clone(),
            period: v.period.clone(),
            n: 0,
            asked: 0,
            on_time_share: 0.0,
            average_quality: 0.0,
            good_share: 0.0,
        });
        a.asked += 1;
        if let Some(g) = &v.rating {
            a.n += 1;
            // Sums for now; turned into shares and averages below.
            a.on_time_share += f64::from(u8::from(g.on_time));
            a.average_quality += f64::from(g.quality);
            a.good_share += f64::from(u8::from(!g.low));
            ratings.push(v);
        }
    }
    let aggregates = figures
        .into_values()
        .map(|mut a| {
            if a.n > 0 {
                let n = a.n as f64;
                a.on_time_share = round(100.0 * a.on_time_share / n);
                a.average_quality = round(a.average_quality / n);
                a.good_share = round(100.0 * a.good_share / n);
            }
            a
        })
        .collect();
    Ok(Ratings {
        ratings,
        aggregates,
    })
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The counted KPI `internal_ratings` of the supplying process
/// `process_id` for the periods of ratings beginning in `[start, end)`:
/// the share (percent) of current ratings that came on time and were of
/// quality 3 or more; `None` without ratings.
///
/// # Errors
/// A database fault.
pub fn good_share(
    conn: &mut DbConn,
    process_id: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> AppResult<Option<f64>> {
    let ids: Vec<String> = req::table
        .filter(req::supplier_id.eq(process_id))
        .filter(req::period_start.ge(start.to_string()))
        .filter(req::period_start.lt(end.to_string()))
        .select(req::id)
        .load(conn)?;
    let cur = current(conn, &ids)?;
    if cur.is_empty() {
        return Ok(None);
    }
    let good = cur
        .values()
        .filter(|r| !is_low(r.on_time, r.quality))
        .count();
    Ok(Some(100.0 * good as f64 / cur.len() as f64))
}

/// How many rating requests name the process as supplier or receiver.
///
/// # Errors
/// A database fault.
pub fn requests_of(conn: &mut DbConn, p: crate::area::Referent<'_>) -> AppResult<i64> {
    Ok(req::table
        .filter(req::supplier_id.eq(p.id).or(req::customer_id.eq(p.id)))
        .count()
        .get_result(conn)?)
}

//! JSON API of internal ratings: the ratings of a supplying process with
//! their figures per link and period, the requests asked of the caller,
//! rating one, and correcting a rating.

use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::Score;
use super::service::{self, Filter, Rated, Ratings, RequestView};
use crate::auth::extract::CurrentUser;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::ids::now;
use crate::json::JsonBody;
use crate::kit::date::parse_date;
use crate::records::schedule_due::site_date;
use crate::state::AppState;

/// Adds the internal ratings to `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(requests)
        .service(rate)
        .service(correct);
}

/// Which ratings.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatingsQuery {
    /// The supplying process's code; left out, every process.
    pub process: Option<String>,
    /// Periods beginning on or after this day (`2026-01-01`).
    pub from: Option<String>,
    /// Periods beginning on or before this day.
    pub to: Option<String>,
}

/// Ratings of what processes supplied, each with its link, period, rater
/// and scores, and the figures per link and period with the number of
/// ratings (`n`) behind each.
#[utoipa::path(tag = "internal-ratings", params(RatingsQuery),
    responses((status = 200, body = Ratings), (status = 401, body = ErrorBody),
        (status = 404, description = "No such process (`process_not_found`)", body = ErrorBody),
        (status = 422, description = "A date is not a date (`invalid_date`)", body = ErrorBody)))]
#[get("/internal-ratings")]
async fn list(
    state: web::Data<AppState>,
    _who: CurrentUser,
    q: web::Query<RatingsQuery>,
) -> AppResult<web::Json<Ratings>> {
    let q = q.into_inner();
    let day = |field: &str, s: Option<String>| -> AppResult<_> {
        match s.filter(|s| !s.trim().is_empty()) {
            Some(s) => Ok(Some(parse_date(field, &s)?)),
            None => Ok(None),
        }
    };
    let filter = Filter {
        supplier: q.process.filter(|p| !p.trim().is_empty()),
        from: day("from", q.from)?,
        to: day("to", q.to)?,
    };
    let today = site_date(state.tz, now());
    let out = db::run(&state.pool, move |c| service::list(c, &filter, today)).await?;
    Ok(web::Json(out))
}

/// The rating requests asked of the caller, newest period first, each with
/// its current rating once rated.
#[utoipa::path(tag = "internal-ratings",
    responses((status = 200, body = Vec<RequestView>), (status = 401, body = ErrorBody)))]
#[get("/internal-ratings/requests")]
async fn requests(
    state: web::Data<AppState>,
    who: CurrentUser,
) -> AppResult<web::Json<Vec<RequestView>>> {
    let today = site_date(state.tz, now());
    let out = db::run(&state.pool, move |c| service::mine(c, &who.user, today)).await?;
    Ok(web::Json(out))
}

/// A rating of an open request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// The request rated (from `GET /internal-ratings/requests` or the task).
    #[schema(max_length = 40)]
    pub request: String,
    /// Whether it came on time.
    pub on_time: bool,
    /// Its quality, 1 (poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    pub quality: i32,
    /// One comment.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub comment: String,
}

/// Rate what one received over a link of the process map (only the person
/// asked, once). A low rating (late, or quality 2 or less) answers with a
/// prefilled internal complaint against the supplying process.
#[utoipa::path(tag = "internal-ratings", request_body = RateRequest,
    responses((status = 200, body = Rated), (status = 401, body = ErrorBody),
        (status = 403, description = "Not asked of the caller", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Rated already (`rating_already_given`)", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/internal-ratings")]
async fn rate(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<RateRequest>,
) -> AppResult<web::Json<Rated>> {
    who.user.require_may_write()?;
    let b = body.parse()?;
    let score = Score::parse(b.on_time, b.quality, &b.comment)?;
    let out = db::run(&state.pool, move |c| {
        service::rate(c, &who.user, &b.request, score, now())
    })
    .await?;
    Ok(web::Json(out))
}

/// A correction of a rating: the new scores and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRequest {
    /// Whether it came on time.
    pub on_time: bool,
    /// Its quality, 1 to 5.
    #[schema(minimum = 1, maximum = 5)]
    pub quality: i32,
    /// One comment.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub comment: String,
    /// Why the rating is corrected.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// Correct one's rating: a new rating that names the one it replaces; the
/// earlier one stays as it was.
#[utoipa::path(tag = "internal-ratings", params(("id" = String, Path, description = "The request")),
    request_body = CorrectionRequest,
    responses((status = 200, body = Rated), (status = 401, body = ErrorBody),
        (status = 403, description = "Not asked of the caller", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not rated yet (`rating_not_given`)", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/internal-ratings/{id}/corrections")]
async fn correct(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: JsonBody<CorrectionRequest>,
) -> AppResult<web::Json<Rated>> {
    who.user.require_may_write()?;
    let b = body.parse()?;
    let score = Score::parse(b.on_time, b.quality, &b.comment)?;
    let id = id.into_inner();
    let out = db::run(&state.pool, move |c| {
        service::correct(c, &who.user, &id, score, &b.reason, now())
    })
    .await?;
    Ok(web::Json(out))
}

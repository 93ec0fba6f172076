//! JSON API of record schedules: a form template's schedules, setting one
//! up and stopping it, and the schedules of a process.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::schedule::{self, NewSchedule, ScheduleView};
use crate::auth::extract::CurrentUser;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::ids::now;
use crate::json::JsonBody;
use crate::state::AppState;

/// Adds the schedule routes to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_schedules)
        .service(create_schedule)
        .service(stop_schedule)
        .service(process_schedules);
}

/// The schedules of a form template, active ones first, each with its
/// current period, due date and whether it is met.
#[utoipa::path(tag = "records", params(("number" = String, Path)),
    responses((status = 200, body = Vec<ScheduleView>), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/forms/{number}/schedules")]
async fn list_schedules(
    state: web::Data<AppState>,
    _who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<Vec<ScheduleView>>> {
    let number = number.into_inner();
    let tz = state.tz;
    let items = db::run(&state.pool, move |c| {
        schedule::for_template(c, &number, now(), tz)
    })
    .await?;
    Ok(web::Json(items))
}

/// Set up a schedule: the template's records are due for the process every
/// period, from the assignee or (none) from the process's owner and members.
/// A quality manager or the owner of the process.
#[utoipa::path(tag = "records", params(("number" = String, Path)), request_body = NewSchedule,
    responses((status = 201, body = ScheduleView), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already scheduled, or the template has no revision in force", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/forms/{number}/schedules")]
async fn create_schedule(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<NewSchedule>,
) -> AppResult<HttpResponse> {
    who.user.require_any(schedule::MANAGERS)?;
    let new = body.parse()?;
    let number = number.into_inner();
    let store = state.store.clone();
    let tz = state.tz;
    let view = db::run(&state.pool, move |c| {
        schedule::create(c, &store, &who.user, &number, new, now(), tz)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Stopping a schedule.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StopSchedule {
    /// The version the caller saw; a later one makes it a conflict.
    pub version: i32,
}

/// Stop a schedule: no more records are due; those filled stay.
#[utoipa::path(tag = "records", params(("number" = String, Path), ("id" = String, Path)),
    request_body = StopSchedule,
    responses((status = 200, body = ScheduleView), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/forms/{number}/schedules/{id}/stop")]
async fn stop_schedule(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
    body: JsonBody<StopSchedule>,
) -> AppResult<web::Json<ScheduleView>> {
    who.user.require_any(schedule::MANAGERS)?;
    let b = body.parse()?;
    let (number, id) = path.into_inner();
    let tz = state.tz;
    let view = db::run(&state.pool, move |c| {
        schedule::stop(c, &who.user, &number, &id, b.version, now(), tz)
    })
    .await?;
    Ok(web::Json(view))
}

/// The active record schedules of a process, for its page.
#[utoipa::path(tag = "records", params(("code" = String, Path)),
    responses((status = 200, body = Vec<ScheduleView>), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[get("/processes/{code}/record-schedules")]
async fn process_schedules(
    state: web::Data<AppState>,
    _who: CurrentUser,
    code: web::Path<String>,
) -> AppResult<web::Json<Vec<ScheduleView>>> {
    let code = code.into_inner();
    let tz = state.tz;
    let items = db::run(&state.pool, move |c| {
        schedule::for_process(c, &code, now(), tz)
    })
    .await?;
    Ok(web::Json(items))
}

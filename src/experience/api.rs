//! JSON API: the value promise in force, the target experiences a process
//! serves, and a KPI's tie to a target experience. The promise itself is
//! written with the draft (`PUT /documents/{number}/draft` with `promise`)
//! and read with the document (`GET /documents/{number}`).

use actix_web::{get, put, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::scorecard::{self, Scorecard, Span};
use super::service::{self, InForce, ProcessExperiences};
use crate::auth::extract::CurrentUser;
use crate::auth::model::Role;
use crate::db;
use crate::error::{AppError, AppResult, Code, ErrorBody};
use crate::json::JsonBody;
use crate::processes::kpis::KpiView;
use crate::state::AppState;

/// Adds the promise, process experiences and KPI experiences to `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(promise)
        .service(scorecards)
        .service(set_process_experiences)
        .service(set_kpi_experience);
}

/// The value promise in force: basic task, promise and target experiences,
/// in English and Finnish.
#[utoipa::path(tag = "experience",
    responses((status = 200, body = InForce), (status = 401, body = ErrorBody),
        (status = 404, description = "No value promise is in force (`no_value_promise`)", body = ErrorBody)))]
#[get("/promise")]
async fn promise(state: web::Data<AppState>, _who: CurrentUser) -> AppResult<web::Json<InForce>> {
    let store = state.store.clone();
    let p = db::run(&state.pool, move |c| service::in_force(c, &store)).await?;
    p.map(web::Json).ok_or_else(|| {
        AppError::not_found(Code::NoValuePromise, "no value promise is in force yet")
    })
}

/// Which scorecards.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScorecardQuery {
    /// A quarter (`2026-Q3`) or a year (`2026`); by default the last
    /// quarter that is over.
    #[param(max_length = 7)]
    pub span: Option<String>,
    /// Process codes, comma-separated; by default every active process. A
    /// code no process has is refused (`unknown_process`).
    #[param(max_length = 2000)]
    pub processes: Option<String>,
}

/// Per process, how each customer-experience KPI did against its target in
/// a quarter or a year, period by period, beside the span before: for the
/// management review and for team-level reward talks (every signed-in user).
#[utoipa::path(tag = "experience", params(ScorecardQuery),
    responses((status = 200, body = Scorecard), (status = 401, body = ErrorBody),
        (status = 422, description = "Not a quarter or a year (`invalid_span`), or a code no process has (`unknown_process`)", body = ErrorBody)))]
#[get("/scorecards")]
async fn scorecards(
    state: web::Data<AppState>,
    _who: CurrentUser,
    q: web::Query<ScorecardQuery>,
) -> AppResult<web::Json<Scorecard>> {
    let q = q.into_inner();
    let now = crate::ids::now();
    let span = match q.span.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Span::parse(s)?,
        None => Span::last_quarter(crate::records::schedule_due::site_date(state.tz, now)),
    };
    let only: Option<Vec<String>> = q
        .processes
        .as_deref()
        .map(|s| {
            s.split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect::<Vec<String>>()
        })
        .filter(|codes| !codes.is_empty());
    let card = db::run(&state.pool, move |c| {
        scorecard::scorecard(c, &span, now, only.as_deref())
    })
    .await?;
    Ok(web::Json(card))
}

/// Which target experiences a process serves.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExperiencesRequest {
    /// Keys of target experiences of the promise in force (a key given
    /// twice counts once); the list replaces the one before.
    pub experiences: Vec<String>,
    /// The process's version read; a newer one answers 409.
    pub version: Option<i32>,
}

/// Set the target experiences a process serves (its owner or a quality manager).
#[utoipa::path(tag = "experience", params(("code" = String, Path)), request_body = ExperiencesRequest,
    responses((status = 200, body = ProcessExperiences), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "No promise in force, or the process changed meanwhile", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[put("/processes/{code}/experiences")]
async fn set_process_experiences(
    state: web::Data<AppState>,
    who: CurrentUser,
    code: web::Path<String>,
    body: JsonBody<ExperiencesRequest>,
) -> AppResult<web::Json<ProcessExperiences>> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let b = body.parse()?;
    let code = code.into_inner();
    let store = state.store.clone();
    let out = db::run(&state.pool, move |c| {
        service::set_experiences(c, &store, &who.user, &code, &b.experiences, b.version)
    })
    .await?;
    Ok(web::Json(out))
}

/// What a KPI measures of the promise.
#[derive(Debug, Deserialize, ToSchema)]
pub struct KpiExperienceRequest {
    /// The key of a target experience of the promise in force, which makes
    /// the KPI a customer-experience measure; `null` makes it none.
    #[schema(max_length = 40)]
    pub experience: Option<String>,
    /// The KPI's `experience` as read (`null` included); when it is
    /// something else now, the answer is 409. Left out, nothing is compared.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub before: Option<Option<String>>,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Mark a KPI as a customer-experience measure of a target experience, or
/// as none (the process's owner or a quality manager).
#[utoipa::path(tag = "kpis", params(("id" = String, Path)), request_body = KpiExperienceRequest,
    responses((status = 200, body = KpiView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "No promise in force, or the KPI changed meanwhile", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[put("/kpis/{id}/experience")]
async fn set_kpi_experience(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: JsonBody<KpiExperienceRequest>,
) -> AppResult<web::Json<KpiView>> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let b = body.parse()?;
    let id = id.into_inner();
    let store = state.store.clone();
    let out = db::run(&state.pool, move |c| {
        crate::experience::measures::set_experience(
            c,
            &store,
            &who.user,
            &id,
            b.experience.as_deref(),
            b.before.as_ref().map(|o| o.as_deref()),
        )
    })
    .await?;
    Ok(web::Json(out))
}

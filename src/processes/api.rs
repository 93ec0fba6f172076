//! JSON API: processes, their outputs and inputs.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::kpis::{self, KpiView, Measurement, NewKpi};
use super::service::{self, InputView, OutputView, ProcessDetail, ProcessInput, ProcessSummary};
use crate::auth::extract::CurrentUser;
use crate::auth::model::Role;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::json::JsonBody;
use crate::kit::list::Page;
use crate::kit::number::DecimalInput;
use crate::state::AppState;

/// Adds processes, their outputs and inputs, KPIs and measurements to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(delete_one)
        .service(add_output)
        .service(update_output)
        .service(delete_output)
        .service(add_input)
        .service(delete_input)
        .service(list_kpis)
        .service(create_kpi)
        .service(list_measurements)
        .service(record_measurement);
}

/// Filters of the process list.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `active` or `retired`.
    #[param(value_type = Option<crate::processes::model::ProcessStatus>)]
    pub status: Option<String>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items a page (at most 200).
    pub per_page: Option<i64>,
}

/// Processes, by code.
#[utoipa::path(tag = "processes", params(ListQuery),
    responses((status = 200, body = Page<ProcessSummary>), (status = 401, body = ErrorBody)))]
#[get("/processes")]
async fn list(
    state: web::Data<AppState>,
    _who: CurrentUser,
    q: web::Query<ListQuery>,
) -> AppResult<web::Json<Page<ProcessSummary>>> {
    let q = q.into_inner();
    let status = q
        .status
        .as_deref()
        .map(crate::processes::model::ProcessStatus::parse)
        .transpose()?;
    let page = db::run(&state.pool, move |c| {
        service::list(c, status, q.page, q.per_page)
    })
    .await?;
    Ok(web::Json(page))
}

/// Create a process (quality managers): `{"code","name","owner":username,...}`.
#[utoipa::path(tag = "processes", request_body = ProcessInput,
    responses((status = 201, body = ProcessDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/processes")]
async fn create(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<ProcessInput>,
) -> AppResult<HttpResponse> {
    who.user.require_any(&[Role::QualityManager])?;
    let input = body.parse()?;
    let p = db::run(&state.pool, move |c| service::create(c, &who.user, input)).await?;
    Ok(HttpResponse::Created().json(p))
}

/// One process: owner, members, inputs, outputs, documents.
#[utoipa::path(tag = "processes", params(("code" = String, Path)),
    responses((status = 200, body = ProcessDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/processes/{code}")]
async fn get_one(
    state: web::Data<AppState>,
    _who: CurrentUser,
    code: web::Path<String>,
) -> AppResult<web::Json<ProcessDetail>> {
    let code = code.into_inner();
    let p = db::run(&state.pool, move |c| service::get(c, &code)).await?;
    Ok(web::Json(p))
}

/// Change a process (its owner; quality managers also owner and status).
#[utoipa::path(tag = "processes", params(("code" = String, Path)), request_body = ProcessInput,
    responses((status = 200, body = ProcessDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/processes/{code}")]
async fn update(
    state: web::Data<AppState>,
    who: CurrentUser,
    code: web::Path<String>,
    body: JsonBody<ProcessInput>,
) -> AppResult<web::Json<ProcessDetail>> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let input = body.parse()?;
    let code = code.into_inner();
    let p = db::run(&state.pool, move |c| {
        service::update(c, &who.user, &code, input)
    })
    .await?;
    Ok(web::Json(p))
}

/// Delete a process nothing refers to (quality managers); otherwise retire it.
#[utoipa::path(tag = "processes", params(("code" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "In use: retire it", body = ErrorBody)))]
#[delete("/processes/{code}")]
async fn delete_one(
    state: web::Data<AppState>,
    who: CurrentUser,
    code: web::Path<String>,
) -> AppResult<HttpResponse> {
    who.user.require_any(&[Role::QualityManager])?;
    let code = code.into_inner();
    db::run(&state.pool, move |c| service::delete(c, &who.user, &code)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An output of a process, new or changed.
#[derive(Deserialize, ToSchema)]
pub struct OutputRequest {
    /// What flows.
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// Codes of the processes that take it (internal customers).
    pub to: Option<Vec<String>>,
    /// An external customer, if it leaves the organisation.
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(value_type = Option<String>, nullable)]
    pub external_customer: Option<Option<String>>,
}

/// Add an output; the customers see it as an input at once (owner or quality manager).
#[utoipa::path(tag = "processes", params(("code" = String, Path)), request_body = OutputRequest,
    responses((status = 201, body = OutputView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/processes/{code}/outputs")]
async fn add_output(
    state: web::Data<AppState>,
    who: CurrentUser,
    code: web::Path<String>,
    body: JsonBody<OutputRequest>,
) -> AppResult<HttpResponse> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let b = body.parse()?;
    let code = code.into_inner();
    let out = db::run(&state.pool, move |c| {
        service::add_output(
            c,
            &who.user,
            &code,
            b.name.as_deref().unwrap_or_default(),
            b.to.as_deref().unwrap_or_default(),
            b.external_customer.flatten().as_deref(),
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Change an output: its name, customers or external customer.
#[utoipa::path(tag = "processes", params(("code" = String, Path), ("id" = String, Path)), request_body = OutputRequest,
    responses((status = 200, body = OutputView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/processes/{code}/outputs/{id}")]
async fn update_output(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
    body: JsonBody<OutputRequest>,
) -> AppResult<web::Json<OutputView>> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let b = body.parse()?;
    let (code, id) = path.into_inner();
    let out = db::run(&state.pool, move |c| {
        service::update_output(
            c,
            &who.user,
            &code,
            &id,
            b.name.as_deref(),
            b.to.as_deref(),
            b.external_customer.as_ref().map(|e| e.as_deref()),
        )
    })
    .await?;
    Ok(web::Json(out))
}

/// Remove an output; its customers lose the input at once.
#[utoipa::path(tag = "processes", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/processes/{code}/outputs/{id}")]
async fn delete_output(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let (code, id) = path.into_inner();
    db::run(&state.pool, move |c| {
        service::delete_output(c, &who.user, &code, &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An input from an external supplier.
#[derive(Deserialize, ToSchema)]
pub struct InputRequest {
    /// What flows in.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Who supplies it.
    #[schema(min_length = 1, max_length = 200)]
    pub external_supplier: String,
}

/// Add an input from an external supplier (inputs from processes are their outputs).
#[utoipa::path(tag = "processes", params(("code" = String, Path)), request_body = InputRequest,
    responses((status = 201, body = InputView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/processes/{code}/inputs")]
async fn add_input(
    state: web::Data<AppState>,
    who: CurrentUser,
    code: web::Path<String>,
    body: JsonBody<InputRequest>,
) -> AppResult<HttpResponse> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let b = body.parse()?;
    let code = code.into_inner();
    let input = db::run(&state.pool, move |c| {
        service::add_external_input(c, &who.user, &code, &b.name, &b.external_supplier)
    })
    .await?;
    Ok(HttpResponse::Created().json(input))
}

/// Remove an input from an external supplier.
#[utoipa::path(tag = "processes", params(("code" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/processes/{code}/inputs/{id}")]
async fn delete_input(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let (code, id) = path.into_inner();
    db::run(&state.pool, move |c| {
        service::delete_external_input(c, &who.user, &code, &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The KPIs of a process, each with its latest value and whether it meets the target.
#[utoipa::path(tag = "kpis", params(("code" = String, Path)),
    responses((status = 200, body = Vec<KpiView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/processes/{code}/kpis")]
async fn list_kpis(
    state: web::Data<AppState>,
    _who: CurrentUser,
    code: web::Path<String>,
) -> AppResult<web::Json<Vec<KpiView>>> {
    let code = code.into_inner();
    let items = db::run(&state.pool, move |c| kpis::list(c, &code)).await?;
    Ok(web::Json(items))
}

/// Define a KPI (the process owner or a quality manager); answers with its `id`.
#[utoipa::path(tag = "kpis", params(("code" = String, Path)), request_body = NewKpi,
    responses((status = 201, body = KpiView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/processes/{code}/kpis")]
async fn create_kpi(
    state: web::Data<AppState>,
    who: CurrentUser,
    code: web::Path<String>,
    body: JsonBody<NewKpi>,
) -> AppResult<HttpResponse> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let new = body.parse()?;
    let code = code.into_inner();
    let store = state.store.clone();
    let kpi = db::run(&state.pool, move |c| {
        kpis::create_with_forms(c, Some(&store), &who.user, &code, new)
    })
    .await?;
    Ok(HttpResponse::Created().json(kpi))
}

/// A KPI's measurements, oldest period first (corrections replaced by the latest).
#[utoipa::path(tag = "kpis", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Measurement>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/kpis/{id}/measurements")]
async fn list_measurements(
    state: web::Data<AppState>,
    _who: CurrentUser,
    id: web::Path<String>,
) -> AppResult<web::Json<Vec<Measurement>>> {
    let id = id.into_inner();
    let items = db::run(&state.pool, move |c| kpis::measurements(c, &id)).await?;
    Ok(web::Json(items))
}

/// A measurement of a KPI for one period.
#[derive(Deserialize, ToSchema)]
pub struct MeasurementRequest {
    /// A number: `12.5` (a string such as `"12,5"` is taken too).
    #[schema(value_type = f64)]
    pub value: DecimalInput,
    /// `2026-10` (monthly), `2026-Q3`, `2026`, `2026-W41`.
    pub period: String,
    /// A note on the value (a correction says why).
    #[schema(max_length = 10000)]
    pub comment: Option<String>,
}

/// Record a measurement (owner, members, quality managers). A second one for
/// the same period is a correction; both are kept.
#[utoipa::path(tag = "kpis", params(("id" = String, Path)), request_body = MeasurementRequest,
    responses((status = 201, body = Measurement), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The KPI is counted from Laatu's records (`kpi_counted`)", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/kpis/{id}/measurements")]
async fn record_measurement(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: JsonBody<MeasurementRequest>,
) -> AppResult<HttpResponse> {
    who.user.require_may_write()?;
    let b = body.parse()?;
    let id = id.into_inner();
    let m = db::run(&state.pool, move |c| {
        kpis::record(
            c,
            &who.user,
            &id,
            b.value.as_str(),
            &b.period,
            b.comment.as_deref().unwrap_or_default(),
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(m))
}

//! JSON API: nonconformities.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::service::{self, NcFilter, NewNonconformity, NonconformityView};
use crate::auth::extract::CurrentUser;
use crate::auth::model::Role;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::json::JsonBody;
use crate::listing::Page;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(report)
        .service(get_one)
        .service(accept)
        .service(reject);
}

/// Nonconformities, newest first, with filters and paging.
#[utoipa::path(tag = "nonconformities", params(NcFilter),
    responses((status = 200, body = Page<NonconformityView>), (status = 401, body = ErrorBody)))]
#[get("/nonconformities")]
async fn list(
    state: web::Data<AppState>,
    _who: CurrentUser,
    q: web::Query<NcFilter>,
) -> AppResult<web::Json<Page<NonconformityView>>> {
    let f = q.into_inner();
    let page = db::run(&state.pool, move |c| service::list(c, &f)).await?;
    Ok(web::Json(page))
}

/// Report a nonconformity (staff, process owners, quality managers); answers with its `number`.
#[utoipa::path(tag = "nonconformities", request_body = NewNonconformity,
    responses((status = 201, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/nonconformities")]
async fn report(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<NewNonconformity>,
) -> AppResult<HttpResponse> {
    who.user
        .require_any(&[Role::Staff, Role::ProcessOwner, Role::QualityManager])?;
    let new = body.parse()?;
    let nc = db::run(&state.pool, move |c| service::report(c, &who.user, new)).await?;
    Ok(HttpResponse::Created().json(nc))
}

/// One nonconformity.
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)),
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/nonconformities/{number}")]
async fn get_one(
    state: web::Data<AppState>,
    _who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    let nc = db::run(&state.pool, move |c| service::get(c, &number)).await?;
    Ok(web::Json(nc))
}

/// Accept a reported nonconformity (the responsible process's owner).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)),
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/nonconformities/{number}/accept")]
async fn accept(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    let nc = db::run(&state.pool, move |c| service::accept(c, &who.user, &number)).await?;
    Ok(web::Json(nc))
}

#[derive(Deserialize, ToSchema)]
pub struct RejectRequest {
    pub reason: String,
}

/// Reject a report as not a nonconformity, with a reason (the responsible process's owner).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = RejectRequest,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/reject")]
async fn reject(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<RejectRequest>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    let b = body.parse()?;
    let nc = db::run(&state.pool, move |c| {
        service::reject(c, &who.user, &number, &b.reason)
    })
    .await?;
    Ok(web::Json(nc))
}

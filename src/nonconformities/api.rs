//! JSON API: nonconformities and corrective actions. Every handler checks
//! the caller's roles before it parses the body, then calls one service
//! function; the service checks who may act on this particular case.

use actix_web::{HttpResponse, get, post, web};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::service::{
    self, ActionDone, AnalysisInput, AttachmentFile, DispositionInput, NcFilter, NcPolicy,
    NcSummary, NewAction, NewNonconformity, NonconformityView, REPORTERS,
};
use crate::auth::extract::CurrentUser;
use crate::auth::model::User;
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult, Code, ErrorBody};
use crate::ids::now;
use crate::json::JsonBody;
use crate::kit::list::Page;
use crate::state::AppState;

/// Adds nonconformities, their workflow steps, corrective actions and evidence files to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(report)
        .service(get_one)
        .service(accept)
        .service(reject)
        .service(transfer)
        .service(disposition)
        .service(analysis)
        .service(add_action)
        .service(action_done)
        .service(action_cancel)
        .service(verify)
        .service(close)
        .service(link_document)
        .service(add_attachment)
        .service(get_attachment);
}

fn policy(state: &AppState) -> NcPolicy {
    NcPolicy::of(state)
}

/// The course of every step: the roles of the flow's step `name`, then the
/// body, then the service off the worker thread with the site's policy;
/// the answer is the case as it now stands.
async fn step<T, F>(
    state: &AppState,
    who: CurrentUser,
    name: &str,
    body: JsonBody<T>,
    f: F,
) -> AppResult<web::Json<NonconformityView>>
where
    T: DeserializeOwned + Send + 'static,
    F: FnOnce(&mut DbConn, NcPolicy, &User, T) -> AppResult<NonconformityView> + Send + 'static,
{
    service::ask(&who.user, name)?;
    let input = body.parse()?;
    let p = policy(state);
    let nc = db::run(&state.pool, move |c| f(c, p, &who.user, input)).await?;
    Ok(web::Json(nc))
}

/// Nonconformities, newest first, with filters and paging.
#[utoipa::path(tag = "nonconformities", params(NcFilter),
    responses((status = 200, body = Page<NcSummary>), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[get("/nonconformities")]
async fn list(
    state: web::Data<AppState>,
    _who: CurrentUser,
    q: web::Query<NcFilter>,
) -> AppResult<web::Json<Page<NcSummary>>> {
    let f = q.into_inner();
    // The API takes only the values its schema lists (pages send empty ones for "all").
    if let Some(s) = &f.status {
        crate::nonconformities::model::NcStatusFilter::parse(s)?;
    }
    if let Some(k) = &f.kind {
        crate::nonconformities::model::NcKind::parse(k)?;
    }
    let page = db::run(&state.pool, move |c| service::list(c, &f)).await?;
    Ok(web::Json(page))
}

/// Report a nonconformity (staff, process owners, quality managers); answers with its `number`.
#[utoipa::path(tag = "nonconformities", request_body = NewNonconformity,
    responses((status = 201, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "`record_not_found` or `survey_answer_not_found`: the record or survey answer named does not exist", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities")]
async fn report(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<NewNonconformity>,
) -> AppResult<HttpResponse> {
    who.user.require_any(REPORTERS)?;
    let new = body.parse()?;
    let p = policy(&state);
    let nc = db::run(&state.pool, move |c| {
        service::report(c, p, &who.user, new, now())
    })
    .await?;
    Ok(HttpResponse::Created().json(nc))
}

/// One nonconformity with its analysis, actions, checks, files and history,
/// and the steps the caller may take on it now (`allowed_steps`).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)),
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[get("/nonconformities/{number}")]
async fn get_one(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    let nc = db::run(&state.pool, move |c| service::get(c, &number, &who.user)).await?;
    Ok(web::Json(nc))
}

/// Accept a reported nonconformity (only the responsible process's owner).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)),
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/nonconformities/{number}/accept")]
async fn accept(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<NonconformityView>> {
    service::ask(&who.user, "accept")?;
    let number = number.into_inner();
    let p = policy(&state);
    let nc = db::run(&state.pool, move |c| {
        service::accept(c, p, &who.user, &number, now())
    })
    .await?;
    Ok(web::Json(nc))
}

/// A step that needs a reason (rejecting a report).
#[derive(Deserialize, ToSchema)]
pub struct ReasonRequest {
    /// Why; kept with the case.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 10000)]
    pub reason: String,
}

/// Reject a report as not a nonconformity, with a reason (only the responsible process's owner).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = ReasonRequest,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/reject")]
async fn reject(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<ReasonRequest>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    step(
        &state,
        who,
        "reject",
        body,
        move |c, p, u, b: ReasonRequest| service::reject(c, p, u, &number, &b.reason, now()),
    )
    .await
}

/// Moving a case to another responsible process.
#[derive(Deserialize, ToSchema)]
pub struct TransferRequest {
    /// Code of the process that is to handle the case.
    #[serde(default)]
    pub responsible: String,
    /// Why the case moves; kept with the case.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 10000)]
    pub reason: String,
}

/// Move the case to another process, with the reason; its owner accepts it afresh (the responsible owner or a quality manager, until actions are planned).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = TransferRequest,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/transfer")]
async fn transfer(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<TransferRequest>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    step(
        &state,
        who,
        "transfer",
        body,
        move |c, p, u, b: TransferRequest| {
            service::transfer(c, p, u, &number, &b.responsible, &b.reason, now())
        },
    )
    .await
}

/// Record containment and the decision about the nonconforming output (the responsible owner or a quality manager).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = DispositionInput,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/disposition")]
async fn disposition(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<DispositionInput>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    step(
        &state,
        who,
        "decide_disposition",
        body,
        move |c, p, u, input| service::decide_disposition(c, p, u, &number, input, now()),
    )
    .await
}

/// Record the root-cause analysis (the responsible owner or a quality manager).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = AnalysisInput,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/analysis")]
async fn analysis(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<AnalysisInput>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    step(&state, who, "analyse", body, move |c, p, u, input| {
        service::analyse(c, p, u, &number, input, now())
    })
    .await
}

/// A new corrective action's id, and the case.
#[derive(Serialize, ToSchema)]
pub struct CreatedAction {
    /// The action's id.
    pub id: String,
    /// The case as it stands now.
    pub nonconformity: NonconformityView,
}

/// Plan a corrective action (the responsible owner or a quality manager); answers with its `id`.
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = NewAction,
    responses((status = 201, body = CreatedAction), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/actions")]
async fn add_action(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<NewAction>,
) -> AppResult<HttpResponse> {
    service::ask(&who.user, "plan_action")?;
    let new = body.parse()?;
    let number = number.into_inner();
    let p = policy(&state);
    let (nonconformity, id) = db::run(&state.pool, move |c| {
        service::add_action(c, p, &who.user, &number, new, now())
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedAction { id, nonconformity }))
}

/// Mark a corrective action done (its owner, or the responsible process's owner).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path), ("id" = String, Path)),
    request_body = ActionDone,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/actions/{id}/done")]
async fn action_done(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
    body: JsonBody<ActionDone>,
) -> AppResult<web::Json<NonconformityView>> {
    who.user.require_may_write()?;
    let (number, id) = path.into_inner();
    step(&state, who, "complete", body, move |c, p, u, done| {
        service::complete_action(c, p, u, &number, &id, done, now())
    })
    .await
}

/// Cancel an open corrective action, with the reason (the responsible owner or a quality manager).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path), ("id" = String, Path)),
    request_body = ReasonRequest,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/actions/{id}/cancel")]
async fn action_cancel(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
    body: JsonBody<ReasonRequest>,
) -> AppResult<web::Json<NonconformityView>> {
    let (number, id) = path.into_inner();
    step(
        &state,
        who,
        "cancel",
        body,
        move |c, p, u, b: ReasonRequest| {
            service::cancel_action(c, p, u, &number, &id, &b.reason, now())
        },
    )
    .await
}

/// The outcome of an effectiveness check.
#[derive(Deserialize, ToSchema)]
pub struct VerifyRequest {
    /// `effective` or `not_effective`.
    #[serde(default)]
    #[schema(value_type = crate::nonconformities::model::Effectiveness)]
    pub result: String,
    /// What was checked and found.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 10000)]
    pub comment: String,
}

/// Record the effectiveness check (a quality manager who did none of the actions).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = VerifyRequest,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/verify")]
async fn verify(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<VerifyRequest>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    step(
        &state,
        who,
        "verify",
        body,
        move |c, p, u, b: VerifyRequest| {
            service::verify(c, p, u, &number, &b.result, &b.comment, now())
        },
    )
    .await
}

/// Closing a case.
#[derive(Deserialize, Default, ToSchema)]
pub struct CloseRequest {
    /// Required when closing without corrective actions: why none is needed.
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub comment: String,
}

/// Close a nonconformity (quality managers): after verification, or with a comment when no action is needed.
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = CloseRequest,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/close")]
async fn close(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<CloseRequest>,
) -> AppResult<web::Json<NonconformityView>> {
    service::ask(&who.user, "close")?;
    let b = if body.is_empty() {
        CloseRequest::default()
    } else {
        body.parse()?
    };
    let number = number.into_inner();
    let p = policy(&state);
    let nc = db::run(&state.pool, move |c| {
        service::close(c, p, &who.user, &number, &b.comment, now())
    })
    .await?;
    Ok(web::Json(nc))
}

/// A controlled document the case refers to.
#[derive(Deserialize, ToSchema)]
pub struct LinkRequest {
    /// Document number, such as `WI-003`.
    #[serde(default)]
    pub number: String,
}

/// Link a controlled document (the responsible owner or a quality manager).
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path)), request_body = LinkRequest,
    responses((status = 200, body = NonconformityView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/documents")]
async fn link_document(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<LinkRequest>,
) -> AppResult<web::Json<NonconformityView>> {
    let number = number.into_inner();
    step(
        &state,
        who,
        "link_document",
        body,
        move |c, p, u, b: LinkRequest| service::link_document(c, p, u, &number, &b.number, now()),
    )
    .await
}

/// Which file an upload is and what it is evidence for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentQuery {
    /// The file's name, such as `photo.jpg`.
    pub name: Option<String>,
    /// The id of the corrective action the file is evidence for.
    pub action: Option<String>,
}

/// A new file's id, and the case.
#[derive(Serialize, ToSchema)]
pub struct CreatedAttachment {
    /// The file's id.
    pub id: String,
    /// The case as it stands now.
    pub nonconformity: NonconformityView,
}

/// Add an evidence file (the body is the file; any type). Files are never replaced or removed.
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = CreatedAttachment), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/nonconformities/{number}/attachments")]
async fn add_attachment(
    state: web::Data<AppState>,
    who: CurrentUser,
    req: actix_web::HttpRequest,
    number: web::Path<String>,
    q: web::Query<AttachmentQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    service::ask(&who.user, "add_attachment")?;
    let q = q.into_inner();
    let bytes =
        crate::documents::api_files::read_limited(payload, state.config.max_attachment_bytes)
            .await?;
    let file = AttachmentFile {
        filename: q.name.filter(|n| !n.trim().is_empty()).ok_or_else(|| {
            AppError::invalid(Code::NameRequired, "give the file's name as ?name=")
        })?,
        content_type: req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
        bytes,
    };
    let number = number.into_inner();
    let p = policy(&state);
    let (nonconformity, id) = db::run(&state.pool, move |c| {
        service::add_attachment(c, p, &who.user, &number, file, q.action.as_deref(), now())
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedAttachment { id, nonconformity }))
}

/// Download an evidence file.
#[utoipa::path(tag = "nonconformities", params(("number" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/nonconformities/{number}/attachments/{id}")]
async fn get_attachment(
    state: web::Data<AppState>,
    _who: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (number, id) = path.into_inner();
    let file = db::run(&state.pool, move |c| service::attachment(c, &number, &id)).await?;
    Ok(crate::download::attachment(
        &file.filename,
        &file.content_type,
        file.bytes,
    ))
}

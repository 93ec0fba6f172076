//! JSON API: acknowledging a document, who has and who has not, the roles
//! a document names as its readers.

use actix_web::{HttpResponse, get, post, put, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::service::{self, AckPolicy, AcknowledgementView, DocumentAcknowledgements};
use crate::auth::extract::CurrentUser;
use crate::auth::model::{Role, SIGNING_ROLES};
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::json::JsonBody;
use crate::state::AppState;

/// Adds the acknowledgement routes to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(acknowledge)
        .service(list)
        .service(set_reader_roles);
}

/// A "read and understood" signature.
#[derive(Deserialize, ToSchema, Default)]
pub struct AcknowledgeRequest {
    /// The reader's password, asked again (required unless the site turned
    /// `acknowledge_with_password` off).
    pub password: Option<String>,
    /// The commit the reader read; refused if the document changed since.
    pub commit: Option<String>,
}

/// Acknowledge the revision in force as read and understood (its readers;
/// an electronic signature bound to its commit).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body(content = Option<AcknowledgeRequest>),
    responses(
        (status = 201, body = AcknowledgementView),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a reader, auditors and admins, or a wrong password", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Nothing in force, acknowledged already, or the document changed since it was read", body = ErrorBody),
        (status = 422, description = "Password required", body = ErrorBody),
    )
)]
#[post("/documents/{number}/acknowledgements")]
async fn acknowledge(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<Option<AcknowledgeRequest>>,
) -> AppResult<HttpResponse> {
    who.user.require_any(SIGNING_ROLES)?;
    let b = if body.is_empty() {
        AcknowledgeRequest::default()
    } else {
        body.parse()?.unwrap_or_default()
    };
    let number = number.into_inner();
    let policy = AckPolicy::of(&state);
    let ack = db::run(&state.pool, move |c| {
        service::acknowledge(
            c,
            &who.user,
            &number,
            b.password.as_deref(),
            b.commit.as_deref().filter(|s| !s.is_empty()),
            policy,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(ack))
}

/// Who has acknowledged the revision in force and who has not; earlier
/// revisions' acknowledgements.
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    responses(
        (status = 200, body = DocumentAcknowledgements),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
#[get("/documents/{number}/acknowledgements")]
async fn list(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<DocumentAcknowledgements>> {
    let number = number.into_inner();
    let out = db::run(&state.pool, move |c| {
        service::for_document(c, &who.user, &number)
    })
    .await?;
    Ok(web::Json(out))
}

/// The roles a document names as its readers.
#[derive(Deserialize, ToSchema)]
pub struct ReaderRolesRequest {
    /// `quality_manager`, `process_owner`, `staff`; empty: only the members
    /// of its process read it.
    #[schema(value_type = Vec<Role>)]
    pub reader_roles: Vec<String>,
}

/// Set the roles a document names as its readers (a quality manager or the
/// document's owner).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body = ReaderRolesRequest,
    responses(
        (status = 200, body = Vec<Role>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
#[put("/documents/{number}/reader-roles")]
async fn set_reader_roles(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<ReaderRolesRequest>,
) -> AppResult<web::Json<Vec<Role>>> {
    who.user
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let b = body.parse()?;
    let roles = service::parse_reader_roles(&b.reader_roles)?;
    let number = number.into_inner();
    let roles = db::run(&state.pool, move |c| {
        service::set_reader_roles(c, &who.user, &number, roles)
    })
    .await?;
    Ok(web::Json(roles))
}

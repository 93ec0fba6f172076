//! JSON API: a draft's attachments (raw uploads up to `max_attachment_bytes`)
//! and the files of a revision.

use actix_web::{HttpResponse, delete, get, put, web};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::service::{self, SavedDraft};
use crate::auth::extract::CurrentUser;
use crate::db;
use crate::error::{AppResult, Code, ErrorBody};
use crate::state::AppState;

/// Registers the attachment routes (after the document routes).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(put_attachment)
        .service(delete_attachment)
        .service(get_attachment);
}

/// Where an attachment upload starts from.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentQuery {
    /// The draft commit the change starts from; a newer draft answers 409.
    pub base: Option<String>,
    /// Reason for change, when this starts a new revision.
    pub change_reason: Option<String>,
}

/// Reads a raw upload up to `limit` bytes (413 `payload_too_large` beyond).
pub async fn read_limited(payload: web::Payload, limit: usize) -> AppResult<Vec<u8>> {
    crate::body::read_limited(payload, limit, Code::MalformedBody).await
}

/// Attach a file to the draft (the body is the file; any type).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path), ("name" = String, Path, description = "File name"), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, body = SavedDraft),
        (status = 413, description = "Larger than `max_attachment_bytes`", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
#[put("/documents/{number}/draft/attachments/{name}")]
async fn put_attachment(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
    q: web::Query<AttachmentQuery>,
    payload: web::Payload,
) -> AppResult<web::Json<SavedDraft>> {
    let bytes = read_limited(payload, state.config.max_attachment_bytes).await?;
    let (number, name) = path.into_inner();
    let q = q.into_inner();
    let store = state.store.clone();
    let saved = db::run(&state.pool, move |c| {
        service::save_attachment(
            c,
            &store,
            &who.user,
            &number,
            &name,
            &bytes,
            q.base.as_deref(),
            q.change_reason.as_deref(),
        )
    })
    .await?;
    Ok(web::Json(saved))
}

/// Remove an attachment from the draft.
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path), ("name" = String, Path), AttachmentQuery),
    responses(
        (status = 200, body = SavedDraft),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
    )
)]
#[delete("/documents/{number}/draft/attachments/{name}")]
async fn delete_attachment(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, String)>,
    q: web::Query<AttachmentQuery>,
) -> AppResult<web::Json<SavedDraft>> {
    let (number, name) = path.into_inner();
    let q = q.into_inner();
    let store = state.store.clone();
    let saved = db::run(&state.pool, move |c| {
        service::remove_attachment(
            c,
            &store,
            &who.user,
            &number,
            &name,
            q.base.as_deref(),
            q.change_reason.as_deref(),
        )
    })
    .await?;
    Ok(web::Json(saved))
}

/// Download an attachment of a revision.
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path), ("n" = i32, Path), ("name" = String, Path)),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
#[get("/documents/{number}/revisions/{n}/attachments/{name}")]
async fn get_attachment(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, i32, String)>,
) -> AppResult<HttpResponse> {
    let (number, n, name) = path.into_inner();
    let store = state.store.clone();
    let file = name.clone();
    let bytes = db::run(&state.pool, move |c| {
        service::attachment(c, &store, &who.user, &number, n, &name)
    })
    .await?;
    Ok(attachment_response(&file, bytes))
}

/// A download of an attached file, typed by its name.
pub(crate) fn attachment_response(file: &str, bytes: Vec<u8>) -> HttpResponse {
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    crate::download::attachment(file, mime.essence_str(), bytes)
}

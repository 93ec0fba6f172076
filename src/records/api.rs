//! JSON API: records of form templates, their corrections, signatures and
//! files, and each template's register.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::form::RecordMeaning;
use super::model::{FileView, RecordSummary, RecordView};
use super::service::{self, RecordFilter};
use crate::auth::extract::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult, Code, ErrorBody};
use crate::ids::now;
use crate::json::JsonBody;
use crate::kit::list::Page;
use crate::state::AppState;

/// Adds the record routes to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_records)
        .service(submit_record)
        .service(upload_file)
        .service(get_record)
        .service(correct_record)
        .service(sign_record)
        .service(get_file);
}

/// The site's date now.
pub fn site_today(state: &AppState) -> chrono::NaiveDate {
    now().and_utc().with_timezone(&state.tz).date_naive()
}

/// A register's filters, read with repeated `value` parameters.
///
/// # Errors
/// `invalid_query`.
pub fn read_filter(req: &HttpRequest) -> AppResult<RecordFilter> {
    serde_html_form::from_str(req.query_string())
        .map_err(|e| AppError::bad_request(Code::InvalidQuery, e.to_string()))
}

/// The records of a form template, newest first.
#[utoipa::path(tag = "records", params(("number" = String, Path), RecordFilter),
    responses((status = 200, body = Page<RecordSummary>), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/forms/{number}/records")]
async fn list_records(
    state: web::Data<AppState>,
    _who: CurrentUser,
    req: HttpRequest,
    number: web::Path<String>,
) -> AppResult<web::Json<Page<RecordSummary>>> {
    let filter = read_filter(&req)?;
    let number = number.into_inner();
    let store = state.store.clone();
    let page = db::run(&state.pool, move |c| {
        service::list(c, &store, &number, &filter)
    })
    .await?;
    Ok(web::Json(page))
}

/// A record being filled in.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRecord {
    /// The answers: `{field_key: value}`. Numbers as JSON numbers (or
    /// text), yes/no as booleans (or `"yes"`/`"no"`), dates as
    /// `2026-11-30`, choices as option keys (a list for multiple choice),
    /// people as usernames, processes as codes, documents as numbers, files
    /// as the ids `POST /forms/{number}/files` answered, tables as lists of
    /// `{column_key: value}`.
    #[schema(value_type = Object)]
    pub values: Map<String, Value>,
    /// The code of the process it is filled for (default: the template's).
    pub process: Option<String>,
}

/// Fill in a record on the template's revision in force. Refused answers are
/// named one by one in `error.fields`.
#[utoipa::path(tag = "records", params(("number" = String, Path)), request_body = NewRecord,
    responses((status = 201, body = RecordView), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "The template has no revision in force", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/forms/{number}/records")]
async fn submit_record(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<NewRecord>,
) -> AppResult<HttpResponse> {
    who.user.require_any(service::FILLERS)?;
    let b = body.parse()?;
    let number = number.into_inner();
    let store = state.store.clone();
    let view = db::run(&state.pool, move |c| {
        service::submit(
            c,
            &store,
            &who.user,
            &number,
            &b.values,
            b.process.as_deref(),
            now(),
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// The name of a file being uploaded.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The file's name, such as `gauge.jpg`.
    pub name: Option<String>,
}

/// Upload a file for a file or photo field (the body is the file). Name its
/// id as the field's value when the record is submitted.
#[utoipa::path(tag = "records", params(("number" = String, Path), FileQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileView), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/forms/{number}/files")]
async fn upload_file(
    state: web::Data<AppState>,
    who: CurrentUser,
    req: HttpRequest,
    number: web::Path<String>,
    q: web::Query<FileQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    who.user.require_any(service::FILLERS)?;
    let bytes =
        crate::documents::api_files::read_limited(payload, state.config.max_attachment_bytes)
            .await?;
    let name = q
        .into_inner()
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| AppError::invalid(Code::NameRequired, "give the file's name as ?name="))?;
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let number = number.into_inner();
    let file = db::run(&state.pool, move |c| {
        service::upload_file(c, &who.user, &number, &name, &content_type, &bytes, now())
    })
    .await?;
    Ok(HttpResponse::Created().json(file))
}

/// A record with every version, signature, file and nonconformity.
#[utoipa::path(tag = "records", params(("number" = String, Path)),
    responses((status = 200, body = RecordView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/records/{number}")]
async fn get_record(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<RecordView>> {
    let number = number.into_inner();
    let store = state.store.clone();
    let view = db::run(&state.pool, move |c| {
        service::get(c, &store, &who.user, &number)
    })
    .await?;
    Ok(web::Json(view))
}

/// A correction: the answers of the new version and why.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Every answer of the new version, as for a new record.
    #[schema(value_type = Object)]
    pub values: Map<String, Value>,
    /// Why the record is corrected.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    /// The version the correction was made on; a later one makes it a conflict.
    pub version: Option<i32>,
}

/// Correct a record: a new version; the earlier ones stay as they were.
#[utoipa::path(tag = "records", params(("number" = String, Path)), request_body = Correction,
    responses((status = 200, body = RecordView), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/records/{number}/corrections")]
async fn correct_record(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<Correction>,
) -> AppResult<web::Json<RecordView>> {
    who.user.require_any(service::FILLERS)?;
    let b = body.parse()?;
    let number = number.into_inner();
    let store = state.store.clone();
    let view = db::run(&state.pool, move |c| {
        service::correct(
            c,
            &store,
            &who.user,
            &number,
            &b.values,
            &b.reason,
            b.version,
            now(),
        )
    })
    .await?;
    Ok(web::Json(view))
}

/// A signature on a record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordSignature {
    /// The signer's password, asked again.
    pub password: String,
    /// `reviewed` or `released`.
    #[schema(value_type = RecordMeaning)]
    pub meaning: String,
    /// The version the signer read; a later one makes it a conflict.
    pub version: Option<i32>,
}

/// Sign the version in force of a record (where its template asks for it).
#[utoipa::path(tag = "records", params(("number" = String, Path)), request_body = RecordSignature,
    responses((status = 200, body = RecordView), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/records/{number}/signatures")]
async fn sign_record(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<RecordSignature>,
) -> AppResult<web::Json<RecordView>> {
    if !who.user.may_sign() {
        return Err(AppError::forbidden());
    }
    let b = body.parse()?;
    let meaning = RecordMeaning::parse(&b.meaning)?;
    let number = number.into_inner();
    let store = state.store.clone();
    let today = site_today(&state);
    let view = db::run(&state.pool, move |c| {
        service::sign(
            c,
            &store,
            &who.user,
            &number,
            &b.password,
            meaning,
            b.version,
            now(),
            today,
        )
    })
    .await?;
    Ok(web::Json(view))
}

/// Download a file of a record.
#[utoipa::path(tag = "records", params(("number" = String, Path), ("id" = String, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/records/{number}/files/{id}")]
async fn get_file(
    state: web::Data<AppState>,
    _who: CurrentUser,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (number, id) = path.into_inner();
    let (file, bytes) = db::run(&state.pool, move |c| service::file(c, &number, &id)).await?;
    Ok(crate::download::attachment(
        &file.filename,
        &file.content_type,
        bytes,
    ))
}

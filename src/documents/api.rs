//! JSON API: documents, drafts, signatures, revisions, redlines, routes.

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{DocumentKind, Meaning, StepRule};
use super::service::{
    self, DocumentDetail, DocumentFilter, DocumentSummary, NewDocument, RevisionView, RouteTarget,
    SavedDraft, SignOutcome, StepRuleInput,
};
use crate::auth::extract::CurrentUser;
use crate::db;
use crate::error::{AppResult, ErrorBody};
use crate::json::JsonBody;
use crate::kit::list::Page;
use crate::state::AppState;

/// Adds documents, drafts, signatures, routes, redlines and periodic reviews to the `/api/v1` scope.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_document)
        .service(list_documents)
        .service(get_document)
        .service(save_draft)
        .service(submit_draft)
        .service(sign_draft)
        .service(reject_draft)
        .service(list_revisions)
        .service(revision_content)
        .service(diff)
        .service(set_document_route)
        .service(set_kind_route)
        .service(withdraw)
        .service(review);
    super::api_files::configure(cfg);
}

/// A new document: its first draft is created with it.
#[derive(Deserialize, ToSchema)]
pub struct CreateDocument {
    /// The title.
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    /// `policy`, `scope`, `manual`, `procedure`, `work_instruction`, `form`, `external`, `value_promise`.
    #[schema(value_type = DocumentKind)]
    pub kind: String,
    /// Given number (`QP-012`); allocated per kind when absent.
    pub number: Option<String>,
    /// Owning process (code).
    pub process: Option<String>,
    /// Owner's username (default: the caller).
    pub owner: Option<String>,
    /// Months between periodic reviews (default 12).
    #[schema(minimum = 1, maximum = 120)]
    pub review_interval_months: Option<i32>,
    /// Roles whose holders read the document and acknowledge it, besides
    /// the members of its process: `quality_manager`, `process_owner`, `staff`.
    #[schema(value_type = Option<Vec<crate::auth::model::Role>>)]
    pub reader_roles: Option<Vec<String>>,
}

/// The number a new document was given.
#[derive(Serialize, ToSchema)]
pub struct Created {
    /// The document's number (`QP-012`).
    pub number: String,
}

/// Create a document (quality managers, process owners).
#[utoipa::path(
    tag = "documents",
    request_body = CreateDocument,
    responses(
        (status = 201, body = Created),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "Number taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/documents")]
async fn create_document(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: JsonBody<CreateDocument>,
) -> AppResult<HttpResponse> {
    who.user.require_any(&[
        crate::auth::model::Role::QualityManager,
        crate::auth::model::Role::ProcessOwner,
    ])?;
    let b = body.parse()?;
    let mut new = NewDocument::parse(
        &b.title,
        &b.kind,
        b.number.as_deref(),
        b.process.as_deref(),
        b.owner.as_deref(),
        b.review_interval_months,
    )?;
    new.reader_roles =
        crate::competence::acknowledge::parse_reader_roles(&b.reader_roles.unwrap_or_default())?;
    let number = db::run(&state.pool, move |c| {
        service::create_document(c, &who.user, new)
    })
    .await?;
    Ok(HttpResponse::Created().json(Created { number }))
}

/// Documents in force and in preparation, with filters and full-text search.
#[utoipa::path(
    tag = "documents",
    params(DocumentFilter),
    responses((status = 200, body = Page<DocumentSummary>), (status = 401, body = ErrorBody))
)]
#[get("/documents")]
async fn list_documents(
    state: web::Data<AppState>,
    _who: CurrentUser,
    filter: web::Query<DocumentFilter>,
) -> AppResult<web::Json<Page<DocumentSummary>>> {
    let filter = filter.into_inner();
    // The API takes only the values its schema lists (pages send empty ones for "all").
    if let Some(s) = &filter.status {
        super::model::DocStatus::parse(s)?;
    }
    if let Some(k) = &filter.kind {
        DocumentKind::parse(k)?;
    }
    let page = db::run(&state.pool, move |c| service::list_documents(c, &filter)).await?;
    Ok(web::Json(page))
}

/// A document: status, effective revision, and the draft for those who may see it.
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    responses((status = 200, body = DocumentDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/documents/{number}")]
async fn get_document(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<DocumentDetail>> {
    let number = number.into_inner();
    let store = state.store.clone();
    let d = db::run(&state.pool, move |c| {
        service::get_document_in(c, Some(&store), &who.user, &number)
    })
    .await?;
    Ok(web::Json(d))
}

/// A draft save.
#[derive(Deserialize, ToSchema)]
pub struct DraftSave {
    /// Markdown.
    pub content: String,
    /// The commit the edit started from (from the previous save or the document).
    pub base: Option<String>,
    /// Why the document changes; required for revisions after the first.
    pub change_reason: Option<String>,
    /// For a form template (kind `form`): its fields, kept in git beside
    /// the Markdown and approved with it. Left out, the fields stay as they were.
    pub form: Option<crate::records::form::FormInput>,
    /// For a value promise (kind `value_promise`): its basic task, promise
    /// and target experiences, kept in git beside the Markdown and approved
    /// with it. Left out, the promise stays as it was.
    pub promise: Option<crate::experience::promise::PromiseInput>,
}

/// Save the draft (a git commit on `refs/drafts/<NUMBER>`).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body = DraftSave,
    responses(
        (status = 200, body = SavedDraft),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Someone saved in between (stale base), or obsolete", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
#[put("/documents/{number}/draft")]
async fn save_draft(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<DraftSave>,
) -> AppResult<web::Json<SavedDraft>> {
    who.user.require_may_write()?;
    let b = body.parse()?;
    let number = number.into_inner();
    let store = state.store.clone();
    let saved = db::run(&state.pool, move |c| match &b.promise {
        Some(promise) => {
            if b.form.is_some() {
                return Err(crate::error::AppError::invalid(
                    crate::error::Code::PromiseOnlyForValuePromise,
                    "a draft holds a form's fields or a value promise, not both",
                ));
            }
            service::save_draft_with_promise(
                c,
                &store,
                &who.user,
                &number,
                Some(&b.content),
                promise,
                b.base.as_deref(),
                b.change_reason.as_deref(),
            )
        }
        None => service::save_draft_with_form(
            c,
            &store,
            &who.user,
            &number,
            &b.content,
            b.form.as_ref(),
            b.base.as_deref(),
            b.change_reason.as_deref(),
        ),
    })
    .await?;
    Ok(web::Json(saved))
}

/// Submitting the draft for approval.
#[derive(Deserialize, ToSchema, Default)]
pub struct Submit {
    /// Date (UTC) from which the revision is in force once approved; default: on approval.
    pub effective_from: Option<String>,
}

/// Submit the draft for approval along the document's route.
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body(content = Option<Submit>),
    responses(
        (status = 200, body = RevisionView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
#[post("/documents/{number}/draft/submit")]
async fn submit_draft(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<Option<Submit>>,
) -> AppResult<web::Json<RevisionView>> {
    who.user.require_may_write()?;
    // No body, or `null`, is the same as `{}`.
    let b = if body.is_empty() {
        Submit::default()
    } else {
        body.parse()?.unwrap_or_default()
    };
    let effective_from = b
        .effective_from
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| crate::kit::date::parse_time("effective_from", s))
        .transpose()?;
    let number = number.into_inner();
    let store = state.store.clone();
    let r = db::run(&state.pool, move |c| {
        service::submit_checked(c, &store, &who.user, &number, effective_from)
    })
    .await?;
    Ok(web::Json(r))
}

/// A signature of the revision in review.
#[derive(Deserialize, ToSchema)]
pub struct SignRequest {
    /// The signer's password, asked again.
    pub password: String,
    /// `reviewed` or `approved`.
    #[schema(value_type = super::model::SignMeaning)]
    pub meaning: String,
    /// What the signer wants to say with the signature.
    pub comment: Option<String>,
    /// The commit the signer read; refused if the draft changed since.
    pub commit: Option<String>,
    /// The final approval only, of a revision replacing one in force: no
    /// retraining needed (a typo fix), so acknowledgements of the revision
    /// in force carry over.
    pub no_retraining: Option<bool>,
}

/// Sign the revision in review (electronic signature bound to its commit).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body = SignRequest,
    responses(
        (status = 200, body = SignOutcome),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Wrong password, not a signer, or the author", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already signed, the draft changed, or no retraining asked of a document with nothing in force", body = ErrorBody),
        (status = 422, description = "Invalid meaning, or no retraining asked of a signature that does not approve", body = ErrorBody),
    )
)]
#[post("/documents/{number}/draft/signatures")]
async fn sign_draft(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<SignRequest>,
) -> AppResult<web::Json<SignOutcome>> {
    // Refused before the body is read: auditors and admins never sign.
    if !who.user.may_sign() {
        return Err(service::signer_not_allowed());
    }
    let b = body.parse()?;
    let meaning = Meaning::parse_signing(&b.meaning)?;
    let number = number.into_inner();
    let store = state.store.clone();
    let out = db::run(&state.pool, move |c| {
        service::sign_with(
            c,
            &store,
            &who.user,
            &number,
            &b.password,
            meaning,
            b.comment.as_deref().unwrap_or_default(),
            b.commit.as_deref(),
            b.no_retraining.unwrap_or(false),
        )
    })
    .await?;
    Ok(web::Json(out))
}

/// Sending the revision in review back to draft.
#[derive(Deserialize, ToSchema)]
pub struct RejectRequest {
    /// Why it goes back; shown to the author.
    #[schema(min_length = 1)]
    pub comment: String,
}

/// Reject the revision in review back to draft (comment required).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body = RejectRequest,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
#[post("/documents/{number}/draft/reject")]
async fn reject_draft(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<RejectRequest>,
) -> AppResult<HttpResponse> {
    // A rejection is a signature: refused before the body is read for
    // auditors and admins, who never sign.
    if !who.user.may_sign() {
        return Err(service::signer_not_allowed());
    }
    let b = body.parse()?;
    let number = number.into_inner();
    db::run(&state.pool, move |c| {
        service::reject(c, &who.user, &number, &b.comment)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Revisions of a document, oldest first.
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    responses((status = 200, body = Vec<RevisionView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/documents/{number}/revisions")]
async fn list_revisions(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
) -> AppResult<web::Json<Vec<RevisionView>>> {
    let number = number.into_inner();
    let revs = db::run(&state.pool, move |c| {
        service::list_revisions(c, &who.user, &number)
    })
    .await?;
    Ok(web::Json(revs))
}

/// The Markdown of one revision, raw.
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path), ("n" = i32, Path, description = "Revision number")),
    responses(
        (status = 200, description = "text/markdown", content_type = "text/markdown"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
#[get("/documents/{number}/revisions/{n}/content")]
async fn revision_content(
    state: web::Data<AppState>,
    who: CurrentUser,
    path: web::Path<(String, i32)>,
) -> AppResult<HttpResponse> {
    let (number, n) = path.into_inner();
    let store = state.store.clone();
    let file = format!("{number}-r{n}.md");
    let content = db::run(&state.pool, move |c| {
        service::revision_content(c, &store, &who.user, &number, n)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/markdown; charset=utf-8")
        .insert_header(("x-laatu-revision-status", content.view.status.as_str()))
        .insert_header((
            "content-disposition",
            format!("inline; filename=\"{file}\""),
        ))
        .body(content.markdown))
}

/// Which two revisions to compare.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// Revision number to compare from.
    pub from: i32,
    /// Revision number to compare to.
    pub to: i32,
}

/// A word-level comparison of two revisions.
#[derive(Serialize, ToSchema)]
pub struct Redline {
    /// The revision compared from.
    pub from: i32,
    /// The revision compared to.
    pub to: i32,
    /// HTML with `<ins>` and `<del>`; newlines kept (show it in a `<pre>`).
    pub html: String,
    /// Words the later revision adds.
    pub words_added: usize,
    /// Words the later revision removes.
    pub words_removed: usize,
}

/// A word-level redline between two revisions.
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path), DiffQuery),
    responses((status = 200, body = Redline), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/documents/{number}/diff")]
async fn diff(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    q: web::Query<DiffQuery>,
) -> AppResult<web::Json<Redline>> {
    let number = number.into_inner();
    let DiffQuery { from, to } = q.into_inner();
    let store = state.store.clone();
    let (old, new) = db::run(&state.pool, move |c| {
        let old = service::redline_text(c, &store, &who.user, &number, from)?;
        let new = service::redline_text(c, &store, &who.user, &number, to)?;
        Ok((old, new))
    })
    .await?;
    // A word diff of two long revisions takes a while: not on a worker.
    let (stats, html) = db::cpu(&state.pool, move || {
        Ok((
            super::redline::redline_stats(&old, &new),
            super::redline::redline_html(&old, &new),
        ))
    })
    .await?;
    Ok(web::Json(Redline {
        from,
        to,
        html,
        words_added: stats.words_added,
        words_removed: stats.words_removed,
    }))
}

/// A new approval route, replacing the one in force.
#[derive(Deserialize, ToSchema)]
pub struct RouteRequest {
    /// Ordered steps: `{"rule":"all_users","users":["ann","bob"]}` or `{"rule":"n_of_role","role":"quality_manager","n":2}`.
    pub steps: Vec<StepRuleInput>,
}

/// Set a document's own approval route (quality managers).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body = RouteRequest,
    responses((status = 200, body = Vec<StepRule>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/documents/{number}/route")]
async fn set_document_route(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<RouteRequest>,
) -> AppResult<web::Json<Vec<StepRule>>> {
    who.user
        .require_any(&[crate::auth::model::Role::QualityManager])?;
    let b = body.parse()?;
    let target = RouteTarget::Document(number.into_inner());
    let steps = db::run(&state.pool, move |c| {
        service::set_route(c, &who.user, target, b.steps)
    })
    .await?;
    Ok(web::Json(steps))
}

/// Set the default approval route of a document kind (quality managers).
#[utoipa::path(
    tag = "documents",
    params(("kind" = String, Path)),
    request_body = RouteRequest,
    responses((status = 200, body = Vec<StepRule>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/approval-routes/{kind}")]
async fn set_kind_route(
    state: web::Data<AppState>,
    who: CurrentUser,
    kind: web::Path<String>,
    body: JsonBody<RouteRequest>,
) -> AppResult<web::Json<Vec<StepRule>>> {
    who.user
        .require_any(&[crate::auth::model::Role::QualityManager])?;
    let kind = DocumentKind::parse(&kind.into_inner())?;
    let b = body.parse()?;
    let steps = db::run(&state.pool, move |c| {
        service::set_route(c, &who.user, RouteTarget::Kind(kind), b.steps)
    })
    .await?;
    Ok(web::Json(steps))
}

/// Withdrawing a document: all its revisions become obsolete.
#[derive(Deserialize, ToSchema)]
pub struct WithdrawRequest {
    /// The signer's password, asked again.
    pub password: String,
    /// Why the document is withdrawn.
    #[schema(min_length = 1)]
    pub reason: String,
}

/// Withdraw a document: it becomes obsolete and leaves the main tree (quality managers, signed).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body = WithdrawRequest,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
#[post("/documents/{number}/withdraw")]
async fn withdraw(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<WithdrawRequest>,
) -> AppResult<HttpResponse> {
    who.user
        .require_any(&[crate::auth::model::Role::QualityManager])?;
    let b = body.parse()?;
    let number = number.into_inner();
    let store = state.store.clone();
    db::run(&state.pool, move |c| {
        service::withdraw(c, &store, &who.user, &number, &b.password, &b.reason)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A periodic review that finds no change needed.
#[derive(Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// The reviewer's password, asked again.
    pub password: String,
    /// What the review looked at.
    #[schema(min_length = 1)]
    pub comment: String,
}

/// What a periodic review recorded.
#[derive(Serialize, ToSchema)]
pub struct Reviewed {
    /// When the next periodic review is due (UTC).
    #[serde(with = "crate::time::rfc3339")]
    pub next_review_at: chrono::NaiveDateTime,
}

/// Record a periodic review with no change (owner or quality manager, signed).
#[utoipa::path(
    tag = "documents",
    params(("number" = String, Path)),
    request_body = ReviewRequest,
    responses(
        (status = 200, body = Reviewed),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
#[post("/documents/{number}/reviews")]
async fn review(
    state: web::Data<AppState>,
    who: CurrentUser,
    number: web::Path<String>,
    body: JsonBody<ReviewRequest>,
) -> AppResult<web::Json<Reviewed>> {
    who.user.require_may_write()?;
    let b = body.parse()?;
    let number = number.into_inner();
    let next_review_at = db::run(&state.pool, move |c| {
        service::review_without_change(c, &who.user, &number, &b.password, &b.comment)
    })
    .await?;
    Ok(web::Json(Reviewed { next_review_at }))
}

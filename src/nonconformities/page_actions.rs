//! The case page's forms: one handler per step, each a thin call into the
//! service. Success goes back to the case with a notice; a refusal shows
//! the case again with the message and what was typed.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::auth::model::User;
use crate::db::DbConn;
use serde::{Deserialize, Serialize};

use super::pages::{case_context, new_context};
use super::service::{
    self, ActionDone, AnalysisInput, AttachmentFile, DispositionInput, NcPolicy, NewAction,
    NewNonconformity, REPORTERS,
};
use crate::auth::csrf::CsrfForm;
use crate::db;
use crate::error::{AppError, AppResult, Code};
use crate::ids::now;
use crate::pages::{PageCtx, read_upload, see_other};
use crate::state::AppState;

pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    let step = |path: &str| format!("/nonconformities/{{number}}/{path}");
    cfg.post(&step("accept"), accept)
        .post(&step("reject"), reject)
        .post(&step("transfer"), transfer)
        .post(&step("disposition"), disposition)
        .post(&step("analysis"), analysis)
        .post(&step("actions"), add_action)
        .post(&step("actions/{id}/done"), action_done)
        .post(&step("actions/{id}/cancel"), action_cancel)
        .post(&step("verify"), verify_effectiveness)
        .post(&step("close"), close)
        .post(&step("documents"), link_document)
        .post(&step("attachments"), upload)
        .get(&step("attachments/{id}"), download);
}

/// Back to the case with a notice, or the case again with the refusal.
async fn after(
    state: &AppState,
    page: &PageCtx,
    number: String,
    form_name: &str,
    typed: serde_json::Value,
    result: AppResult<&'static str>,
) -> AppResult<HttpResponse> {
    match result {
        Ok(notice) => {
            let anchor = if form_name.starts_with("action") {
                "actions"
            } else {
                form_name
            };
            Ok(see_other(&format!(
                "/nonconformities/{number}?notice={notice}#{anchor}"
            )))
        }
        Err(e) => {
            let ctx = case_context(state, page, number, Some((form_name, typed))).await?;
            page.form_error(state, "nonconformities/show.html", ctx, e)
        }
    }
}

fn typed<T: Serialize>(form: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(form).map_err(AppError::internal)
}

/// The course of every form on the case page: the step runs as the reader
/// with the site's policy and answers with its notice; then [`after`].
async fn page_step<F>(
    state: &AppState,
    page: &PageCtx,
    number: String,
    form_name: &str,
    shown: serde_json::Value,
    f: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut DbConn, NcPolicy, &User, &str) -> AppResult<&'static str> + Send + 'static,
{
    let who = page.require_user()?.clone();
    let p = NcPolicy::of(state);
    let n = number.clone();
    let result = db::run(&state.pool, move |c| f(c, p, &who.user, &n)).await;
    after(state, page, number, form_name, shown, result).await
}

#[derive(Deserialize, Serialize, Default)]
pub(super) struct ReportForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub detected_in: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub references: String,
    #[serde(default)]
    pub detected_on: String,
    /// The record whose deviation this reports, if any.
    #[serde(default)]
    pub record: String,
    /// The survey answer it is opened from, if any.
    #[serde(default)]
    pub survey_answer: String,
}

/// The short report form.
pub(super) async fn report(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(REPORTERS)?.clone();
    let shown = typed(&form)?;
    let new = NewNonconformity {
        kind: form.kind,
        title: form.title,
        description: form.description,
        detected_in: Some(form.detected_in),
        responsible: form.responsible,
        severity: form.severity,
        references: form.references,
        detected_on: Some(form.detected_on),
        documents: Vec::new(),
        record: Some(form.record.trim().to_string()).filter(|r| !r.is_empty()),
        survey_answer: Some(form.survey_answer.trim().to_string()).filter(|r| !r.is_empty()),
    };
    let policy = NcPolicy::of(&state);
    let result = db::run(&state.pool, move |c| {
        service::report(c, policy, &who.user, new, now())
    })
    .await;
    match result {
        Ok(nc) => Ok(see_other(&format!(
            "/nonconformities/{}?notice=nc-reported",
            nc.summary.number
        ))),
        Err(e) => {
            let ctx = new_context(&state, shown).await?;
            page.form_error(&state, "nonconformities/new.html", ctx, e)
        }
    }
}

#[derive(Deserialize, Serialize, Default)]
struct Empty {}

async fn accept(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<HttpResponse> {
    page_step(
        &state,
        &page,
        number.into_inner(),
        "accept",
        serde_json::json!({}),
        |c, p, u, n| service::accept(c, p, u, n, now()).map(|_| "nc-accepted"),
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn reject(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> AppResult<HttpResponse> {
    let shown = typed(&form)?;
    page_step(
        &state,
        &page,
        number.into_inner(),
        "accept",
        shown,
        move |c, p, u, n| service::reject(c, p, u, n, &form.reason, now()).map(|_| "nc-rejected"),
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct TransferForm {
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    reason: String,
}

async fn transfer(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<TransferForm>,
) -> AppResult<HttpResponse> {
    let shown = typed(&form)?;
    page_step(
        &state,
        &page,
        number.into_inner(),
        "transfer",
        shown,
        move |c, p, u, n| {
            service::transfer(c, p, u, n, &form.responsible, &form.reason, now())
                .map(|_| "nc-transferred")
        },
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct DispositionForm {
    #[serde(default)]
    containment: String,
    #[serde(default)]
    disposition: String,
    #[serde(default)]
    note: String,
    version: Option<i32>,
}

async fn disposition(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<DispositionForm>,
) -> AppResult<HttpResponse> {
    let shown = typed(&form)?;
    let input = DispositionInput {
        containment: form.containment,
        disposition: Some(form.disposition),
        note: form.note,
        version: form.version,
    };
    page_step(
        &state,
        &page,
        number.into_inner(),
        "disposition",
        shown,
        move |c, p, u, n| {
            service::decide_disposition(c, p, u, n, input, now()).map(|_| "nc-disposition")
        },
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct AnalysisForm {
    #[serde(default)]
    why: Vec<String>,
    #[serde(default)]
    root_cause: String,
    #[serde(default)]
    cause_category: String,
    #[serde(default)]
    effectiveness_due_on: String,
    version: Option<i32>,
}

async fn analysis(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<AnalysisForm>,
) -> AppResult<HttpResponse> {
    let shown = typed(&form)?;
    let input = AnalysisInput {
        whys: form.why,
        root_cause: form.root_cause,
        cause_category: form.cause_category,
        effectiveness_due_on: Some(form.effectiveness_due_on),
        version: form.version,
    };
    page_step(
        &state,
        &page,
        number.into_inner(),
        "analysis",
        shown,
        move |c, p, u, n| service::analyse(c, p, u, n, input, now()).map(|_| "nc-analysed"),
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct ActionForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    document: String,
}

async fn add_action(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<HttpResponse> {
    let shown = typed(&form)?;
    let new = NewAction {
        description: form.description,
        owner: form.owner,
        due_on: form.due_on,
        document: Some(form.document),
    };
    page_step(
        &state,
        &page,
        number.into_inner(),
        "actions",
        shown,
        move |c, p, u, n| service::add_action(c, p, u, n, new, now()).map(|_| "nc-action-planned"),
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct DoneForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    document_revision: String,
}

/// A revision as people type it: `3` or `r3`; empty for none.
fn revision(s: &str) -> AppResult<Option<i32>> {
    match s.trim() {
        "" => Ok(None),
        r => r
            .trim_start_matches(['r', 'R'])
            .parse::<i32>()
            .map(Some)
            .map_err(|_| {
                AppError::invalid(Code::InvalidRevision, "a revision is a number such as 3")
            }),
    }
}

async fn action_done(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    CsrfForm(form): CsrfForm<DoneForm>,
) -> AppResult<HttpResponse> {
    let (number, id) = path.into_inner();
    let mut shown = typed(&form)?;
    shown["action"] = serde_json::Value::String(id.clone());
    page_step(
        &state,
        &page,
        number,
        "action-done",
        shown,
        move |c, p, u, n| {
            let done = ActionDone {
                note: form.note,
                document_revision: revision(&form.document_revision)?,
            };
            service::complete_action(c, p, u, n, &id, done, now()).map(|_| "nc-action-done")
        },
    )
    .await
}

async fn action_cancel(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> AppResult<HttpResponse> {
    let (number, id) = path.into_inner();
    let mut shown = typed(&form)?;
    shown["action"] = serde_json::Value::String(id.clone());
    page_step(
        &state,
        &page,
        number,
        "action-cancel",
        shown,
        move |c, p, u, n| {
            service::cancel_action(c, p, u, n, &id, &form.reason, now())
                .map(|_| "nc-action-cancelled")
        },
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct VerifyForm {
    #[serde(default)]
    result: String,
    #[serde(default)]
    comment: String,
}

async fn verify_effectiveness(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<VerifyForm>,
) -> AppResult<HttpResponse> {
    let shown = typed(&form)?;
    page_step(
        &state,
        &page,
        number.into_inner(),
        "effectiveness",
        shown,
        move |c, p, u, n| {
            service::verify(c, p, u, n, &form.result, &form.comment, now()).map(|_| "nc-checked")
        },
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct CommentForm {
    #[serde(default)]
    comment: String,
}

async fn close(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> AppResult<HttpResponse> {
    let shown = typed(&form)?;
    page_step(
        &state,
        &page,
        number.into_inner(),
        "close",
        shown,
        move |c, p, u, n| service::close(c, p, u, n, &form.comment, now()).map(|_| "nc-closed"),
    )
    .await
}

#[derive(Deserialize, Serialize)]
struct LinkForm {
    #[serde(default)]
    document: String,
}

async fn link_document(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> AppResult<HttpResponse> {
    let shown = typed(&form)?;
    page_step(
        &state,
        &page,
        number.into_inner(),
        "documents",
        shown,
        move |c, p, u, n| {
            service::link_document(c, p, u, n, &form.document, now()).map(|_| "nc-linked")
        },
    )
    .await
}

/// An evidence file from the page: `multipart/form-data` with
/// `csrf_token`, an optional `action` and `file`.
async fn upload(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    number: web::Path<String>,
    form: actix_multipart::Multipart,
) -> AppResult<HttpResponse> {
    page.require_user()?;
    let upload = read_upload(&state, &req, form).await?;
    let action = upload.field("action").to_string();
    page_step(
        &state,
        &page,
        number.into_inner(),
        "files",
        serde_json::json!({}),
        move |c, p, u, n| {
            let file = upload
                .file
                .ok_or_else(|| AppError::invalid(Code::NoFile, "choose a file to attach"))?;
            let file = AttachmentFile {
                filename: file.filename,
                content_type: file.content_type,
                bytes: file.bytes,
            };
            let action = Some(action.as_str()).filter(|a| !a.is_empty());
            service::add_attachment(c, p, u, n, file, action, now()).map(|_| "nc-file-added")
        },
    )
    .await
}

async fn download(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    page.require_user()?;
    let (number, id) = path.into_inner();
    let file = db::run(&state.pool, move |c| service::attachment(c, &number, &id)).await?;
    Ok(crate::download::attachment(
        &file.filename,
        &file.content_type,
        file.bytes,
    ))
}

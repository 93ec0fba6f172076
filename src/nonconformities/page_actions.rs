//! The case page's forms: one handler per step, each a thin call into the
//! service. Success goes back to the case with a notice; a refusal shows
//! the case again with the message and what was typed.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::pages::{case_context, new_context};
use super::service::{
    self, ActionDone, AnalysisInput, AttachmentFile, DispositionInput, NcPolicy, NewAction,
    NewNonconformity, REPORTERS,
};
use crate::auth::csrf::{CsrfForm, csrf_refused, verify};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::ids::now;
use crate::pages::{PageCtx, see_other};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    let step = |path: &str| format!("/nonconformities/{{number}}/{path}");
    cfg.route(&step("accept"), web::post().to(accept))
        .route(&step("reject"), web::post().to(reject))
        .route(&step("transfer"), web::post().to(transfer))
        .route(&step("disposition"), web::post().to(disposition))
        .route(&step("analysis"), web::post().to(analysis))
        .route(&step("actions"), web::post().to(add_action))
        .route(&step("actions/{id}/done"), web::post().to(action_done))
        .route(&step("actions/{id}/cancel"), web::post().to(action_cancel))
        .route(&step("verify"), web::post().to(verify_effectiveness))
        .route(&step("close"), web::post().to(close))
        .route(&step("documents"), web::post().to(link_document))
        .route(&step("attachments"), web::post().to(upload))
        .route(&step("attachments/{id}"), web::get().to(download));
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
    };
    let policy = NcPolicy::from_config(&state.config);
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let n = number.clone();
    let p = NcPolicy::from_config(&state.config);
    let result = db::run(&state.pool, move |c| {
        service::accept(c, p, &who.user, &n, now()).map(|_| "nc-accepted")
    })
    .await;
    after(
        &state,
        &page,
        number,
        "accept",
        serde_json::json!({}),
        result,
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let shown = typed(&form)?;
    let n = number.clone();
    let p = NcPolicy::from_config(&state.config);
    let result = db::run(&state.pool, move |c| {
        service::reject(c, p, &who.user, &n, &form.reason, now()).map(|_| "nc-rejected")
    })
    .await;
    after(&state, &page, number, "accept", shown, result).await
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let shown = typed(&form)?;
    let p = NcPolicy::from_config(&state.config);
    let n = number.clone();
    let result = db::run(&state.pool, move |c| {
        service::transfer(c, p, &who.user, &n, &form.responsible, &form.reason, now())
            .map(|_| "nc-transferred")
    })
    .await;
    after(&state, &page, number, "transfer", shown, result).await
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let shown = typed(&form)?;
    let input = DispositionInput {
        containment: form.containment,
        disposition: Some(form.disposition),
        note: form.note,
        version: form.version,
    };
    let n = number.clone();
    let p = NcPolicy::from_config(&state.config);
    let result = db::run(&state.pool, move |c| {
        service::decide_disposition(c, p, &who.user, &n, input, now()).map(|_| "nc-disposition")
    })
    .await;
    after(&state, &page, number, "disposition", shown, result).await
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let shown = typed(&form)?;
    let input = AnalysisInput {
        whys: form.why,
        root_cause: form.root_cause,
        cause_category: form.cause_category,
        effectiveness_due_on: Some(form.effectiveness_due_on),
        version: form.version,
    };
    let n = number.clone();
    let p = NcPolicy::from_config(&state.config);
    let result = db::run(&state.pool, move |c| {
        service::analyse(c, p, &who.user, &n, input, now()).map(|_| "nc-analysed")
    })
    .await;
    after(&state, &page, number, "analysis", shown, result).await
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let shown = typed(&form)?;
    let new = NewAction {
        description: form.description,
        owner: form.owner,
        due_on: form.due_on,
        document: Some(form.document),
    };
    let n = number.clone();
    let p = NcPolicy::from_config(&state.config);
    let result = db::run(&state.pool, move |c| {
        service::add_action(c, p, &who.user, &n, new, now()).map(|_| "nc-action-planned")
    })
    .await;
    after(&state, &page, number, "actions", shown, result).await
}

#[derive(Deserialize, Serialize)]
struct DoneForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    document_revision: String,
}

async fn action_done(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    CsrfForm(form): CsrfForm<DoneForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let (number, id) = path.into_inner();
    let mut shown = typed(&form)?;
    shown["action"] = serde_json::Value::String(id.clone());
    let revision = match form.document_revision.trim() {
        "" => None,
        r => Some(
            r.trim_start_matches(['r', 'R'])
                .parse::<i32>()
                .map_err(|_| {
                    AppError::invalid("invalid_revision", "a revision is a number such as 3")
                }),
        ),
    }
    .transpose();
    let policy = NcPolicy::from_config(&state.config);
    let n = number.clone();
    let result = match revision {
        Err(e) => Err(e),
        Ok(document_revision) => {
            db::run(&state.pool, move |c| {
                service::complete_action(
                    c,
                    policy,
                    &who.user,
                    &n,
                    &id,
                    ActionDone {
                        note: form.note,
                        document_revision,
                    },
                    now(),
                )
                .map(|_| "nc-action-done")
            })
            .await
        }
    };
    after(&state, &page, number, "action-done", shown, result).await
}

async fn action_cancel(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let (number, id) = path.into_inner();
    let mut shown = typed(&form)?;
    shown["action"] = serde_json::Value::String(id.clone());
    let policy = NcPolicy::from_config(&state.config);
    let n = number.clone();
    let result = db::run(&state.pool, move |c| {
        service::cancel_action(c, policy, &who.user, &n, &id, &form.reason, now())
            .map(|_| "nc-action-cancelled")
    })
    .await;
    after(&state, &page, number, "action-cancel", shown, result).await
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let shown = typed(&form)?;
    let n = number.clone();
    let p = NcPolicy::from_config(&state.config);
    let result = db::run(&state.pool, move |c| {
        service::verify(c, p, &who.user, &n, &form.result, &form.comment, now())
            .map(|_| "nc-checked")
    })
    .await;
    after(&state, &page, number, "effectiveness", shown, result).await
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let shown = typed(&form)?;
    let n = number.clone();
    let p = NcPolicy::from_config(&state.config);
    let result = db::run(&state.pool, move |c| {
        service::close(c, p, &who.user, &n, &form.comment, now()).map(|_| "nc-closed")
    })
    .await;
    after(&state, &page, number, "close", shown, result).await
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
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let shown = typed(&form)?;
    let n = number.clone();
    let p = NcPolicy::from_config(&state.config);
    let result = db::run(&state.pool, move |c| {
        service::link_document(c, p, &who.user, &n, &form.document, now()).map(|_| "nc-linked")
    })
    .await;
    after(&state, &page, number, "documents", shown, result).await
}

/// An evidence file from the page: `multipart/form-data` with
/// `csrf_token`, an optional `action` and `file`.
async fn upload(
    state: web::Data<AppState>,
    page: PageCtx,
    req: HttpRequest,
    number: web::Path<String>,
    mut form: actix_multipart::Multipart,
) -> AppResult<HttpResponse> {
    use futures_util::StreamExt;
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let limit = state.config.max_attachment_bytes;
    let (mut token, mut action, mut file) = (String::new(), String::new(), None);
    while let Some(field) = form.next().await {
        let mut field =
            field.map_err(|e| AppError::bad_request("malformed_form", e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let content_type = field
            .content_type()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|e| AppError::bad_request("malformed_form", e.to_string()))?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::bad_request(
                    "payload_too_large",
                    format!("files may be at most {limit} bytes"),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf_token" => token = String::from_utf8_lossy(&bytes).into_owned(),
            "action" => action = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => {
                file = filename.map(|filename| AttachmentFile {
                    filename,
                    content_type,
                    bytes,
                });
            }
            _ => {}
        }
    }
    if !verify(&state.secret, &req, &token) {
        return Err(csrf_refused());
    }
    let n = number.clone();
    let result = match file.filter(|f| !f.filename.is_empty()) {
        None => Err(AppError::invalid("no_file", "choose a file to attach")),
        Some(file) => {
            let p = NcPolicy::from_config(&state.config);
            db::run(&state.pool, move |c| {
                let action = Some(action.as_str()).filter(|a| !a.is_empty());
                service::add_attachment(c, p, &who.user, &n, file, action, now())
                    .map(|_| "nc-file-added")
            })
            .await
        }
    };
    after(
        &state,
        &page,
        number,
        "files",
        serde_json::json!({}),
        result,
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
    Ok(super::api::download(file))
}

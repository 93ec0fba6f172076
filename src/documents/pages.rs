//! HTML pages for documents: list and search, reading with banners, the
//! editor with preview, submitting, signing, rejecting, redlines.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::model::{DocStatus, DocumentKind, Meaning};
use super::service::{self, DocumentFilter, NewDocument};
use crate::auth::csrf::CsrfForm;
use crate::auth::model::Role;
use crate::competence::acknowledge as ack;
use crate::db;
use crate::error::{AppError, AppResult, Code};
use crate::pages::{PageCtx, see_other};
use crate::state::AppState;

/// Adds the document list, document pages and their forms.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/documents", list_page)
        .post("/documents", create)
        .get("/documents/new", new_page)
        .get("/documents/{number}", document_page)
        .get("/documents/{number}/revisions/{n}", revision_page)
        .get("/documents/{number}/diff", diff_page)
        .get("/documents/{number}/edit", edit_page)
        .post("/documents/{number}/edit", edit_submit)
        .post("/documents/{number}/submit", submit)
        .post("/documents/{number}/sign", sign)
        .post("/documents/{number}/reject", reject)
        .post("/documents/{number}/withdraw", withdraw)
        .post("/documents/{number}/review", review)
        .post("/documents/{number}/route", document_route)
        .get("/approval-routes", routes_page)
        .post("/approval-routes/{kind}", kind_route)
        .post("/documents/{number}/attachments", upload)
        .post("/documents/{number}/attachments/remove", remove_attachment)
        .get(
            "/documents/{number}/revisions/{n}/attachments/{name}",
            download,
        );
}

fn kinds() -> Vec<&'static str> {
    DocumentKind::ALL.iter().map(|k| k.as_str()).collect()
}

/// The roles a document may name as its readers, for the forms.
fn reader_role_options() -> Vec<&'static str> {
    ack::READER_ROLES.iter().map(|r| r.as_str()).collect()
}

async fn list_page(
    state: web::Data<AppState>,
    page: PageCtx,
    filter: web::Query<DocumentFilter>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?;
    let filter = filter.into_inner();
    let f = filter.clone();
    let (docs, owners, names) = db::run(&state.pool, move |c| {
        Ok((
            service::list_documents(c, &f)?,
            crate::people::pickable(c, &[Role::QualityManager, Role::ProcessOwner])?,
            crate::people::all_names(c)?,
        ))
    })
    .await?;
    let fields = [
        ("q", filter.q.unwrap_or_default()),
        ("status", filter.status.unwrap_or_default()),
        ("kind", filter.kind.unwrap_or_default()),
        ("owner", filter.owner.unwrap_or_default()),
        (
            "review_overdue",
            filter
                .review_overdue
                .map(|b| b.to_string())
                .unwrap_or_default(),
        ),
    ];
    let query = serde_html_form::to_string(&fields).map_err(AppError::internal)?;
    let mut ctx = tera::Context::new();
    ctx.insert("pager_base", &format!("/documents?{query}&"));
    ctx.insert(
        "filter",
        &fields
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
    );
    ctx.insert("pages", &docs.pages());
    ctx.insert("docs", &docs);
    ctx.insert("kinds", &kinds());
    ctx.insert("owners", &owners);
    ctx.insert("names", &names);
    ctx.insert(
        "can_create",
        &who.user
            .has_any(&[Role::QualityManager, Role::ProcessOwner]),
    );
    page.render(&state, "documents/list.html", ctx)
}

/// `?kind=form` pre-selects the kind of the new document.
#[derive(Deserialize)]
struct NewDocQuery {
    kind: Option<String>,
}

/// What the new-document form offers: the kinds with the number each would
/// get, the people who may own a document, the active processes.
async fn new_form_context(state: &AppState, form: serde_json::Value) -> AppResult<tera::Context> {
    let (numbers, owners, processes) = db::run(&state.pool, |c| {
        let mut numbers = serde_json::Map::new();
        for kind in DocumentKind::ALL {
            numbers.insert(
                kind.as_str().into(),
                service::next_number(c, *kind)?.as_str().into(),
            );
        }
        Ok((
            numbers,
            crate::people::pickable(c, &[Role::QualityManager, Role::ProcessOwner])?,
            crate::processes::service::pickable(c)?,
        ))
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("kinds", &kinds());
    ctx.insert("reader_role_options", &reader_role_options());
    ctx.insert("next_numbers", &numbers);
    ctx.insert("owners", &owners);
    ctx.insert("processes", &processes);
    ctx.insert("form", &form);
    Ok(ctx)
}

async fn new_page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<NewDocQuery>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let kind = q
        .into_inner()
        .kind
        .filter(|k| kinds().contains(&k.as_str()))
        .unwrap_or_else(|| "procedure".into());
    let form = serde_json::json!({
        "review_interval_months": "12", "reader_roles": [], "kind": kind,
        "owner": who.user.username,
    });
    let ctx = new_form_context(&state, form).await?;
    page.render(&state, "documents/new.html", ctx)
}

#[derive(Deserialize, serde::Serialize)]
struct NewForm {
    title: String,
    kind: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    process: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    review_interval_months: String,
    #[serde(default)]
    reader_roles: Vec<String>,
}

async fn create(
    state: web::Data<AppState>,
    page: PageCtx,
    CsrfForm(form): CsrfForm<NewForm>,
) -> AppResult<HttpResponse> {
    let who = page
        .require_any(&[Role::QualityManager, Role::ProcessOwner])?
        .clone();
    let interval = match form.review_interval_months.trim() {
        "" => None,
        s => Some(s.parse::<i32>().map_err(|_| {
            AppError::invalid(
                Code::InvalidReviewInterval,
                "the review interval is 1-120 months",
            )
        })),
    }
    .transpose();
    let result = match interval.and_then(|i| {
        let mut new = NewDocument::parse(
            &form.title,
            &form.kind,
            Some(&form.number),
            Some(&form.process),
            Some(&form.owner),
            i,
        )?;
        new.reader_roles = ack::parse_reader_roles(&form.reader_roles)?;
        Ok(new)
    }) {
        Ok(new) => {
            db::run(&state.pool, move |c| {
                service::create_document(c, &who.user, new)
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(number) => Ok(see_other(&format!(
            "/documents/{number}/edit?notice=document-created"
        ))),
        Err(e) => {
            let ctx =
                new_form_context(&state, serde_json::to_value(&form).unwrap_or_default()).await?;
            page.form_error(&state, "documents/new.html", ctx, e)
        }
    }
}

async fn document_context(
    state: &AppState,
    page: &PageCtx,
    number: String,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.clone();
    let store = state.store.clone();
    let at = crate::ids::now();
    let (detail, revisions, effective_html, acks, signed, waiting, names) =
        db::run(&state.pool, move |c| {
            let detail = service::get_document(c, &who.user, &number)?;
            let revisions = service::list_revisions(c, &who.user, &number)?;
            let acks = ack::for_document(c, &who.user, &number)?;
            let visible: Vec<i32> = revisions.iter().map(|r| r.rev).collect();
            let signed = service::signatures_by_revision(c, &number, &visible)?;
            let waiting = match &detail.draft {
                Some(d) => service::still_to_sign(c, d, at)?,
                None => Vec::new(),
            };
            let names = crate::people::all_names(c)?;
            let effective_html = match &detail.effective {
                Some(r) => {
                    let content = service::revision_content(c, &store, &who.user, &number, r.rev)?;
                    Some((
                        super::render::markdown_to_safe_html(&content.markdown),
                        content.attachments,
                    ))
                }
                None => None,
            };
            Ok((
                detail,
                revisions,
                effective_html,
                acks,
                signed,
                waiting,
                names,
            ))
        })
        .await?;
    let user = &page.require_user()?.user;
    let mut ctx = tera::Context::new();
    // Tera's maps have string keys.
    let signed: std::collections::BTreeMap<String, _> = signed
        .into_iter()
        .map(|(rev, s)| (rev.to_string(), s))
        .collect();
    ctx.insert("signed_by_rev", &signed);
    ctx.insert("still_to_sign", &waiting);
    ctx.insert("names", &names);
    if let Some((html, attachments)) = effective_html {
        ctx.insert("effective_html", &html);
        ctx.insert("attachments", &attachments);
    }
    // What the review offers is what the server accepts (the draft's allowed steps).
    let steps: Vec<String> = detail
        .draft
        .as_ref()
        .map(|d| d.allowed_steps.clone())
        .unwrap_or_default();
    let may_sign = steps.iter().any(|s| s == "sign");
    ctx.insert("may_sign", &may_sign);
    if may_sign && let Some(draft) = &detail.draft {
        // What is signed is shown where it is signed: the redline against
        // the revision in force, or the whole text of a first revision.
        let (rev, from) = (draft.revision.rev, detail.effective.as_ref().map(|r| r.rev));
        let (store, who, number) = (
            state.store.clone(),
            page.require_user()?.clone(),
            detail.summary.number.clone(),
        );
        let texts = db::run(&state.pool, move |c| {
            let new = service::redline_text(c, &store, &who.user, &number, rev)?;
            let old = match from {
                Some(f) => Some(service::redline_text(c, &store, &who.user, &number, f)?),
                None => None,
            };
            Ok((old, new))
        })
        .await?;
        let signed = db::cpu(&state.pool, move || {
            Ok(match texts {
                (Some(old), new) => (true, super::redline::redline_html(&old, &new)),
                (None, new) => (false, super::render::markdown_to_safe_html(&new)),
            })
        })
        .await?;
        ctx.insert("sign_is_redline", &signed.0);
        ctx.insert("sign_content", &signed.1);
    }
    let is_qm = user.has_role(Role::QualityManager);
    ctx.insert(
        "may_review",
        &(detail.effective.is_some() && (is_qm || detail.summary.owner == user.username)),
    );
    ctx.insert(
        "may_withdraw",
        &(is_qm && detail.summary.status != DocStatus::Obsolete),
    );
    if is_qm {
        let number = detail.summary.number.clone();
        let route = db::run(&state.pool, move |c| {
            let text = service::route_text(c, &service::RouteTarget::Document(number))?;
            let signers = crate::people::pickable(
                c,
                &[Role::QualityManager, Role::ProcessOwner, Role::Staff],
            )?;
            Ok((text, signers))
        })
        .await?;
        ctx.insert("route_text", &route.0);
        ctx.insert("route_rows", &super::route_form::rows_of(&route.0)?);
        ctx.insert("signers", &route.1);
        ctx.insert("signing_roles", &super::route_form::signing_roles());
    }
    ctx.insert("may_reject", &steps.iter().any(|s| s == "reject"));
    // "No retraining needed" is offered to the signature that approves a
    // revision replacing one in force (the server checks the same).
    let approves = detail.draft.as_ref().is_some_and(|d| {
        let last = d.steps.last().map_or(0, |s| s.step);
        d.steps
            .iter()
            .find(|s| !s.complete)
            .is_some_and(|s| s.step == last && s.signed + 1 >= s.required)
    });
    ctx.insert(
        "may_no_retraining",
        &(may_sign && approves && detail.summary.status == DocStatus::Effective),
    );
    // Acknowledgements: the reader's own form; the table of readers for
    // quality managers, the owner and auditors (read-only).
    let owner = detail.summary.owner == user.username;
    ctx.insert(
        "may_see_readers",
        &(is_qm || owner || user.has_role(Role::Auditor)),
    );
    ctx.insert(
        "may_set_reader_roles",
        &((is_qm || owner) && detail.summary.status != DocStatus::Obsolete),
    );
    ctx.insert("reader_role_options", &reader_role_options());
    ctx.insert("ack_with_password", &state.config.acknowledge_with_password);
    ctx.insert(
        "ack_pending",
        &acks
            .mine
            .as_ref()
            .is_some_and(|m| m.state == ack::AckState::Pending),
    );
    ctx.insert("acks", &acks);
    ctx.insert("may_submit", &steps.iter().any(|s| s == "submit"));
    ctx.insert("doc", &detail);
    ctx.insert("revisions", &revisions);
    ctx.insert("today", &crate::ids::now().format("%Y-%m-%d").to_string());
    Ok(ctx)
}

async fn document_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = document_context(&state, &page, number.into_inner()).await?;
    page.render(&state, "documents/show.html", ctx)
}

async fn revision_page(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, i32)>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let (number, n) = path.into_inner();
    let store = state.store.clone();
    let num = number.clone();
    let (view, html, attachments, detail, signed, names) = db::run(&state.pool, move |c| {
        let content = service::revision_content(c, &store, &who.user, &num, n)?;
        let detail = service::get_document(c, &who.user, &num)?;
        let html = super::render::markdown_to_safe_html(&content.markdown);
        // revision_content has checked that the reader may see revision n.
        let signed = service::signatures_by_revision(c, &num, &[n])?
            .remove(&n)
            .unwrap_or_default();
        let names = crate::people::all_names(c)?;
        Ok((
            content.view,
            html,
            content.attachments,
            detail,
            signed,
            names,
        ))
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("signed", &signed);
    ctx.insert("names", &names);
    ctx.insert("doc", &detail);
    ctx.insert("revision", &view);
    ctx.insert("html", &html);
    ctx.insert("attachments", &attachments);
    page.render(&state, "documents/revision.html", ctx)
}

#[derive(Deserialize)]
struct DiffQuery {
    from: i32,
    to: i32,
}

async fn diff_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    q: web::Query<DiffQuery>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let DiffQuery { from, to } = q.into_inner();
    let store = state.store.clone();
    let num = number.clone();
    let (old, new, detail) = db::run(&state.pool, move |c| {
        let old = service::redline_text(c, &store, &who.user, &num, from)?;
        let new = service::redline_text(c, &store, &who.user, &num, to)?;
        let detail = service::get_document(c, &who.user, &num)?;
        Ok((old, new, detail))
    })
    .await?;
    // A word diff of two long revisions takes a while: not on a worker.
    let (stats, redline) = db::cpu(&state.pool, move || {
        Ok((
            super::redline::redline_stats(&old, &new),
            super::redline::redline_html(&old, &new),
        ))
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("doc", &detail);
    ctx.insert("from", &from);
    ctx.insert("to", &to);
    ctx.insert("redline", &redline);
    ctx.insert("words_added", &stats.words_added);
    ctx.insert("words_removed", &stats.words_removed);
    page.render(&state, "documents/diff.html", ctx)
}

async fn edit_context(
    state: &AppState,
    page: &PageCtx,
    number: &str,
) -> AppResult<(tera::Context, bool)> {
    let who = page.require_user()?.clone();
    let store = state.store.clone();
    let num = number.to_string();
    let (detail, content, attachments) = db::run(&state.pool, move |c| {
        let detail = service::get_document(c, &who.user, &num)?;
        // Start from the draft, else from the revision in force.
        let source = detail
            .draft
            .as_ref()
            .filter(|d| d.revision.commit.is_some())
            .map(|d| d.revision.rev)
            .or(detail.effective.as_ref().map(|r| r.rev));
        let (content, attachments) = match source {
            Some(rev) => {
                let c = service::revision_content(c, &store, &who.user, &num, rev)?;
                (c.markdown, c.attachments)
            }
            None => (String::new(), Vec::new()),
        };
        Ok((detail, content, attachments))
    })
    .await?;
    let can_edit = detail.can_edit;
    let mut ctx = tera::Context::new();
    let base = detail
        .draft
        .as_ref()
        .and_then(|d| d.revision.commit.clone())
        .unwrap_or_default();
    let needs_reason = detail
        .draft
        .as_ref()
        .map_or(detail.effective.is_some(), |d| d.revision.rev > 1);
    ctx.insert("base", &base);
    ctx.insert("content", &content);
    ctx.insert("attachments", &attachments);
    ctx.insert("draft_rev", &detail.draft.as_ref().map(|d| d.revision.rev));
    ctx.insert(
        "change_reason",
        &detail
            .draft
            .as_ref()
            .map(|d| d.revision.change_reason.clone())
            .unwrap_or_default(),
    );
    ctx.insert("needs_reason", &needs_reason);
    // Editing a document in force without a draft starts its next revision.
    ctx.insert(
        "starts_revision",
        &detail
            .draft
            .is_none()
            .then(|| detail.effective.as_ref().map(|r| r.rev + 1))
            .flatten(),
    );
    ctx.insert(
        "may_submit",
        &detail
            .draft
            .as_ref()
            .is_none_or(|d| d.allowed_steps.iter().any(|s| s == "submit")),
    );
    ctx.insert("today", &crate::ids::now().format("%Y-%m-%d").to_string());
    let markdown = content.clone();
    let preview = db::cpu(&state.pool, move || {
        Ok(super::render::markdown_to_safe_html(&markdown))
    })
    .await?;
    ctx.insert("preview", &preview);
    ctx.insert("doc", &detail);
    Ok((ctx, can_edit))
}

async fn edit_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (ctx, can_edit) = edit_context(&state, &page, &number).await?;
    if !can_edit {
        return Err(AppError::forbidden());
    }
    page.render(&state, "documents/edit.html", ctx)
}

#[derive(Deserialize)]
struct EditForm {
    content: String,
    #[serde(default)]
    base: String,
    #[serde(default)]
    change_reason: String,
    /// `save`, `preview` or `submit` (save, then submit for approval).
    #[serde(default)]
    action: String,
    /// With `submit`: the day the revision is to take effect, if not on approval.
    #[serde(default)]
    effective_from: String,
}

/// The saved text of the document's draft, if it has a saved one.
fn current_draft_text(
    c: &mut db::DbConn,
    store: &crate::store::DocStore,
    who: &crate::auth::model::User,
    number: &str,
) -> AppResult<Option<String>> {
    let detail = service::get_document(c, who, number)?;
    match detail.draft.filter(|d| d.revision.commit.is_some()) {
        Some(d) => Ok(Some(
            service::revision_content(c, store, who, number, d.revision.rev)?.markdown,
        )),
        None => Ok(None),
    }
}

async fn edit_submit(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    if form.action == "preview" {
        let (mut ctx, _) = edit_context(&state, &page, &number).await?;
        ctx.insert("content", &form.content);
        ctx.insert("base", &form.base);
        ctx.insert("change_reason", &form.change_reason);
        let markdown = form.content.clone();
        let preview = db::cpu(&state.pool, move || {
            Ok(super::render::markdown_to_safe_html(&markdown))
        })
        .await?;
        ctx.insert("preview", &preview);
        return page.render(&state, "documents/edit.html", ctx);
    }
    let store = state.store.clone();
    let num = number.clone();
    let content = form.content.replace("\r\n", "\n");
    let base = form.base.clone();
    let reason = form.change_reason.clone();
    // "Save and submit": what was typed is saved (unless it is what the
    // draft already holds), then the draft goes to its approval route.
    let then_submit = form.action == "submit";
    let effective_from = match form.effective_from.trim() {
        "" => Ok(None),
        s => crate::kit::date::parse_time("effective_from", s).map(Some),
    };
    let result = match effective_from {
        Err(e) => Err(e),
        Ok(from) => {
            db::run(&state.pool, move |c| {
                let saved = current_draft_text(c, &store, &who.user, &num)?;
                if !(then_submit && saved.as_deref() == Some(content.as_str())) {
                    service::save_draft(
                        c,
                        &store,
                        &who.user,
                        &num,
                        &content,
                        Some(base.as_str()).filter(|b| !b.is_empty()),
                        Some(reason.as_str()),
                    )?;
                }
                if then_submit {
                    service::submit(c, &who.user, &num, from)?;
                }
                Ok(())
            })
            .await
        }
    };
    match result {
        Ok(()) if then_submit => Ok(see_other(&format!(
            "/documents/{number}?notice=document-submitted"
        ))),
        Ok(()) => Ok(see_other(&format!(
            "/documents/{number}/edit?notice=draft-saved"
        ))),
        Err(e) => {
            // Keep what the person typed; show who saved in between.
            let (mut ctx, _) = edit_context(&state, &page, &number).await?;
            ctx.insert("content", &form.content);
            ctx.insert("change_reason", &form.change_reason);
            ctx.insert("conflict_detail", &e.message);
            page.form_error(&state, "documents/edit.html", ctx, e)
        }
    }
}

#[derive(Deserialize)]
struct SubmitForm {
    #[serde(default)]
    effective_from: String,
}

async fn submit(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<SubmitForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let num = number.clone();
    let result = async {
        let from = match form.effective_from.trim() {
            "" => None,
            s => Some(crate::kit::date::parse_time("effective_from", s)?),
        };
        let store = state.store.clone();
        db::run(&state.pool, move |c| {
            service::submit_checked(c, &store, &who.user, &num, from)
        })
        .await
    }
    .await;
    after_action(&state, &page, number, result.map(|_| "submitted")).await
}

#[derive(Deserialize)]
struct SignForm {
    password: String,
    meaning: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    commit: String,
    /// The checkbox "no retraining needed": present when ticked.
    #[serde(default)]
    no_retraining: String,
}

async fn sign(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<SignForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let num = number.clone();
    let store = state.store.clone();
    let result = async {
        let meaning = Meaning::parse_signing(&form.meaning)?;
        db::run(&state.pool, move |c| {
            service::sign_with(
                c,
                &store,
                &who.user,
                &num,
                &form.password,
                meaning,
                &form.comment,
                Some(form.commit.as_str()).filter(|s| !s.is_empty()),
                matches!(form.no_retraining.as_str(), "true" | "on"),
            )
        })
        .await
    }
    .await;
    after_action(&state, &page, number, result.map(|_| "signed")).await
}

#[derive(Deserialize)]
struct RejectForm {
    comment: String,
}

async fn reject(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<RejectForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let num = number.clone();
    let result = db::run(&state.pool, move |c| {
        service::reject(c, &who.user, &num, &form.comment)
    })
    .await;
    after_action(&state, &page, number, result.map(|()| "rejected")).await
}

#[derive(Deserialize)]
struct WithdrawForm {
    password: String,
    reason: String,
}

async fn withdraw(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<WithdrawForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::QualityManager])?.clone();
    let number = number.into_inner();
    let num = number.clone();
    let store = state.store.clone();
    let result = db::run(&state.pool, move |c| {
        service::withdraw(c, &store, &who.user, &num, &form.password, &form.reason)
    })
    .await;
    after_action(&state, &page, number, result.map(|()| "withdrawn")).await
}

#[derive(Deserialize)]
struct ReviewForm {
    password: String,
    comment: String,
}

async fn review(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let num = number.clone();
    let result = db::run(&state.pool, move |c| {
        service::review_without_change(c, &who.user, &num, &form.password, &form.comment)
    })
    .await;
    after_action(&state, &page, number, result.map(|_| "reviewed")).await
}

/// An upload from the editor: `multipart/form-data` with `csrf_token`,
/// `base` and `file`.
async fn upload(
    state: web::Data<AppState>,
    page: PageCtx,
    req: actix_web::HttpRequest,
    number: web::Path<String>,
    form: actix_multipart::Multipart,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let upload = crate::pages::read_upload(&state, &req, form).await?;
    let base = upload.field("base").to_string();
    let Some(file) = upload.file else {
        return Err(AppError::invalid(Code::NoFile, "choose a file to attach"));
    };
    let (filename, bytes) = (file.filename, file.bytes);
    let store = state.store.clone();
    let num = number.clone();
    let result = db::run(&state.pool, move |c| {
        service::save_attachment(
            c,
            &store,
            &who.user,
            &num,
            &filename,
            &bytes,
            Some(base.as_str()).filter(|b| !b.is_empty()),
            None,
        )
    })
    .await;
    after_edit(&state, &page, number, result.map(|_| "attachment-added")).await
}

#[derive(Deserialize)]
struct RemoveForm {
    name: String,
    #[serde(default)]
    base: String,
}

async fn remove_attachment(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let number = number.into_inner();
    let num = number.clone();
    let store = state.store.clone();
    let result = db::run(&state.pool, move |c| {
        service::remove_attachment(
            c,
            &store,
            &who.user,
            &num,
            &form.name,
            Some(form.base.as_str()).filter(|b| !b.is_empty()),
            None,
        )
    })
    .await;
    after_edit(&state, &page, number, result.map(|_| "attachment-removed")).await
}

/// Back to the editor, or the editor with the error.
async fn after_edit(
    state: &AppState,
    page: &PageCtx,
    number: String,
    result: AppResult<&'static str>,
) -> AppResult<HttpResponse> {
    match result {
        Ok(notice) => Ok(see_other(&format!(
            "/documents/{number}/edit?notice={notice}"
        ))),
        Err(e) => {
            let (ctx, _) = edit_context(state, page, &number).await?;
            page.form_error(state, "documents/edit.html", ctx, e)
        }
    }
}

async fn download(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, i32, String)>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?.clone();
    let (number, n, name) = path.into_inner();
    let store = state.store.clone();
    let file = name.clone();
    let bytes = db::run(&state.pool, move |c| {
        service::attachment(c, &store, &who.user, &number, n, &name)
    })
    .await?;
    Ok(super::api_files::attachment_response(&file, bytes))
}

async fn document_route(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::QualityManager])?.clone();
    let number = number.into_inner();
    let target = service::RouteTarget::Document(number.clone());
    let result = match super::route_form::read(&form) {
        Ok(steps) => {
            db::run(&state.pool, move |c| {
                service::set_route(c, &who.user, target, steps)
            })
            .await
        }
        Err(e) => Err(e),
    };
    after_action(&state, &page, number, result.map(|_| "route-saved")).await
}

async fn routes_context(state: &AppState) -> AppResult<tera::Context> {
    let routes = db::run(&state.pool, |c| {
        DocumentKind::ALL
            .iter()
            .map(|k| {
                let text = service::route_text(c, &service::RouteTarget::Kind(*k))?;
                Ok(serde_json::json!({
                    "kind": k.as_str(),
                    "steps": text,
                    "rows": super::route_form::rows_of(&text)?,
                }))
            })
            .collect::<AppResult<Vec<_>>>()
            .and_then(|r| {
                Ok((
                    r,
                    crate::people::pickable(
                        c,
                        &[Role::QualityManager, Role::ProcessOwner, Role::Staff],
                    )?,
                ))
            })
    })
    .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("routes", &routes.0);
    ctx.insert("signers", &routes.1);
    ctx.insert("signing_roles", &super::route_form::signing_roles());
    Ok(ctx)
}

async fn routes_page(state: web::Data<AppState>, page: PageCtx) -> AppResult<HttpResponse> {
    page.require_any(&[Role::QualityManager, Role::Auditor])?;
    let ctx = routes_context(&state).await?;
    page.render(&state, "documents/routes.html", ctx)
}

async fn kind_route(
    state: web::Data<AppState>,
    page: PageCtx,
    kind: web::Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(&[Role::QualityManager])?.clone();
    let result = match (
        DocumentKind::parse(&kind.into_inner()),
        super::route_form::read(&form),
    ) {
        (Ok(kind), Ok(steps)) => {
            db::run(&state.pool, move |c| {
                service::set_route(c, &who.user, service::RouteTarget::Kind(kind), steps)
            })
            .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other("/approval-routes?notice=route-saved")),
        Err(e) => {
            let ctx = routes_context(&state).await?;
            page.form_error(&state, "documents/routes.html", ctx, e)
        }
    }
}

/// After a review action: back to the document, or the document page with the error.
pub(crate) async fn after_action(
    state: &AppState,
    page: &PageCtx,
    number: String,
    result: AppResult<&'static str>,
) -> AppResult<HttpResponse> {
    match result {
        Ok(notice) => Ok(see_other(&format!(
            "/documents/{number}?notice=document-{notice}"
        ))),
        Err(e) => {
            let ctx = document_context(state, page, number).await?;
            page.form_error(state, "documents/show.html", ctx, e)
        }
    }
}

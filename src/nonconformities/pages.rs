//! HTML pages: the list of nonconformities, the short report form, and one
//! case with the forms for the steps its state and the reader's part allow.
//! The forms post to the handlers in `page_actions.rs`; the server checks
//! every step again, the page only leaves out what would be refused.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::model::{CauseCategory, Disposition, NcKind, NcStatus, Severity};
use super::page_actions;
use super::service::{self, NcFilter, REPORTERS};
use crate::auth::model::Role;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::pages::PageCtx;
use crate::state::AppState;

/// HTML routes. The statistics routes are registered before these, so
/// that `/nonconformities/stats` is not read as a case number.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/nonconformities", list_page)
        .post("/nonconformities", page_actions::report)
        .get("/nonconformities/new", new_page)
        .get("/nonconformities/{number}", case_page);
    page_actions::configure(cfg);
}

fn names<T: Copy>(all: &[T], text: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| text(*v)).collect()
}

use crate::processes::service::pickable as active_processes;

fn choices(ctx: &mut tera::Context) {
    ctx.insert("kinds", &names(NcKind::ALL, NcKind::as_str));
    ctx.insert("severities", &names(Severity::ALL, Severity::as_str));
    ctx.insert("statuses", &names(NcStatus::ALL, NcStatus::as_str));
    ctx.insert(
        "dispositions",
        &names(Disposition::ALL, Disposition::as_str),
    );
    ctx.insert(
        "cause_categories",
        &names(CauseCategory::ALL, CauseCategory::as_str),
    );
}

async fn list_page(
    state: web::Data<AppState>,
    page: PageCtx,
    filter: web::Query<NcFilter>,
) -> AppResult<HttpResponse> {
    let who = page.require_user()?;
    let filter = filter.into_inner();
    let f = filter.clone();
    let (list, processes) = db::run(&state.pool, move |c| {
        Ok((service::list(c, &f)?, active_processes(c)?))
    })
    .await?;
    let fields = [
        ("q", filter.q.unwrap_or_default()),
        ("status", filter.status.unwrap_or_default()),
        ("kind", filter.kind.unwrap_or_default()),
        ("process", filter.process.unwrap_or_default()),
        (
            "overdue",
            filter.overdue.map(|b| b.to_string()).unwrap_or_default(),
        ),
    ];
    let query = serde_html_form::to_string(
        fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .collect::<Vec<_>>(),
    )
    .map_err(AppError::internal)?;
    let mut ctx = tera::Context::new();
    choices(&mut ctx);
    ctx.insert("pager_base", &format!("/nonconformities?{query}&"));
    ctx.insert("filter", &fields.into_iter().collect::<BTreeMap<_, _>>());
    ctx.insert("pages", &list.pages());
    ctx.insert("list", &list);
    ctx.insert("processes", &processes);
    ctx.insert("can_report", &who.user.has_any(REPORTERS));
    page.render(&state, "nonconformities/list.html", ctx)
}

/// The report form's context, with what was typed (`form`).
pub(super) async fn new_context(
    state: &AppState,
    form: serde_json::Value,
) -> AppResult<tera::Context> {
    let processes = db::run(&state.pool, active_processes).await?;
    let mut ctx = tera::Context::new();
    choices(&mut ctx);
    ctx.insert("processes", &processes);
    ctx.insert("form", &form);
    ctx.insert("today", &site_today(state));
    Ok(ctx)
}

/// The site's date (in its time zone), for date inputs' defaults and limits.
fn site_today(state: &AppState) -> String {
    service::NcPolicy::of(state)
        .today(crate::ids::now())
        .to_string()
}

#[derive(Deserialize)]
struct NewQuery {
    /// Pre-selects the kind (`internal_complaint` from a process page, say).
    kind: Option<String>,
    /// Pre-selects the responsible process.
    responsible: Option<String>,
    /// Pre-selects where it was detected.
    detected_in: Option<String>,
    /// The record whose deviation is reported: prefills the title and the
    /// description, and links the two.
    record: Option<String>,
    /// The rating request whose low rating is complained of: prefills an
    /// internal complaint against the supplying process.
    rating: Option<String>,
    /// The survey answer a customer complaint is opened from (or, with
    /// `kind=improvement`, whose idea is taken forward): prefills the case
    /// and links the two.
    answer: Option<String>,
}

async fn new_page(
    state: web::Data<AppState>,
    page: PageCtx,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    page.require_any(REPORTERS)?;
    let q = q.into_inner();
    let mut form = page_actions::ReportForm {
        kind: q.kind.unwrap_or_default(),
        responsible: q.responsible.unwrap_or_default(),
        detected_in: q.detected_in.unwrap_or_default(),
        ..Default::default()
    };
    if let Some(record) = q.record.filter(|r| !r.trim().is_empty()) {
        let d = crate::records::pages::deviation_report(&state, &page, record).await?;
        form.title = d.title;
        form.description = d.description;
        form.record = d.record;
        if form.kind.is_empty() {
            form.kind = "deviation".into();
        }
        if let Some(p) = d.process {
            if form.detected_in.is_empty() {
                form.detected_in.clone_from(&p);
            }
            if form.responsible.is_empty() {
                form.responsible = p;
            }
        }
    }
    if let Some(id) = q.rating.filter(|r| !r.trim().is_empty()) {
        let d = crate::feedback::ratings::pages::complaint_prefill(&state, &page, id).await?;
        form.kind = "internal_complaint".into();
        form.title = d.title;
        form.description = d.description;
        form.detected_in = d.detected_in;
        form.responsible = d.responsible;
        if form.severity.is_empty() {
            form.severity = "minor".into();
        }
    }
    if let Some(id) = q.answer.filter(|r| !r.trim().is_empty()) {
        let who = page.require_user()?.user.clone();
        let lang = page.lang;
        let improvement = form.kind == "improvement";
        let d = db::run(&state.pool, move |c| {
            crate::feedback::links::draft(c, &who, &id, improvement, lang)
        })
        .await?;
        form.kind = d.kind;
        form.title = d.title;
        form.description = d.description;
        form.detected_in.clone_from(&d.process);
        form.responsible = d.process;
        form.survey_answer = d.answer;
        form.detected_on = d.answered_on.to_string();
        if form.severity.is_empty() {
            form.severity = "minor".into();
        }
    }
    let ctx = new_context(
        &state,
        serde_json::to_value(form).map_err(AppError::internal)?,
    )
    .await?;
    page.render(&state, "nonconformities/new.html", ctx)
}

/// Who reads a case's audit trail on its page (the steps offered come
/// from the case's `allowed_steps`).
const HISTORY_READERS: &[Role] = &[Role::Admin, Role::QualityManager, Role::Auditor];

/// Everything the case page shows. `failed` names the form whose post was
/// refused, and `form` holds what was typed into it.
pub(super) async fn case_context(
    state: &AppState,
    page: &PageCtx,
    number: String,
    failed: Option<(&str, serde_json::Value)>,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.user.clone();
    let history_visible = who.has_any(HISTORY_READERS);
    let may_read_answers = who.has_any(crate::feedback::service::READERS);
    let (lang, tz) = (page.lang, state.tz);
    let (nc, people, names, history, processes) = db::run(&state.pool, move |c| {
        let nc = service::get(c, &number, &who)?;
        let names: BTreeMap<String, String> = crate::people::all_names(c)?
            .into_iter()
            .filter(|(_, d)| !d.trim().is_empty())
            .collect();
        let people = crate::people::pickable(c, service::ACTION_OWNERS)?;
        let history = if history_visible {
            let events = crate::audit::list(
                c,
                &crate::audit::EventFilter {
                    entity_type: Some("nonconformity".into()),
                    entity_id: Some(nc.summary.number.clone()),
                    per_page: Some(200),
                    ..Default::default()
                },
            )?
            .items;
            // Sentences in the reader's language, people by their names.
            let dir = crate::audit::sentence::Directory::load(c, &events)?;
            let mut history = crate::audit::sentence::readable_events(lang, tz, &dir, &events);
            history.reverse();
            history
        } else {
            Vec::new()
        };
        Ok((nc, people, names, history, active_processes(c)?))
    })
    .await?;
    let mut ctx = tera::Context::new();
    choices(&mut ctx);
    ctx.insert("whys", &(0..5).collect::<Vec<_>>());
    ctx.insert("today", &site_today(state));
    // The default owner of a new action: the responsible process's owner.
    ctx.insert("responsible_owner_username", &nc.responsible_owner);
    let shown = serde_json::to_value(&nc).map_err(AppError::internal)?;
    ctx.insert("nc", &by_display_names(shown, &names));
    ctx.insert("history_visible", &history_visible);
    ctx.insert("may_read_answers", &may_read_answers);
    ctx.insert("people", &people);
    ctx.insert("processes", &processes);
    ctx.insert("history", &history);
    let documents = db::run(&state.pool, crate::documents::service::pickable).await?;
    ctx.insert("documents", &documents);
    let (name, form) = failed.unwrap_or(("", serde_json::json!({})));
    ctx.insert("failed", name);
    ctx.insert("form", &form);
    Ok(ctx)
}

/// The fields of a case that hold a username, shown as the person's name.
const PERSON_FIELDS: &[&str] = &[
    "reporter",
    "decided_by",
    "analysed_by",
    "owner",
    "completed_by",
    "created_by",
    "verified_by",
    "uploaded_by",
    "responsible_owner",
    "accepted_by",
    "closed_by",
];

/// The case as the page shows it: everywhere it names a person by their
/// username, their display name instead (the form values are usernames
/// and are filled from `people`, not from here).
fn by_display_names(
    mut v: serde_json::Value,
    names: &BTreeMap<String, String>,
) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value, names: &BTreeMap<String, String>) {
        match v {
            serde_json::Value::Object(fields) => {
                for (k, field) in fields.iter_mut() {
                    if PERSON_FIELDS.contains(&k.as_str())
                        && let Some(name) = field.as_str().and_then(|u| names.get(u))
                    {
                        *field = serde_json::Value::String(name.clone());
                    } else {
                        walk(field, names);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, names)),
            _ => {}
        }
    }
    walk(&mut v, names);
    v
}

async fn case_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = case_context(&state, &page, number.into_inner(), None).await?;
    page.render(&state, "nonconformities/show.html", ctx)
}

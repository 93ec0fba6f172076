//! The schedules page of a form template: its schedules with their current
//! period, due date and overdue mark, and the forms that set one up and
//! stop one (quality managers, and process owners for their processes).
//! Also the "Records" section of a process's page.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::schedule::{self, MANAGERS, NewSchedule, ProcessForm, ScheduleFrequency, ScheduleView};
use super::service::FILLERS;
use crate::auth::csrf::CsrfForm;
use crate::auth::model::{Role, User};
use crate::db::schema::{processes, user_roles, users};
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, format_day};
use crate::ids::now;
use crate::pages::{PageCtx, see_other};
use crate::state::AppState;

/// Registers the schedules page and its forms.
pub fn configure(cfg: &mut crate::routes::PageRoutes) {
    cfg.get("/forms/{number}/schedules", schedules_page)
        .post("/forms/{number}/schedules", create)
        .post("/forms/{number}/schedules/{id}/stop", stop);
}

/// A schedule as a page shows it: its view and its due date as the
/// language writes it.
#[derive(Debug, Serialize)]
pub struct ShownSchedule {
    /// The schedule.
    #[serde(flatten)]
    pub view: ScheduleView,
    /// Its due date in the page's language.
    pub due_text: String,
}

/// Schedules as a page in `lang` shows them.
pub fn shown(views: Vec<ScheduleView>, lang: Lang) -> Vec<ShownSchedule> {
    views
        .into_iter()
        .map(|view| ShownSchedule {
            due_text: format_day(lang, view.due),
            view,
        })
        .collect()
}

/// What a process's page shows of its records: the form templates of the
/// process in force and the active schedules of the process.
#[derive(Debug, Serialize)]
pub struct ProcessRecords {
    /// The effective form templates whose process it is.
    pub forms: Vec<ProcessForm>,
    /// Its active schedules.
    pub schedules: Vec<ShownSchedule>,
}

/// The "Records" section of process `code`'s page at `at`.
///
/// # Errors
/// `process_not_found`; a database fault.
pub fn process_records(
    conn: &mut DbConn,
    code: &str,
    at: chrono::NaiveDateTime,
    tz: chrono_tz::Tz,
    lang: Lang,
) -> AppResult<ProcessRecords> {
    Ok(ProcessRecords {
        forms: schedule::forms_of_process(conn, code)?,
        schedules: shown(schedule::for_process(conn, code, at, tz)?, lang),
    })
}

/// Active processes `by` may schedule records for: (code, name).
fn manageable(conn: &mut DbConn, by: &User) -> AppResult<Vec<(String, String)>> {
    if !by.has_any(MANAGERS) {
        return Ok(Vec::new());
    }
    let mut q = processes::table
        .filter(processes::status.eq("active"))
        .order(processes::code.asc())
        .select((processes::code, processes::name))
        .into_boxed();
    if !by.has_role(Role::QualityManager) {
        q = q.filter(processes::owner_id.eq(by.id.0.clone()));
    }
    Ok(q.load(conn)?)
}

/// Active people who fill in records: (username, name), by name.
fn fillers(conn: &mut DbConn) -> AppResult<Vec<(String, String)>> {
    let roles: Vec<&str> = FILLERS.iter().map(|r| r.as_str()).collect();
    Ok(users::table
        .inner_join(user_roles::table)
        .filter(users::active.eq(true))
        .filter(user_roles::role.eq_any(roles))
        .select((users::username, users::display_name))
        .distinct()
        .order((users::display_name.asc(), users::username.asc()))
        .load(conn)?)
}

async fn context(
    state: &AppState,
    page: &PageCtx,
    number: String,
    typed: Option<serde_json::Value>,
) -> AppResult<tera::Context> {
    let who = page.require_user()?.user.clone();
    let tz = state.tz;
    let n = number.clone();
    let (title, list, processes, people) = db::run(&state.pool, move |c| {
        let (_, title) = schedule::form_document(c, &n)?;
        let list = schedule::for_template(c, &n, now(), tz)?;
        let processes = manageable(c, &who)?;
        let people = if processes.is_empty() {
            Vec::new()
        } else {
            fillers(c)?
        };
        Ok((title, list, processes, people))
    })
    .await?;
    let stoppable: Vec<&str> = processes.iter().map(|(code, _)| code.as_str()).collect();
    let may_stop: Vec<String> = list
        .iter()
        .filter(|s| s.active && stoppable.contains(&s.process.as_str()))
        .map(|s| s.id.clone())
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("number", &number);
    ctx.insert("title", &title);
    ctx.insert("may_stop", &may_stop);
    ctx.insert("schedules", &shown(list, page.lang));
    ctx.insert("processes", &processes);
    ctx.insert("people", &people);
    ctx.insert(
        "frequencies",
        &ScheduleFrequency::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "form",
        &typed
            .unwrap_or_else(|| serde_json::json!({"process": "", "frequency": "", "assignee": ""})),
    );
    Ok(ctx)
}

async fn schedules_page(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = context(&state, &page, number.into_inner(), None).await?;
    page.render(&state, "records/schedules.html", ctx)
}

/// The set-up form as posted.
#[derive(Debug, Deserialize, Serialize)]
struct ScheduleForm {
    process: String,
    frequency: String,
    #[serde(default)]
    assignee: String,
}

async fn after(
    state: &AppState,
    page: &PageCtx,
    number: String,
    typed: Option<serde_json::Value>,
    result: AppResult<&'static str>,
) -> AppResult<HttpResponse> {
    match result {
        Ok(notice) => Ok(see_other(&format!(
            "/forms/{number}/schedules?notice={notice}"
        ))),
        Err(e) => {
            let ctx = context(state, page, number, typed).await?;
            page.form_error(state, "records/schedules.html", ctx, e)
        }
    }
}

async fn create(
    state: web::Data<AppState>,
    page: PageCtx,
    number: web::Path<String>,
    CsrfForm(form): CsrfForm<ScheduleForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(MANAGERS)?.user.clone();
    let number = number.into_inner();
    let typed = serde_json::to_value(&form).map_err(AppError::internal)?;
    let store = state.store.clone();
    let tz = state.tz;
    let n = number.clone();
    let result = db::run(&state.pool, move |c| {
        let new = NewSchedule {
            process: form.process,
            frequency: form.frequency,
            assignee: Some(form.assignee),
        };
        schedule::create(c, &store, &who, &n, new, now(), tz)
    })
    .await;
    after(
        &state,
        &page,
        number,
        Some(typed),
        result.map(|_| "schedule-created"),
    )
    .await
}

#[derive(Debug, Deserialize)]
struct StopForm {
    version: i32,
}

async fn stop(
    state: web::Data<AppState>,
    page: PageCtx,
    path: web::Path<(String, String)>,
    CsrfForm(form): CsrfForm<StopForm>,
) -> AppResult<HttpResponse> {
    let who = page.require_any(MANAGERS)?.user.clone();
    let (number, id) = path.into_inner();
    let tz = state.tz;
    let n = number.clone();
    let result = db::run(&state.pool, move |c| {
        schedule::stop(c, &who, &n, &id, form.version, now(), tz)
    })
    .await;
    after(
        &state,
        &page,
        number,
        None,
        result.map(|_| "schedule-stopped"),
    )
    .await
}

//! Record schedules: a form template is due per process every day, week,
//! month, quarter or year, from one person or from the process's people.
//! A quality manager or the process's owner sets a schedule up and stops
//! it; nothing else changes it but the scheduler's overdue mark
//! (`schedule_due.rs`, which also says when a period is met and gives the
//! tasks).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schedule_due::{Period, is_met, period_containing, site_date};
use super::service::{self as records, FILLERS};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{documents, processes, record_schedules, user_roles, users};
use crate::db::{DbConn, write_tx};
use crate::documents::model::{DocStatus, DocumentKind};
use crate::error::{AppError, AppResult, Code};
use crate::ids::new_id;
use crate::kit::choice::choice;
use crate::store::DocStore;

choice!(
    /// How often a template's records are due.
    ScheduleFrequency, Code::InvalidScheduleFrequency, "schedule frequency" {
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        Yearly => "yearly",
    }
);

/// Who sets schedules up and stops them: quality managers, and process
/// owners for their own processes.
pub const MANAGERS: &[Role] = &[Role::QualityManager, Role::ProcessOwner];

/// A schedule as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = record_schedules)]
pub struct ScheduleRow {
    /// Its id.
    pub id: String,
    /// The form template.
    pub template_id: String,
    /// The process the records are for.
    pub process_id: String,
    /// How often.
    pub frequency: ScheduleFrequency,
    /// The person who fills them in; none for the process's people.
    pub assignee_id: Option<String>,
    /// Whether it is in use.
    pub active: bool,
    /// Whether the scheduler found it late (see `schedule_due.rs`).
    pub overdue: bool,
    /// Who set it up.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
}

/// A schedule as the API and the pages show it, with its current period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduleView {
    /// Its id.
    pub id: String,
    /// The template's number.
    pub template: String,
    /// The template's title.
    pub template_title: String,
    /// The process's code.
    pub process: String,
    /// The process's name.
    pub process_name: String,
    /// How often.
    pub frequency: ScheduleFrequency,
    /// The username of the person who fills them in; none for the
    /// process's owner and members.
    pub assignee: Option<String>,
    /// That person's name.
    pub assignee_name: Option<String>,
    /// Whether it is in use.
    pub active: bool,
    /// Whether the last complete period went without a record and the
    /// current one has none yet (as the scheduler last found).
    pub overdue: bool,
    /// Its version, for stopping it.
    pub version: i32,
    /// Who set it up (username).
    pub created_by: String,
    /// When (UTC).
    #[serde(with = "crate::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// The current period (`2026-05-13`, `2026-W20`, `2026-05`, `2026-Q2`, `2026`).
    pub period: String,
    /// Its last day, by which a record is due.
    pub due: chrono::NaiveDate,
    /// Whether a record of the template for the process was filled in the
    /// current period.
    pub met: bool,
}

/// A form template's id and title.
///
/// # Errors
/// `document_not_found`, `not_a_form_template`.
pub fn form_document(conn: &mut DbConn, number: &str) -> AppResult<(String, String)> {
    let doc: Option<(String, String, DocumentKind)> = documents::table
        .filter(documents::number.eq(number))
        .select((documents::id, documents::title, documents::kind))
        .first(conn)
        .optional()?;
    match doc {
        None => Err(AppError::not_found(
            Code::DocumentNotFound,
            format!("no document {number}"),
        )),
        Some((_, _, kind)) if kind != DocumentKind::Form => Err(AppError::invalid(
            Code::NotAFormTemplate,
            format!("{number} is not a form template"),
        )),
        Some((id, title, _)) => Ok((id, title)),
    }
}

/// The views of `rows` at `at` (the site's time zone `tz`), in order.
///
/// # Errors
/// A database fault.
pub fn views(
    conn: &mut DbConn,
    rows: Vec<ScheduleRow>,
    at: NaiveDateTime,
    tz: Tz,
) -> AppResult<Vec<ScheduleView>> {
    let template_ids: Vec<&String> = rows.iter().map(|r| &r.template_id).collect();
    let templates: HashMap<String, (String, String)> = documents::table
        .filter(documents::id.eq_any(&template_ids))
        .select((documents::id, documents::number, documents::title))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, n, t)| (id, (n, t)))
        .collect();
    let process_ids: Vec<&String> = rows.iter().map(|r| &r.process_id).collect();
    let procs: HashMap<String, (String, String)> = processes::table
        .filter(processes::id.eq_any(&process_ids))
        .select((processes::id, processes::code, processes::name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, c, n)| (id, (c, n)))
        .collect();
    let people_ids: Vec<&String> = rows
        .iter()
        .flat_map(|r| r.assignee_id.iter().chain(std::iter::once(&r.created_by)))
        .collect();
    let people: HashMap<String, (String, String)> = users::table
        .filter(users::id.eq_any(&people_ids))
        .select((users::id, users::username, users::display_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, u, n)| (id, (u, n)))
        .collect();
    let today = site_date(tz, at);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let period: Period = period_containing(r.frequency, today);
        let met = is_met(conn, &r, &period, tz)?;
        let (template, template_title) = templates.get(&r.template_id).cloned().unwrap_or_default();
        let (process, process_name) = procs.get(&r.process_id).cloned().unwrap_or_default();
        let assignee = r.assignee_id.as_ref().and_then(|a| people.get(a)).cloned();
        out.push(ScheduleView {
            id: r.id,
            template,
            template_title,
            process,
            process_name,
            frequency: r.frequency,
            assignee: assignee.as_ref().map(|(u, _)| u.clone()),
            assignee_name: assignee.map(|(_, n)| n),
            active: r.active,
            overdue: r.overdue,
            version: r.version,
            created_by: people
                .get(&r.created_by)
                .map(|(u, _)| u.clone())
                .unwrap_or_default(),
            created_at: r.created_at,
            due: period.last_day(),
            period: period.label,
            met,
        });
    }
    Ok(out)
}

/// The schedules of form template `number`, active ones first.
///
/// # Errors
/// `document_not_found`, `not_a_form_template`; a database fault.
pub fn for_template(
    conn: &mut DbConn,
    number: &str,
    at: NaiveDateTime,
    tz: Tz,
) -> AppResult<Vec<ScheduleView>> {
    let (id, _) = form_document(conn, number)?;
    let rows = record_schedules::table
        .filter(record_schedules::template_id.eq(&id))
        .order((
            record_schedules::active.desc(),
            record_schedules::created_at.asc(),
        ))
        .select(ScheduleRow::as_select())
        .load(conn)?;
    views(conn, rows, at, tz)
}

/// The active schedules of process `code`.
///
/// # Errors
/// `process_not_found`; a database fault.
pub fn for_process(
    conn: &mut DbConn,
    code: &str,
    at: NaiveDateTime,
    tz: Tz,
) -> AppResult<Vec<ScheduleView>> {
    let process = crate::processes::service::row_by_code(conn, code)?;
    let rows = record_schedules::table
        .filter(record_schedules::process_id.eq(&process.id))
        .filter(record_schedules::active.eq(true))
        .order(record_schedules::created_at.asc())
        .select(ScheduleRow::as_select())
        .load(conn)?;
    views(conn, rows, at, tz)
}

/// A form template of a process, as its page links it.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessForm {
    /// The template's number.
    pub number: String,
    /// Its title.
    pub title: String,
}

/// The effective form templates whose process is `code`, by number.
///
/// # Errors
/// A database fault.
pub fn forms_of_process(conn: &mut DbConn, code: &str) -> AppResult<Vec<ProcessForm>> {
    Ok(documents::table
        .filter(documents::kind.eq(DocumentKind::Form))
        .filter(documents::process.eq(code))
        .filter(documents::status.eq(DocStatus::Effective))
        .order(documents::number.asc())
        .select((documents::number, documents::title))
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(number, title)| ProcessForm { number, title })
        .collect())
}

/// A schedule being set up.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSchedule {
    /// The code of the process the records are for.
    pub process: String,
    /// `daily`, `weekly`, `monthly`, `quarterly` or `yearly`.
    #[schema(value_type = ScheduleFrequency)]
    pub frequency: String,
    /// The username of the person who fills them in; none (or empty) for
    /// the process's owner and members.
    #[serde(default)]
    pub assignee: Option<String>,
}

/// Whether `by` may set up or stop schedules of the process owned by `owner_id`.
fn may_manage(by: &User, owner_id: &str) -> bool {
    by.has_role(Role::QualityManager) || (by.has_role(Role::ProcessOwner) && by.id.0 == owner_id)
}

/// The id of the active person `username` who fills in records.
fn assignee_id(conn: &mut DbConn, username: &str) -> AppResult<String> {
    let id: Option<String> = users::table
        .filter(users::username.eq(username.trim()))
        .filter(users::active.eq(true))
        .select(users::id)
        .first(conn)
        .optional()?;
    let Some(id) = id else {
        return Err(AppError::invalid(
            Code::UnknownPerson,
            format!("no active person {}", username.trim()),
        ));
    };
    let roles: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(&id))
        .select(user_roles::role)
        .load(conn)?;
    if !roles
        .iter()
        .any(|r| FILLERS.iter().any(|f| f.as_str() == r))
    {
        return Err(AppError::invalid(
            Code::AssigneeCannotFill,
            format!("{} does not fill in records", username.trim()),
        ));
    }
    Ok(id)
}

/// Sets up a schedule of form template `number` (in force) for a process:
/// a quality manager, or the owner of the process.
///
/// # Errors
/// `forbidden`, the template's refusals (`form_not_effective`, ...),
/// `process_not_found`, `process_retired`, `invalid_schedule_frequency`,
/// `unknown_person`, `assignee_cannot_fill`, `schedule_exists`.
pub fn create(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    number: &str,
    new: NewSchedule,
    at: NaiveDateTime,
    tz: Tz,
) -> AppResult<ScheduleView> {
    by.require_any(MANAGERS)?;
    let process = crate::processes::service::row_by_code(conn, new.process.trim())?;
    if !may_manage(by, &process.owner_id) {
        return Err(AppError::forbidden());
    }
    let frequency = ScheduleFrequency::parse(&new.frequency)?;
    let template = records::template(conn, store, number)?;
    if process.status != crate::processes::model::ProcessStatus::Active {
        return Err(AppError::invalid(
            Code::ProcessRetired,
            format!("{} is retired", process.code),
        ));
    }
    let assignee = match new.assignee.as_deref().map(str::trim) {
        Some(u) if !u.is_empty() => Some(assignee_id(conn, u)?),
        _ => None,
    };
    let row = ScheduleRow {
        id: new_id(),
        template_id: template.id.clone(),
        process_id: process.id.clone(),
        frequency,
        assignee_id: assignee,
        active: true,
        overdue: false,
        created_by: by.id.0.clone(),
        created_at: at,
        version: 1,
        updated_at: at,
    };
    write_tx(conn, |conn| {
        crate::db::lock_row(conn, &format!("schedule:{}", template.id))?;
        let existing: i64 = record_schedules::table
            .filter(record_schedules::template_id.eq(&row.template_id))
            .filter(record_schedules::process_id.eq(&row.process_id))
            .filter(record_schedules::active.eq(true))
            .count()
            .get_result(conn)?;
        if existing > 0 {
            return Err(AppError::conflict(
                Code::ScheduleExists,
                format!(
                    "{} is already scheduled for {}; stop that schedule first",
                    template.number, process.code
                ),
            ));
        }
        diesel::insert_into(record_schedules::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "record_schedule.created",
                entity_type: "record_schedule",
                entity_id: &row.id,
                summary: format!(
                    "{} due {} for {}{}",
                    template.number,
                    frequency.as_str(),
                    process.code,
                    new.assignee
                        .as_deref()
                        .map(str::trim)
                        .filter(|u| !u.is_empty())
                        .map(|u| format!(" from {u}"))
                        .unwrap_or_default()
                ),
                changes: Diff::new()
                    .created("template", &template.number)
                    .created("process", &process.code)
                    .created("frequency", &frequency.as_str())
                    .created("assignee", &row.assignee_id)
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    Ok(views(conn, vec![row], at, tz)?.remove(0))
}

/// Stops schedule `id` of form template `number` as of `version`: a
/// quality manager, or the owner of its process. Its records stay; no more
/// are due, and an overdue mark is cleared with it.
///
/// # Errors
/// `forbidden`, `document_not_found`, `not_a_form_template`,
/// `schedule_not_found`, `schedule_stopped`, `version_conflict`.
pub fn stop(
    conn: &mut DbConn,
    by: &User,
    number: &str,
    id: &str,
    version: i32,
    at: NaiveDateTime,
    tz: Tz,
) -> AppResult<ScheduleView> {
    by.require_any(MANAGERS)?;
    let (template_id, _) = form_document(conn, number)?;
    let not_found = || {
        AppError::not_found(
            Code::ScheduleNotFound,
            format!("{number} has no schedule {id}"),
        )
    };
    let found: Option<(ScheduleRow, String, String)> = record_schedules::table
        .inner_join(processes::table)
        .filter(record_schedules::id.eq(id))
        .filter(record_schedules::template_id.eq(&template_id))
        .select((
            ScheduleRow::as_select(),
            processes::owner_id,
            processes::code,
        ))
        .first(conn)
        .optional()?;
    let (_, owner, code) = found.ok_or_else(not_found)?;
    if !may_manage(by, &owner) {
        return Err(AppError::forbidden());
    }
    let row = write_tx(conn, |conn| {
        let current: ScheduleRow = record_schedules::table
            .find(id)
            .select(ScheduleRow::as_select())
            .first(conn)?;
        if !current.active {
            return Err(AppError::conflict(
                Code::ScheduleStopped,
                format!("the schedule of {number} for {code} is already stopped"),
            ));
        }
        if current.version != version {
            return Err(AppError::conflict(
                Code::VersionConflict,
                format!(
                    "the schedule changed (version {} now, {version} given); reload it",
                    current.version
                ),
            ));
        }
        let n = diesel::update(
            record_schedules::table
                .find(id)
                .filter(record_schedules::version.eq(version)),
        )
        .set((
            record_schedules::active.eq(false),
            record_schedules::overdue.eq(false),
            record_schedules::version.eq(version + 1),
            record_schedules::updated_at.eq(at),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::conflict(
                Code::VersionConflict,
                "the schedule changed meanwhile; reload it",
            ));
        }
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "record_schedule.stopped",
                entity_type: "record_schedule",
                entity_id: id,
                summary: format!(
                    "{number} no longer due {} for {code}",
                    current.frequency.as_str()
                ),
                changes: Diff::new()
                    .field("active", &true, &false)
                    .field("overdue", &current.overdue, &false)
                    .into_value(),
            },
        )?;
        Ok(ScheduleRow {
            active: false,
            overdue: false,
            version: version + 1,
            updated_at: at,
            ..current
        })
    })?;
    Ok(views(conn, vec![row], at, tz)?.remove(0))
}

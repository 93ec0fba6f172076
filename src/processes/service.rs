//! The rules for processes and their links. No HTTP in here.
//!
//! An output of process Q addressed to process P *is* P's input from Q: there
//! is one row for the link, so the supplier's and the customer's views never
//! disagree.

use crate::kit::text::{long_text, short_text};
use diesel::prelude::*;
use serde::Serialize;

use super::model::{ExternalInputRow, OutputRow, ProcessCode, ProcessRow, ProcessStatus};
use crate::area::{self, Referent, Target};
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::auth::service as users;
use crate::db::schema::{
    documents, output_recipients, process_external_inputs, process_members, process_outputs,
    processes,
};
use crate::db::{DbConn, write_tx};
use crate::documents::model::DocStatus;
use crate::error::{AppError, AppResult, Code};
use crate::ids::{new_id, now};
use crate::kit::list::{self, Page, Paging};

fn not_found(code: &str) -> AppError {
    AppError::not_found(Code::ProcessNotFound, format!("no process {code}"))
}

fn actor(u: &User) -> Actor {
    Actor::user(&u.id, &u.username)
}

/// The process with this code, if there is one: the one lookup by code
/// that every area uses.
///
/// # Errors
/// A database fault.
pub fn find_by_code(conn: &mut DbConn, code: &str) -> AppResult<Option<ProcessRow>> {
    Ok(processes::table
        .filter(processes::code.eq(code))
        .select(ProcessRow::as_select())
        .first(conn)
        .optional()?)
}

/// Active processes as (code, name), by code: the options of a select.
///
/// # Errors
/// A database fault.
pub fn pickable(conn: &mut DbConn) -> AppResult<Vec<(String, String)>> {
    Ok(processes::table
        .filter(processes::status.eq(ProcessStatus::Active))
        .order(processes::code.asc())
        .select((processes::code, processes::name))
        .load(conn)?)
}

/// The process with this code.
///
/// # Errors
/// `process_not_found` (404); a database fault.
pub fn row_by_code(conn: &mut DbConn, code: &str) -> AppResult<ProcessRow> {
    find_by_code(conn, code)?.ok_or_else(|| not_found(code))
}

fn codes_by_id(conn: &mut DbConn) -> AppResult<std::collections::HashMap<String, String>> {
    Ok(processes::table
        .select((processes::id, processes::code))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// A process in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcessSummary {
    /// The process's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The owner's username.
    pub owner: String,
    /// Whether it is in use.
    pub status: ProcessStatus,
    /// Keys of the target experiences of the value promise it serves.
    pub experiences: Vec<String>,
    /// Its customer-experience measures, and whether it has none or only lagging ones.
    pub cx: crate::experience::service::CxSummary,
}

/// An output and who receives it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutputView {
    /// The output's id.
    pub id: String,
    /// What flows.
    pub name: String,
    /// Internal customers: codes of the processes that take this output.
    pub to: Vec<String>,
    /// An external customer that takes it, if any.
    pub external_customer: Option<String>,
}

/// An input: from another process's output, or from an external supplier.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InputView {
    /// The output's id for an internal input; the external input's id otherwise.
    pub id: String,
    /// What flows in.
    pub name: String,
    /// Supplier process code, for an internal input.
    pub from: Option<String>,
    /// The external supplier, for an external input.
    pub external_supplier: Option<String>,
}

/// A controlled document that supports the process.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkedDocument {
    /// The document's number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Where it stands (`draft`, `effective`).
    pub status: String,
    /// The revision in force, if any.
    pub effective_revision: Option<i32>,
}

/// A process with its links.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcessDetail {
    /// The process's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub purpose: String,
    /// The owner's username.
    pub owner: String,
    /// Usernames of the people who work in it.
    pub members: Vec<String>,
    /// How its results are judged.
    pub criteria: String,
    /// What it needs to run.
    pub resources: String,
    /// Its risks and opportunities.
    pub risks: String,
    /// Whether it is in use.
    pub status: ProcessStatus,
    /// Send it back with changes; a newer one answers 409.
    pub version: i32,
    /// What it delivers, and to whom.
    pub outputs: Vec<OutputView>,
    /// What it takes: other processes' outputs addressed to it, and external inputs.
    pub inputs: Vec<InputView>,
    /// Controlled documents of the process.
    pub documents: Vec<LinkedDocument>,
    /// Keys of the target experiences of the value promise it serves.
    pub experiences: Vec<String>,
    /// Its customer-experience measures, and whether it has none or only lagging ones.
    pub cx: crate::experience::service::CxSummary,
}

/// Lists processes by code.
///
/// # Errors
/// A database fault.
pub fn list(
    conn: &mut DbConn,
    status: Option<ProcessStatus>,
    page: Option<i64>,
    per_page: Option<i64>,
) -> AppResult<Page<ProcessSummary>> {
    use crate::db::schema::users as u;
    let filtered = || {
        let mut q = processes::table.into_boxed();
        if let Some(s) = status {
            q = q.filter(processes::status.eq(s));
        }
        q
    };
    let rows = list::page(conn, Paging::new(page, per_page), filtered, |q, conn| {
        q.inner_join(u::table)
            .order(processes::code.asc())
            .select((
                processes::id,
                processes::code,
                processes::name,
                u::username,
                processes::status,
            ))
            .load::<(String, String, String, String, ProcessStatus)>(conn)
    })?;
    // One query each for the page's experiences and measures.
    let ids: Vec<String> = rows.items.iter().map(|r| r.0.clone()).collect();
    let mut experiences = crate::experience::service::experiences_by_process(conn)?;
    let cx = crate::experience::service::cx_by_process(conn, Some(&ids))?;
    Ok(rows.map(|(id, code, name, owner, status)| ProcessSummary {
        experiences: experiences.remove(&code).unwrap_or_default(),
        cx: crate::experience::service::summary_of(&cx, &id),
        code,
        name,
        owner,
        status,
    }))
}

/// Loads one process with its inputs, outputs, members and documents.
///
/// # Errors
/// `process_not_found`; a database fault.
pub fn get(conn: &mut DbConn, code: &str) -> AppResult<ProcessDetail> {
    use crate::db::schema::users as u;
    let p = row_by_code(conn, code)?;
    let owner: String = u::table.find(&p.owner_id).select(u::username).first(conn)?;
    let members: Vec<String> = process_members::table
        .inner_join(u::table)
        .filter(process_members::process_id.eq(&p.id))
        .order(u::username.asc())
        .select(u::username)
        .load(conn)?;
    let codes = codes_by_id(conn)?;
    let outputs_rows: Vec<OutputRow> = process_outputs::table
        .filter(process_outputs::process_id.eq(&p.id))
        .order(process_outputs::created_at.asc())
        .select(OutputRow::as_select())
        .load(conn)?;
    let mut outputs = Vec::new();
    for o in outputs_rows {
        let mut to: Vec<String> = output_recipients::table
            .filter(output_recipients::output_id.eq(&o.id))
            .select(output_recipients::customer_id)
            .load::<String>(conn)?
            .iter()
            .filter_map(|id| codes.get(id).cloned())
            .collect();
        to.sort();
        outputs.push(OutputView {
            id: o.id,
            name: o.name,
            to,
            external_customer: o.external_customer,
        });
    }
    let internal: Vec<OutputRow> = process_outputs::table
        .inner_join(output_recipients::table)
        .filter(output_recipients::customer_id.eq(&p.id))
        .order(process_outputs::created_at.asc())
        .select(OutputRow::as_select())
        .load(conn)?;
    let mut inputs: Vec<InputView> = internal
        .into_iter()
        .map(|o| InputView {
            from: codes.get(&o.process_id).cloned(),
            id: o.id,
            name: o.name,
            external_supplier: None,
        })
        .collect();
    let external: Vec<ExternalInputRow> = process_external_inputs::table
        .filter(process_external_inputs::process_id.eq(&p.id))
        .order(process_external_inputs::created_at.asc())
        .select(ExternalInputRow::as_select())
        .load(conn)?;
    inputs.extend(external.into_iter().map(|i| InputView {
        id: i.id,
        name: i.name,
        from: None,
        external_supplier: Some(i.external_supplier),
    }));
    let docs: Vec<(String, String, String, Option<i32>)> = documents::table
        .filter(documents::process.eq(&p.code))
        .filter(documents::status.ne(DocStatus::Obsolete))
        .order(documents::number.asc())
        .select((
            documents::number,
            documents::title,
            documents::status,
            documents::effective_revision,
        ))
        .load(conn)?;
    let experiences = crate::experience::service::experiences_of(conn, &p.id)?;
    let cx = crate::experience::service::summary_of(
        &crate::experience::service::cx_by_process(conn, Some(std::slice::from_ref(&p.id)))?,
        &p.id,
    );
    Ok(ProcessDetail {
        experiences,
        cx,
        code: p.code,
        name: p.name,
        purpose: p.purpose,
        owner,
        members,
        criteria: p.criteria,
        resources: p.resources,
        risks: p.risks,
        status: p.status,
        version: p.version,
        outputs,
        inputs,
        documents: docs
            .into_iter()
            .map(
                |(number, title, status, effective_revision)| LinkedDocument {
                    number,
                    title,
                    status,
                    effective_revision,
                },
            )
            .collect(),
    })
}

fn owner_user(conn: &mut DbConn, username: &str) -> AppResult<User> {
    let owner = users::user_by_username(conn, username)?;
    if !owner.has_any(&[Role::ProcessOwner, Role::QualityManager]) {
        return Err(AppError::invalid(
            Code::OwnerCannotOwn,
            format!("{username} cannot own a process: give them the process_owner role first"),
        ));
    }
    Ok(owner)
}

fn member_ids(conn: &mut DbConn, names: &[String]) -> AppResult<Vec<String>> {
    let mut ids = Vec::new();
    for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let id = users::user_by_username(conn, n)?.id.0;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn set_members(conn: &mut DbConn, process_id: &str, ids: &[String]) -> AppResult<()> {
    diesel::delete(process_members::table.filter(process_members::process_id.eq(process_id)))
        .execute(conn)?;
    for id in ids {
        diesel::insert_into(process_members::table)
            .values((
                process_members::process_id.eq(process_id),
                process_members::user_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// What a caller sends to create or change a process.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ProcessInput {
    /// The code (only when creating; a code never changes).
    pub code: Option<String>,
    /// The name.
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// What it is for.
    #[schema(max_length = 10000)]
    pub purpose: Option<String>,
    /// Owner's username.
    pub owner: Option<String>,
    /// Usernames of the people who work in the process.
    pub members: Option<Vec<String>>,
    /// How its results are judged.
    #[schema(max_length = 10000)]
    pub criteria: Option<String>,
    /// What it needs to run.
    #[schema(max_length = 10000)]
    pub resources: Option<String>,
    /// Its risks and opportunities.
    #[schema(max_length = 10000)]
    pub risks: Option<String>,
    /// `active` or `retired`.
    #[schema(value_type = Option<crate::processes::model::ProcessStatus>)]
    pub status: Option<String>,
    /// The version read; a newer one answers 409.
    pub version: Option<i32>,
}

/// Creates a process (quality managers).
///
/// # Errors
/// `forbidden`, `invalid_process_code`, `process_code_taken`, `owner_cannot_own`, ...
pub fn create(conn: &mut DbConn, by: &User, input: ProcessInput) -> AppResult<ProcessDetail> {
    by.require_any(&[Role::QualityManager])?;
    let code = ProcessCode::parse(input.code.as_deref().unwrap_or_default())?;
    let name = short_text(
        "a process name",
        Code::InvalidProcessName,
        input.name.as_deref().unwrap_or_default(),
    )?;
    let owner = owner_user(
        conn,
        input
            .owner
            .as_deref()
            .ok_or_else(|| AppError::invalid(Code::OwnerRequired, "name the process owner"))?,
    )?;
    let members = member_ids(conn, input.members.as_deref().unwrap_or_default())?;
    let t = now();
    let row = ProcessRow {
        id: new_id(),
        code: code.as_str().to_string(),
        name,
        purpose: long_text("the purpose", input.purpose.as_deref().unwrap_or_default())?,
        owner_id: owner.id.0.clone(),
        criteria: long_text(
            "the criteria",
            input.criteria.as_deref().unwrap_or_default(),
        )?,
        resources: long_text(
            "the resources",
            input.resources.as_deref().unwrap_or_default(),
        )?,
        risks: long_text("the risks", input.risks.as_deref().unwrap_or_default())?,
        status: ProcessStatus::Active,
        version: 1,
        created_at: t,
        updated_at: t,
    };
    write_tx(conn, |conn| {
        let taken: i64 = processes::table
            .filter(processes::code.eq(&row.code))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(AppError::conflict(
                Code::ProcessCodeTaken,
                format!("the code {} is taken", row.code),
            ));
        }
        diesel::insert_into(processes::table)
            .values(&row)
            .execute(conn)?;
        set_members(conn, &row.id, &members)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "process.created",
                entity_type: "process",
                entity_id: &row.code,
                summary: format!("created process {} {}", row.code, row.name),
                changes: Diff::new()
                    .created("name", &row.name)
                    .created("owner", &owner.username)
                    .created("members", &input.members)
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    get(conn, code.as_str())
}

/// Changes a process. Its owner may change the description and members;
/// quality managers may also change the owner and retire or reactivate it.
///
/// # Errors
/// `forbidden`, `version_conflict`, validation codes.
pub fn update(
    conn: &mut DbConn,
    by: &User,
    code: &str,
    input: ProcessInput,
) -> AppResult<ProcessDetail> {
    let before = row_by_code(conn, code)?;
    let is_qm = by.has_role(Role::QualityManager);
    if !(is_qm || before.owner_id == by.id.0) {
        return Err(AppError::forbidden());
    }
    if !is_qm && (input.owner.is_some() || input.status.is_some()) {
        return Err(AppError::forbidden());
    }
    let mut after = before.clone();
    if let Some(n) = &input.name {
        after.name = short_text("a process name", Code::InvalidProcessName, n)?;
    }
    if let Some(p) = &input.purpose {
        after.purpose = long_text("the purpose", p)?;
    }
    if let Some(c) = &input.criteria {
        after.criteria = long_text("the criteria", c)?;
    }
    if let Some(r) = &input.resources {
        after.resources = long_text("the resources", r)?;
    }
    if let Some(r) = &input.risks {
        after.risks = long_text("the risks", r)?;
    }
    if let Some(s) = &input.status {
        after.status = ProcessStatus::parse(s)?;
    }
    let new_owner = match &input.owner {
        Some(name) => Some(owner_user(conn, name)?),
        None => None,
    };
    if let Some(o) = &new_owner {
        after.owner_id = o.id.0.clone();
    }
    let members = match &input.members {
        Some(m) => Some(member_ids(conn, m)?),
        None => None,
    };
    write_tx(conn, |conn| {
        let current: i32 = processes::table
            .find(&before.id)
            .select(processes::version)
            .first(conn)?;
        if input.version.is_some_and(|v| v != current) || current != before.version {
            return Err(AppError::conflict(
                Code::VersionConflict,
                format!("process {code} was changed by someone else; reload and try again"),
            ));
        }
        let before_members: Vec<String> = process_members::table
            .filter(process_members::process_id.eq(&before.id))
            .select(process_members::user_id)
            .load(conn)?;
        let diff = Diff::new()
            .field("name", &before.name, &after.name)
            .field("purpose", &before.purpose, &after.purpose)
            .field("owner_id", &before.owner_id, &after.owner_id)
            .field("criteria", &before.criteria, &after.criteria)
            .field("resources", &before.resources, &after.resources)
            .field("risks", &before.risks, &after.risks)
            .field("status", &before.status, &after.status)
            .field(
                "members",
                &before_members,
                members.as_ref().unwrap_or(&before_members),
            );
        if diff.is_empty() {
            return Ok(());
        }
        diesel::update(processes::table.find(&before.id))
            .set((
                processes::name.eq(&after.name),
                processes::purpose.eq(&after.purpose),
                processes::owner_id.eq(&after.owner_id),
                processes::criteria.eq(&after.criteria),
                processes::resources.eq(&after.resources),
                processes::risks.eq(&after.risks),
                processes::status.eq(after.status),
                processes::version.eq(current + 1),
                processes::updated_at.eq(now()),
            ))
            .execute(conn)?;
        if let Some(m) = &members {
            set_members(conn, &before.id, m)?;
        }
        let action = match (before.status, after.status) {
            (ProcessStatus::Active, ProcessStatus::Retired) => "process.retired",
            (ProcessStatus::Retired, ProcessStatus::Active) => "process.reactivated",
            _ => "process.updated",
        };
        audit::record(
            conn,
            &actor(by),
            Change {
                action,
                entity_type: "process",
                entity_id: code,
                summary: format!("{} process {code}", action.trim_start_matches("process.")),
                changes: diff.into_value(),
            },
        )?;
        Ok(())
    })?;
    get(conn, code)
}

/// Deletes a process that nothing refers to (quality managers): every
/// area is asked what of it points at the process ([`crate::area::Reference`]).
/// A process with documents, links, KPIs or nonconformities is retired instead.
///
/// # Errors
/// `forbidden`, `process_in_use` naming what refers to it.
pub fn delete(conn: &mut DbConn, by: &User, code: &str) -> AppResult<()> {
    by.require_any(&[Role::QualityManager])?;
    write_tx(conn, |conn| {
        let p = row_by_code(conn, code)?;
        let referent = Referent {
            id: &p.id,
            key: &p.code,
        };
        let found = area::references_to(crate::AREAS, conn, Target::Process, referent)?;
        if !found.is_empty() {
            return Err(AppError::conflict(
                Code::ProcessInUse,
                format!(
                    "{code} has {}; retire it instead of deleting it",
                    area::counted(&found)
                ),
            ));
        }
        diesel::delete(process_members::table.filter(process_members::process_id.eq(&p.id)))
            .execute(conn)?;
        diesel::delete(processes::table.find(&p.id)).execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "process.deleted",
                entity_type: "process",
                entity_id: code,
                summary: format!("deleted process {code} {}", p.name),
                changes: Diff::new()
                    .field("name", &Some(p.name.clone()), &None)
                    .into_value(),
            },
        )?;
        Ok(())
    })
}

fn may_change_links(by: &User, p: &ProcessRow) -> AppResult<()> {
    if by.has_role(Role::QualityManager) || p.owner_id == by.id.0 {
        Ok(())
    } else {
        Err(AppError::forbidden())
    }
}

/// Resolves customer codes to process ids: existing, active, not the supplier itself.
fn customers(conn: &mut DbConn, supplier: &ProcessRow, to: &[String]) -> AppResult<Vec<String>> {
    let mut ids = Vec::new();
    for code in to.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let c = row_by_code(conn, code)?;
        if c.id == supplier.id {
            return Err(AppError::invalid(
                Code::InvalidOutput,
                "a process is not its own customer",
            ));
        }
        if c.status != ProcessStatus::Active {
            return Err(AppError::invalid(
                Code::InvalidOutput,
                format!("{code} is retired and takes no new inputs"),
            ));
        }
        if !ids.contains(&c.id) {
            ids.push(c.id);
        }
    }
    Ok(ids)
}

fn external_name(s: Option<&str>) -> AppResult<Option<String>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(Some(short_text(
            "an external party",
            Code::InvalidOutput,
            s,
        )?)),
        None => Ok(None),
    }
}

/// Adds an output going to internal customers and/or an external customer;
/// each internal customer sees it as an input at once.
///
/// # Errors
/// `forbidden`, `invalid_output`, `process_not_found`.
pub fn add_output(
    conn: &mut DbConn,
    by: &User,
    code: &str,
    name: &str,
    to: &[String],
    external_customer: Option<&str>,
) -> AppResult<OutputView> {
    let p = row_by_code(conn, code)?;
    may_change_links(by, &p)?;
    let name = short_text("an output's name", Code::InvalidOutput, name)?;
    let ids = customers(conn, &p, to)?;
    let external = external_name(external_customer)?;
    if ids.is_empty() && external.is_none() {
        return Err(AppError::invalid(
            Code::InvalidOutput,
            "an output goes to at least one process or an external customer",
        ));
    }
    let row = OutputRow {
        id: new_id(),
        process_id: p.id.clone(),
        name,
        external_customer: external,
        created_at: now(),
    };
    write_tx(conn, |conn| {
        diesel::insert_into(process_outputs::table)
            .values(&row)
            .execute(conn)?;
        for id in &ids {
            diesel::insert_into(output_recipients::table)
                .values((
                    output_recipients::output_id.eq(&row.id),
                    output_recipients::customer_id.eq(id),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "process.output_added",
                entity_type: "process",
                entity_id: code,
                summary: format!("{code} supplies {} to {}", row.name, to.join(", ")),
                changes: serde_json::json!({
                    "output": row.id, "name": row.name, "to": to,
                    "external_customer": row.external_customer,
                }),
            },
        )?;
        Ok(())
    })?;
    get(conn, code)?
        .outputs
        .into_iter()
        .find(|o| o.id == row.id)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("output vanished")))
}

/// Changes an output's name, customers or external customer.
///
/// # Errors
/// `forbidden`, `output_not_found`, `invalid_output`.
pub fn update_output(
    conn: &mut DbConn,
    by: &User,
    code: &str,
    output_id: &str,
    name: Option<&str>,
    to: Option<&[String]>,
    external_customer: Option<Option<&str>>,
) -> AppResult<OutputView> {
    let p = row_by_code(conn, code)?;
    may_change_links(by, &p)?;
    let before = output_of(conn, &p, output_id)?;
    let name = match name {
        Some(n) => short_text("an output's name", Code::InvalidOutput, n)?,
        None => before.name.clone(),
    };
    let new_ids = match to {
        Some(t) => Some(customers(conn, &p, t)?),
        None => None,
    };
    let external = match external_customer {
        Some(e) => external_name(e)?,
        None => before.external_customer.clone(),
    };
    write_tx(conn, |conn| {
        let before_ids: Vec<String> = output_recipients::table
            .filter(output_recipients::output_id.eq(output_id))
            .select(output_recipients::customer_id)
            .load(conn)?;
        let after_ids = new_ids.clone().unwrap_or_else(|| before_ids.clone());
        if after_ids.is_empty() && external.is_none() {
            return Err(AppError::invalid(
                Code::InvalidOutput,
                "an output goes to at least one process or an external customer",
            ));
        }
        diesel::update(process_outputs::table.find(output_id))
            .set((
                process_outputs::name.eq(&name),
                process_outputs::external_customer.eq(&external),
            ))
            .execute(conn)?;
        if new_ids.is_some() {
            diesel::delete(
                output_recipients::table.filter(output_recipients::output_id.eq(output_id)),
            )
            .execute(conn)?;
            for id in &after_ids {
                diesel::insert_into(output_recipients::table)
                    .values((
                        output_recipients::output_id.eq(output_id),
                        output_recipients::customer_id.eq(id),
                    ))
                    .execute(conn)?;
            }
        }
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "process.output_changed",
                entity_type: "process",
                entity_id: code,
                summary: format!("{code} changed its output {name}"),
                changes: Diff::new()
                    .field("name", &before.name, &name)
                    .field("external_customer", &before.external_customer, &external)
                    .field("customer_ids", &before_ids, &after_ids)
                    .into_value(),
            },
        )?;
        Ok(())
    })?;
    get(conn, code)?
        .outputs
        .into_iter()
        .find(|o| o.id == output_id)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("output vanished")))
}

fn output_of(conn: &mut DbConn, p: &ProcessRow, output_id: &str) -> AppResult<OutputRow> {
    process_outputs::table
        .find(output_id)
        .filter(process_outputs::process_id.eq(&p.id))
        .select(OutputRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            AppError::not_found(
                Code::OutputNotFound,
                format!("{} has no output {output_id}", p.code),
            )
        })
}

/// Removes an output; its customers lose the input at once.
///
/// # Errors
/// `forbidden`, `output_not_found`.
pub fn delete_output(conn: &mut DbConn, by: &User, code: &str, output_id: &str) -> AppResult<()> {
    let p = row_by_code(conn, code)?;
    may_change_links(by, &p)?;
    write_tx(conn, |conn| {
        let o = output_of(conn, &p, output_id)?;
        diesel::delete(output_recipients::table.filter(output_recipients::output_id.eq(output_id)))
            .execute(conn)?;
        diesel::delete(process_outputs::table.find(output_id)).execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "process.output_removed",
                entity_type: "process",
                entity_id: code,
                summary: format!("{code} no longer supplies {}", o.name),
                changes: serde_json::json!({ "output": o.id, "name": o.name }),
            },
        )?;
        Ok(())
    })
}

/// Adds an input from an external supplier.
///
/// # Errors
/// `forbidden`, `invalid_input`.
pub fn add_external_input(
    conn: &mut DbConn,
    by: &User,
    code: &str,
    name: &str,
    supplier: &str,
) -> AppResult<InputView> {
    let p = row_by_code(conn, code)?;
    may_change_links(by, &p)?;
    let row = ExternalInputRow {
        id: new_id(),
        process_id: p.id.clone(),
        name: short_text("an input's name", Code::InvalidInput, name)?,
        external_supplier: short_text("a supplier", Code::InvalidInput, supplier)?,
        created_at: now(),
    };
    write_tx(conn, |conn| {
        diesel::insert_into(process_external_inputs::table)
            .values(&row)
            .execute(conn)?;
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "process.input_added",
                entity_type: "process",
                entity_id: code,
                summary: format!("{code} takes {} from {}", row.name, row.external_supplier),
                changes: serde_json::json!({ "input": row.id, "name": row.name, "supplier": row.external_supplier }),
            },
        )?;
        Ok(())
    })?;
    Ok(InputView {
        id: row.id,
        name: row.name,
        from: None,
        external_supplier: Some(row.external_supplier),
    })
}

/// Removes an input from an external supplier. (An input from another
/// process is removed by its supplier, as an output.)
///
/// # Errors
/// `forbidden`, `input_not_found`.
pub fn delete_external_input(
    conn: &mut DbConn,
    by: &User,
    code: &str,
    input_id: &str,
) -> AppResult<()> {
    let p = row_by_code(conn, code)?;
    may_change_links(by, &p)?;
    write_tx(conn, |conn| {
        let n = diesel::delete(
            process_external_inputs::table
                .find(input_id)
                .filter(process_external_inputs::process_id.eq(&p.id)),
        )
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::not_found(
                Code::InputNotFound,
                format!("{code} has no external input {input_id}"),
            ));
        }
        audit::record(
            conn,
            &actor(by),
            Change {
                action: "process.input_removed",
                entity_type: "process",
                entity_id: code,
                summary: format!("{code} removed an external input"),
                changes: serde_json::json!({ "input": input_id }),
            },
        )?;
        Ok(())
    })
}

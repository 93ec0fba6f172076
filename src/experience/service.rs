//! The value promise in force, the target experiences each process serves,
//! and each process's customer-experience measures (KPIs tied to a target
//! experience). No HTTP.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use diesel::prelude::*;
use serde::Serialize;

use super::promise::Promise;
use crate::audit::{self, Actor, Change, Diff};
use crate::auth::model::{Role, User};
use crate::db::schema::{documents, kpis, process_experiences, processes, revisions};
use crate::db::{DbConn, write_tx};
use crate::documents::model::{DocStatus, DocumentKind, RevisionStatus};
use crate::error::{AppError, AppResult, Code};
use crate::ids::now;
use crate::processes::model::ProcessStatus;
use crate::store::DocStore;

/// Promises read from git, by commit: a commit never changes, so an entry
/// is never stale.
static PROMISES: LazyLock<Mutex<HashMap<String, Arc<Promise>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The promise of document `number` at `commit`; `None` when that commit
/// holds none.
///
/// # Errors
/// A git fault.
pub fn promise_at(store: &DocStore, number: &str, commit: &str) -> AppResult<Option<Arc<Promise>>> {
    if let Some(p) = PROMISES.lock().ok().and_then(|m| m.get(commit).cloned()) {
        return Ok(Some(p));
    }
    let Some(text) = store
        .read_promise(number, commit)
        .map_err(AppError::internal)?
    else {
        return Ok(None);
    };
    let promise = Arc::new(Promise::from_stored(&text)?);
    if let Ok(mut m) = PROMISES.lock() {
        if m.len() > 200 {
            m.clear();
        }
        m.insert(commit.to_string(), promise.clone());
    }
    Ok(Some(promise))
}

/// Refuses a second value-promise document (one that is not obsolete);
/// runs in the transaction that creates one, under the lock of the kind's
/// numbers, so two cannot be created at once.
///
/// # Errors
/// `value_promise_exists`; a database fault.
pub fn refuse_second_promise(conn: &mut DbConn) -> AppResult<()> {
    crate::kit::sequence::lock(conn, DocumentKind::ValuePromise.prefix())?;
    let existing: Option<String> = documents::table
        .filter(documents::kind.eq(DocumentKind::ValuePromise))
        .filter(documents::status.ne(DocStatus::Obsolete))
        .select(documents::number)
        .first(conn)
        .optional()?;
    match existing {
        Some(n) => Err(AppError::conflict(
            Code::ValuePromiseExists,
            format!("{n} is the value promise; revise it instead of creating another"),
        )),
        None => Ok(()),
    }
}

/// The value-promise document that is not obsolete: (number, title).
///
/// # Errors
/// A database fault.
pub fn the_document(conn: &mut DbConn) -> AppResult<Option<(String, String)>> {
    Ok(documents::table
        .filter(documents::kind.eq(DocumentKind::ValuePromise))
        .filter(documents::status.ne(DocStatus::Obsolete))
        .select((documents::number, documents::title))
        .first(conn)
        .optional()?)
}

/// The value promise in force, with the revision it comes from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InForce {
    /// The document's number (`VP-001`).
    pub number: String,
    /// Its title.
    pub title: String,
    /// The revision in force.
    pub rev: i32,
    /// Its commit.
    pub commit: String,
    /// When it came into force (UTC).
    #[serde(with = "crate::time::rfc3339_opt")]
    pub effective_at: Option<chrono::NaiveDateTime>,
    /// The basic task, the promise and the target experiences.
    pub promise: Promise,
}

/// The value promise in force, if one is.
///
/// # Errors
/// A database or git fault.
pub fn in_force(conn: &mut DbConn, store: &DocStore) -> AppResult<Option<InForce>> {
    let row: Option<(String, String, String)> = documents::table
        .filter(documents::kind.eq(DocumentKind::ValuePromise))
        .filter(documents::status.eq(DocStatus::Effective))
        .select((documents::id, documents::number, documents::title))
        .first(conn)
        .optional()?;
    let Some((id, number, title)) = row else {
        return Ok(None);
    };
    let rev: Option<(i32, Option<String>, Option<chrono::NaiveDateTime>)> = revisions::table
        .filter(revisions::document_id.eq(&id))
        .filter(revisions::status.eq(RevisionStatus::Effective))
        .select((
            revisions::rev,
            revisions::commit_id,
            revisions::effective_at,
        ))
        .first(conn)
        .optional()?;
    let Some((rev, Some(commit), effective_at)) = rev else {
        return Ok(None);
    };
    let Some(promise) = promise_at(store, &number, &commit)? else {
        return Ok(None);
    };
    Ok(Some(InForce {
        number,
        title,
        rev,
        commit,
        effective_at,
        promise: (*promise).clone(),
    }))
}

/// The target experiences in force: key and the promise they come from;
/// `no_value_promise` when none is in force.
fn required_in_force(conn: &mut DbConn, store: &DocStore) -> AppResult<InForce> {
    in_force(conn, store)?.ok_or_else(|| {
        AppError::conflict(
            Code::NoValuePromise,
            "no value promise is in force yet; approve one first",
        )
    })
}

/// Checks that `key` names a target experience of the promise in force.
///
/// # Errors
/// `no_value_promise`, `unknown_experience`; a database or git fault.
pub fn check_experience(conn: &mut DbConn, store: &DocStore, key: &str) -> AppResult<String> {
    let p = required_in_force(conn, store)?;
    let key = key.trim();
    if p.promise.experience(key).is_none() {
        return Err(AppError::invalid(
            Code::UnknownExperience,
            format!("the value promise in force has no target experience `{key}`"),
        ));
    }
    Ok(key.to_string())
}

/// Keys of the target experiences the process serves, in key order.
///
/// # Errors
/// A database fault.
pub fn experiences_of(conn: &mut DbConn, process_id: &str) -> AppResult<Vec<String>> {
    Ok(process_experiences::table
        .filter(process_experiences::process_id.eq(process_id))
        .order(process_experiences::experience.asc())
        .select(process_experiences::experience)
        .load(conn)?)
}

/// The target experiences every process serves, by process code, in one query.
///
/// # Errors
/// A database fault.
pub fn experiences_by_process(conn: &mut DbConn) -> AppResult<HashMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = process_experiences::table
        .inner_join(processes::table)
        .order((processes::code.asc(), process_experiences::experience.asc()))
        .select((processes::code, process_experiences::experience))
        .load(conn)?;
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (code, key) in rows {
        out.entry(code).or_default().push(key);
    }
    Ok(out)
}

/// What a process serves after [`set_experiences`].
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcessExperiences {
    /// The process's code.
    pub process: String,
    /// Keys of the target experiences it serves.
    pub experiences: Vec<String>,
    /// The process's version after the change; send it with the next one.
    pub version: i32,
}

/// Sets which target experiences of the promise in force the process
/// serves (a quality manager or the process's owner). `version` is the
/// process's version read; a newer one is a conflict.
///
/// # Errors
/// `forbidden`, `process_not_found`, `no_value_promise`,
/// `unknown_experience`, `version_conflict`; faults.
pub fn set_experiences(
    conn: &mut DbConn,
    store: &DocStore,
    by: &User,
    code: &str,
    keys: &[String],
    version: Option<i32>,
) -> AppResult<ProcessExperiences> {
    by.require_any(&[Role::QualityManager, Role::ProcessOwner])?;
    let p = crate::processes::service::row_by_code(conn, code)?;
    if !(by.has_role(Role::QualityManager) || p.owner_id == by.id.0) {
        return Err(AppError::forbidden());
    }
    let promise = required_in_force(conn, store)?;
    let mut wanted: Vec<String> = Vec::new();
    for k in keys.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        if promise.promise.experience(k).is_none() {
            return Err(AppError::invalid(
                Code::UnknownExperience,
                format!("the value promise in force has no target experience `{k}`"),
            ));
        }
        if !wanted.iter().any(|w| w == k) {
            wanted.push(k.to_string());
        }
    }
    wanted.sort();
    write_tx(conn, |conn| {
        crate::db::lock_row(conn, &p.id)?;
        let current: i32 = processes::table
            .find(&p.id)
            .select(processes::version)
            .first(conn)?;
        if version.is_some_and(|v| v != current) {
            return Err(AppError::conflict(
                Code::VersionConflict,
                format!("process {code} was changed by someone else; reload and try again"),
            ));
        }
        let before = experiences_of(conn, &p.id)?;
        if before == wanted {
            return Ok(ProcessExperiences {
                process: code.to_string(),
                experiences: wanted.clone(),
                version: current,
            });
        }
        diesel::delete(
            process_experiences::table.filter(process_experiences::process_id.eq(&p.id)),
        )
        .execute(conn)?;
        for k in &wanted {
            diesel::insert_into(process_experiences::table)
                .values((
                    process_experiences::process_id.eq(&p.id),
                    process_experiences::experience.eq(k),
                ))
                .execute(conn)?;
        }
        let n = diesel::update(
            processes::table
                .find(&p.id)
                .filter(processes::version.eq(current)),
        )
        .set((
            processes::version.eq(current + 1),
            processes::updated_at.eq(now()),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::conflict(
                Code::VersionConflict,
                format!("process {code} was changed by someone else; reload and try again"),
            ));
        }
        audit::record(
            conn,
            &Actor::user(&by.id, &by.username),
            Change {
                action: "process.experiences_set",
                entity_type: "process",
                entity_id: code,
                summary: format!(
                    "process {code} serves {}",
                    if wanted.is_empty() {
                        "no target experience".to_string()
                    } else {
                        wanted.join(", ")
                    }
                ),
                changes: Diff::new()
                    .field("experiences", &before, &wanted)
                    .field("version", &current, &(current + 1))
                    .into_value(),
            },
        )?;
        Ok(ProcessExperiences {
            process: code.to_string(),
            experiences: wanted.clone(),
            version: current + 1,
        })
    })
}

crate::kit::choice::choice!(
    /// How a process stands with its customer-experience measures.
    CxStatus, Code::InvalidCxStatus, "customer-experience status", |s| {
        "a customer-experience status is `none`, `lagging_only` or `leading`"
    } {
        None => "none",
        LaggingOnly => "lagging_only",
        Leading => "leading",
    }
);

/// One customer-experience measure of a process.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CxMeasure {
    /// The KPI's id.
    pub kpi: String,
    /// Its name.
    pub name: String,
    /// The target experience it measures.
    pub experience: String,
    /// Whether it is leading or lagging.
    #[schema(value_type = crate::processes::kpis::Indicator)]
    pub indicator: String,
}

/// A process's customer-experience measures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CxSummary {
    /// `none`: no CX measure; `lagging_only`: only lagging ones; `leading`:
    /// at least one leading measure.
    pub status: CxStatus,
    /// How many are leading.
    pub leading: i64,
    /// How many are lagging.
    pub lagging: i64,
    /// The measures, by name.
    pub measures: Vec<CxMeasure>,
}

impl CxSummary {
    fn empty() -> CxSummary {
        CxSummary {
            status: CxStatus::None,
            leading: 0,
            lagging: 0,
            measures: Vec::new(),
        }
    }
}

/// Every process's customer-experience measures, by process id, in one
/// query; a process without any is absent (see [`summary_of`]).
///
/// # Errors
/// A database fault.
pub fn cx_by_process(
    conn: &mut DbConn,
    only: Option<&[String]>,
) -> AppResult<HashMap<String, CxSummary>> {
    let mut q = kpis::table
        .filter(kpis::experience.is_not_null())
        .into_boxed();
    if let Some(ids) = only {
        q = q.filter(kpis::process_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(String, String, String, Option<String>, String)> = q
        .order(kpis::name.asc())
        .select((
            kpis::process_id,
            kpis::id,
            kpis::name,
            kpis::experience,
            kpis::indicator,
        ))
        .load(conn)?;
    let mut out: HashMap<String, CxSummary> = HashMap::new();
    for (process, kpi, name, experience, indicator) in rows {
        let s = out.entry(process).or_insert_with(CxSummary::empty);
        if indicator == "leading" {
            s.leading += 1;
        } else {
            s.lagging += 1;
        }
        s.status = if s.leading > 0 {
            CxStatus::Leading
        } else {
            CxStatus::LaggingOnly
        };
        s.measures.push(CxMeasure {
            kpi,
            name,
            experience: experience.unwrap_or_default(),
            indicator,
        });
    }
    Ok(out)
}

/// The summary of `process_id` from [`cx_by_process`].
pub fn summary_of(all: &HashMap<String, CxSummary>, process_id: &str) -> CxSummary {
    all.get(process_id)
        .cloned()
        .unwrap_or_else(CxSummary::empty)
}

/// The active processes (id, code) and how many of them have no CX
/// measure and only lagging ones, in two queries; `only` limits it to
/// these process ids.
///
/// # Errors
/// A database fault.
pub fn gaps(conn: &mut DbConn, only: Option<&[String]>) -> AppResult<(i64, i64)> {
    let mut q = processes::table
        .filter(processes::status.eq(ProcessStatus::Active))
        .into_boxed();
    if let Some(ids) = only {
        q = q.filter(processes::id.eq_any(ids.to_vec()));
    }
    let ids: Vec<String> = q.select(processes::id).load(conn)?;
    let cx = cx_by_process(conn, Some(&ids))?;
    let mut none = 0;
    let mut lagging = 0;
    for id in &ids {
        match cx.get(id).map(|s| s.status) {
            None | Some(CxStatus::None) => none += 1,
            Some(CxStatus::LaggingOnly) => lagging += 1,
            Some(CxStatus::Leading) => {}
        }
    }
    Ok((none, lagging))
}

/// For the promise page: the codes of the processes serving each target
/// experience, by key, in one query.
///
/// # Errors
/// A database fault.
pub fn processes_by_experience(conn: &mut DbConn) -> AppResult<BTreeMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = process_experiences::table
        .inner_join(processes::table)
        .filter(processes::status.eq(ProcessStatus::Active))
        .order(processes::code.asc())
        .select((process_experiences::experience, processes::code))
        .load(conn)?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, code) in rows {
        out.entry(key).or_default().push(code);
    }
    Ok(out)
}

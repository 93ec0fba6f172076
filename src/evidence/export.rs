//! The evidence export: what was asked (an [`ExportScope`], checked before a
//! byte is written), every area's [`EvidencePart`]s writing their files
//! through a [`Sink`] that keeps only what the scope asks for, then the
//! audit-trail segment, `index.html` and the manifest; and the audited row
//! in `evidence_exports` once the bundle is finished.
//!
//! The API (`GET /api/v1/evidence`) and the CLI (`laatu export`) both call
//! [`write_export`] and then [`record_export`]; only where the bytes go
//! differs (a channel to the response, a temporary file).
//!
//! An area joins the export by listing its parts in its `Area`
//! (`evidence: &[EvidencePart { .. }]`), in its own `evidence.rs`; nothing
//! here names an area.

use std::io::{Read, Write};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::bundle::{Bundle, ExportInfo, Manifest};
use super::clauses::{self, CLAUSES};
use crate::area::EvidencePart;
use crate::audit::{self, Actor, AuditEvent, Change, GENESIS_HASH};
use crate::db::schema::{audit_events, evidence_exports, processes};
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult, Code};
use crate::i18n::Lang;
use crate::ids::{new_id, now};
use crate::store::DocStore;

/// The most clauses or processes one export may name.
pub const MAX_LIST: usize = 100;

/// The export's parameters as the address gives them.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The date whose documents, matrix and processes are shown as they
    /// were then (`2026-06-30`); default today.
    #[param(max_length = 10)]
    pub as_of: Option<String>,
    /// The first day of the period whose records, cases, measurements and
    /// audit events are included; default 1 January of `to`'s year.
    #[param(max_length = 10)]
    pub from: Option<String>,
    /// The last day of the period (included); default `as_of`.
    #[param(max_length = 10)]
    pub to: Option<String>,
    /// Comma-separated ISO 9001 clauses (`7.2,10.2`); a parent clause takes
    /// the rows under it. Default: every clause.
    #[param(max_length = 1000)]
    pub clauses: Option<String>,
    /// Comma-separated process codes (`PROD,PURCH`). Default: every process.
    #[param(max_length = 2000)]
    pub processes: Option<String>,
    /// The language of `index.html` and the pages: `en` or `fi`; default
    /// the exporter's language.
    #[param(max_length = 2)]
    pub lang: Option<String>,
}

/// A process the export is limited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedProcess {
    /// Its id.
    pub id: String,
    /// Its code.
    pub code: String,
}

/// What one export holds, checked.
#[derive(Debug, Clone)]
pub struct ExportScope {
    /// The date things are shown as of.
    pub as_of: NaiveDate,
    /// The first day of the period.
    pub from: NaiveDate,
    /// The last day of the period (included).
    pub to: NaiveDate,
    /// The end of `as_of` in the site's time zone, as a UTC instant: what
    /// was in force then.
    pub as_of_end: NaiveDateTime,
    /// The start of `from` in the site's time zone (UTC).
    pub period_start: NaiveDateTime,
    /// The end of `to` in the site's time zone (UTC), exclusive.
    pub period_end: NaiveDateTime,
    /// The clauses asked for, as written; empty for every clause.
    pub clauses: Vec<String>,
    /// The processes asked for; empty for every process.
    pub processes: Vec<ScopedProcess>,
    /// The language of the pages.
    pub lang: Lang,
    /// The site's time zone.
    pub tz: chrono_tz::Tz,
}

fn day_start(tz: chrono_tz::Tz, d: NaiveDate) -> NaiveDateTime {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&local)
        .earliest()
        .map_or(local, |t| t.naive_utc())
}

fn list_of(s: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.unwrap_or("").split(',') {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

impl ExportScope {
    /// Checks `q`: dates (`invalid_date`), `from` not after `to`
    /// (`invalid_range`), clauses of `ISO9001.md` (`unknown_clause`),
    /// process codes that exist (`unknown_process`), a known language
    /// (`unknown_language`), at most [`MAX_LIST`] of each (`too_many_items`).
    ///
    /// # Errors
    /// Those refusals (422); a database fault.
    pub fn parse(
        conn: &mut DbConn,
        q: &ExportQuery,
        today: NaiveDate,
        tz: chrono_tz::Tz,
        default_lang: Lang,
    ) -> AppResult<ExportScope> {
        let date = |field: &str, v: &Option<String>| -> AppResult<Option<NaiveDate>> {
            v.as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| crate::kit::date::parse_date(field, s))
                .transpose()
        };
        let as_of = date("as_of", &q.as_of)?.unwrap_or(today);
        let to = date("to", &q.to)?.unwrap_or(as_of);
        let from = date("from", &q.from)?
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
        if from > to {
            return Err(AppError::invalid(
                Code::InvalidRange,
                format!("the period starts ({from}) after it ends ({to})"),
            ));
        }
        let clauses = list_of(q.clauses.as_deref());
        let codes = list_of(q.processes.as_deref());
        if clauses.len() > MAX_LIST || codes.len() > MAX_LIST {
            return Err(AppError::invalid(
                Code::TooManyItems,
                format!("name at most {MAX_LIST} clauses and {MAX_LIST} processes"),
            ));
        }
        for c in &clauses {
            if clauses::rows_for(c).next().is_none() {
                return Err(AppError::invalid(
                    Code::UnknownClause,
                    format!("`{c}` is not a clause Laatu keeps evidence for"),
                ));
            }
        }
        let mut scoped = Vec::new();
        for code in &codes {
            let id: Option<String> = processes::table
                .filter(processes::code.eq(code))
                .select(processes::id)
                .first(conn)
                .optional()?;
            match id {
                Some(id) => scoped.push(ScopedProcess {
                    id,
                    code: code.clone(),
                }),
                None => {
                    return Err(AppError::invalid(
                        Code::UnknownProcess,
                        format!("there is no process `{code}`"),
                    ));
                }
            }
        }
        let lang = match q.lang.as_deref().filter(|s| !s.is_empty()) {
            None => default_lang,
            Some(l) => Lang::parse(l).ok_or_else(|| {
                AppError::invalid(
                    Code::UnknownLanguage,
                    format!("`{l}` is not a language of Laatu (en, fi)"),
                )
            })?,
        };
        let next_day = |d: NaiveDate| d.succ_opt().unwrap_or(d);
        Ok(ExportScope {
            as_of,
            from,
            to,
            as_of_end: day_start(tz, next_day(as_of)),
            period_start: day_start(tz, from),
            period_end: day_start(tz, next_day(to)),
            clauses,
            processes: scoped,
            lang,
            tz,
        })
    }

    /// The parameters as the manifest, the audit event and the list of
    /// exports write them.
    pub fn parameters(&self) -> serde_json::Value {
        serde_json::json!({
            "as_of": self.as_of.to_string(),
            "from": self.from.to_string(),
            "to": self.to.to_string(),
            "clauses": self.clauses,
            "processes": self.processes.iter().map(|p| p.code.clone()).collect::<Vec<_>>(),
            "lang": self.lang.code(),
        })
    }

    /// Whether a file evidencing `evidenced` is kept: always without a
    /// clause filter; with one, when an asked clause covers one of them or
    /// is covered by one (`7.2` keeps a file of `7.2 d`).
    pub fn wants(&self, evidenced: &[&str]) -> bool {
        self.clauses.is_empty()
            || self.clauses.iter().any(|a| {
                evidenced
                    .iter()
                    .any(|e| clauses::covers(a, e) || clauses::covers(e, a))
            })
    }

    /// Whether the processes filter keeps what belongs to the process with
    /// code `code` (`None`: to no process, kept only without the filter).
    pub fn wants_code(&self, code: Option<&str>) -> bool {
        self.processes.is_empty()
            || code.is_some_and(|c| self.processes.iter().any(|p| p.code == c))
    }

    /// As [`ExportScope::wants_code`], by the process's id.
    pub fn wants_process(&self, id: Option<&str>) -> bool {
        self.processes.is_empty() || id.is_some_and(|i| self.processes.iter().any(|p| p.id == i))
    }

    /// Whether the processes filter is given.
    pub fn by_process(&self) -> bool {
        !self.processes.is_empty()
    }

    /// Whether a part that may evidence `clauses` has anything to do
    /// (an empty list: the part decides file by file).
    pub fn runs(&self, part: &EvidencePart) -> bool {
        part.clauses.is_empty() || self.wants(part.clauses)
    }
}

/// Where a bundle's files go: [`Bundle`] on any output.
pub trait Files {
    /// Adds a file written by `write`.
    ///
    /// # Errors
    /// As [`Bundle::add_with`].
    fn add_with(
        &mut self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> AppResult<()>,
    ) -> AppResult<()>;
}

impl<W: Write> Files for Bundle<W> {
    fn add_with(
        &mut self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> AppResult<()>,
    ) -> AppResult<()> {
        Bundle::add_with(self, path, write)
    }
}

/// One file of the bundle as `index.html` lists it.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// Its path in the bundle.
    pub path: String,
    /// What it is, in the export's language.
    pub title: String,
    /// The clauses it evidences.
    pub clauses: Vec<String>,
    /// The heading it is listed under (`evidence-section-documents`).
    pub section: &'static str,
}

/// What a part writes its files through: keeps a file only when the scope
/// wants one of its clauses, and remembers it for `index.html`.
pub struct Sink<'a> {
    files: &'a mut dyn Files,
    /// What the export holds.
    pub scope: &'a ExportScope,
    index: Vec<IndexEntry>,
    progress: &'a mut dyn FnMut(&str),
}

impl<'a> Sink<'a> {
    /// A sink writing to `files` for `scope`; `progress` hears each path.
    pub fn new(
        files: &'a mut dyn Files,
        scope: &'a ExportScope,
        progress: &'a mut dyn FnMut(&str),
    ) -> Self {
        Sink {
            files,
            scope,
            index: Vec::new(),
            progress,
        }
    }

    /// Adds a file written by `write`, listed under `section` as `title`
    /// for `clauses`; answers false (and writes nothing) when the scope
    /// does not want those clauses.
    ///
    /// # Errors
    /// As [`Bundle::add_with`].
    pub fn add_with(
        &mut self,
        section: &'static str,
        path: &str,
        title: &str,
        clauses: &[&str],
        write: &mut dyn FnMut(&mut dyn Write) -> AppResult<()>,
    ) -> AppResult<bool> {
        if !self.scope.wants(clauses) {
            return Ok(false);
        }
        (self.progress)(path);
        self.files.add_with(path, write)?;
        self.index.push(IndexEntry {
            path: path.to_string(),
            title: title.to_string(),
            clauses: clauses.iter().map(|c| c.to_string()).collect(),
            section,
        });
        Ok(true)
    }

    /// As [`Sink::add_with`], from bytes in memory.
    ///
    /// # Errors
    /// As [`Bundle::add_with`].
    pub fn add(
        &mut self,
        section: &'static str,
        path: &str,
        title: &str,
        clauses: &[&str],
        bytes: &[u8],
    ) -> AppResult<bool> {
        self.add_with(section, path, title, clauses, &mut |w| {
            w.write_all(bytes).map_err(AppError::internal)
        })
    }

    /// As [`Sink::add_with`], copied from `reader`.
    ///
    /// # Errors
    /// As [`Bundle::add_with`], and when `reader` fails.
    pub fn add_from(
        &mut self,
        section: &'static str,
        path: &str,
        title: &str,
        clauses: &[&str],
        reader: &mut dyn Read,
    ) -> AppResult<bool> {
        self.add_with(section, path, title, clauses, &mut |w| {
            std::io::copy(reader, w).map_err(AppError::internal)?;
            Ok(())
        })
    }

    /// The files added so far.
    pub fn index(&self) -> &[IndexEntry] {
        &self.index
    }
}

/// Every part of every area, in the order of [`crate::AREAS`].
pub fn parts() -> impl Iterator<Item = &'static EvidencePart> {
    crate::AREAS.iter().flat_map(|a| a.evidence.iter())
}

/// How many audit events a page of the segment holds.
const AUDIT_PAGE: i64 = 1000;

/// Writes the whole bundle for `scope` into `bundle`: every part, the
/// audit-trail segment of the period, `index.html`, and the manifest;
/// `progress` hears each path as it starts. Answers the manifest.
///
/// # Errors
/// A database, repository or output fault.
pub fn write_export<W: Write>(
    conn: &mut DbConn,
    store: &DocStore,
    scope: &ExportScope,
    exported_by: &str,
    mut bundle: Bundle<W>,
    progress: &mut dyn FnMut(&str),
) -> AppResult<Manifest> {
    let exported_at = now();
    let index = {
        let mut sink = Sink::new(&mut bundle, scope, progress);
        for part in parts() {
            if scope.runs(part) {
                (part.write)(conn, store, &mut sink)?;
            }
        }
        sink.index
    };
    progress(super::AUDIT_EVENTS);
    let (start, end) = (scope.period_start, scope.period_end);
    let prev_hash: String = audit_events::table
        .filter(audit_events::occurred_at.lt(start))
        .order(audit_events::seq.desc())
        .select(audit_events::hash)
        .first(conn)
        .optional()?
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    let first_seq: Option<i64> = audit_events::table
        .filter(audit_events::occurred_at.ge(start))
        .filter(audit_events::occurred_at.lt(end))
        .select(diesel::dsl::min(audit_events::seq))
        .first(conn)?;
    // The chain is ordered by seq; the segment runs from the first event of
    // the period to the last, consecutive.
    let last_seq: Option<i64> = audit_events::table
        .filter(audit_events::occurred_at.ge(start))
        .filter(audit_events::occurred_at.lt(end))
        .select(diesel::dsl::max(audit_events::seq))
        .first(conn)?;
    let prev_hash = match first_seq {
        Some(first) => audit_events::table
            .filter(audit_events::seq.eq(first - 1))
            .select(audit_events::hash)
            .first(conn)
            .optional()?
            .unwrap_or_else(|| GENESIS_HASH.to_string()),
        None => prev_hash,
    };
    bundle.add_audit_segment_paged(&prev_hash, &mut |after| {
        let (Some(first), Some(last)) = (first_seq, last_seq) else {
            return Ok(Vec::new());
        };
        let from = after.map_or(first, |a| a + 1);
        Ok(audit_events::table
            .filter(audit_events::seq.ge(from))
            .filter(audit_events::seq.le(last))
            .order(audit_events::seq.asc())
            .limit(AUDIT_PAGE)
            .select(AuditEvent::as_select())
            .load(conn)?)
    })?;
    progress("index.html");
    // The index names people as pages do: by display name.
    let shown = if exported_by.starts_with("system:") {
        crate::i18n::t(scope.lang, "evidence-by-system")
    } else {
        crate::people::names(conn, [exported_by])?
            .remove(exported_by)
            .unwrap_or_else(|| exported_by.to_string())
    };
    let html = super::index::render(scope, &index, &shown, exported_at);
    bundle.add("index.html", html.as_bytes())?;
    bundle.finish(ExportInfo {
        parameters: scope.parameters(),
        exported_by: exported_by.to_string(),
        exported_at: crate::time::format(&exported_at),
        software_version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// One earlier export, as the export page lists it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = evidence_exports)]
pub struct ExportRow {
    /// Its id.
    pub id: String,
    /// Who exported it (null for the system).
    pub exported_by_id: Option<String>,
    /// Their username then, or `system:<what>`.
    pub exported_by_name: String,
    /// When the bundle was finished (UTC).
    #[serde(with = "crate::time::rfc3339")]
    pub exported_at: NaiveDateTime,
    /// The parameters, JSON.
    pub parameters: String,
    /// The manifest's root hash: what `laatu verify` prints.
    pub root_hash: String,
    /// The bundle's size in bytes.
    pub size_bytes: i64,
    /// How many files it holds besides the manifest.
    pub files: i32,
}

/// Records a finished export: its row and its audit event
/// (`evidence.exported`, with the parameters and the root hash), in one
/// transaction.
///
/// # Errors
/// A database fault.
pub fn record_export(
    conn: &mut DbConn,
    actor: &Actor,
    manifest: &Manifest,
    size: u64,
) -> AppResult<ExportRow> {
    db::write_tx(conn, |conn| {
        let row = ExportRow {
            id: new_id(),
            exported_by_id: actor.id.as_ref().map(|i| i.0.clone()),
            exported_by_name: actor.name.clone(),
            exported_at: now(),
            parameters: manifest.info.parameters.to_string(),
            root_hash: manifest.root.clone(),
            size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
            files: i32::try_from(manifest.files.len()).unwrap_or(i32::MAX),
        };
        diesel::insert_into(evidence_exports::table)
            .values((
                evidence_exports::id.eq(&row.id),
                evidence_exports::exported_by_id.eq(&row.exported_by_id),
                evidence_exports::exported_by_name.eq(&row.exported_by_name),
                evidence_exports::exported_at.eq(row.exported_at),
                evidence_exports::parameters.eq(&row.parameters),
                evidence_exports::root_hash.eq(&row.root_hash),
                evidence_exports::size_bytes.eq(row.size_bytes),
                evidence_exports::files.eq(row.files),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            Change {
                action: "evidence.exported",
                entity_type: "evidence_export",
                entity_id: &row.id,
                summary: format!(
                    "evidence exported ({} files, root {})",
                    row.files, row.root_hash
                ),
                changes: serde_json::json!({
                    "parameters": manifest.info.parameters,
                    "root": manifest.root,
                    "files": row.files,
                    "size": row.size_bytes,
                }),
            },
        )?;
        Ok(row)
    })
}

/// The latest exports, newest first.
///
/// # Errors
/// A database fault.
pub fn list_exports(conn: &mut DbConn, limit: i64) -> AppResult<Vec<ExportRow>> {
    Ok(evidence_exports::table
        .order(evidence_exports::exported_at.desc())
        .limit(limit)
        .select(ExportRow::as_select())
        .load(conn)?)
}

/// Counts the bytes passing to `W`, for the export's recorded size.
pub struct Counting<W: Write> {
    inner: W,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<W: Write> Counting<W> {
    /// Wraps `inner`; `count` grows by every byte written.
    pub fn new(inner: W, count: std::sync::Arc<std::sync::atomic::AtomicU64>) -> Self {
        Counting { inner, count }
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The clause rows a file evidencing `evidenced` is listed under.
pub fn rows_of(evidenced: &[String]) -> Vec<&'static clauses::Clause> {
    CLAUSES
        .iter()
        .filter(|c| {
            evidenced
                .iter()
                .any(|e| clauses::covers(e, c.id) || clauses::covers(c.id, e))
        })
        .collect()
}

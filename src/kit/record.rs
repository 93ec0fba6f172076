//! Records with a state, a version and a history: a nonconformity, a
//! revision under review, later a competence or a form record. Every change
//! goes the same way, inside one write transaction:
//!
//! 1. [`lock`] finds the record by its key and locks its row
//!    ([`crate::db::lock_row`]; SQLite's `BEGIN IMMEDIATE` already
//!    serialises writers);
//! 2. the caller checks the step ([`crate::kit::flow`]) and, when the
//!    caller sent the version it read, [`require_version`];
//! 3. the caller appends its history rows (an analysis, a signature): rows
//!    are added, never rewritten;
//! 4. [`commit`] writes the new state and the next version (refusing a
//!    record that changed under it), lets the record add what follows from
//!    the change, and writes the audit event under the record's key, so the
//!    trail of one record reads as its history.

use std::fmt::Display;

use chrono::NaiveDateTime;

use crate::audit::{self, Actor, Change, Diff};
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult, Code};

/// A stored record with a state and an optimistic-concurrency version.
pub trait Record: Sized {
    /// The record's closed set of states.
    type State: Copy + PartialEq + Display;

    /// The audit trail's entity type (`nonconformity`).
    const ENTITY: &'static str;

    /// The row id of the record known to people by `key`, if there is one.
    ///
    /// # Errors
    /// A database fault.
    fn find(conn: &mut DbConn, key: &str) -> AppResult<Option<String>>;

    /// Loads the record with row id `id` (already locked).
    ///
    /// # Errors
    /// A database fault.
    fn load(conn: &mut DbConn, id: &str) -> AppResult<Self>;

    /// The refusal for a key that names no record.
    fn not_found(key: &str) -> AppError;

    /// The row id.
    fn id(&self) -> &str;

    /// The key people know it by (a number), under which its audit events are kept.
    fn key(&self) -> &str;

    /// The version as read.
    fn version(&self) -> i32;

    /// The state as read.
    fn state(&self) -> Self::State;

    /// Writes `next` and `version` if the stored version is still
    /// `self.version()`, answering how many rows changed (0: someone else
    /// changed it).
    ///
    /// # Errors
    /// A database fault.
    fn write_state(
        &self,
        conn: &mut DbConn,
        next: Self::State,
        version: i32,
        at: NaiveDateTime,
    ) -> AppResult<usize>;

    /// What follows from a change (an overdue mark that clears, say), added
    /// to the event's diff. Nothing, unless the record says so.
    ///
    /// # Errors
    /// A database fault.
    fn after_write(&self, _conn: &mut DbConn, _at: NaiveDateTime, diff: Diff) -> AppResult<Diff> {
        Ok(diff)
    }
}

/// What one change tells the audit trail.
pub struct Event<'a> {
    /// The audit action (`nonconformity.accepted`).
    pub action: &'a str,
    /// One sentence for people.
    pub summary: String,
    /// The fields that changed or were added.
    pub diff: Diff,
}

/// Finds and locks the record known by `key`, inside a write transaction.
///
/// # Errors
/// The record's not-found refusal; a database fault.
pub fn lock<R: Record>(conn: &mut DbConn, key: &str) -> AppResult<R> {
    let id = R::find(conn, key)?.ok_or_else(|| R::not_found(key))?;
    db::lock_row(conn, &id)?;
    R::load(conn, &id)
}

fn stale(key: &str) -> AppError {
    AppError::conflict(
        Code::VersionConflict,
        format!("{key} was changed by someone else since you opened it; reload and try again"),
    )
}

/// Refuses when the caller's copy (the version it read, if it sent one)
/// is not the stored one.
///
/// # Errors
/// `version_conflict`.
pub fn require_version<R: Record>(record: &R, given: Option<i32>) -> AppResult<()> {
    match given {
        Some(v) if v != record.version() => Err(stale(record.key())),
        _ => Ok(()),
    }
}

/// Moves the record to `next` (or leaves its state), bumps its version,
/// adds what follows from the change, and records the audit event with the
/// state's change in its diff: the one way a change to a record is written.
///
/// # Errors
/// `version_conflict` when the record changed since it was read; a database fault.
pub fn commit<R: Record>(
    conn: &mut DbConn,
    by: &Actor,
    record: &R,
    next: R::State,
    at: NaiveDateTime,
    event: Event<'_>,
) -> AppResult<()> {
    let Event {
        action,
        summary,
        diff,
    } = event;
    if record.write_state(conn, next, record.version() + 1, at)? == 0 {
        return Err(stale(record.key()));
    }
    let diff = diff.field("status", &record.state().to_string(), &next.to_string());
    let diff = record.after_write(conn, at, diff)?;
    audit::record(
        conn,
        by,
        Change {
            action,
            entity_type: R::ENTITY,
            entity_id: record.key(),
            summary,
            changes: diff.into_value(),
        },
    )?;
    Ok(())
}

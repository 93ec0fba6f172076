//! Gapless numbers per prefix (`QP`, `WI`, ...), allocated in the
//! transaction of the record that takes them.
//!
//! Two writers must never get the same number. On SQLite the write
//! transaction's `BEGIN IMMEDIATE` already holds the database's one write
//! lock; on PostgreSQL two transactions could both read `next_value` before
//! either writes it, so [`next`] first takes an advisory lock on the prefix,
//! held until the transaction ends. A number is used only when the
//! transaction commits; a rolled-back one is handed out again, so no gap
//! remains.

use diesel::prelude::*;

use crate::db::schema::number_sequences;
use crate::db::{self, DbConn};
use crate::error::{AppError, AppResult};

/// Serialises the writers that allocate or claim numbers of `prefix`, until
/// the end of the transaction.
///
/// # Errors
/// `internal` outside a write transaction; a database fault.
pub fn lock(conn: &mut DbConn, prefix: &str) -> AppResult<()> {
    if !db::in_transaction(conn) {
        return Err(AppError::internal(anyhow::anyhow!(
            "sequence {prefix} used outside a transaction"
        )));
    }
    db::lock_key(conn, db::row_lock_key(&format!("sequence:{prefix}")))
}

/// The number the next [`next`] would give, without taking it (for a
/// placeholder such as "will be QP-007").
///
/// # Errors
/// A database fault.
pub fn peek(conn: &mut DbConn, prefix: &str) -> AppResult<i32> {
    let current: Option<i32> = number_sequences::table
        .find(prefix)
        .select(number_sequences::next_value)
        .first(conn)
        .optional()?;
    Ok(current.unwrap_or(1))
}

/// Takes the next number of `prefix` (1, 2, 3, ...) under the prefix's lock.
///
/// # Errors
/// `internal` outside a write transaction; a database fault.
pub fn next(conn: &mut DbConn, prefix: &str) -> AppResult<i32> {
    lock(conn, prefix)?;
    let current: Option<i32> = number_sequences::table
        .find(prefix)
        .select(number_sequences::next_value)
        .first(conn)
        .optional()?;
    let value = current.unwrap_or(1);
    match current {
        Some(_) => diesel::update(number_sequences::table.find(prefix))
            .set(number_sequences::next_value.eq(value + 1))
            .execute(conn)?,
        None => diesel::insert_into(number_sequences::table)
            .values((
                number_sequences::prefix.eq(prefix),
                number_sequences::next_value.eq(value + 1),
            ))
            .execute(conn)?,
    };
    Ok(value)
}

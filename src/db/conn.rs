//! The connection type. `diesel::MultiConnection` derives, beside it, the
//! backend and value types that send each query to the database in use
//! (`MultiBackend`, `MultiRawValue`, ...); those are diesel's own code and
//! carry no documentation of ours.
#![expect(missing_docs, reason = "the items diesel's derive adds beside DbConn")]

use diesel::{PgConnection, SqliteConnection};

/// A connection to either backend; the URL scheme decides which.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// A PostgreSQL connection (`postgres://` or `postgresql://` URLs).
    Postgres(PgConnection),
    /// A SQLite connection (any other URL: a file path or `:memory:`).
    Sqlite(SqliteConnection),
}

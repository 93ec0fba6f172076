//! The database: one connection type over SQLite and PostgreSQL, the pool,
//! migrations, and write transactions that serialise correctly on both.

mod conn;
pub mod schema;

pub use conn::*;

use std::time::Duration;

use anyhow::Context;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::{Connection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppResult;
use crate::kit::Clock;

/// The SQLite migrations, built into the binary.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// The PostgreSQL migrations, built into the binary (the same names as SQLite's).
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The connection pool, with the clock of the application it serves: work
/// handed to [`run`] reads that clock (see [`crate::kit::clock`]).
#[derive(Clone)]
pub struct DbPool {
    pool: Pool<ConnectionManager<DbConn>>,
    clock: Clock,
}

impl DbPool {
    /// The same pool, on `clock`.
    pub fn with_clock(self, clock: Clock) -> DbPool {
        DbPool { clock, ..self }
    }

    /// The clock of the application this pool serves.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
}

impl std::ops::Deref for DbPool {
    type Target = Pool<ConnectionManager<DbConn>>;

    fn deref(&self) -> &Self::Target {
        &self.pool
    }
}

/// A connection taken from the pool; it goes back when dropped.
pub type PooledConn = PooledConnection<ConnectionManager<DbConn>>;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file (or `:memory:`).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a database URL names: `postgres://` or `postgresql://` is PostgreSQL, anything else a SQLite path.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Settings every SQLite connection needs: WAL for concurrent readers,
/// foreign keys, a busy timeout, and full fsync so an answered write survives
/// a power cut, not only a crash.
#[derive(Debug)]
struct SqlitePragmas {
    busy_timeout_ms: u64,
}

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute(&format!(
                // busy_timeout first: switching to WAL takes a lock that the
                // pool's other new connections contend for.
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                self.busy_timeout_ms
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

fn strip_sqlite_scheme(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

/// Builds the pool and runs pending migrations. A request waits up to
/// `wait_secs` for a connection, and on SQLite as long for the write lock.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub fn connect(url: &str, size: u32, wait_secs: u64) -> anyhow::Result<DbPool> {
    let target = match Backend::of_url(url) {
        Backend::Postgres => url.to_string(),
        Backend::Sqlite => strip_sqlite_scheme(url).to_string(),
    };
    if Backend::of_url(url) == Backend::Sqlite {
        // Switch a new file to WAL once, before the pool opens its
        // connections in parallel: the switch needs the file to itself, and
        // racing connections fail it with "database is locked".
        let mut first = SqliteConnection::establish(&target)
            .with_context(|| format!("cannot open the database {}", redact(url)))?;
        first
            .batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")
            .with_context(|| format!("cannot switch {} to WAL", redact(url)))?;
    }
    let pool = Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(wait_secs.max(1)))
        .connection_customizer(Box::new(SqlitePragmas {
            busy_timeout_ms: wait_secs.max(1).saturating_mul(1000),
        }))
        .build(ConnectionManager::<DbConn>::new(target))
        .with_context(|| format!("cannot open the database {}", redact(url)))?;
    let mut conn = pool.get()?;
    run_migrations(&mut conn)?;
    Ok(DbPool {
        pool,
        clock: Clock::system(),
    })
}

/// Runs the migrations of the connection's backend.
///
/// # Errors
/// When a migration fails.
pub fn run_migrations(conn: &mut DbConn) -> anyhow::Result<()> {
    let result = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConn::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}

/// Reverts every migration (used by the migration round-trip test and `laatu`
/// maintenance only).
///
/// # Errors
/// When a `down.sql` fails.
pub fn revert_all_migrations(conn: &mut DbConn) -> anyhow::Result<()> {
    let result = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConn::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("reverting migrations failed: {e}"))
}

/// A URL fit for logs: no password.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Runs `f` in a write transaction and commits when it returns `Ok`.
///
/// SQLite: `BEGIN IMMEDIATE`, because a deferred transaction that reads and
/// then writes fails under concurrency whatever the busy timeout.
/// PostgreSQL: an ordinary transaction; code that needs to serialise takes an
/// advisory lock (see [`lock`]).
///
/// # Errors
/// Whatever `f` returns, or a database fault; the transaction is rolled back.
pub fn write_tx<T>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> AppResult<T>) -> AppResult<T> {
    match conn {
        DbConn::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        }
        DbConn::Postgres(_) => {
            <DbConn as Connection>::TransactionManager::begin_transaction(conn)?;
        }
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) =
                <DbConn as Connection>::TransactionManager::rollback_transaction(conn)
            {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Whether the connection is inside a transaction.
pub fn in_transaction(conn: &mut DbConn) -> bool {
    <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .ok()
        .flatten()
        .is_some()
}

/// Named locks that serialise writers across connections within a transaction.
#[derive(Debug, Clone, Copy)]
#[repr(i64)]
pub enum LockKey {
    /// The head of the audit chain.
    AuditChain = 0x4c41_4154_0001,
    /// The commit `refs/heads/main` is built on.
    MainTree = 0x4c41_4154_0002,
}

/// Takes a transaction-scoped lock. On SQLite the `BEGIN IMMEDIATE` of
/// [`write_tx`] already holds the database's one write lock.
///
/// # Errors
/// A database fault.
pub fn lock(conn: &mut DbConn, key: LockKey) -> AppResult<()> {
    lock_key(conn, key as i64)
}

/// Takes a transaction-scoped lock on any 64-bit key (such as one derived
/// from a document id), as [`lock`] does.
///
/// # Errors
/// A database fault.
pub fn lock_key(conn: &mut DbConn, key: i64) -> AppResult<()> {
    if let DbConn::Postgres(c) = conn {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(key)
            .execute(c)?;
    }
    Ok(())
}

/// A stable 64-bit lock key for one row (a document, a nonconformity), from its id.
pub fn row_lock_key(id: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(id.as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    i64::from_be_bytes(b)
}

/// Serialises writers of one row for the rest of the transaction (see [`lock`]).
///
/// # Errors
/// A database fault.
pub fn lock_row(conn: &mut DbConn, id: &str) -> AppResult<()> {
    lock_key(conn, row_lock_key(id))
}

/// Runs blocking database work off the actix worker threads.
///
/// # Errors
/// Whatever `f` returns; pool exhaustion is `database_unavailable`.
pub async fn run<T, F>(pool: &DbPool, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        pool.clock.enter(|| {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
    })
    .await?
}

thread_local! {
    static ACTIX_WORKER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the current thread as an actix worker (the server's app factory
/// calls it on each worker thread).
pub fn mark_worker_thread() {
    ACTIX_WORKER.with(|w| w.set(true));
}

/// Whether the current thread is an actix worker: blocking work asserts it
/// is not, so that a regression fails the tests instead of stalling a server.
pub fn on_worker_thread() -> bool {
    ACTIX_WORKER.with(std::cell::Cell::get)
}

/// Runs CPU-heavy work that needs no connection (laying out the map,
/// rendering Markdown, computing a redline) off the actix worker threads,
/// by the application's clock.
///
/// # Errors
/// Whatever `f` returns; `internal` if the blocking task was lost.
pub async fn cpu<T, F>(pool: &DbPool, f: F) -> AppResult<T>
where
    F: FnOnce() -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let clock = pool.clock.clone();
    actix_web::web::block(move || clock.enter(f)).await?
}

/// Runs `f` in a write transaction, off the actix worker threads.
///
/// # Errors
/// As [`write_tx`].
pub async fn run_tx<T, F>(pool: &DbPool, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    run(pool, move |conn| write_tx(conn, f)).await
}

//! Storage: one connection type for both backends, the pool, the migrations runner, typed
//! columns, and one repository module per aggregate. Every query of the service is here.

pub mod assessments;
pub mod calls;
pub mod conventions;
pub mod counters;
pub mod disbursements;
pub mod document_store;
pub mod documents;
pub mod dossiers;
pub mod eligibility;
pub mod envelopes;
pub mod error;
pub mod exports;
pub mod generated;
pub mod history;
pub mod idempotency;
pub mod imports;
pub mod invariants;
pub mod notifications;
pub mod open_data;
pub mod organisation_history;
pub mod organisations;
pub mod receipts;
pub mod retention;
pub mod schema;
pub mod schemes;
pub mod sessions;
pub mod snapshots;
pub mod submissions;
pub mod territories;
pub mod types;

pub use error::{DbError, DbResult};

use std::time::Duration;

use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::r2d2::{Pool, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// The connection every query in Essor uses, whatever the backend.
/// PostgreSQL is declared first (diesel's MultiConnection requirement for `returning`).
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// The query backend of [`DbConnection`], for boxed queries.
pub type DbBackend = <DbConnection as Connection>::Backend;
pub type DbPool = Pool<DbManager>;

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// The time rows are stamped with: UTC, at microsecond precision (both backends keep it whole).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    now - chrono::Duration::nanoseconds(i64::from(now.and_utc().timestamp_subsec_nanos() % 1000))
}

/// Whether the database answers a trivial query (readiness probe).
pub fn ping(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

/// A new row id.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Which backend a DATABASE_URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("DATABASE_URL {0:?} names no supported backend: use a file path, sqlite://PATH, postgres://… or postgresql://…")]
    UnknownScheme(String),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("migrations failed: {0}")]
    Migrations(String),
}

impl Backend {
    /// A path or `sqlite://` URL is SQLite; `postgres://` / `postgresql://` is PostgreSQL;
    /// any other `scheme://` is refused rather than taken for a file name.
    pub fn from_url(url: &str) -> Result<Self, DbSetupError> {
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if lower.starts_with("sqlite://") || lower.starts_with("file:") {
            Ok(Backend::Sqlite)
        } else if url.contains("://") || url.trim().is_empty() {
            Err(DbSetupError::UnknownScheme(redact_url(url)))
        } else {
            Ok(Backend::Sqlite)
        }
    }
}

/// The URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

/// The URL diesel's connection expects for this backend.
fn connection_url(backend: Backend, url: &str) -> String {
    match backend {
        Backend::Postgres => url.to_string(),
        Backend::Sqlite => sqlite_path(url).to_string(),
    }
}

/// Per-connection SQLite settings: referential integrity, WAL, durable commits (the busy timeout
/// is set beside them, see [`DbManager::establish`]).
const SQLITE_PRAGMAS: &str =
    "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";

/// How long work waits for a lock that other work holds, by default (`ESSOR_DB_LOCK_TIMEOUT_MS`):
/// SQLite's busy timeout, PostgreSQL's `lock_timeout`. Past it the work fails with nothing
/// written, and the client gets 503 with `Retry-After` ([`DbError::Contention`]), never a wait
/// without end behind a long import or a forgotten transaction.
pub const DEFAULT_LOCK_TIMEOUT_MS: u32 = 10_000;

/// How long a migrations run waits for another instance's run to finish (SQLite).
const SQLITE_MIGRATIONS_BUSY_TIMEOUT_MS: u32 = 120_000;

/// Key of the PostgreSQL session advisory lock that serialises migration runs ("essor_mg").
const PG_MIGRATIONS_LOCK_KEY: i64 = 0x6573_736f_725f_6d67;

/// Opens the pool's connections on the one backend the URL names, and tells r2d2 which
/// pooled connections are dead.
///
/// diesel's derived `MultiConnection::establish` tries each backend in turn: while PostgreSQL
/// is unreachable it would open the `postgres://…` URL as a SQLite file path (and serve an
/// empty database if a file exists there), and it reports "Invalid connection url for
/// multiconnection" instead of PostgreSQL's own error. This manager never guesses.
#[derive(Debug, Clone)]
pub struct DbManager {
    backend: Backend,
    url: String,
    lock_timeout_ms: u32,
}

impl DbManager {
    pub fn new(database_url: &str) -> Result<Self, DbSetupError> {
        Self::with_lock_timeout(database_url, DEFAULT_LOCK_TIMEOUT_MS)
    }

    /// Connections that wait at most `lock_timeout_ms` for a lock.
    pub fn with_lock_timeout(database_url: &str, lock_timeout_ms: u32) -> Result<Self, DbSetupError> {
        let backend = Backend::from_url(database_url)?;
        Ok(Self { backend, url: connection_url(backend, database_url), lock_timeout_ms })
    }

    fn establish(&self) -> Result<DbConnection, diesel::r2d2::Error> {
        use diesel::r2d2::Error;
        match self.backend {
            Backend::Postgres => {
                let mut conn = PgConnection::establish(&self.url).map_err(Error::ConnectionError)?;
                conn.batch_execute(&format!("SET lock_timeout = {}", self.lock_timeout_ms))
                    .map_err(Error::QueryError)?;
                Ok(DbConnection::Pg(conn))
            }
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url).map_err(Error::ConnectionError)?;
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {}; {SQLITE_PRAGMAS}",
                    self.lock_timeout_ms
                ))
                .map_err(Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.establish()
    }

    /// Run on every checkout: a connection whose PostgreSQL backend was terminated, or whose
    /// server went away, fails this and is dropped (r2d2 then hands out another or opens one).
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        ping(conn).map_err(diesel::r2d2::Error::QueryError)
    }

    /// Run when a connection comes back: one left inside a transaction, or whose transaction
    /// manager is broken (a failed rollback, typically on a lost connection), is not reused.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || R2D2Connection::is_broken(conn)
    }
}

/// Opens one connection, runs the backend's embedded migrations on it, and returns the
/// names of the migrations applied now.
///
/// Several instances may start at once on a fresh database: runs are serialised, and a run
/// that waited finds the migrations applied and applies nothing. PostgreSQL: a session
/// advisory lock is held around the run. SQLite: the run is one `BEGIN IMMEDIATE`
/// transaction (each migration a savepoint in it), which waits for the write lock.
pub fn run_migrations(database_url: &str) -> Result<Vec<String>, DbSetupError> {
    let backend = Backend::from_url(database_url)?;
    let url = connection_url(backend, database_url);
    let failed = |e: &dyn std::fmt::Display| DbSetupError::Migrations(e.to_string());
    let names = |applied: Vec<diesel::migration::MigrationVersion<'_>>| -> Vec<String> {
        applied.iter().map(|v| v.to_string()).collect()
    };
    let applied = match backend {
        Backend::Postgres => {
            let mut conn = PgConnection::establish(&url).map_err(|e| DbSetupError::Connect(e.to_string()))?;
            conn.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATIONS_LOCK_KEY})"))
                .map_err(|e| failed(&e))?;
            let applied = conn.run_pending_migrations(PG_MIGRATIONS).map(names).map_err(|e| failed(&e));
            // Closing the connection would release the lock too; release it now all the same.
            let unlocked =
                conn.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATIONS_LOCK_KEY})"));
            let applied = applied?;
            unlocked.map_err(|e| failed(&e))?;
            applied
        }
        Backend::Sqlite => {
            // SQLite answers "database is locked" without waiting in a few cases the busy
            // timeout does not cover (a fresh file switched to WAL by another instance at the
            // same moment, a lock it cannot wait for without risking a deadlock): the whole run
            // is tried again, it is one transaction, for as long as the busy timeout.
            let give_up = std::time::Instant::now()
                + Duration::from_millis(u64::from(SQLITE_MIGRATIONS_BUSY_TIMEOUT_MS));
            loop {
                match run_sqlite_migrations(&url) {
                    Err(e) if e.contains("database is locked") && std::time::Instant::now() < give_up => {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    done => break done.map_err(|e| failed(&e))?,
                }
            }
        }
    };
    Ok(applied)
}

/// One migrations run on SQLite, in one `BEGIN IMMEDIATE` transaction; the error as text.
fn run_sqlite_migrations(url: &str) -> Result<Vec<String>, String> {
    let mut conn = SqliteConnection::establish(url).map_err(|e| e.to_string())?;
    // The busy timeout first: switching a fresh file to WAL takes a lock too.
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {SQLITE_MIGRATIONS_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON; \
         PRAGMA journal_mode = WAL;"
    ))
    .map_err(|e| e.to_string())?;
    conn.immediate_transaction(|conn| {
        conn.run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|applied| applied.iter().map(|v| v.to_string()).collect())
    })
    .map_err(|e: Box<dyn std::error::Error + Send + Sync>| e.to_string())
}

/// Builds the pool. Connections are opened lazily, so the server starts (and `/health/ready`
/// answers 503) even while the database is briefly unreachable. The pool itself does not test
/// a connection at checkout: `AppState::db` does (`SELECT 1`) before work that may write, and
/// `AppState::read` runs reads without it and again on another connection when the first was
/// lost (see there). While the database is unreachable, r2d2 retries opening connections at
/// most every `connection_timeout / 2` (1 s), so that Essor serves again within about a second
/// of the database's return.
pub fn build_pool(database_url: &str, max_size: u32) -> Result<DbPool, DbSetupError> {
    build_pool_with(database_url, max_size, DEFAULT_LOCK_TIMEOUT_MS)
}

/// [`build_pool`] with connections that wait at most `lock_timeout_ms` for a lock.
pub fn build_pool_with(
    database_url: &str,
    max_size: u32,
    lock_timeout_ms: u32,
) -> Result<DbPool, DbSetupError> {
    let manager = DbManager::with_lock_timeout(database_url, lock_timeout_ms)?;
    Ok(Pool::builder()
        .max_size(max_size)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(2))
        .test_on_check_out(false)
        .build_unchecked(manager))
}

/// Marks a connection found lost (or otherwise unusable) so that the pool drops it when it
/// comes back ([`DbManager::has_broken`]) instead of handing it out again.
pub fn discard(conn: &mut DbConnection) {
    type Tm = <DbConnection as Connection>::TransactionManager;
    Tm::transaction_manager_status_mut(conn).set_in_error();
}

/// Runs `f` in a transaction that takes the write lock at its start. On SQLite a deferred
/// transaction that reads then writes can fail at once with SQLITE_BUSY when another writer
/// committed in between; `BEGIN IMMEDIATE` makes it wait (busy_timeout) instead. On
/// PostgreSQL it is an ordinary transaction.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    type Tm = <DbConnection as Connection>::TransactionManager;
    match conn {
        DbConnection::Sqlite(c) => {
            diesel::connection::AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Pg(_) => Tm::begin_transaction(conn)?,
    }
    match f(conn) {
        Ok(value) => {
            Tm::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            Tm::rollback_transaction(conn).map_err(E::from)?;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled SQLite keeps a statement's plan whatever is bound to it (`.cargo/config.toml`
    /// builds it with SQLITE_ENABLE_QPSG): without it, every statement with a bound LIMIT is
    /// compiled again at each execution. A build that lost the flag (another config, a system
    /// SQLite) fails here.
    #[test]
    fn the_bundled_sqlite_has_a_stable_query_planner() {
        use diesel::{QueryableByName, RunQueryDsl};
        #[derive(QueryableByName)]
        struct CompileOption {
            #[diesel(sql_type = diesel::sql_types::Text)]
            compile_options: String,
        }
        let mut conn = DbManager::new(":memory:").unwrap().establish().unwrap();
        let options: Vec<CompileOption> =
            diesel::sql_query("PRAGMA compile_options").load(&mut conn).unwrap();
        let options: Vec<String> = options.into_iter().map(|o| o.compile_options).collect();
        assert!(options.iter().any(|o| o == "ENABLE_QPSG"), "{options:?}");
    }
}

//! What every request can reach: the database pool and the documents' store.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::web;
use prometheus::IntGauge;

use crate::db::{self, DbConnection, DbPool};
use crate::error::{ApiError, ApiResult};

/// How long a request waits for a pooled connection while the database answers.
pub const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long it waits once the database was found unreachable: the 503 (with `Retry-After`)
/// comes within a second of the request, not after [`CHECKOUT_TIMEOUT`].
pub const CHECKOUT_TIMEOUT_WHILE_DOWN: Duration = Duration::from_millis(500);

/// How long the total of a list, once counted, answers for the same list: only while this
/// instance has run no work that may write (any [`AppState::db`] since clears it), so a
/// client always sees its own writes counted; another instance's writes within this time (and
/// the time one count takes: see [`AppState::total`]).
pub const TOTAL_FOR: Duration = Duration::from_secs(1);

/// Most totals kept (the map is emptied when full).
const TOTALS_KEPT: usize = 10_000;

/// How long the requests that find a total too old keep answering it while one of them counts
/// it again, at most (past that, the recount is taken for lost and another request counts).
const RECOUNT_FOR: Duration = Duration::from_secs(5);

/// How many times [`AppState::write`] runs a transaction that PostgreSQL aborted for a deadlock
/// or a serialization failure, in all.
pub const WRITE_ATTEMPTS: u32 = 4;

/// The pause before running an aborted transaction again: 10, 20, 40 ms…, plus up to as much
/// again at random, so that the transactions that collided do not collide again in step.
fn retry_pause(attempt: u32) -> Duration {
    let base = 10u64 << attempt.saturating_sub(1).min(6);
    let jitter = u64::from(uuid::Uuid::new_v4().as_u128() as u16) % base.max(1);
    Duration::from_millis(base + jitter)
}

/// A list's total as counted.
struct Total {
    total: i64,
    /// When the count started.
    at: Instant,
    /// [`AppState::writes`] before the count.
    writes: u64,
    /// Since when a request counts it again (it became too old).
    recounting_since: Option<Instant>,
}

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    /// Where documents' bytes live.
    pub documents: Arc<dyn crate::db::document_store::DocumentStore>,
    /// The letter templates (receipts…), checked when loaded.
    pub letters: Arc<crate::letters::Templates>,
    /// Set when a connection could not be had or was found lost; cleared by the next piece of
    /// work that succeeds.
    down: Arc<AtomicBool>,
    /// How many pieces of work that may write have finished (see [`AppState::total`]).
    writes: Arc<AtomicU64>,
    totals: Arc<Mutex<HashMap<String, Total>>>,
    /// Requests waiting for a connection (a metric).
    waiting: IntGauge,
}

impl AppState {
    pub fn new(pool: DbPool, documents: Arc<dyn crate::db::document_store::DocumentStore>) -> Self {
        let waiting = IntGauge::new("waiting", "unexported").expect("valid gauge");
        // The shipped templates are compiled in, and loading them is tested (`letters::tests`).
        let letters = crate::letters::Templates::load(None).expect("the shipped templates load");
        Self::with_waiting_gauge(pool, documents, waiting, Arc::new(letters))
    }

    /// The state, counting requests that wait for a connection on `waiting`, writing letters
    /// with `letters`.
    pub fn with_waiting_gauge(
        pool: DbPool,
        documents: Arc<dyn crate::db::document_store::DocumentStore>,
        waiting: IntGauge,
        letters: Arc<crate::letters::Templates>,
    ) -> Self {
        AppState {
            pool,
            documents,
            letters,
            down: Arc::new(AtomicBool::new(false)),
            writes: Arc::new(AtomicU64::new(0)),
            totals: Arc::new(Mutex::new(HashMap::new())),
            waiting,
        }
    }

    /// The total of the list named `key` (every filter and the caller's scope in it): counted
    /// by `count`, or the count made less than [`TOTAL_FOR`] ago if this instance finished no
    /// work that may write since (a count of a large list reads every row it counts; the page
    /// itself reads a page). When the count is only too old, one request counts it again and
    /// the others answer the last count meanwhile: many clients paging through the same list
    /// do not all count it at the same moment.
    pub async fn total<F>(&self, key: String, count: F) -> ApiResult<i64>
    where
        F: Fn(&mut DbConnection) -> ApiResult<i64> + Send + 'static,
    {
        let writes = self.writes.load(Ordering::SeqCst);
        if let Ok(mut totals) = self.totals.lock() {
            if let Some(kept) = totals.get_mut(&key).filter(|kept| kept.writes == writes) {
                let recounting = kept.recounting_since.is_some_and(|since| since.elapsed() < RECOUNT_FOR);
                if kept.at.elapsed() < TOTAL_FOR || recounting {
                    return Ok(kept.total);
                }
                kept.recounting_since = Some(Instant::now());
            }
        }
        let at = Instant::now();
        let counted = self.read(count).await;
        if let Ok(mut totals) = self.totals.lock() {
            match &counted {
                Ok(total) => {
                    if totals.len() >= TOTALS_KEPT {
                        totals.clear();
                    }
                    totals.insert(key, Total { total: *total, at, writes, recounting_since: None });
                }
                // Another request counts it next time.
                Err(_) => {
                    if let Some(kept) = totals.get_mut(&key) {
                        kept.recounting_since = None;
                    }
                }
            }
        }
        counted
    }

    /// Runs blocking database work on actix's thread pool with a pooled connection, checked
    /// with `SELECT 1` first (a connection killed underneath the pool is replaced, never used:
    /// the work may write, so it runs once).
    pub async fn db<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(None, work).await
    }

    /// Runs `work` in one write transaction ([`db::write_transaction`]) on a checked pooled
    /// connection. When PostgreSQL aborts it to break a deadlock or for a serialization failure,
    /// nothing of it was written: it is run again, from the start and in a new transaction, up
    /// to [`WRITE_ATTEMPTS`] times in all with a short growing pause; past that (or when a lock
    /// was not granted within the lock timeout) the client gets 503 with `Retry-After`. Money
    /// use cases take their locks in one order (ARCHITECTURE.md, "Locks"), so a deadlock is
    /// not expected; this is the safety net that keeps one from ever being a 500.
    pub async fn write<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: Fn(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(None, move |conn| {
            let mut attempt = 1;
            loop {
                match db::write_transaction(conn, &work) {
                    Err(ApiError::Contention { kind, cause })
                        if kind.worth_retrying_now() && attempt < WRITE_ATTEMPTS =>
                    {
                        tracing::info!(kind = ?kind, cause = %cause, attempt, "transaction run again");
                        std::thread::sleep(retry_pause(attempt));
                        attempt += 1;
                    }
                    done => return done,
                }
            }
        })
        .await
    }

    /// Like [`AppState::db`], but waits at most `checkout` for a connection: a probe must
    /// answer quickly, even while the database is unreachable.
    pub async fn db_within<T, F>(&self, checkout: Duration, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(Some(checkout), work).await
    }

    /// Runs a read (work that writes nothing, so that it may run twice) without the `SELECT 1`
    /// round trip: a pooled connection found lost by the read itself is dropped and the read
    /// run again on another (at most once per pooled connection, then a 503).
    pub async fn read<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: Fn(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, down, waiting) = (self.pool.clone(), self.down.clone(), self.waiting.clone());
        web::block(move || {
            let mut attempts = pool.max_size() + 1;
            loop {
                let mut conn = checkout(&pool, &down, &waiting, None)?;
                match work(&mut conn) {
                    Err(ApiError::Unavailable(cause)) => {
                        down.store(true, Ordering::Relaxed);
                        db::discard(&mut conn);
                        attempts -= 1;
                        if attempts == 0 {
                            return Err(ApiError::Unavailable(cause));
                        }
                    }
                    done => {
                        down.store(false, Ordering::Relaxed);
                        return done;
                    }
                }
            }
        })
        .await?
    }

    async fn run<T, F>(&self, timeout: Option<Duration>, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, down, writes) = (self.pool.clone(), self.down.clone(), self.writes.clone());
        let waiting = self.waiting.clone();
        web::block(move || {
            // Counted when the work is over (committed or not), whatever the outcome.
            let _written = Written(writes);
            let mut attempts = pool.max_size() + 1;
            let mut conn = loop {
                let mut conn = checkout(&pool, &down, &waiting, timeout)?;
                match db::ping(&mut conn) {
                    Ok(()) => break conn,
                    Err(e) => {
                        down.store(true, Ordering::Relaxed);
                        db::discard(&mut conn);
                        attempts -= 1;
                        if attempts == 0 {
                            return Err(ApiError::Unavailable(format!("database connection lost: {e}")));
                        }
                    }
                }
            };
            let done = work(&mut conn);
            let lost = matches!(done, Err(ApiError::Unavailable(_)));
            if lost {
                db::discard(&mut conn);
            }
            down.store(lost, Ordering::Relaxed);
            done
        })
        .await?
    }
}

/// A pooled connection, within `timeout`, or the shorter wait while the database is down.
/// Counted on `waiting` (a metric) while it waits.
fn checkout(
    pool: &DbPool,
    down: &AtomicBool,
    waiting: &IntGauge,
    timeout: Option<Duration>,
) -> ApiResult<r2d2::PooledConnection<db::DbManager>> {
    let wait = if down.load(Ordering::Relaxed) { CHECKOUT_TIMEOUT_WHILE_DOWN } else { CHECKOUT_TIMEOUT };
    let wait = timeout.map_or(wait, |t| t.min(wait));
    waiting.inc();
    let conn = pool.get_timeout(wait);
    waiting.dec();
    conn.map_err(|e| {
        down.store(true, Ordering::Relaxed);
        ApiError::from(e)
    })
}

/// Counts a piece of work that may have written, when dropped (after it finished).
struct Written(Arc<AtomicU64>);

impl Drop for Written {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

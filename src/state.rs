//! What every request can reach: the database pool.

use std::time::Duration;

use actix_web::web;
use prometheus::IntGauge;

use crate::db::{DbConnection, DbPool};
use crate::error::{ApiError, ApiResult};

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    /// Requests waiting for a connection (a metric).
    waiting: IntGauge,
}

impl AppState {
    pub fn new(pool: DbPool) -> Self {
        Self::with_waiting_gauge(pool, IntGauge::new("waiting", "unexported").expect("valid gauge"))
    }

    /// The state, counting requests that wait for a connection on `waiting`.
    pub fn with_waiting_gauge(pool: DbPool, waiting: IntGauge) -> Self {
        Self { pool, waiting }
    }

    /// Runs blocking database work on actix's thread pool with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(None, work).await
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

    async fn run<T, F>(&self, checkout: Option<Duration>, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let waiting = self.waiting.clone();
        web::block(move || {
            waiting.inc();
            let conn = match checkout {
                Some(timeout) => pool.get_timeout(timeout),
                None => pool.get(),
            };
            waiting.dec();
            let mut conn = conn.map_err(ApiError::from)?;
            work(&mut conn)
        })
        .await?
    }
}

//! What every request can reach: the database pool.

use std::time::Duration;

use actix_web::web;

use crate::db::{DbConnection, DbPool};
use crate::error::{ApiError, ApiResult};

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    /// Where documents' bytes live.
    pub documents: std::sync::Arc<dyn crate::db::document_store::DocumentStore>,
}

impl AppState {
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
        web::block(move || {
            let mut conn = match checkout {
                Some(timeout) => pool.get_timeout(timeout),
                None => pool.get(),
            }
            .map_err(ApiError::from)?;
            work(&mut conn)
        })
        .await?
    }
}

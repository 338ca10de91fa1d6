//! What every request can reach: the database pool.

use actix_web::web;

use crate::db::{DbConnection, DbPool};
use crate::error::{ApiError, ApiResult};

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
}

impl AppState {
    /// Runs blocking database work on actix's thread pool with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get().map_err(ApiError::from)?;
            work(&mut conn)
        })
        .await?
    }
}

//! Probes for orchestrators: liveness (the process answers) and readiness (the database too).

use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct HealthStatus {
    #[schema(example = "ok")]
    pub status: String,
}

/// The process is up.
#[utoipa::path(
    tag = "health",
    security(()),
    responses((status = 200, description = "The process answers", body = HealthStatus))
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(HealthStatus { status: "ok".into() })
}

/// How long readiness waits for a database connection: during an outage the probe answers
/// 503 within this, not after the pool's ordinary checkout timeout.
const READY_CHECKOUT_TIMEOUT: Duration = Duration::from_millis(500);

/// The process is up and its database answers a query.
#[utoipa::path(
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Ready to serve", body = HealthStatus),
        (status = 503, response = crate::api::openapi::ServiceUnavailable),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    state
        .db_within(READY_CHECKOUT_TIMEOUT, |conn| {
            crate::db::ping(conn).map_err(|e| ApiError::Unavailable(format!("database check failed: {e}")))
        })
        .await?;
    Ok(HttpResponse::Ok().json(HealthStatus { status: "ok".into() }))
}

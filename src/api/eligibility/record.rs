use actix_web::{post, web, HttpResponse};
use diesel::prelude::*;

use super::dto::SnapshotView;
use super::inputs::evaluate_dossier;
use crate::api::common::{new_id, now, stored_name};
use crate::api::dossiers::dto::status_of;
use crate::api::dossiers::get::visible_dossier;
use crate::auth::{AuthUser, Role};
use crate::db::models::SnapshotRow;
use crate::db::schema::eligibility_snapshots;
use crate::domain::lifecycle::DossierStatus;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Records the eligibility evaluated now as a snapshot on the dossier (instructors, during
/// instruction). A later rules change never rewrites a snapshot; approval relies on the latest.
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id")),
    responses(
        (status = 201, description = "Recorded", body = SnapshotView),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
        (status = 409, response = crate::api::openapi::Conflict),
    )
)]
#[post("/dossiers/{id}/eligibility")]
pub async fn record_eligibility(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Instructor])?;
    let id = id.into_inner().to_string();
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let dossier = visible_dossier(conn, &user, &id)?;
                let status = status_of(&dossier)?;
                if !matches!(status, DossierStatus::Submitted | DossierStatus::UnderReview) {
                    return Err(ApiError::Conflict(format!(
                        "Eligibility is recorded during instruction (submitted or under review), not in '{}'.",
                        status.as_str()
                    )));
                }
                let evaluation = evaluate_dossier(conn, &dossier, chrono::Utc::now().date_naive())?;
                let row = SnapshotRow {
                    id: new_id(),
                    dossier_id: dossier.id,
                    rules_version_id: evaluation.rules_version.id,
                    evaluated_on: evaluation.on,
                    overall: stored_name(&evaluation.report.overall)?,
                    max_grant_cents: evaluation.report.max_grant_cents,
                    report: serde_json::to_string(&evaluation.report)
                        .map_err(|e| ApiError::internal("serialising report", e))?,
                    created_by: user.sub.clone(),
                    created_at: now(),
                };
                diesel::insert_into(eligibility_snapshots::table).values(&row).execute(conn)?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(SnapshotView::try_from(row)?))
}

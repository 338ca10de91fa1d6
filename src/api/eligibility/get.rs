use actix_web::{get, web};

use super::dto::{EligibilityView, SnapshotView};
use super::inputs::evaluate_dossier;
use crate::api::dossiers::dto::status_of;
use crate::api::dossiers::get::visible_dossier;
use crate::auth::AuthUser;
use crate::db::models::SnapshotRow;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Evaluates the six criteria and the maximum grant now. For staff; for the applicant on its
/// own dossier while it is editable (a self-check before submitting).
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "Criterion by criterion, with the figures used", body = EligibilityView),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
        (status = 409, response = crate::api::openapi::Conflict),
    )
)]
#[get("/dossiers/{id}/eligibility")]
pub async fn get_eligibility(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<EligibilityView>> {
    let id = id.into_inner().to_string();
    let view = state
        .db(move |conn| {
            let dossier = visible_dossier(conn, &user, &id)?;
            if !user.role.is_staff() && !status_of(&dossier)?.is_editable() {
                return Err(ApiError::Forbidden(
                    "Applicants can check eligibility only while their dossier is editable.".into(),
                ));
            }
            let evaluation = evaluate_dossier(conn, &dossier, chrono::Utc::now().date_naive())?;
            let latest_snapshot = if user.role.is_staff() {
                SnapshotRow::latest(conn, &dossier.id)?.map(SnapshotView::try_from).transpose()?
            } else {
                None
            };
            Ok(EligibilityView {
                dossier_id: dossier.id,
                rules_version_id: evaluation.rules_version.id,
                rules_effective_from: evaluation.rules_version.effective_from,
                evaluated_on: evaluation.on,
                report: evaluation.report,
                latest_snapshot,
            })
        })
        .await?;
    Ok(web::Json(view))
}

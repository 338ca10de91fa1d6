use actix_web::{post, web, HttpResponse};

use super::dto::SnapshotView;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::{AuthUser, Role};
use crate::db::eligibility::inputs_for;
use crate::db::snapshots;
use crate::domain::lifecycle::DossierStatus;
use crate::domain::ProblemCode;
use crate::domain::{Code, Lang};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Records the eligibility evaluated now as a snapshot on the dossier (instructors, during
/// instruction). A later rules change never rewrites a snapshot; approval relies on the latest.
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 201, description = "Recorded", body = SnapshotView),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 409, response = crate::api::openapi::Conflict),
        ReadErrors,
    )
)]
#[post("/dossiers/{id}/eligibility")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn record_eligibility(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    lang: Lang,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Instructor])?;
    let row = state
        .write(move |conn| {
            let dossier = dossier.load_to_change(conn, &user)?;
            if !matches!(dossier.status, DossierStatus::Submitted | DossierStatus::UnderReview) {
                let status = dossier.status.as_str();
                return Err(ApiError::conflict(
                    ProblemCode::NotUnderInstruction,
                    text!("eligibility-not-under-instruction", status = status),
                ));
            }
            let on = chrono::Utc::now().date_naive();
            let inputs = inputs_for(conn, &dossier, on)?;
            let report = inputs.evaluate();
            Ok(snapshots::record(conn, &dossier.id, &inputs.rules_version.id, on, report, &user.sub)?)
        })
        .await?;
    Ok(HttpResponse::Created().json(SnapshotView::new(row, lang)))
}

use actix_web::{get, web};

use super::dto::{EligibilityView, SnapshotView};
use crate::api::common::utc;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::eligibility::inputs_for;
use crate::db::snapshots;
use crate::domain::{Lang, Localized};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Evaluates the six criteria (as the rules count them: required, advisory or off) and the
/// maximum grant, bonuses included, now. For staff; for the applicant on its
/// own dossier while it is editable (a self-check before submitting).
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "Criterion by criterion, with the figures used", body = EligibilityView),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 409, response = crate::api::openapi::Conflict),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/eligibility")]
pub async fn get_eligibility(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    lang: Lang,
) -> ApiResult<web::Json<EligibilityView>> {
    let view = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            if !user.is_staff() && !dossier.status.is_editable() {
                return Err(ApiError::Forbidden(text!("eligibility-applicants-can-check-eligibility-only")));
            }
            let on = chrono::Utc::now().date_naive();
            let inputs = inputs_for(conn, &dossier, on)?;
            let report = inputs.evaluate();
            let latest_snapshot = if user.is_staff() {
                snapshots::latest(conn, &dossier.id)?.map(|row| SnapshotView::new(row, lang))
            } else {
                None
            };
            let applied_bonuses =
                report.applied_bonuses(&inputs.rules_version.parameters.0).map(|b| b.code.clone()).collect();
            Ok(EligibilityView {
                dossier_id: dossier.id.into(),
                rules_version_id: inputs.rules_version.id.into(),
                rules_effective_from: inputs.rules_version.effective_from,
                evaluated_on: on,
                report: Localized::new(report, lang),
                organisation_submitted_at: inputs.organisation_submitted_at.map(utc),
                applied_bonuses,
                latest_snapshot,
            })
        })
        .await?;
    Ok(web::Json(view))
}

use actix_web::{get, web};

use super::dto::{AssessmentView, AssessmentsView};
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::{AuthUser, Role};
use crate::db::assessments;
use crate::domain::assessment::mean;
use crate::error::ApiResult;
use crate::state::AppState;

/// Every instructor's assessment of the dossier and the mean weighted total (staff only:
/// applicants never see assessments).
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "The assessments, oldest first", body = AssessmentsView),
        (status = 403, response = crate::api::openapi::Forbidden),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/assessments")]
pub async fn list_assessments(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<web::Json<AssessmentsView>> {
    user.require(&[Role::Instructor, Role::Admin, Role::Finance])?;
    let rows = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            Ok(assessments::of_dossier(conn, &dossier.id)?)
        })
        .await?;
    let assessments: Vec<AssessmentView> = rows.into_iter().map(AssessmentView::from).collect();
    let totals: Vec<f64> = assessments.iter().map(|a| a.weighted_total).collect();
    Ok(web::Json(AssessmentsView { mean_weighted_total: mean(&totals), assessments }))
}

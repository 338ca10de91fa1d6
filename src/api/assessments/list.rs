use actix_web::{get, web};
use diesel::prelude::*;

use super::dto::{AssessmentView, AssessmentsView};
use crate::api::dossiers::get::visible_dossier;
use crate::auth::{AuthUser, Role};
use crate::db::models::AssessmentRow;
use crate::db::schema::assessments;
use crate::domain::assessment::mean;
use crate::error::ApiResult;
use crate::state::AppState;

/// Every instructor's assessment of the dossier and the mean weighted total (staff only:
/// applicants never see assessments).
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The assessments, oldest first", body = AssessmentsView),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
    )
)]
#[get("/dossiers/{id}/assessments")]
pub async fn list_assessments(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<AssessmentsView>> {
    user.require(&[Role::Instructor, Role::Admin, Role::Finance])?;
    let id = id.into_inner().to_string();
    let rows = state
        .db(move |conn| {
            let dossier = visible_dossier(conn, &user, &id)?;
            Ok(assessments::table
                .filter(assessments::dossier_id.eq(dossier.id))
                .order((assessments::created_at.asc(), assessments::id.asc()))
                .select(AssessmentRow::as_select())
                .load(conn)?)
        })
        .await?;
    let assessments: Vec<AssessmentView> =
        rows.into_iter().map(AssessmentView::try_from).collect::<ApiResult<_>>()?;
    let totals: Vec<f64> = assessments.iter().map(|a| a.weighted_total).collect();
    Ok(web::Json(AssessmentsView { mean_weighted_total: mean(&totals), assessments }))
}

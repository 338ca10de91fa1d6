use actix_web::{put, web, HttpRequest, HttpResponse};
use diesel::prelude::*;

use super::dto::{AssessmentInput, AssessmentView};
use crate::api::common::{new_id, now, stored_name, IfMatch};
use crate::api::dossiers::dto::status_of;
use crate::api::dossiers::get::visible_dossier;
use crate::api::eligibility::inputs::{parameters_of, rules_version_for};
use crate::api::extract::ApiJson;
use crate::auth::{AuthUser, Role};
use crate::db::models::AssessmentRow;
use crate::db::schema::assessments;
use crate::domain::assessment::{validate_scores, weighted_total};
use crate::domain::checks::check_text;
use crate::domain::lifecycle::DossierStatus;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Records or replaces the caller's assessment of a dossier under review (instructors). Each
/// instructor has one assessment per dossier. `If-Match` carries the dossier's ETag: one scores
/// the version one has read (428 without it, 412 when the dossier changed since).
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Dossier id"),
        ("If-Match" = String, Header, description = "The dossier's ETag, as last read"),
    ),
    request_body = AssessmentInput,
    responses(
        (status = 200, description = "The caller's assessment, as stored", body = AssessmentView),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
        (status = 409, response = crate::api::openapi::Conflict),
        (status = 412, response = crate::api::openapi::PreconditionFailed),
        (status = 413, response = crate::api::openapi::PayloadTooLarge),
        (status = 415, response = crate::api::openapi::UnsupportedMediaType),
        (status = 422, response = crate::api::openapi::UnprocessableContent),
        (status = 428, response = crate::api::openapi::PreconditionRequired),
    )
)]
#[put("/dossiers/{id}/assessment")]
pub async fn put_assessment(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<AssessmentInput>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Instructor])?;
    let if_match = IfMatch::required(&req)?;
    let id = id.into_inner().to_string();
    let input = body.into_inner()?;
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let dossier = visible_dossier(conn, &user, &id)?;
                if_match.expected_version(dossier.version)?;
                let status = status_of(&dossier)?;
                if status != DossierStatus::UnderReview {
                    return Err(ApiError::Conflict(format!(
                        "Dossiers are assessed under review, not in '{}'.",
                        status.as_str()
                    )));
                }
                let version = rules_version_for(conn, &dossier, chrono::Utc::now().date_naive())?;
                let grid = parameters_of(&version)?.assessment_grid;
                let mut errors = validate_scores(&grid, &input.scores).err().unwrap_or_default();
                if let Some(comments) = &input.comments {
                    check_text(&mut errors, "comments", comments, 0, 4000);
                }
                if !errors.is_empty() {
                    return Err(ApiError::validation(errors));
                }
                let at = now();
                let existing: Option<AssessmentRow> = assessments::table
                    .filter(assessments::dossier_id.eq(&dossier.id))
                    .filter(assessments::instructor.eq(&user.sub))
                    .select(AssessmentRow::as_select())
                    .first(conn)
                    .optional()?;
                let mut row = AssessmentRow {
                    id: new_id(),
                    dossier_id: dossier.id.clone(),
                    instructor: user.sub.clone(),
                    rules_version_id: version.id,
                    scores: serde_json::to_string(&input.scores)
                        .map_err(|e| ApiError::internal("serialising scores", e))?,
                    comments: input.comments.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
                    recommendation: stored_name(&input.recommendation)?,
                    weighted_total: weighted_total(&grid, &input.scores),
                    version: 1,
                    created_at: at,
                    updated_at: at,
                };
                match existing {
                    None => {
                        diesel::insert_into(assessments::table).values(&row).execute(conn)?;
                    }
                    Some(previous) => {
                        row.id = previous.id;
                        row.created_at = previous.created_at;
                        row.version = previous.version + 1;
                        let touched = diesel::update(
                            assessments::table
                                .filter(assessments::id.eq(&row.id))
                                .filter(assessments::version.eq(previous.version)),
                        )
                        .set(&row)
                        .execute(conn)?;
                        if touched != 1 {
                            return Err(ApiError::PreconditionFailed);
                        }
                    }
                }
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(AssessmentView::try_from(row)?))
}

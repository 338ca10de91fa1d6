use actix_web::{put, web, HttpRequest, HttpResponse};

use super::dto::{AssessmentInput, AssessmentView};
use crate::api::common::IfMatch;
use crate::api::extract::{rule_errors, ApiJson, DossierPath};
use crate::api::openapi::UpdateErrors;
use crate::auth::{AuthUser, Role};
use crate::db::assessments::{self, AssessmentRow};
use crate::db::types::{ConditionCodes, Json};
use crate::db::{calls, new_id, now, schemes};
use crate::domain::assessment::{validate_conditions, validate_scores, weighted_total};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::Code;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Records or replaces the caller's assessment of a dossier under review (instructors). Each
/// instructor has one assessment per dossier. `If-Match` carries the dossier's ETag: one scores
/// the version one has read (428 without it, 412 when the dossier changed since). The grid is
/// the rules version's, or the call for projects' own when the dossier answers a call that has
/// one (`GET /calls/{id}`).
///
/// `conditions_met` ticks the rules version's `instructor_condition` bonuses (422
/// `unknown_condition` for any other code): those of the dossier's latest assessment raise the
/// rate of its maximum grant.
#[utoipa::path(
    tag = "eligibility",
    security(("bearer" = [])),
    params(DossierPath, ("If-Match" = String, Header, description = "The dossier's ETag, as last read")),
    request_body = AssessmentInput,
    responses(
        (status = 200, description = "The caller's assessment, as stored", body = AssessmentView),
        (status = 409, response = crate::api::openapi::Conflict),
        UpdateErrors,
    )
)]
#[put("/dossiers/{id}/assessment")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn put_assessment(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    body: ApiJson<AssessmentInput>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Instructor])?;
    let if_match = IfMatch::required(&req)?;
    let input = body.into_inner()?;
    let row = state
        .write(move |conn| {
            let dossier = dossier.load_to_change(conn, &user)?;
            if_match.expected_version(dossier.version)?;
            if dossier.status != DossierStatus::UnderReview {
                let status = dossier.status.as_str();
                return Err(ApiError::conflict(
                    ProblemCode::NotUnderReview,
                    text!("eligibility-dossiers-assessed-under-review", status = &status),
                ));
            }
            // Under review, the rules version is the one fixed at submission.
            let version = schemes::rules_version_for(conn, &dossier, chrono::Utc::now().date_naive())?
                .ok_or_else(|| {
                    ApiError::internal("dossier under review without rules", dossier.id.clone())
                })?;
            // A call for projects may score its dossiers on its own grid.
            let call = match &dossier.call_id {
                Some(id) => calls::find(conn, &dossier.territory, id)?,
                None => None,
            };
            let grid = call.as_ref().and_then(|c| c.grid()).unwrap_or(&version.parameters.0.assessment_grid);
            let mut errors = validate_scores(grid, &input.scores).err().unwrap_or_default();
            errors.extend(
                validate_conditions(&version.parameters.0.bonuses, &input.conditions_met)
                    .err()
                    .unwrap_or_default(),
            );
            errors.extend(rule_errors(&input));
            if !errors.is_empty() {
                return Err(ApiError::validation(errors));
            }
            let at = now();
            let mut row = AssessmentRow {
                id: new_id(),
                dossier_id: dossier.id.clone(),
                instructor: user.sub.clone(),
                rules_version_id: version.id,
                weighted_total: weighted_total(grid, &input.scores),
                scores: Json(input.scores.clone()),
                comments: input.comments.as_ref().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
                recommendation: input.recommendation,
                conditions_met: Json(ConditionCodes(input.conditions_met.clone())),
                version: 1,
                created_at: at,
                updated_at: at,
            };
            match assessments::by_instructor(conn, &dossier.id, &user.sub)? {
                None => assessments::insert(conn, &row)?,
                Some(previous) => {
                    row.id = previous.id;
                    row.created_at = previous.created_at;
                    row.version = previous.version + 1;
                    assessments::replace(conn, &row, previous.version)?;
                }
            }
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(AssessmentView::from(row)))
}

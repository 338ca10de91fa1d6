use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Datelike;
use diesel::prelude::*;

use super::dto::{content_of, DossierView, TransitionRequest};
use super::transition::{perform, TransitionEffects};
use crate::api::common::{etag_header, now, IfMatch};
use crate::api::extract::ApiJsonOrEmpty;
use crate::api::organisations::dto::organisation_of;
use crate::auth::AuthUser;
use crate::db::models::{OrganisationRow, RulesVersionRow};
use crate::db::schema::rules_versions;
use crate::domain::lifecycle::Transition;
use crate::domain::rules::RulesParameters;
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Submits a draft (or a dossier with changes requested) for instruction. Checks completeness
/// and lists every missing or invalid field. The first submission fixes the rules version the
/// dossier is judged by: the one in force on that day.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Dossier id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read"),
    ),
    request_body(content = Option<TransitionRequest>, description = "Optional comment"),
    responses(
        (status = 200, description = "Submitted", body = DossierView,
            headers(("ETag" = String, description = "The new version tag"))),
        crate::api::openapi::TransitionErrors,
    )
)]
#[post("/dossiers/{id}/submit")]
pub async fn submit_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJsonOrEmpty<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    let transition = Transition::Submit;
    user.require(transition.allowed_roles())?;
    let request = body.into_inner()?;
    request.validate(&user, transition)?;
    let if_match = IfMatch::from_request(&req)?;
    let id = id.into_inner().to_string();
    let actor = user.clone();
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                perform(conn, &actor, &id, transition, &request, &if_match, |conn, row| {
                    let at = now();
                    let first = row.submitted_at.is_none();
                    // Resubmissions keep the version fixed at the first submission.
                    let version = match &row.rules_version_id {
                        Some(version_id) => rules_versions::table
                            .find(version_id)
                            .select(RulesVersionRow::as_select())
                            .first(conn)?,
                        None => RulesVersionRow::in_force(conn, &row.scheme_id, at.date())?.ok_or_else(|| {
                            ApiError::Conflict(format!(
                                "The scheme has no rules in force on {}: submissions open once an admin adds them.",
                                at.date()
                            ))
                        })?,
                    };
                    let rules: RulesParameters = serde_json::from_str(&version.parameters)
                        .map_err(|e| ApiError::internal("stored rules", e))?;
                    let mut errors: Vec<FieldError> =
                        content_of(row).check_complete(&rules.max_grant).err().unwrap_or_default();
                    let organisation = OrganisationRow::find_in_territory(conn, &row.territory, &row.organisation_id)?
                        .ok_or_else(|| ApiError::internal("dossier", "organisation missing"))?;
                    errors.extend(organisation_of(&organisation)?.missing_for_submission());
                    if !errors.is_empty() {
                        return Err(ApiError::validation(errors));
                    }
                    Ok(TransitionEffects {
                        submitted_at: first.then_some(at),
                        year: first.then_some(at.year()),
                        rules_version_id: row.rules_version_id.is_none().then_some(version.id),
                        assigned_instructor: None,
                    })
                })
            })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(DossierView::for_user(row, &user)?))
}

use actix_web::{get, web};

use super::dto::OrganisationChangesView;
use crate::api::common::utc;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::{AuthUser, Role};
use crate::db::{organisations, submissions};
use crate::domain::changes;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::state::AppState;
use crate::text;

/// What changed in the dossier's organisation since the dossier was last submitted (staff): each
/// field of the copy kept at that submission, which instruction evaluates, that differs from the
/// organisation as it is today. An empty list when nothing changed; 409 `not_submitted` for a
/// dossier with no such copy (never submitted: it is evaluated on today's organisation).
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "The changes since the last submission", body = OrganisationChangesView),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 409, response = crate::api::openapi::Conflict),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/organisation-changes")]
pub async fn get_organisation_changes(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<web::Json<OrganisationChangesView>> {
    user.require(&[Role::Instructor, Role::Finance, Role::Admin])?;
    let view = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            let kept = submissions::latest(conn, &dossier.id)?.ok_or_else(|| {
                ApiError::refused(
                    ProblemCode::NotSubmitted,
                    text!("dossiers-dossier-has-no-copy-organisation"),
                    RefusalFigures::default(),
                )
            })?;
            let today = organisations::find(conn, &dossier.territory, &dossier.organisation_id)?
                .ok_or_else(|| ApiError::internal("dossier without its organisation", dossier.id.clone()))?;
            let changes = changes::between(Some(&kept.organisation.0), &today.organisation())
                .map_err(|e| ApiError::internal_from("comparing organisations", e))?;
            Ok(OrganisationChangesView {
                dossier_id: dossier.id.into(),
                submitted_at: utc(kept.submitted_at),
                organisation_version: kept.organisation_version,
                changes: changes.into_iter().map(Into::into).collect(),
            })
        })
        .await?;
    Ok(web::Json(view))
}

use actix_web::{post, web, HttpResponse};
use chrono::Datelike;
use diesel::prelude::*;

use super::dto::{changes_of, DossierView, NewDossier};
use crate::api::common::{etag_header, new_id, now};
use crate::api::extract::ApiJson;
use crate::auth::{AuthUser, Role};
use crate::db::models::{DossierRow, HistoryRow, OrganisationRow, SchemeRow};
use crate::db::schema::{dossier_history, dossiers};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Opens a draft dossier for the applicant's organisation.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    request_body = NewDossier,
    responses(
        (status = 201, description = "Draft created", body = DossierView,
            headers(("Location" = String, description = "URL of the dossier"), ("ETag" = String, description = "Version tag for If-Match"))),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 409, response = crate::api::openapi::Conflict),
        (status = 413, response = crate::api::openapi::PayloadTooLarge),
        (status = 415, response = crate::api::openapi::UnsupportedMediaType),
        (status = 422, response = crate::api::openapi::UnprocessableContent),
    )
)]
#[post("/dossiers")]
pub async fn create_dossier(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewDossier>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    let siret = user.applicant_siret()?.to_string();
    let body = body.into_inner()?;
    let content = body.content();
    let today = chrono::Utc::now().date_naive();
    content.validate_fields(today).map_err(ApiError::validation)?;
    let changes = changes_of(&content)?;
    let scheme_id = body.scheme_id.to_string();
    let actor = user.clone();
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let organisation = OrganisationRow::find_by_siret(conn, &actor.territory, &siret)?.ok_or_else(|| {
                    ApiError::Conflict("Register your organisation (POST /api/v1/organisations) before filing a dossier.".into())
                })?;
                if SchemeRow::find_in_territory(conn, &actor.territory, &scheme_id)?.is_none() {
                    return Err(ApiError::validation(vec![FieldError::new(
                        "scheme_id",
                        "unknown",
                        "scheme_id names no scheme of your territory",
                    )]));
                }
                let at = now();
                let row = DossierRow {
                    id: new_id(),
                    territory: actor.territory.clone(),
                    scheme_id,
                    organisation_id: organisation.id,
                    status: DossierStatus::Draft.as_str().into(),
                    title: changes.title,
                    project_kind: changes.project_kind,
                    eligible_expenses_cents: changes.eligible_expenses_cents,
                    monthly_rent_cents: changes.monthly_rent_cents,
                    rent_months: changes.rent_months,
                    premises_address: changes.premises_address,
                    premises_commune_code: changes.premises_commune_code,
                    requested_cents: changes.requested_cents,
                    planned_start_on: changes.planned_start_on,
                    jobs_created_fte: changes.jobs_created_fte,
                    jobs_kept_fte: changes.jobs_kept_fte,
                    description: changes.description,
                    submitted_at: None,
                    year: at.year(),
                    assigned_instructor: None,
                    rules_version_id: None,
                    granted_cents: None,
                    version: 1,
                    created_by: actor.sub.clone(),
                    created_at: at,
                    updated_at: at,
                };
                diesel::insert_into(dossiers::table).values(&row).execute(conn)?;
                let created = HistoryRow {
                    id: new_id(),
                    dossier_id: row.id.clone(),
                    seq: 1,
                    actor: actor.sub.clone(),
                    actor_role: actor.role.as_str().into(),
                    at,
                    from_status: None,
                    to_status: row.status.clone(),
                    comment: None,
                    internal_note: None,
                };
                diesel::insert_into(dossier_history::table).values(&created).execute(conn)?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/dossiers/{}", row.id)))
        .insert_header(etag_header(row.version))
        .json(DossierView::for_user(row, &user)?))
}

use actix_web::{patch, web, HttpRequest, HttpResponse};

use super::dto::{OrganisationPatch, OrganisationView};
use crate::api::common::{etag_header, IfMatch};
use crate::api::extract::ApiJson;
use crate::api::openapi::UpdateErrors;
use crate::auth::{AuthUser, Role};
use crate::db::{now, organisation_history, organisations};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Updates the applicant's own organisation (JSON Merge Patch). Requires `If-Match`. Each update
/// is a new version and one entry of the organisation's history, listing the fields it changed
/// (none if it changed nothing). Dossiers already submitted keep being judged by the
/// organisation as it was submitted.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Organisation id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body(content = OrganisationPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = OrganisationView,
            headers(("ETag" = String, description = "The new version tag"))),
        UpdateErrors,
    )
)]
#[patch("/organisations/{id}")]
#[tracing::instrument(skip_all, fields(organisation_id = %id, role = ?user.role))]
pub async fn update_organisation(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<OrganisationPatch>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    let if_match = IfMatch::required(&req)?;
    let id = crate::domain::ids::OrganisationId::from(id.into_inner());
    let patch = body.into_inner()?;
    let row = state
        .write(move |conn| {
            let mut row = organisations::visible(conn, &user, &id)?;
            if_match.expected_version(row.version)?;
            let before = row.organisation();
            let org = patch.clone().apply(before.clone())?;
            org.validate(chrono::Utc::now().date_naive()).map_err(ApiError::validation)?;
            let read_version = row.version;
            row.store(&org);
            row.version += 1;
            row.updated_at = now();
            // Only the version read may be replaced: a concurrent edit makes this a 412.
            organisations::replace(conn, &row, read_version)?;
            organisation_history::record(conn, &row, Some(&before), &user, row.updated_at)?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(OrganisationView::from(row)))
}

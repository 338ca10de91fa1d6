use actix_web::{patch, web, HttpRequest, HttpResponse};
use diesel::prelude::*;

use super::dto::{organisation_of, store_into, OrganisationPatch, OrganisationView};
use super::get::visible_organisation;
use crate::api::common::{etag_header, now, IfMatch};
use crate::api::extract::ApiJson;
use crate::auth::{AuthUser, Role};
use crate::db::schema::organisations;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Updates the applicant's own organisation (JSON Merge Patch). Requires `If-Match`.
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
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
        (status = 412, response = crate::api::openapi::PreconditionFailed),
        (status = 413, response = crate::api::openapi::PayloadTooLarge),
        (status = 415, response = crate::api::openapi::UnsupportedMediaType),
        (status = 422, response = crate::api::openapi::UnprocessableContent),
        (status = 428, response = crate::api::openapi::PreconditionRequired),
    )
)]
#[patch("/organisations/{id}")]
pub async fn update_organisation(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<OrganisationPatch>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    let if_match = IfMatch::required(&req)?;
    let id = id.into_inner().to_string();
    let patch = body.into_inner()?;
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let mut row = visible_organisation(conn, &user, &id)?;
                if_match.expected_version(row.version)?;
                let org = patch.apply(organisation_of(&row)?)?;
                org.validate(chrono::Utc::now().date_naive()).map_err(ApiError::validation)?;
                store_into(&mut row, &org)?;
                let current = row.version;
                row.version += 1;
                row.updated_at = now();
                // Only the version read may be replaced: a concurrent edit makes this touch 0 rows.
                let touched = diesel::update(
                    organisations::table
                        .filter(organisations::id.eq(&row.id))
                        .filter(organisations::version.eq(current)),
                )
                .set(&row)
                .execute(conn)?;
                if touched != 1 {
                    return Err(ApiError::PreconditionFailed);
                }
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(OrganisationView::try_from(row)?))
}

use actix_web::{patch, web, HttpRequest, HttpResponse};
use diesel::prelude::*;

use super::dto::{changes_of, content_of, status_of, DossierPatch, DossierView};
use super::get::visible_dossier;
use crate::api::common::{etag_header, now, IfMatch};
use crate::api::extract::ApiJson;
use crate::auth::{AuthUser, Role};
use crate::db::models::DossierRow;
use crate::db::schema::dossiers;
use crate::domain::lifecycle::DossierStatus;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Edits a dossier's content (JSON Merge Patch), in draft or changes_requested only, by its
/// applicant. Requires `If-Match`: 428 without, 412 when stale.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(
        ("id" = uuid::Uuid, Path, description = "Dossier id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body(content = DossierPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = DossierView,
            headers(("ETag" = String, description = "The new version tag"))),
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
#[patch("/dossiers/{id}")]
pub async fn update_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<DossierPatch>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    let if_match = IfMatch::required(&req)?;
    let id = id.into_inner().to_string();
    let patch = body.into_inner()?;
    let actor = user.clone();
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                let row = visible_dossier(conn, &actor, &id)?;
                if_match.expected_version(row.version)?;
                let status = status_of(&row)?;
                if !status.is_editable() {
                    return Err(ApiError::Conflict(format!(
                        "A dossier in status '{}' cannot be edited; only drafts and dossiers with \
                         changes requested can.",
                        status.as_str()
                    )));
                }
                let content = patch.apply(content_of(&row))?;
                content.validate_fields(chrono::Utc::now().date_naive()).map_err(ApiError::validation)?;
                let changes = changes_of(&content)?;
                // Replaces only the version read, and only while editable.
                let touched = diesel::update(
                    dossiers::table
                        .filter(dossiers::id.eq(&row.id))
                        .filter(dossiers::version.eq(row.version))
                        .filter(dossiers::status.eq_any([
                            DossierStatus::Draft.as_str(),
                            DossierStatus::ChangesRequested.as_str(),
                        ])),
                )
                .set((&changes, dossiers::version.eq(row.version + 1), dossiers::updated_at.eq(now())))
                .execute(conn)?;
                if touched != 1 {
                    return Err(ApiError::PreconditionFailed);
                }
                Ok(dossiers::table.find(&row.id).select(DossierRow::as_select()).first(conn)?)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(DossierView::for_user(row, &user)?))
}

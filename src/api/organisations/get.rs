use actix_web::{get, web, HttpResponse};

use super::dto::OrganisationView;
use crate::api::common::etag_header;
use crate::auth::AuthUser;
use crate::db::models::OrganisationRow;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The organisation if the caller may see it: staff of its territory, or the applicant acting
/// for it. Anything else does not exist for the caller (404).
pub fn visible_organisation(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
) -> ApiResult<OrganisationRow> {
    OrganisationRow::find_in_territory(conn, &user.territory, id)?
        .filter(|row| user.role.is_staff() || user.organisation_siret.as_deref() == Some(row.siret.as_str()))
        .ok_or_else(|| ApiError::NotFound("No such organisation.".into()))
}

/// One organisation.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = OrganisationView,
            headers(("ETag" = String, description = "Version tag for If-Match"))),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 404, response = crate::api::openapi::NotFound),
    )
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner().to_string();
    let row = state.db(move |conn| visible_organisation(conn, &user, &id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(OrganisationView::try_from(row)?))
}

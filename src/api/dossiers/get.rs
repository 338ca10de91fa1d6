use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;

use super::dto::DossierView;
use crate::api::common::etag_header;
use crate::auth::AuthUser;
use crate::db::models::DossierRow;
use crate::db::schema::{dossiers, organisations};
use crate::db::DbConnection;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Dossiers the caller may see: its territory's, and for an applicant only its own
/// organisation's. The rest does not exist for the caller.
pub fn visible_dossiers(user: &AuthUser) -> dossiers::BoxedQuery<'static, crate::db::DbBackend> {
    let mut query = dossiers::table.filter(dossiers::territory.eq(user.territory.clone())).into_boxed();
    if !user.role.is_staff() {
        let own = organisations::table
            .filter(organisations::territory.eq(user.territory.clone()))
            .filter(organisations::siret.eq(user.organisation_siret.clone().unwrap_or_default()))
            .select(organisations::id);
        query = query.filter(dossiers::organisation_id.eq_any(own));
    }
    query
}

/// One visible dossier, or 404.
pub fn visible_dossier(conn: &mut DbConnection, user: &AuthUser, id: &str) -> ApiResult<DossierRow> {
    visible_dossiers(user)
        .filter(dossiers::id.eq(id.to_string()))
        .select(DossierRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound("No such dossier.".into()))
}

/// One dossier, with its ETag.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "The dossier", body = DossierView,
            headers(("ETag" = String, description = "Version tag for If-Match"))),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 404, response = crate::api::openapi::NotFound),
    )
)]
#[get("/dossiers/{id}")]
pub async fn get_dossier(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner().to_string();
    let reader = user.clone();
    let row = state.db(move |conn| visible_dossier(conn, &reader, &id)).await?;
    let version = row.version;
    Ok(HttpResponse::Ok().insert_header(etag_header(version)).json(DossierView::for_user(row, &user)?))
}

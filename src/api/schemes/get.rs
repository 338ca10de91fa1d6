use actix_web::{get, web};

use super::dto::SchemeView;
use crate::auth::AuthUser;
use crate::db::models::SchemeRow;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One scheme of the caller's territory.
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Scheme id")),
    responses(
        (status = 200, description = "The scheme", body = SchemeView),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 404, response = crate::api::openapi::NotFound),
    )
)]
#[get("/schemes/{id}")]
pub async fn get_scheme(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<SchemeView>> {
    let id = id.into_inner().to_string();
    let row = state
        .db(move |conn| {
            SchemeRow::find_in_territory(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound("No such scheme.".into()))
        })
        .await?;
    Ok(web::Json(row.into()))
}

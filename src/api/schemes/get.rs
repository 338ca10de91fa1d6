use actix_web::{get, web};

use super::dto::SchemeView;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::schemes;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// One scheme of the caller's territory.
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Scheme id")),
    responses(
        (status = 200, description = "The scheme", body = SchemeView),
        ReadErrors,
    )
)]
#[get("/schemes/{id}")]
pub async fn get_scheme(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<SchemeView>> {
    let id = crate::domain::ids::SchemeId::from(id.into_inner());
    let row = state
        .db(move |conn| {
            schemes::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("exports-no-such-scheme")))
        })
        .await?;
    Ok(web::Json(row.into()))
}

use actix_web::{get, web};

use super::dto::TerritoryView;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::territories;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The caller's territory.
#[utoipa::path(
    tag = "territory",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The territory named in the caller's token", body = TerritoryView),
        ReadErrors,
    )
)]
#[get("/territory")]
pub async fn get_territory(
    user: AuthUser,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<TerritoryView>> {
    let row = state
        .db(move |conn| {
            territories::find(conn, &user.territory)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-territory")))
        })
        .await?;
    Ok(web::Json(row.into()))
}

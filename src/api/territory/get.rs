use actix_web::{get, web};
use diesel::prelude::*;

use super::dto::TerritoryView;
use crate::auth::AuthUser;
use crate::db::models::TerritoryRow;
use crate::db::schema::territories;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The caller's territory.
#[utoipa::path(
    tag = "territory",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The territory named in the caller's token", body = TerritoryView),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 404, response = crate::api::openapi::NotFound),
    )
)]
#[get("/territory")]
pub async fn get_territory(
    user: AuthUser,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<TerritoryView>> {
    let row = state
        .db(move |conn| {
            territories::table
                .find(&user.territory)
                .select(TerritoryRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| ApiError::NotFound("Your territory is not registered.".into()))
        })
        .await?;
    Ok(web::Json(row.into()))
}

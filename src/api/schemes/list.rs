use actix_web::{get, web};

use super::dto::SchemeView;
use crate::auth::AuthUser;
use crate::db::schemes;
use crate::error::ApiResult;
use crate::state::AppState;

/// The schemes of the caller's territory, by code.
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All schemes of the territory (a territory runs a handful)", body = Vec<SchemeView>),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
    )
)]
#[get("/schemes")]
pub async fn list_schemes(
    user: AuthUser,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<SchemeView>>> {
    let rows = state.db(move |conn| Ok(schemes::list(conn, &user.territory)?)).await?;
    Ok(web::Json(rows.into_iter().map(SchemeView::from).collect()))
}

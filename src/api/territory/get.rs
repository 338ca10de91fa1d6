use actix_web::{get, web, HttpResponse};

use super::dto::TerritoryView;
use crate::api::common::etag_header;
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
        (status = 200, description = "The territory named in the caller's token", body = TerritoryView,
            headers(("ETag" = String, description = "The version tag, for `PATCH /territory`"))),
        ReadErrors,
    )
)]
#[get("/territory")]
pub async fn get_territory(user: AuthUser, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let row = state
        .db(move |conn| {
            territories::find(conn, &user.territory)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-territory")))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(TerritoryView::from(row)))
}

use actix_web::{get, web};

use super::dto::{SessionFilter, SessionView};
use super::READERS;
use crate::api::common::{page_bounds, Page};
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::sessions;
use crate::error::ApiResult;
use crate::state::AppState;

/// The territory's sessions, the latest sitting first (staff).
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(SessionFilter),
    responses(
        (status = 200, description = "A page of sessions", body = Page<SessionView>),
        (status = 403, response = crate::api::openapi::Forbidden),
        ListErrors,
    )
)]
#[get("/sessions")]
pub async fn list_sessions(
    user: AuthUser,
    state: web::Data<AppState>,
    query: web::Query<SessionFilter>,
) -> ApiResult<web::Json<Page<SessionView>>> {
    user.require(&READERS)?;
    let filter = query.into_inner();
    let (page, per_page) = page_bounds(filter.page, filter.per_page)?;
    let (rows, total) = state
        .read(move |conn| Ok(sessions::page(conn, &user.territory, filter.status, page, per_page)?))
        .await?;
    Ok(web::Json(Page { items: rows.into_iter().map(SessionView::from).collect(), page, per_page, total }))
}

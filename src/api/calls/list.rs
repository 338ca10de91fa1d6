use actix_web::{get, web};

use super::dto::{CallQuery, CallView};
use crate::api::common::{page_bounds, Page};
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::calls::{self, CallFilter};
use crate::db::now;
use crate::domain::ids::SchemeId;
use crate::error::ApiResult;
use crate::state::AppState;

/// The territory's calls for projects, the latest closing first (every role), maybe only one
/// scheme's or those open (`state=open`) now.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(CallQuery),
    responses(
        (status = 200, description = "A page of calls", body = Page<CallView>),
        ListErrors,
    )
)]
#[get("/calls")]
pub async fn list_calls(
    user: AuthUser,
    state: web::Data<AppState>,
    query: web::Query<CallQuery>,
) -> ApiResult<web::Json<Page<CallView>>> {
    let query = query.into_inner();
    let (page, per_page) = page_bounds(query.page, query.per_page)?;
    let filter = CallFilter { scheme_id: query.scheme_id.map(SchemeId::from), state: query.state };
    let at = now();
    let (rows, total) =
        state.read(move |conn| Ok(calls::page(conn, &user.territory, &filter, at, page, per_page)?)).await?;
    let items = rows.into_iter().map(|(row, year)| CallView::of(row, year, at)).collect();
    Ok(web::Json(Page { items, page, per_page, total }))
}

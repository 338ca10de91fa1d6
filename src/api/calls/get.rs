use actix_web::{get, web};

use super::dto::CallView;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::{calls, now};
use crate::domain::ids::CallId;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// A call for projects of the caller's territory (every role: applicants read the calls they
/// may answer), with where it stands now.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Call id")),
    responses(
        (status = 200, description = "The call", body = CallView),
        ReadErrors,
    )
)]
#[get("/calls/{id}")]
pub async fn get_call(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<CallView>> {
    let id = CallId::from(id.into_inner());
    let (row, year) = state
        .read(move |conn| {
            calls::find_with_year(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-call")))
        })
        .await?;
    Ok(web::Json(CallView::of(row, year, now())))
}

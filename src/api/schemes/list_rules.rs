use actix_web::{get, web};

use super::dto::RulesVersionView;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::schemes;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The rules versions of a scheme, newest first.
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Scheme id")),
    responses(
        (status = 200, description = "Every version, newest effective date first", body = Vec<RulesVersionView>),
        ReadErrors,
    )
)]
#[get("/schemes/{id}/rules")]
pub async fn list_rules(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Vec<RulesVersionView>>> {
    let id = crate::domain::ids::SchemeId::from(id.into_inner());
    let rows = state
        .db(move |conn| {
            schemes::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("exports-no-such-scheme")))?;
            Ok(schemes::rules_versions(conn, &id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(RulesVersionView::from).collect()))
}

use actix_web::{get, web};
use diesel::prelude::*;

use super::dto::RulesVersionView;
use crate::auth::AuthUser;
use crate::db::models::{RulesVersionRow, SchemeRow};
use crate::db::schema::rules_versions;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The rules versions of a scheme, newest first.
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Scheme id")),
    responses(
        (status = 200, description = "Every version, newest effective date first", body = Vec<RulesVersionView>),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 404, response = crate::api::openapi::NotFound),
    )
)]
#[get("/schemes/{id}/rules")]
pub async fn list_rules(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Vec<RulesVersionView>>> {
    let id = id.into_inner().to_string();
    let rows = state
        .db(move |conn| {
            SchemeRow::find_in_territory(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound("No such scheme.".into()))?;
            Ok(rules_versions::table
                .filter(rules_versions::scheme_id.eq(&id))
                .order(rules_versions::effective_from.desc())
                .select(RulesVersionRow::as_select())
                .load(conn)?)
        })
        .await?;
    let views = rows.into_iter().map(RulesVersionView::try_from).collect::<ApiResult<_>>()?;
    Ok(web::Json(views))
}

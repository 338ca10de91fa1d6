use actix_web::{post, web, HttpResponse};
use diesel::prelude::*;

use super::dto::{NewRulesVersion, RulesVersionView};
use crate::api::common::{new_id, now};
use crate::api::extract::ApiJson;
use crate::auth::{AuthUser, Role};
use crate::db::models::{RulesVersionRow, SchemeRow};
use crate::db::schema::rules_versions;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Adds a rules version to a scheme (admins). Parameters are checked field by field.
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Scheme id")),
    request_body = NewRulesVersion,
    responses(
        (status = 201, description = "Created", body = RulesVersionView,
            headers(("Location" = String, description = "URL of the scheme's rules"))),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
        (status = 409, response = crate::api::openapi::Conflict),
        (status = 413, response = crate::api::openapi::PayloadTooLarge),
        (status = 415, response = crate::api::openapi::UnsupportedMediaType),
        (status = 422, response = crate::api::openapi::UnprocessableContent),
    )
)]
#[post("/schemes/{id}/rules")]
pub async fn create_rules(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<NewRulesVersion>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let body = body.into_inner()?;
    body.validate()?;
    let scheme_id = id.into_inner().to_string();
    let row = RulesVersionRow {
        id: new_id(),
        scheme_id,
        effective_from: body.effective_from,
        parameters: serde_json::to_string(&body.parameters)
            .map_err(|e| ApiError::internal("serialising rules", e))?,
        comment: body.comment.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
        created_by: user.sub.clone(),
        created_at: now(),
    };
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                SchemeRow::find_in_territory(conn, &user.territory, &row.scheme_id)?
                    .ok_or_else(|| ApiError::NotFound("No such scheme.".into()))?;
                let taken: i64 = rules_versions::table
                    .filter(rules_versions::scheme_id.eq(&row.scheme_id))
                    .filter(rules_versions::effective_from.eq(row.effective_from))
                    .count()
                    .get_result(conn)?;
                if taken > 0 {
                    return Err(ApiError::Conflict(format!(
                        "A rules version effective from {} already exists for this scheme; \
                         versions are never edited, choose another date.",
                        row.effective_from
                    )));
                }
                diesel::insert_into(rules_versions::table).values(&row).execute(conn)?;
                Ok(row)
            })
        })
        .await?;
    let location = format!("/api/v1/schemes/{}/rules", row.scheme_id);
    Ok(HttpResponse::Created().insert_header(("Location", location)).json(RulesVersionView::try_from(row)?))
}

use actix_web::{post, web, HttpResponse};

use super::dto::{NewRulesVersion, RulesVersionView};
use crate::api::extract::ApiJson;
use crate::api::openapi::CreateErrors;
use crate::auth::{AuthUser, Role};
use crate::db::schemes::{self, RulesVersionRow};
use crate::db::types::Json;
use crate::db::{new_id, now};
use crate::domain::Arg;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Adds a rules version to a scheme (admins). Parameters are checked field by field.
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Scheme id")),
    request_body = NewRulesVersion,
    responses(
        (status = 201, description = "Created", body = RulesVersionView,
            headers(("Location" = String, description = "URL of the scheme's rules"))),
        (status = 404, response = crate::api::openapi::NotFound),
        CreateErrors,
    )
)]
#[post("/schemes/{id}/rules")]
#[tracing::instrument(skip_all, fields(scheme_id = %id, role = ?user.role))]
pub async fn create_rules(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<NewRulesVersion>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let body = body.into_inner()?;
    body.validate()?;
    let scheme_id = crate::domain::ids::SchemeId::from(id.into_inner());
    let row = RulesVersionRow {
        id: new_id().into(),
        scheme_id,
        effective_from: body.effective_from,
        parameters: Json(body.parameters),
        comment: body.comment.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
        created_by: user.sub.clone(),
        created_at: now(),
    };
    let row = state
        .write(move |conn| {
            schemes::find(conn, &user.territory, &row.scheme_id)?
                .ok_or_else(|| ApiError::NotFound(text!("exports-no-such-scheme")))?;
            if schemes::version_exists_from(conn, &row.scheme_id, row.effective_from)? {
                return Err(ApiError::conflict(
                    ProblemCode::RulesVersionExists,
                    text!("rules-version-exists", date = Arg::Date(row.effective_from)),
                ));
            }
            schemes::insert_rules_version(conn, &row)?;
            Ok(row.clone())
        })
        .await?;
    let location = format!("/api/v1/schemes/{}/rules", row.scheme_id);
    Ok(HttpResponse::Created().insert_header(("Location", location)).json(RulesVersionView::from(row)))
}

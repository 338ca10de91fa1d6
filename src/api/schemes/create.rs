use actix_web::{post, web, HttpResponse};
use diesel::prelude::*;

use super::dto::{NewScheme, SchemeView};
use crate::api::common::{new_id, now};
use crate::api::extract::ApiJson;
use crate::auth::{AuthUser, Role};
use crate::db::models::SchemeRow;
use crate::db::schema::{schemes, territories};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Creates a scheme in the caller's territory (admins).
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    request_body = NewScheme,
    responses(
        (status = 201, description = "Created; `Location` names it", body = SchemeView,
            headers(("Location" = String, description = "URL of the new scheme"))),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 409, response = crate::api::openapi::Conflict),
        (status = 413, response = crate::api::openapi::PayloadTooLarge),
        (status = 415, response = crate::api::openapi::UnsupportedMediaType),
        (status = 422, response = crate::api::openapi::UnprocessableContent),
    )
)]
#[post("/schemes")]
pub async fn create_scheme(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewScheme>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let body = body.0;
    body.validate()?;
    let row = SchemeRow {
        id: new_id(),
        territory: user.territory.clone(),
        code: body.code,
        name: body.name.trim().to_string(),
        description: body.description.trim().to_string(),
        template: None,
        created_by: user.sub.clone(),
        created_at: now(),
    };
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                require_territory(conn, &row.territory)?;
                let taken: i64 = schemes::table
                    .filter(schemes::territory.eq(&row.territory))
                    .filter(schemes::code.eq(&row.code))
                    .count()
                    .get_result(conn)?;
                if taken > 0 {
                    return Err(ApiError::Conflict(format!(
                        "A scheme with code {} already exists in this territory.",
                        row.code
                    )));
                }
                diesel::insert_into(schemes::table).values(&row).execute(conn)?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/schemes/{}", row.id)))
        .json(SchemeView::from(row)))
}

/// Objects may only be created in a territory the operator registered.
pub fn require_territory(conn: &mut crate::db::DbConnection, code: &str) -> ApiResult<()> {
    let found: i64 = territories::table.filter(territories::code.eq(code)).count().get_result(conn)?;
    if found == 0 {
        return Err(ApiError::Forbidden(format!(
            "The territory {code:?} named in your token is not registered in Essor."
        )));
    }
    Ok(())
}

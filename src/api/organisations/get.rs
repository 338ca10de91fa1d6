use actix_web::{get, web, HttpResponse};

use super::dto::OrganisationView;
use crate::api::common::etag_header;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::organisations;
use crate::error::ApiResult;
use crate::state::AppState;

/// One organisation.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = OrganisationView,
            headers(("ETag" = String, description = "Version tag for If-Match"))),
        ReadErrors,
    )
)]
#[get("/organisations/{id}")]
pub async fn get_organisation(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    let id = crate::domain::ids::OrganisationId::from(id.into_inner());
    let row = state.db(move |conn| Ok(organisations::visible(conn, &user, &id)?)).await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(OrganisationView::from(row)))
}

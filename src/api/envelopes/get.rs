use actix_web::{get, web, HttpResponse};

use super::dto::EnvelopeView;
use super::READERS;
use crate::api::common::etag_header;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::envelopes;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// One envelope and its figures, with its ETag (staff).
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Envelope id")),
    responses(
        (status = 200, description = "The envelope", body = EnvelopeView,
            headers(("ETag" = String, description = "Version tag for If-Match"))),
        (status = 403, response = crate::api::openapi::Forbidden),
        ReadErrors,
    )
)]
#[get("/envelopes/{id}")]
pub async fn get_envelope(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(&READERS)?;
    let id = crate::domain::ids::EnvelopeId::from(id.into_inner());
    let row = state
        .db(move |conn| {
            envelopes::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("money-no-such-envelope")))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(EnvelopeView::from(row)))
}

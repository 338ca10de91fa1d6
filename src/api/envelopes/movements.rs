use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::MovementView;
use super::READERS;
use crate::api::common::{page_bounds, Page};
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::envelopes;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MovementPage {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000, default = 1)]
    pub page: Option<i64>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<i64>,
}

/// The envelope's ledger, oldest first (staff): every reservation, commitment, amendment,
/// release and payment, signed. Append-only.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Envelope id"), MovementPage),
    responses(
        (status = 200, description = "A page of movements", body = Page<MovementView>),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 403, response = crate::api::openapi::Forbidden),
        ReadErrors,
    )
)]
#[get("/envelopes/{id}/movements")]
pub async fn list_movements(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    query: web::Query<MovementPage>,
) -> ApiResult<web::Json<Page<MovementView>>> {
    user.require(&READERS)?;
    let (page, per_page) = page_bounds(query.page, query.per_page)?;
    let id = crate::domain::ids::EnvelopeId::from(id.into_inner());
    let (rows, total) = state
        .db(move |conn| {
            let envelope = envelopes::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("money-no-such-envelope")))?;
            Ok(envelopes::movements(conn, &envelope.id, page, per_page)?)
        })
        .await?;
    Ok(web::Json(Page { items: rows.into_iter().map(MovementView::from).collect(), page, per_page, total }))
}

use actix_web::{get, web, HttpResponse};

use super::dto::DossierView;
use crate::api::common::etag_header;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::state::AppState;

/// One dossier, with its ETag.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "The dossier", body = DossierView,
            headers(("ETag" = String, description = "Version tag for If-Match"))),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}")]
pub async fn get_dossier(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<HttpResponse> {
    let reader = user.clone();
    let row = state.read(move |conn| dossier.load(conn, &reader)).await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(DossierView::for_user(row, &user)))
}

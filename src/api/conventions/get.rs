use actix_web::{get, web};

use super::dto::ConventionView;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::error::ApiResult;
use crate::state::AppState;

/// The grant's convention (where one is required: always for the scheme, or above its
/// threshold, 23 000 € by default as the law says): its number, its documents (the convention,
/// then each amendment) with what each states, their PDF with its SHA-256, and who signed each
/// and when. The same access as the dossier (another organisation's: 404); 404 for a dossier
/// without a convention.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "The convention", body = ConventionView),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/convention")]
pub async fn get_convention(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<web::Json<ConventionView>> {
    let (convention, documents) = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            super::load(conn, &dossier.id)
        })
        .await?;
    Ok(web::Json(ConventionView::new(convention, documents)))
}

use actix_web::{get, web};

use super::dto::ReceiptView;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::receipts;
use crate::error::ApiResult;
use crate::state::AppState;

/// The dossier's acknowledgements of receipt, the first submission's first: one per complete
/// submission, each with its number, the day received, the day silence becomes an implicit
/// rejection and its letter. The same access as the dossier (another organisation's: 404).
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "Every receipt issued", body = Vec<ReceiptView>),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/receipts")]
pub async fn list_receipts(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<web::Json<Vec<ReceiptView>>> {
    let rows = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            Ok(receipts::of_dossier(conn, &dossier.id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(|(row, letter)| ReceiptView::new(row, letter)).collect()))
}

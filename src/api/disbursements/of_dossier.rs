use actix_web::{get, web};

use super::dto::DisbursementView;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::disbursements;
use crate::error::ApiResult;
use crate::state::AppState;

/// The dossier's disbursements, oldest first (everyone who sees the dossier).
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "Every payment request and its outcome", body = Vec<DisbursementView>),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/disbursements")]
pub async fn list_dossier_disbursements(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<web::Json<Vec<DisbursementView>>> {
    let rows = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            Ok(disbursements::of_dossier(conn, &dossier.id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(DisbursementView::from).collect()))
}

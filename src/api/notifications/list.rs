use actix_web::{get, web};

use super::dto::NotificationView;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::notifications;
use crate::error::ApiResult;
use crate::state::AppState;

/// The notifications of the dossier's decisions, the first issued first: grants, refusals with
/// their reasons, amendments and cancellations, each with its number, its letter and, once
/// recorded, the day it was received and the last day of the appeal period. The same access as
/// the dossier (another organisation's: 404).
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "Every notification issued", body = Vec<NotificationView>),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/notifications")]
pub async fn list_notifications(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<web::Json<Vec<NotificationView>>> {
    let rows = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            Ok(notifications::of_dossier(conn, &dossier.id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(NotificationView::from).collect()))
}

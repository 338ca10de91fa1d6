use actix_web::{get, web};

use super::dto::HistoryEntryView;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::history;
use crate::error::ApiResult;
use crate::state::AppState;

/// The dossier's history, oldest first: who, role, when, from, to, comment. Append-only;
/// internal notes are shown to staff only.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierPath),
    responses(
        (status = 200, description = "Every recorded step", body = Vec<HistoryEntryView>),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/history")]
pub async fn get_history(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<web::Json<Vec<HistoryEntryView>>> {
    let reader = user.clone();
    let rows = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &reader)?;
            Ok(history::of_dossier(conn, &dossier.id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(|r| HistoryEntryView::for_user(r, &user)).collect()))
}

use actix_web::{get, web};
use diesel::prelude::*;

use super::dto::HistoryEntryView;
use super::get::visible_dossier;
use crate::auth::AuthUser;
use crate::db::models::HistoryRow;
use crate::db::schema::dossier_history;
use crate::error::ApiResult;
use crate::state::AppState;

/// The dossier's history, oldest first: who, role, when, from, to, comment. Append-only;
/// internal notes are shown to staff only.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id")),
    responses(
        (status = 200, description = "Every recorded step", body = Vec<HistoryEntryView>),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 404, response = crate::api::openapi::NotFound),
    )
)]
#[get("/dossiers/{id}/history")]
pub async fn get_history(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Vec<HistoryEntryView>>> {
    let id = id.into_inner().to_string();
    let reader = user.clone();
    let rows = state
        .db(move |conn| {
            let dossier = visible_dossier(conn, &reader, &id)?;
            Ok(dossier_history::table
                .filter(dossier_history::dossier_id.eq(dossier.id))
                .order(dossier_history::seq.asc())
                .select(HistoryRow::as_select())
                .load(conn)?)
        })
        .await?;
    let entries = rows.into_iter().map(|r| HistoryEntryView::for_user(r, &user)).collect::<ApiResult<_>>()?;
    Ok(web::Json(entries))
}

use actix_web::{get, web, HttpResponse};

use super::dto::{ItemView, SessionDetail, SessionEventView, SessionView};
use super::READERS;
use crate::api::common::etag_header;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::sessions;
use crate::domain::ids::SessionId;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// A session with its agenda and its record (staff).
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses(
        (status = 200, description = "The session", body = SessionDetail,
            headers(("ETag" = String, description = "The version tag"))),
        (status = 403, response = crate::api::openapi::Forbidden),
        ReadErrors,
    )
)]
#[get("/sessions/{id}")]
pub async fn get_session(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(&READERS)?;
    let id = SessionId::from(id.into_inner());
    let (row, items, record) = state
        .db(move |conn| {
            let row = sessions::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-session")))?;
            let items = sessions::items(conn, &row.id)?;
            let record = sessions::events(conn, &row.id)?;
            Ok((row, items, record))
        })
        .await?;
    let version = row.version;
    Ok(HttpResponse::Ok().insert_header(etag_header(version)).json(SessionDetail {
        session: SessionView::from(row),
        items: items.into_iter().map(ItemView::from).collect(),
        record: record.into_iter().map(SessionEventView::from).collect(),
    }))
}

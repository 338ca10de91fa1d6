use actix_web::{post, web, HttpRequest, HttpResponse};

use super::dto::SessionView;
use super::ORGANISERS;
use crate::api::common::{etag_header, IfMatch};
use crate::api::openapi::TransitionErrors;
use crate::auth::AuthUser;
use crate::db::{now, sessions};
use crate::domain::ids::SessionId;
use crate::domain::sessions::SessionStatus;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Closes the session's agenda (admin, instructors): it is sent to the members and takes no more
/// proposals. Its deliberation may then be recorded.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Session id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    responses(
        (status = 200, description = "Agenda closed", body = SessionView,
            headers(("ETag" = String, description = "The new version tag"))),
        TransitionErrors,
    )
)]
#[post("/sessions/{id}/close-agenda")]
pub async fn close_agenda(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(&ORGANISERS)?;
    let if_match = IfMatch::from_request(&req)?;
    let id = SessionId::from(id.into_inner());
    let row = state
        .write(move |conn| {
            let session = sessions::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-session")))?;
            if_match.expected_version(session.version)?;
            if session.status != SessionStatus::Planned {
                return Err(ApiError::conflict(ProblemCode::SessionClosed, text!("sessions-agenda-closed")));
            }
            let at = now();
            let taken = sessions::take(conn, &session, &[SessionStatus::Planned], at)?;
            let closed = sessions::set_status(conn, &taken, SessionStatus::AgendaClosed, None)?;
            sessions::record(conn, &closed.id, &user, at, "agenda_closed", None)?;
            Ok(closed)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(SessionView::from(row)))
}

use actix_web::{post, web, HttpResponse};

use super::dto::{NewSession, SessionView};
use super::ORGANISERS;
use crate::api::common::etag_header;
use crate::api::extract::{check_rules, ApiJson};
use crate::api::openapi::CreateErrors;
use crate::auth::AuthUser;
use crate::db::{new_id, now, sessions};
use crate::domain::sessions::SessionStatus;
use crate::error::ApiResult;
use crate::state::AppState;

/// Plans a session of a deciding body (admin, instructors): its body, title and day. Proposals
/// are then put on its agenda.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    request_body = NewSession,
    responses(
        (status = 201, description = "Planned", body = SessionView,
            headers(("ETag" = String, description = "The version tag"))),
        CreateErrors,
    )
)]
#[post("/sessions")]
pub async fn create_session(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewSession>,
) -> ApiResult<HttpResponse> {
    user.require(&ORGANISERS)?;
    let body = body.into_inner()?;
    check_rules(&body)?;
    let row = state
        .write(move |conn| {
            let at = now();
            let row = sessions::SessionRow {
                id: new_id().into(),
                territory: user.territory.clone(),
                body: body.body,
                title: body.title.trim().to_string(),
                sits_on: body.sits_on,
                status: SessionStatus::Planned,
                deliberation_number: None,
                deliberated_on: None,
                annex_document_id: None,
                version: 1,
                created_by: user.sub.clone(),
                created_at: at,
                updated_at: at,
            };
            sessions::insert(conn, &row)?;
            sessions::record(conn, &row.id, &user, at, "created", Some(row.title.clone()))?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(etag_header(row.version)).json(SessionView::from(row)))
}

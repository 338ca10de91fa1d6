use actix_web::{post, web, HttpResponse};

use super::dto::{NewSession, SessionView};
use super::ORGANISERS;
use crate::api::common::etag_header;
use crate::api::extract::{check_rules, ApiJson};
use crate::api::openapi::CreateErrors;
use crate::auth::AuthUser;
use crate::db::{calls, new_id, now, sessions};
use crate::domain::ids::CallId;
use crate::domain::sessions::SessionStatus;
use crate::domain::{FieldCode, FieldError};
use crate::error::ApiError;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::text;

/// Plans a session of a deciding body (admin, instructors): its body, title and day, and the
/// call for projects it decides, if any. Proposals are then put on its agenda.
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
    let call_id = body.call_id.map(CallId::from);
    let row = state
        .write(move |conn| {
            if let Some(call_id) = &call_id {
                if calls::find(conn, &user.territory, call_id)?.is_none() {
                    return Err(ApiError::validation(vec![FieldError::new(
                        "call_id",
                        FieldCode::Unknown,
                        text!("calls-id-names-no-call"),
                    )]));
                }
            }
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
                call_id: call_id.clone(),
            };
            sessions::insert(conn, &row)?;
            sessions::record(conn, &row.id, &user, at, "created", Some(row.title.clone()))?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(etag_header(row.version)).json(SessionView::from(row)))
}

use actix_web::{post, web, HttpResponse};

use super::dto::{ItemView, NewItem};
use crate::api::extract::{check_rules, ApiJson};
use crate::api::openapi::CreateErrors;
use crate::auth::AuthUser;
use crate::db::dossiers::{self, DossierRow};
use crate::db::eligibility::inputs_for;
use crate::db::history::{self, Step};
use crate::db::sessions::{self, ItemRow, SessionRow};
use crate::db::{new_id, now, DbConnection};
use crate::domain::access::{Caller, Role};
use crate::domain::approval::SnapshotSummary;
use crate::domain::ids::SessionId;
use crate::domain::lifecycle::DossierStatus;
use crate::domain::sessions::SessionStatus;
use crate::domain::{Arg, Code, FieldCode, FieldError, ProblemCode};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Puts a dossier under review on the session's agenda with a proposal (instructors): the amount
/// proposed (at most the maximum grant its rules allow on the day the session sits), the
/// recommendation, conditions and a note for the elected members. A dossier waits on one agenda
/// at a time (409 `already_on_agenda`); a closed agenda takes no more (409 `session_closed`).
/// The dossier's history says so.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    request_body = NewItem,
    responses(
        (status = 201, description = "On the agenda", body = ItemView),
        (status = 404, response = crate::api::openapi::NotFound),
        CreateErrors,
    )
)]
#[post("/sessions/{id}/items")]
pub async fn add_item(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<NewItem>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Instructor])?;
    let body = body.into_inner()?;
    check_rules(&body)?;
    let id = SessionId::from(id.into_inner());
    let item = state.write(move |conn| propose(conn, &user, &id, &body)).await?;
    Ok(HttpResponse::Created().json(ItemView::from(item)))
}

fn propose(conn: &mut DbConnection, caller: &Caller, id: &SessionId, body: &NewItem) -> ApiResult<ItemRow> {
    let session = open_session(conn, caller, id)?;
    let dossier = dossiers::visible(conn, caller, &body.dossier_id.into()).map_err(|_| {
        ApiError::validation(vec![FieldError::new(
            "dossier_id",
            FieldCode::Unknown,
            text!("sessions-dossier-id-names-no-dossier"),
        )])
    })?;
    dossier.ensure_changeable()?;
    if dossier.status != DossierStatus::UnderReview {
        return Err(ApiError::conflict(
            ProblemCode::NotUnderReview,
            text!("sessions-item-needs-review", status = dossier.status.as_str()),
        ));
    }
    if session.call_id.is_some() && dossier.call_id != session.call_id {
        return Err(ApiError::validation(vec![FieldError::new(
            "dossier_id",
            FieldCode::NotInCall,
            text!("calls-dossier-not-in-call"),
        )]));
    }
    if sessions::pending_item_of(conn, &dossier.id)?.is_some() {
        return Err(ApiError::conflict(ProblemCode::AlreadyOnAgenda, text!("sessions-already-on-agenda")));
    }
    check_maximum(conn, &dossier, &session, body.proposed_cents)?;
    let at = now();
    let session = sessions::take(conn, &session, &[SessionStatus::Planned], at)?;
    let clean =
        |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let item = ItemRow {
        id: new_id().into(),
        session_id: session.id.clone(),
        dossier_id: dossier.id.clone(),
        position: sessions::next_position(conn, &session.id)?,
        proposed_cents: body.proposed_cents,
        recommendation: body.recommendation,
        conditions: clean(&body.conditions),
        note: clean(&body.note),
        proposed_by: caller.sub.clone(),
        proposed_at: at,
        outcome: None,
        voted_cents: None,
        reasons: None,
    };
    sessions::insert_item(conn, &item)?;
    sessions::record(conn, &session.id, caller, at, "item_added", Some(dossier.id.to_string()))?;
    history::append(
        conn,
        Step {
            dossier_id: &dossier.id,
            actor: caller,
            at,
            from: Some(dossier.status),
            to: dossier.status,
            comment: Some(
                text!(
                    "history-on-agenda",
                    session = &session.title,
                    sits_on = Arg::Date(session.sits_on),
                    proposed = Arg::cents(body.proposed_cents)
                )
                .stored(),
            ),
            internal_note: None,
        },
    )?;
    Ok(item)
}

/// The territory's session, still taking proposals.
fn open_session(conn: &mut DbConnection, caller: &Caller, id: &SessionId) -> ApiResult<SessionRow> {
    let session = sessions::find(conn, &caller.territory, id)?
        .ok_or_else(|| ApiError::NotFound(text!("not-found-session")))?;
    match session.status {
        SessionStatus::Planned => Ok(session),
        SessionStatus::AgendaClosed => {
            Err(ApiError::conflict(ProblemCode::SessionClosed, text!("sessions-agenda-closed")))
        }
        SessionStatus::Decided => {
            Err(ApiError::conflict(ProblemCode::SessionDecided, text!("sessions-already-decided")))
        }
    }
}

/// 422 when `proposed_cents` is above the maximum grant of the dossier's rules on the day the
/// session sits.
fn check_maximum(
    conn: &mut DbConnection,
    dossier: &DossierRow,
    session: &SessionRow,
    proposed_cents: i64,
) -> ApiResult<()> {
    let mut inputs = inputs_for(conn, dossier, session.sits_on)?;
    inputs.project.requested_cents = Some(proposed_cents);
    let max_grant_cents = SnapshotSummary::of(&inputs.evaluate()).max_grant_cents;
    if proposed_cents > max_grant_cents {
        return Err(ApiError::validation(vec![FieldError::new(
            "proposed_cents",
            FieldCode::AboveMaximum,
            text!("decision-above-maximum", max_grant = Arg::cents(max_grant_cents)),
        )]));
    }
    Ok(())
}

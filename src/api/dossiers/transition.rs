//! The one way a dossier changes status: checked, conditional on the state read, and recorded
//! in the append-only history in the same transaction (a submission also keeps its
//! organisation as submitted).

use super::letter::Readings;
use crate::domain::Arg;
use crate::text;
use actix_web::{web, HttpRequest, HttpResponse};

use super::dto::{callable_from, DossierView, TransitionBody, TransitionRequest};
use super::notification::{self, Decision};
use super::{receipt, submit};
use crate::api::common::{etag_header, IfMatch};
use crate::api::extract::{ApiJsonOrEmpty, DossierPath};
use crate::auth::AuthUser;
use crate::db::dossiers::{self, DossierRow, TransitionEffects};
use crate::db::envelopes;
use crate::db::history::{self, Step};
use crate::db::{now, DbConnection};
use crate::domain::access::Caller;
use crate::domain::lifecycle::Transition;
use crate::domain::notification::NotificationKind;
use crate::domain::procedure;
use crate::domain::Code;
use crate::error::{ApiError, ApiResult};
use crate::letters::Templates;
use crate::state::AppState;

/// Every transition endpoint: role first (403 whatever the body), then the body, then the move.
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, transition = transition.as_str(), role = user.role.as_str()))]
pub async fn run<B: TransitionBody>(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    body: ApiJsonOrEmpty<B>,
    transition: Transition,
) -> ApiResult<HttpResponse> {
    user.require(transition.allowed_roles())?;
    let request = TransitionRequest::checked(body.into_inner()?, &user, transition)?;
    let if_match = IfMatch::from_request(&req)?;
    let actor = user.clone();
    let letters = state.letters.clone();
    let row = state
        .write(move |conn| perform(conn, &letters, &actor, &dossier, transition, &request, &if_match))
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(DossierView::for_user(row, &user)))
}

/// Moves the dossier by `transition`: 404 if the caller cannot see it, 412 on a stale If-Match
/// (or a concurrent change), 409 if its status does not allow it, 422 if the transition's own
/// checks refuse. A submission issues its receipt (made from `letters`). Returns the updated row.
pub fn perform(
    conn: &mut DbConnection,
    letters: &Templates,
    caller: &Caller,
    dossier: &DossierPath,
    transition: Transition,
    request: &TransitionRequest,
    if_match: &IfMatch,
) -> ApiResult<DossierRow> {
    let row = dossier.load_to_change(conn, caller)?;
    if_match.expected_version(row.version)?;
    check_allowed(transition, &row)?;
    let at = now();
    let mut submitted_organisation = None;
    let mut effects = match transition {
        Transition::Submit => {
            let (effects, organisation) = submit::effects(conn, &row, at)?;
            submitted_organisation = Some(organisation);
            effects
        }
        // The instructor who takes the dossier becomes its instructor.
        Transition::Review => TransitionEffects {
            assigned_instructor: Some(caller.sub.clone()),
            ..TransitionEffects::default()
        },
        _ => TransitionEffects::default(),
    };
    let clean = |s: &Option<String>| s.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let internal_note = take_over(caller, &row, &mut effects, clean(&request.internal_note));
    let received = submitted_organisation.is_some().then(|| procedure::paris_date(at));
    let mut moved = dossiers::move_status(conn, &row, transition.to_state(), &effects, received, at)?;
    if let Some(organisation) = &submitted_organisation {
        let seq = submit::keep_organisation(conn, &moved, organisation, at)?;
        receipt::issue(conn, letters, &moved, organisation, seq, at)?;
    }
    history::append(
        conn,
        Step {
            dossier_id: &row.id,
            actor: caller,
            at,
            from: Some(row.status),
            to: moved.status,
            comment: clean(&request.comment),
            internal_note,
        },
    )?;
    if !dossiers::GRANTABLE.contains(&moved.status) {
        release_reservations(conn, caller, &moved, None, at, transition.as_str())?;
    }
    if transition == Transition::Reject {
        // A refusal taken by the instructor's service, its reasons the comment required.
        let notice = Decision::new(NotificationKind::Refusal, procedure::paris_date(at))
            .with_reason(request.comment.as_deref());
        let mut readings = Readings::default();
        notification::issue(conn, letters, caller, &mut readings, &mut moved, notice, at)?;
    }
    Ok(moved)
}

/// Gives back every reservation the dossier still holds (but the one in `keep`), in the
/// transaction of the change that makes it useless, and says so in the history: a dossier
/// that can no longer be granted, or one granted in another envelope, earmarks nothing.
pub fn release_reservations(
    conn: &mut DbConnection,
    caller: &Caller,
    row: &DossierRow,
    keep: Option<&crate::domain::ids::EnvelopeId>,
    at: chrono::NaiveDateTime,
    reference: &str,
) -> ApiResult<()> {
    let released = envelopes::release_reservations_of(conn, &row.id, keep, &caller.sub, at, reference)?;
    for (_, amount_cents) in released {
        history::append(
            conn,
            Step {
                dossier_id: &row.id,
                actor: caller,
                at,
                from: Some(row.status),
                to: row.status,
                comment: Some(
                    text!(
                        "history-reservation-lifted-status",
                        amount = Arg::cents(amount_cents),
                        status = row.status.as_str()
                    )
                    .stored(),
                ),

                internal_note: None,
            },
        )?;
    }
    Ok(())
}

/// 409 when `transition` is not allowed from the dossier's status (naming those that are).
pub fn check_allowed(transition: Transition, row: &DossierRow) -> ApiResult<()> {
    if transition.allowed_from(row.status) {
        return Ok(());
    }
    Err(ApiError::TransitionNotAllowed {
        transition,
        current: row.status,
        allowed: callable_from(row.status),
    })
}

/// Any instructor may act on a dossier another instructor took: it passes to the one who acts,
/// and the staff-only note of the history says so. Returns the note to record.
pub fn take_over(
    caller: &Caller,
    row: &DossierRow,
    effects: &mut TransitionEffects,
    note: Option<String>,
) -> Option<String> {
    let Some(reassigned) = caller.takes_over_from(row.assigned_instructor.as_deref()) else { return note };
    effects.assigned_instructor = Some(caller.sub.clone());
    Some(match note {
        Some(note) => format!("{reassigned} {note}"),
        None => reassigned,
    })
}

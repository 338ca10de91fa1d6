use super::letter::Readings;
use crate::domain::Arg;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::decision::decide;
use super::dto::DossierView;
use super::notification::{self, Decision};
use super::transition::{check_allowed, release_reservations, take_over};
use crate::api::common::until_today;
use crate::api::extract::check_rules;
use crate::api::extract::DossierPath;
use crate::api::idempotency::{IdempotencyKey, MoneyRequest};
use crate::api::openapi::MoneyErrors;
use crate::auth::AuthUser;
use crate::db::dossiers::{self, DossierRow, TransitionEffects};
use crate::db::envelopes;
use crate::db::history::{self, Step};
use crate::db::{now, DbConnection};
use crate::domain::access::Caller;
use crate::domain::checks;
use crate::domain::lifecycle::Transition;
use crate::domain::money::{check_follows, PriorAct};
use crate::domain::notification::NotificationKind;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::letters::Templates;
use crate::state::AppState;
use crate::text;

/// The cancellation of a grant.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why; shown in the history.
    #[schema(min_length = 1, max_length = 4000, pattern = "{TEXT_REQUIRED_PATTERN}")]
    #[validate(custom(function = checks::text::<1, 4000>))]
    pub comment: String,
    /// The date of the decision that cancels the grant.
    #[validate(custom(function = until_today))]
    pub decided_on: NaiveDate,
}

/// Cancels an approved grant (instructors): the unpaid remainder goes back to its envelope,
/// what was paid stays paid (and becomes the grant). Refused while a payment request is pending.
/// Requires `Idempotency-Key`.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(DossierPath,
        IdempotencyKey,
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    request_body = CancelRequest,
    responses(
        (status = 200, description = "Cancelled", body = DossierView,
            headers(("ETag" = String, description = "The new version tag"),
                ("Idempotent-Replayed" = Option<String>, description = "`true` when this answers a retry"))),
        MoneyErrors,
    )
)]
#[post("/dossiers/{id}/cancel")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn cancel_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    money: MoneyRequest<CancelRequest>,
) -> ApiResult<HttpResponse> {
    let (key, body) = money.open(&user, Transition::Cancel.allowed_roles())?;
    check_rules(&body)?;
    decide(req, user, state, dossier, key, body, cancel).await
}

fn cancel(
    conn: &mut DbConnection,
    letters: &Templates,
    caller: &Caller,
    row: DossierRow,
    body: &CancelRequest,
) -> ApiResult<DossierRow> {
    let transition = Transition::Cancel;
    check_allowed(transition, &row)?;
    let mut errors = Vec::new();
    if let Some(granted_on) = row.decided_on {
        check_follows(&mut errors, "decided_on", body.decided_on, PriorAct::Decision, granted_on);
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    if row.pending_disbursement_cents > 0 {
        return Err(ApiError::refused(
            ProblemCode::PendingDisbursements,
            text!("dossiers-payment-request-pending-finance-pays"),
            RefusalFigures {
                pending_cents: Some(row.pending_disbursement_cents),
                ..RefusalFigures::default()
            },
        ));
    }
    let at = now();
    let remainder = envelopes::release_unpaid(conn, &row, &caller.sub, at, "cancellation")?;
    let mut effects =
        TransitionEffects { granted_cents: Some(row.paid_cents), ..TransitionEffects::default() };
    let internal_note = take_over(caller, &row, &mut effects, None);
    let mut moved = dossiers::move_status(conn, &row, transition.to_state(), &effects, None, at)?;
    history::append(
        conn,
        Step {
            dossier_id: &row.id,
            actor: caller,
            at,
            from: Some(row.status),
            to: moved.status,
            comment: Some(
                text!(
                    "history-cancelled",
                    decided_on = Arg::Date(body.decided_on),
                    released = Arg::cents(remainder),
                    paid = Arg::cents(row.paid_cents),
                    comment = body.comment.trim()
                )
                .stored(),
            ),

            internal_note,
        },
    )?;
    release_reservations(conn, caller, &moved, None, at, "cancellation")?;
    let notice = Decision {
        previous_granted_cents: row.granted_cents,
        granted_cents: Some(row.paid_cents),
        ..Decision::new(NotificationKind::Cancellation, body.decided_on).with_reason(Some(&body.comment))
    };
    let mut readings = Readings::default();
    notification::issue(conn, letters, caller, &mut readings, &mut moved, notice, at)?;
    Ok(moved)
}

use crate::domain::Arg;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};

use super::dto::{DisbursementView, PayRequest};
use crate::api::extract::check_rules;
use crate::api::idempotency::{act_once, IdempotencyKey, MoneyRequest};
use crate::api::openapi::MoneyErrors;
use crate::auth::{AuthUser, Role};
use crate::db::disbursements::{self, Decision, DisbursementRow};
use crate::db::dossiers::{self, DossierRow, TransitionEffects};
use crate::db::envelopes::{self, Movement};
use crate::db::history::{self, Step};
use crate::db::{now, DbConnection};
use crate::domain::access::Caller;
use crate::domain::lifecycle::DossierStatus;
use crate::domain::money::{check_follows, DisbursementKind, DisbursementStatus, MovementKind, PriorAct};
use crate::domain::Code;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::state::AppState;
use crate::text;

/// Pays a requested disbursement (finance). Paying the balance closes the dossier and gives
/// what was not paid back to the envelope. Requires `Idempotency-Key`.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Disbursement id"),
        IdempotencyKey),
    request_body = PayRequest,
    responses(
        (status = 200, description = "Paid", body = DisbursementView,
            headers(("Idempotent-Replayed" = Option<String>, description = "`true` when this answers a retry"))),
        MoneyErrors,
    )
)]
#[post("/disbursements/{id}/pay")]
#[tracing::instrument(skip_all, fields(disbursement_id = %id, role = ?user.role))]
pub async fn pay_disbursement(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    money: MoneyRequest<PayRequest>,
) -> ApiResult<HttpResponse> {
    let (key, body) = money.open(&user, &[Role::Finance])?;
    check_rules(&body)?;
    let id = crate::domain::ids::DisbursementId::from(id.into_inner());
    act_once(&req, &state, user, key, body, StatusCode::OK, move |conn, user, body| {
        let (disbursement, dossier) = disbursements::visible_to_decide(conn, user, &id)?;
        Ok((DisbursementView::from(pay(conn, user, disbursement, dossier, body)?), None))
    })
    .await
}

/// 409 unless the disbursement still waits for finance.
pub fn still_requested(row: &DisbursementRow) -> ApiResult<()> {
    if row.status == DisbursementStatus::Requested {
        return Ok(());
    }
    Err(ApiError::refused(
        ProblemCode::NotRequested,
        text!("money-disbursement-already", status = &row.status.as_str()),
        RefusalFigures::default(),
    ))
}

fn pay(
    conn: &mut DbConnection,
    caller: &Caller,
    row: DisbursementRow,
    dossier: DossierRow,
    body: &PayRequest,
) -> ApiResult<DisbursementRow> {
    still_requested(&row)?;
    let mut errors = Vec::new();
    check_follows(&mut errors, "paid_on", body.paid_on, PriorAct::Certification, row.certified_on);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let balance = row.kind == DisbursementKind::Balance;
    if balance && dossier.pending_disbursement_cents != row.amount_cents {
        return Err(ApiError::refused(
            ProblemCode::PendingDisbursements,
            text!("money-other-payment-requests-pending-pay"),
            RefusalFigures {
                pending_cents: Some(dossier.pending_disbursement_cents - row.amount_cents),
                ..RefusalFigures::default()
            },
        ));
    }
    let at = now();
    let decision = Decision::Paid {
        paid_on: body.paid_on,
        payment_reference: body.payment_reference.trim().to_string(),
    };
    let paid = disbursements::decide(conn, &row, decision, &caller.sub, at)?;
    dossiers::settle_disbursement(conn, &row.dossier_id, row.amount_cents, true, at)?;
    let movement = Movement {
        envelope_id: &row.envelope_id,
        kind: MovementKind::Payment,
        dossier_id: Some(&row.dossier_id),
        amount_cents: row.amount_cents,
        at,
        actor: &caller.sub,
        reference: Some(body.payment_reference.trim().to_string()),
    };
    if !envelopes::apply(conn, movement)? {
        return Err(ApiError::internal("payment", "the envelope refused a payment within a grant"));
    }
    let dossier = dossiers::find(conn, &row.dossier_id)?;
    let mut comment = text!(
        "history-paid",
        paid_on = Arg::Date(body.paid_on),
        reference = body.payment_reference.trim(),
        amount = Arg::cents(row.amount_cents)
    )
    .stored();
    let to = if balance {
        let released = envelopes::release_unpaid(conn, &dossier, &caller.sub, at, "balance")?;
        let effects =
            TransitionEffects { granted_cents: Some(dossier.paid_cents), ..TransitionEffects::default() };
        dossiers::move_status(conn, &dossier, DossierStatus::Closed, &effects, None, at)?;
        comment.push(' ');
        comment.push_str(&text!("history-balance-closed", released = Arg::cents(released)).stored());

        DossierStatus::Closed
    } else {
        dossier.status
    };
    history::append(
        conn,
        Step {
            dossier_id: &dossier.id,
            actor: caller,
            at,
            from: Some(dossier.status),
            to,
            comment: Some(comment),
            internal_note: None,
        },
    )?;
    Ok(paid)
}

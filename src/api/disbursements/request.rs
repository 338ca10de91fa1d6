use crate::domain::Arg;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};

use super::dto::{DisbursementView, NewDisbursement};
use crate::api::extract::{rule_errors, DossierPath};
use crate::api::idempotency::{act_once, IdempotencyKey, MoneyRequest};
use crate::api::openapi::MoneyErrors;
use crate::auth::{AuthUser, Role};
use crate::db::conventions;
use crate::db::disbursements::{self, DisbursementRow};
use crate::db::history::{self, Step};
use crate::db::{dossiers, new_id, now};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::money::{check_follows, check_positive_amount, DisbursementStatus, PriorAct};
use crate::domain::Code;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::state::AppState;
use crate::text;

/// Requests a payment against an approved grant (instructors), certifying the service done.
/// Requested + paid never exceed the grant (409 `above_grant` with the figures); after a
/// balance, nothing more. Where the grant has a convention, not before the convention and each
/// of its amendments are signed by both parties (409 `convention_unsigned`). Requires `Idempotency-Key`.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(DossierPath,
        IdempotencyKey),
    request_body = NewDisbursement,
    responses(
        (status = 201, description = "Requested", body = DisbursementView,
            headers(("Idempotent-Replayed" = Option<String>, description = "`true` when this answers a retry"))),
        MoneyErrors,
    )
)]
#[post("/dossiers/{id}/disbursements")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn request_disbursement(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    money: MoneyRequest<NewDisbursement>,
) -> ApiResult<HttpResponse> {
    let (key, body) = money.open(&user, &[Role::Instructor])?;
    let mut errors = Vec::new();
    check_positive_amount(&mut errors, "amount_cents", body.amount_cents);
    errors.extend(rule_errors(&body));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    act_once(&req, &state, user, key, body, StatusCode::CREATED, move |conn, user, body| {
        let row = dossier.load_to_change(conn, user)?;
        if row.status != DossierStatus::Approved {
            return Err(ApiError::refused(
                ProblemCode::NotApproved,
                text!("money-payment-needs-approved-grant", status = row.status.as_str()),
                RefusalFigures::default(),
            ));
        }
        let unsigned = conventions::unsigned_documents(conn, &row.id)?;
        if unsigned > 0 {
            return Err(ApiError::refused(
                ProblemCode::ConventionUnsigned,
                text!("conventions-unsigned-no-payment", count = unsigned),
                RefusalFigures::default(),
            ));
        }
        let mut errors = Vec::new();
        if let Some(decided_on) = row.decided_on {
            check_follows(&mut errors, "certified_on", body.certified_on, PriorAct::Decision, decided_on);
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        if disbursements::has_balance(conn, &row.id)? {
            return Err(ApiError::refused(
                ProblemCode::BalanceRequested,
                text!("money-balance-already-requested-paid-last"),
                RefusalFigures::default(),
            ));
        }
        let at = now();
        if !dossiers::request_disbursement(conn, &row.id, body.amount_cents, at)? {
            let current = dossiers::find(conn, &row.id)?;
            return Err(ApiError::refused(
                ProblemCode::AboveGrant,
                text!("money-above-grant", requestable = Arg::cents(current.requestable_cents())),
                RefusalFigures {
                    granted_cents: current.granted_cents,
                    paid_cents: Some(current.paid_cents),
                    pending_cents: Some(current.pending_disbursement_cents),
                    available_cents: Some(current.requestable_cents()),
                    ..RefusalFigures::default()
                },
            ));
        }
        let envelope_id = row
            .envelope_id
            .clone()
            .ok_or_else(|| ApiError::internal("disbursement", "approved dossier without envelope"))?;
        let disbursement = DisbursementRow {
            id: new_id().into(),
            territory: row.territory.clone(),
            dossier_id: row.id.clone(),
            envelope_id,
            kind: body.kind,
            amount_cents: body.amount_cents,
            status: DisbursementStatus::Requested,
            certified_on: body.certified_on,
            comment: body.comment.as_ref().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
            requested_by: user.sub.clone(),
            requested_at: at,
            paid_on: None,
            payment_reference: None,
            refusal_comment: None,
            decided_by: None,
            decided_at: None,
            version: 1,
        };
        disbursements::insert(conn, &disbursement)?;
        history::append(
            conn,
            Step {
                dossier_id: &row.id,
                actor: user,
                at,
                from: Some(row.status),
                to: row.status,
                comment: Some(
                    text!(
                        "history-payment-requested",
                        kind = disbursement.kind.as_str(),
                        amount = Arg::cents(disbursement.amount_cents),
                        certified_on = Arg::Date(disbursement.certified_on)
                    )
                    .stored(),
                ),

                internal_note: None,
            },
        )?;
        Ok((DisbursementView::from(disbursement), None))
    })
    .await
}

use crate::domain::Arg;
use crate::text;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};

use super::dto::{DisbursementView, RefuseRequest};
use super::pay::still_requested;
use crate::api::extract::check_rules;
use crate::api::idempotency::{act_once, IdempotencyKey, MoneyRequest};
use crate::api::openapi::MoneyErrors;
use crate::auth::{AuthUser, Role};
use crate::db::disbursements::{self, Decision};
use crate::db::history::{self, Step};
use crate::db::{dossiers, now};
use crate::error::ApiResult;
use crate::state::AppState;

/// Refuses a requested disbursement (finance): its amount can be requested again.
/// Requires `Idempotency-Key`.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Disbursement id"),
        IdempotencyKey),
    request_body = RefuseRequest,
    responses(
        (status = 200, description = "Refused", body = DisbursementView,
            headers(("Idempotent-Replayed" = Option<String>, description = "`true` when this answers a retry"))),
        MoneyErrors,
    )
)]
#[post("/disbursements/{id}/refuse")]
#[tracing::instrument(skip_all, fields(disbursement_id = %id, role = ?user.role))]
pub async fn refuse_disbursement(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    money: MoneyRequest<RefuseRequest>,
) -> ApiResult<HttpResponse> {
    let (key, body) = money.open(&user, &[Role::Finance])?;
    check_rules(&body)?;
    let id = crate::domain::ids::DisbursementId::from(id.into_inner());
    act_once(&req, &state, user, key, body, StatusCode::OK, move |conn, user, body| {
        let (row, _) = disbursements::visible_to_decide(conn, user, &id)?;
        still_requested(&row)?;
        let at = now();
        let decision = Decision::Refused { comment: body.comment.trim().to_string() };
        let refused = disbursements::decide(conn, &row, decision, &user.sub, at)?;
        dossiers::settle_disbursement(conn, &row.dossier_id, row.amount_cents, false, at)?;
        let dossier = dossiers::find(conn, &row.dossier_id)?;
        history::append(
            conn,
            Step {
                dossier_id: &dossier.id,
                actor: user,
                at,
                from: Some(dossier.status),
                to: dossier.status,
                comment: Some(
                    text!(
                        "history-payment-refused",
                        amount = Arg::cents(row.amount_cents),
                        comment = body.comment.trim()
                    )
                    .stored(),
                ),

                internal_note: None,
            },
        )?;
        Ok((DisbursementView::from(refused), None))
    })
    .await
}

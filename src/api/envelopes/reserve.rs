use crate::domain::Arg;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};

use super::dto::{NewReservation, ReservationView};
use super::WRITERS;
use crate::api::extract::rule_errors;
use crate::api::idempotency::{act_once, IdempotencyKey, MoneyRequest};
use crate::api::openapi::MoneyErrors;
use crate::auth::AuthUser;
use crate::db::envelopes::{self, Movement, ReservationRow};
use crate::db::history::{self, Step};
use crate::db::{dossiers, new_id, now};
use crate::domain::money::{check_positive_amount, MovementKind, ReservationStatus};
use crate::domain::ProblemCode;
use crate::domain::{Code, FieldCode, FieldError};
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::state::AppState;
use crate::text;

/// Earmarks part of the envelope for an identified dossier of its scheme, not yet decided
/// (finance, admin). Reserved money is not available to other dossiers; the dossier's approval
/// uses it first. Requires `Idempotency-Key`.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Envelope id"),
        IdempotencyKey),
    request_body = NewReservation,
    responses(
        (status = 201, description = "Reserved", body = ReservationView,
            headers(("Idempotent-Replayed" = Option<String>, description = "`true` when this answers a retry"))),
        MoneyErrors,
    )
)]
#[post("/envelopes/{id}/reservations")]
#[tracing::instrument(skip_all, fields(envelope_id = %id, role = ?user.role))]
pub async fn reserve(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    money: MoneyRequest<NewReservation>,
) -> ApiResult<HttpResponse> {
    let (key, body) = money.open(&user, &WRITERS)?;
    let mut errors = Vec::new();
    check_positive_amount(&mut errors, "amount_cents", body.amount_cents);
    errors.extend(rule_errors(&body));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let id = crate::domain::ids::EnvelopeId::from(id.into_inner());
    act_once(&req, &state, user, key, body, StatusCode::CREATED, move |conn, user, body| {
        let envelope = envelopes::find(conn, &user.territory, &id)?
            .ok_or_else(|| ApiError::NotFound(text!("money-no-such-envelope")))?;
        let dossier = dossiers::visible(conn, user, &body.dossier_id.into()).map_err(|_| {
            ApiError::validation(vec![FieldError::new(
                "dossier_id",
                FieldCode::Unknown,
                text!("money-dossier-id-names-no-dossier"),
            )])
        })?;
        dossier.ensure_changeable()?;
        if dossier.scheme_id != envelope.scheme_id {
            return Err(ApiError::validation(vec![FieldError::new(
                "dossier_id",
                FieldCode::OtherScheme,
                text!("money-dossier-filed-under-another-scheme"),
            )]));
        }
        // The condition is in the statement (which also takes the dossier's lock, the first of
        // this transaction): a decision or a withdrawal committed a moment ago is seen.
        if !dossiers::lock_if_grantable(conn, &dossier.id)? {
            let dossier = dossiers::find(conn, &dossier.id)?;
            dossier.ensure_changeable()?;
            let status = dossier.status.as_str();
            return Err(ApiError::refused(
                ProblemCode::NotGrantable,
                text!("money-reservation-needs-undecided", status = status),
                RefusalFigures::default(),
            ));
        }
        if envelopes::active_reservation(conn, &envelope.id, &dossier.id)?.is_some() {
            return Err(ApiError::refused(
                ProblemCode::ReservationExists,
                text!("money-dossier-already-has-reservation-envelope"),
                RefusalFigures::default(),
            ));
        }
        let at = now();
        let row = ReservationRow {
            id: new_id().into(),
            envelope_id: envelope.id.clone(),
            dossier_id: dossier.id.clone(),
            amount_cents: body.amount_cents,
            comment: body.comment.trim().to_string(),
            status: ReservationStatus::Active,
            created_by: user.sub.clone(),
            created_at: at,
            closed_by: None,
            closed_at: None,
        };
        let reserved = envelopes::apply(
            conn,
            Movement {
                envelope_id: &envelope.id,
                kind: MovementKind::Reservation,
                dossier_id: Some(&dossier.id),
                amount_cents: body.amount_cents,
                at,
                actor: &user.sub,
                reference: Some(row.id.to_string()),
            },
        )?;
        if !reserved {
            let f = envelopes::reload(conn, &envelope.id)?.figures();
            return Err(ApiError::refused(
                ProblemCode::EnvelopeExhausted,
                text!("money-envelope-exhausted", available = Arg::cents(f.available_cents())),
                RefusalFigures { available_cents: Some(f.available_cents()), ..RefusalFigures::default() },
            ));
        }
        envelopes::insert_reservation(conn, &row)?;
        history::append(
            conn,
            Step {
                dossier_id: &dossier.id,
                actor: user,
                at,
                from: Some(dossier.status),
                to: dossier.status,
                comment: Some(
                    text!("history-reserved", amount = Arg::cents(row.amount_cents), year = envelope.year)
                        .stored(),
                ),

                internal_note: None,
            },
        )?;
        Ok((ReservationView::from(row), None))
    })
    .await
}

use actix_web::{delete, web, HttpResponse};

use super::WRITERS;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::envelopes::{self, Movement};
use crate::db::history::{self, Step};
use crate::db::{dossiers, now};
use crate::domain::money::{MovementKind, ReservationStatus};
use crate::domain::Arg;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Deletes an active reservation (finance, admin): the earmarked money is available again.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Envelope id"), ("rid" = uuid::Uuid, Path, description = "Reservation id")),
    responses(
        (status = 204, description = "Released"),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 409, response = crate::api::openapi::Conflict),
        ReadErrors,
    )
)]
#[delete("/envelopes/{id}/reservations/{rid}")]
#[tracing::instrument(skip_all, fields(role = ?user.role))]
pub async fn unreserve(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<HttpResponse> {
    user.require(&WRITERS)?;
    let (id, rid) = path.into_inner();
    let (id, rid) = (crate::domain::ids::EnvelopeId::from(id), crate::domain::ids::ReservationId::from(rid));
    state
        .write(move |conn| {
            let envelope = envelopes::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("money-no-such-envelope")))?;
            let reservation = envelopes::find_reservation(conn, &envelope.id, &rid)?
                .ok_or_else(|| ApiError::NotFound(text!("money-no-such-reservation")))?;
            // The dossier first (the lock order of money use cases), and the one guard of
            // writes to a dossier: a purged or imported one is read-only.
            let dossier = dossiers::lock_changeable(conn, &reservation.dossier_id)?;
            let at = now();
            if !envelopes::close_reservation(
                conn,
                &reservation.id,
                ReservationStatus::Released,
                &user.sub,
                at,
            )? {
                return Err(ApiError::conflict(
                    ProblemCode::ReservationClosed,
                    text!("money-reservation-no-longer-active-consumed"),
                ));
            }
            let released = envelopes::apply(
                conn,
                Movement {
                    envelope_id: &envelope.id,
                    kind: MovementKind::ReservationRelease,
                    dossier_id: Some(&reservation.dossier_id),
                    amount_cents: -reservation.amount_cents,
                    at,
                    actor: &user.sub,
                    reference: Some(reservation.id.to_string()),
                },
            )?;
            if !released {
                return Err(ApiError::internal("reservation", "the envelope refused the release"));
            }
            history::append(
                conn,
                Step {
                    dossier_id: &dossier.id,
                    actor: &user,
                    at,
                    from: Some(dossier.status),
                    to: dossier.status,
                    comment: Some(
                        text!("history-reservation-lifted", amount = Arg::cents(reservation.amount_cents))
                            .stored(),
                    ),

                    internal_note: None,
                },
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decision::{decide, exhausted, judge};
use super::dto::{callable_from, DossierView};
use super::transition::{release_reservations, take_over};
use crate::api::extract::{ApiJson, DossierPath};
use crate::api::idempotency::IdempotencyKey;
use crate::api::openapi::MoneyErrors;
use crate::auth::AuthUser;
use crate::db::dossiers::{self, TransitionEffects};
use crate::db::envelopes::{self, Movement};
use crate::db::history::{self, Step};
use crate::db::{now, DbConnection};
use crate::domain::access::Caller;
use crate::domain::checks::check_text;
use crate::domain::lifecycle::Transition;
use crate::domain::money::{
    budget_year, check_decision, check_positive_amount, euros, MovementKind, ReservationStatus,
};
use crate::domain::Text;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::state::AppState;

/// The decision to grant.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    /// The amount granted, in cents: never above the maximum grant the rules allow.
    #[schema(minimum = 1, maximum = 100000000000i64, example = 6000000)]
    pub granted_cents: i64,
    /// The date of the deliberation (the legal act), not of this request: it picks the envelope's
    /// year and dates the grant for de minimis and every total.
    pub decided_on: NaiveDate,
    /// The deliberation's reference, published in the CSV exports and open data: it does not
    /// start with `=`, `+`, `-` or `@` (after any spaces), which a spreadsheet runs as a formula
    /// (422 `formula_prefix`).
    #[schema(
        min_length = 1,
        max_length = 100,
        example = "DEL-2026-114",
        pattern = r"^[\x20\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000=+@-][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub decision_reference: String,
    #[serde(default)]
    pub convention_signed_on: Option<NaiveDate>,
    /// Required when eligibility on `decided_on` does not pass (de minimis and territory
    /// failures cannot be overridden); kept in the history.
    #[schema(min_length = 30, max_length = 4000, pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$")]
    #[serde(default)]
    pub justification: Option<String>,
}

impl ApproveRequest {
    fn validate(&self) -> ApiResult<()> {
        let mut errors = Vec::new();
        check_positive_amount(&mut errors, "granted_cents", self.granted_cents);
        let today = chrono::Utc::now().date_naive();
        check_decision(
            &mut errors,
            self.decided_on,
            &self.decision_reference,
            self.convention_signed_on,
            today,
        );
        if let Some(text) = &self.justification {
            check_text(&mut errors, "justification", text, 0, 4000);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

/// Approves a dossier under review (instructors): eligibility is judged again on `decided_on`
/// with `granted_cents` as the grant, and the amount is committed against the envelope of the
/// scheme for that year, using the dossier's reservation first. Requires `Idempotency-Key`.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(DossierPath,
        IdempotencyKey,
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    request_body = ApproveRequest,
    responses(
        (status = 200, description = "Approved", body = DossierView,
            headers(("ETag" = String, description = "The new version tag"),
                ("Idempotent-Replayed" = Option<String>, description = "`true` when this answers a retry"))),
        MoneyErrors,
    )
)]
#[post("/dossiers/{id}/approve")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn approve_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    key: IdempotencyKey,
    body: ApiJson<ApproveRequest>,
) -> ApiResult<HttpResponse> {
    user.require(Transition::Approve.allowed_roles())?;
    let key = key.required()?;
    let body = body.into_inner()?;
    body.validate()?;
    decide(req, user, state, dossier, key, body, approve).await
}

fn approve(
    conn: &mut DbConnection,
    caller: &Caller,
    row: dossiers::DossierRow,
    body: &ApproveRequest,
) -> ApiResult<dossiers::DossierRow> {
    let transition = Transition::Approve;
    if !transition.allowed_from(row.status) {
        return Err(ApiError::TransitionNotAllowed {
            transition,
            current: row.status,
            allowed: callable_from(row.status),
        });
    }
    judge(conn, caller, &row, body.granted_cents, body.decided_on, body.justification.as_deref())?;
    let year = budget_year(body.decided_on);
    let envelope = envelopes::for_year(conn, &row.territory, &row.scheme_id, year)?.ok_or_else(|| {
        ApiError::refused(
            "no_envelope",
            Text::new(
                format!(
                    "Le dispositif n'a pas d'enveloppe pour {year} : les finances l'ouvrent avant les décisions de cette année."
                ),
                format!("The scheme has no envelope for {year}: finance opens it before decisions of that year."),
            ),
            RefusalFigures::default(),
        )
    })?;
    let at = now();
    let reference = Some(body.decision_reference.clone());
    // The dossier's reservation is used first: its earmark is released into the commitment.
    if let Some(reservation) = envelopes::active_reservation(conn, &envelope.id, &row.id)? {
        envelopes::close_reservation(conn, &reservation.id, ReservationStatus::Consumed, &caller.sub, at)?;
        let released = envelopes::apply(
            conn,
            Movement {
                envelope_id: &envelope.id,
                kind: MovementKind::ReservationRelease,
                dossier_id: Some(&row.id),
                amount_cents: -reservation.amount_cents,
                at,
                actor: &caller.sub,
                reference: reference.clone(),
            },
        )?;
        if !released {
            return Err(ApiError::internal("approval", "the reservation could not be released"));
        }
    }
    let committed = envelopes::apply(
        conn,
        Movement {
            envelope_id: &envelope.id,
            kind: MovementKind::Commitment,
            dossier_id: Some(&row.id),
            amount_cents: body.granted_cents,
            at,
            actor: &caller.sub,
            reference: reference.clone(),
        },
    )?;
    if !committed {
        return Err(exhausted(conn, &envelope.id)?);
    }
    let mut effects = TransitionEffects {
        granted_cents: Some(body.granted_cents),
        decided_on: Some(body.decided_on),
        decision_reference: reference,
        convention_signed_on: body.convention_signed_on,
        envelope_id: Some(envelope.id.clone()),
        ..TransitionEffects::default()
    };
    let internal_note = take_over(caller, &row, &mut effects, None);
    let moved = dossiers::move_status(conn, &row, transition.to_state(), &effects, at)?;
    let mut comment = format!(
        "Subvention de {} accordée par la délibération {} du {}.",
        euros(body.granted_cents),
        body.decision_reference,
        body.decided_on.format("%d/%m/%Y")
    );
    if let Some(justification) = body.justification.as_deref().map(str::trim).filter(|j| !j.is_empty()) {
        comment.push_str(&format!(" Justification : {justification}"));
    }
    history::append(
        conn,
        Step {
            dossier_id: &row.id,
            actor: caller,
            at,
            from: Some(row.status),
            to: moved.status,
            comment: Some(comment),
            internal_note,
        },
    )?;
    // Earmarks in other years' envelopes serve no more: the grant is committed in this one.
    release_reservations(conn, caller, &moved, Some(&envelope.id), at, &body.decision_reference)?;
    Ok(moved)
}

use super::letter::Readings;
use crate::domain::Arg;
use crate::text;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::convention::{self, GrantAct};
use super::decision::{decide, exhausted, judge};
use super::dto::DossierView;
use super::notification::{self, Decision};
use super::transition::{check_allowed, release_reservations, take_over};
use crate::api::extract::rule_errors;
use crate::api::extract::DossierPath;
use crate::api::idempotency::{IdempotencyKey, MoneyRequest};
use crate::api::openapi::MoneyErrors;
use crate::auth::AuthUser;
use crate::db::dossiers::{self, TransitionEffects};
use crate::db::envelopes::{self, EnvelopeRow, Movement};
use crate::db::history::{self, Step};
use crate::db::{calls, now, DbConnection};
use crate::domain::access::Caller;
use crate::domain::checks;
use crate::domain::lifecycle::Transition;
use crate::domain::money::{
    budget_year, check_decision, check_positive_amount, MovementKind, ReservationStatus,
};
use crate::domain::notification::NotificationKind;
use crate::domain::sessions::DecidingBody;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::letters::Templates;
use crate::state::AppState;

/// The decision to grant.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
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
    #[schema(min_length = 1, max_length = 100, example = "DEL-2026-114", pattern = "{CELL_LINE_PATTERN}")]
    pub decision_reference: String,
    /// For a grant whose convention was concluded outside Essor before this decision is
    /// recorded: the day it was signed. Essor then drafts none, and payments do not wait for
    /// signatures recorded here. Otherwise leave it out: where the rules require a convention,
    /// Essor drafts it and its signatures (`POST /dossiers/{id}/convention/sign`) set this date.
    #[serde(default)]
    pub convention_signed_on: Option<NaiveDate>,
    /// Required when eligibility on `decided_on` does not pass (de minimis and territory
    /// failures cannot be overridden); kept in the history.
    #[schema(min_length = 30, max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub justification: Option<String>,
}

impl ApproveRequest {
    /// The domain's checks of the amount and the decision, then the rules of the fields.
    fn check(&self) -> ApiResult<()> {
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
        errors.extend(rule_errors(self));
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
    money: MoneyRequest<ApproveRequest>,
) -> ApiResult<HttpResponse> {
    let (key, body) = money.open(&user, Transition::Approve.allowed_roles())?;
    body.check()?;
    decide(req, user, state, dossier, key, body, by_delegation).await
}

/// Who decided: the single approval is a decision taken by delegation of the assembly; a
/// session's deliberation decides its items itself (`dossiers::deliberation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecidedBy {
    Delegation,
    Deliberation,
}

fn by_delegation(
    conn: &mut DbConnection,
    letters: &Templates,
    caller: &Caller,
    row: dossiers::DossierRow,
    body: &ApproveRequest,
) -> ApiResult<dossiers::DossierRow> {
    let mut moved = approve(conn, caller, row, body, DecidedBy::Delegation)?;
    let at = now();
    let mut readings = Readings::default();
    convention::draft(conn, letters, caller, &mut readings, &moved, grant_act(body), at)?;
    notification::issue(
        conn,
        letters,
        caller,
        &mut readings,
        &mut moved,
        grant_notice(body, None, None),
        at,
    )?;
    Ok(moved)
}

/// The grant as its convention refers to it.
pub fn grant_act(body: &ApproveRequest) -> GrantAct<'_> {
    GrantAct {
        reference: &body.decision_reference,
        decided_on: body.decided_on,
        granted_cents: body.granted_cents,
        previous_granted_cents: None,
        reason: None,
    }
}

/// The grant as its notification states it.
pub fn grant_notice(body: &ApproveRequest, by: Option<DecidingBody>, conditions: Option<&str>) -> Decision {
    Decision {
        reference: Some(body.decision_reference.clone()),
        body: by,
        granted_cents: Some(body.granted_cents),
        conditions: conditions.map(str::to_string),
        ..Decision::new(NotificationKind::Grant, body.decided_on)
    }
}

/// Approval, as one use case: the decision judged on its date, the envelope of that year, the
/// dossier's reservation in it consumed, the grant committed, the dossier approved and its
/// history written, then its reservations in other years' envelopes released.
pub fn approve(
    conn: &mut DbConnection,
    caller: &Caller,
    row: dossiers::DossierRow,
    body: &ApproveRequest,
    by: DecidedBy,
) -> ApiResult<dossiers::DossierRow> {
    let transition = Transition::Approve;
    check_allowed(transition, &row)?;
    judge(conn, caller, &row, body.granted_cents, body.decided_on, body.justification.as_deref())?;
    let envelope = envelope_of_the_year(conn, &row, body.decided_on)?;
    let decided = Decided { envelope_id: &envelope.id, dossier_id: &row.id, caller, body, at: now() };
    consume_reservation(conn, &decided)?;
    commit(conn, &decided)?;
    let (moved, internal_note) = mark_approved(conn, &decided, &row)?;
    record_in_history(conn, &decided, &row, &moved, internal_note, by)?;
    // Earmarks in other years' envelopes serve no more: the grant is committed in this one.
    release_reservations(conn, caller, &moved, Some(&envelope.id), decided.at, &body.decision_reference)?;
    Ok(moved)
}

/// What every step of an approval writes with: the envelope, the dossier, who, the decision, when.
struct Decided<'a> {
    envelope_id: &'a crate::domain::ids::EnvelopeId,
    dossier_id: &'a crate::domain::ids::DossierId,
    caller: &'a Caller,
    body: &'a ApproveRequest,
    at: chrono::NaiveDateTime,
}

impl Decided<'_> {
    /// A movement of `amount_cents` on the envelope, referring to the deliberation.
    fn movement(&self, kind: MovementKind, amount_cents: i64) -> Movement<'_> {
        Movement {
            envelope_id: self.envelope_id,
            kind,
            dossier_id: Some(self.dossier_id),
            amount_cents,
            at: self.at,
            actor: &self.caller.sub,
            reference: Some(self.body.decision_reference.clone()),
        }
    }
}

/// The scheme's envelope for the budget year of `decided_on` (422 `no_envelope` without one);
/// for a dossier answering a call, the one the call draws on (409 `outside_call_year` when the
/// decision is dated in another year).
fn envelope_of_the_year(
    conn: &mut DbConnection,
    row: &dossiers::DossierRow,
    decided_on: NaiveDate,
) -> ApiResult<EnvelopeRow> {
    let year = budget_year(decided_on);
    let envelope = envelopes::for_year(conn, &row.territory, &row.scheme_id, year)?;
    if let Some(call_id) = &row.call_id {
        let call = calls::find(conn, &row.territory, call_id)?
            .ok_or_else(|| ApiError::internal("dossier without its call", row.id.clone()))?;
        if envelope.as_ref().is_none_or(|e| e.id != call.envelope_id) {
            return Err(ApiError::refused(
                ProblemCode::OutsideCallYear,
                text!("calls-decided-outside-its-year", year = year, title = call.title),
                RefusalFigures::default(),
            ));
        }
    }
    envelope.ok_or_else(|| {
        ApiError::refused(
            ProblemCode::NoEnvelope,
            text!("money-no-envelope-for-year", year = year),
            RefusalFigures::default(),
        )
    })
}

/// The dossier's reservation in the envelope, if any, is used first: its earmark is released
/// into the commitment.
fn consume_reservation(conn: &mut DbConnection, decided: &Decided<'_>) -> ApiResult<()> {
    let Some(reservation) = envelopes::active_reservation(conn, decided.envelope_id, decided.dossier_id)?
    else {
        return Ok(());
    };
    envelopes::close_reservation(
        conn,
        &reservation.id,
        ReservationStatus::Consumed,
        &decided.caller.sub,
        decided.at,
    )?;
    let released = envelopes::apply(
        conn,
        decided.movement(MovementKind::ReservationRelease, -reservation.amount_cents),
    )?;
    if !released {
        return Err(ApiError::internal("approval", "the reservation could not be released"));
    }
    Ok(())
}

/// The grant committed against the envelope (422 `envelope_exhausted` when it does not fit).
fn commit(conn: &mut DbConnection, decided: &Decided<'_>) -> ApiResult<()> {
    if !envelopes::apply(conn, decided.movement(MovementKind::Commitment, decided.body.granted_cents))? {
        return Err(exhausted(conn, decided.envelope_id)?);
    }
    Ok(())
}

/// The dossier approved with its grant, decision and envelope (taken over by the approving
/// instructor if another held it: the note of that is returned for the history).
fn mark_approved(
    conn: &mut DbConnection,
    decided: &Decided<'_>,
    row: &dossiers::DossierRow,
) -> ApiResult<(dossiers::DossierRow, Option<String>)> {
    let body = decided.body;
    let mut effects = TransitionEffects {
        granted_cents: Some(body.granted_cents),
        decided_on: Some(body.decided_on),
        decision_reference: Some(body.decision_reference.clone()),
        convention_signed_on: body.convention_signed_on,
        envelope_id: Some(decided.envelope_id.clone()),
        ..TransitionEffects::default()
    };
    let internal_note = take_over(decided.caller, row, &mut effects, None);
    let moved = dossiers::move_status(conn, row, Transition::Approve.to_state(), &effects, None, decided.at)?;
    Ok((moved, internal_note))
}

/// The history's line: the grant, the deliberation and its date, and the justification if any.
fn record_in_history(
    conn: &mut DbConnection,
    decided: &Decided<'_>,
    row: &dossiers::DossierRow,
    moved: &dossiers::DossierRow,
    internal_note: Option<String>,
    by: DecidedBy,
) -> ApiResult<()> {
    let body = decided.body;
    let (granted, reference, decided_on) =
        (Arg::cents(body.granted_cents), &body.decision_reference, Arg::Date(body.decided_on));
    let mut comment = match by {
        DecidedBy::Delegation => text!(
            "history-approved-by-delegation",
            granted = granted,
            reference = reference,
            decided_on = decided_on
        ),
        DecidedBy::Deliberation => {
            text!("history-approved", granted = granted, reference = reference, decided_on = decided_on)
        }
    }
    .stored();
    if let Some(justification) = body.justification.as_deref().map(str::trim).filter(|j| !j.is_empty()) {
        comment.push(' ');
        comment.push_str(&text!("history-justification", justification = justification).stored());
    }

    history::append(
        conn,
        Step {
            dossier_id: &row.id,
            actor: decided.caller,
            at: decided.at,
            from: Some(row.status),
            to: moved.status,
            comment: Some(comment),
            internal_note,
        },
    )?;
    Ok(())
}

//! A session's deliberation: the vote on its agenda, recorded once and whole. It decides
//! dossiers, so it lives with the other decisions: each approval is the same use case as a
//! single approval (eligibility judged on the deliberation's date, the envelope's conditional
//! update, the ledger), each rejection the same move as a single rejection, in one transaction.
//! When an envelope cannot hold the approvals, the answer names every item that does not fit
//! and nothing is recorded.

use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::approve::grant_act;
use super::approve::{approve, ApproveRequest, DecidedBy};
use super::convention;
use super::letter::Readings;
use super::notification::{self, Decision};
use super::transition::{check_allowed, release_reservations, take_over};
use crate::api::common::until_today;
use crate::api::extract::rule_errors;
use crate::api::idempotency::{act_once, IdempotencyKey, MoneyRequest};
use crate::api::openapi::MoneyErrors;
use crate::auth::AuthUser;
use crate::db::dossiers::{self, DossierRow, TransitionEffects};
use crate::db::history::{self, Step};
use crate::db::sessions::{self, ItemRow, SessionRow};
use crate::db::{generated, now, territories, DbConnection};
use crate::domain::access::{Caller, Role};
use crate::domain::checks;
use crate::domain::ids::{GeneratedDocumentId, SessionId, SessionItemId};
use crate::domain::lifecycle::{DossierStatus, Transition};
use crate::domain::notification::NotificationKind;
use crate::domain::procedure::letterhead;
use crate::domain::sessions::{Annex, ItemOutcome, SessionStatus};
use crate::domain::{Arg, Code, FieldCode, FieldError, ProblemCode};
use crate::error::{ApiError, ApiResult, Refusal, RefusalFigures};
use crate::letters::{LetterKind, LetterMeta, Templates};
use crate::state::AppState;
use crate::text;

/// The kind of generated document an annex is.
pub const ANNEX: &str = "annex";

/// The most items one deliberation records.
pub const MAX_ITEMS: usize = 1000;

/// The vote of a session, recorded once.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DeliberationRequest {
    /// The deliberation's number, published in the exports and open data with each grant (it
    /// does not start with `=`, `+`, `-` or `@`, which a spreadsheet runs as a formula).
    #[schema(min_length = 1, max_length = 100, example = "DEL-2027-001", pattern = "{CELL_LINE_PATTERN}")]
    #[validate(custom(function = checks::cell_line::<1, 100>))]
    pub number: String,
    /// The day of the vote (2000-01-01 to today): it dates the grants (envelope year, de
    /// minimis, totals).
    #[validate(custom(function = until_today))]
    pub decided_on: NaiveDate,
    /// What became of every proposal on the agenda, once each.
    #[schema(min_items = 1, max_items = 1000)]
    #[validate(nested)]
    pub items: Vec<Vote>,
}

/// What the vote made of one proposal.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    /// The agenda item (`GET /sessions/{id}`).
    pub item_id: uuid::Uuid,
    pub outcome: ItemOutcome,
    /// Required when approved: the amount voted, at most the one proposed.
    #[schema(minimum = 1, maximum = 100000000000i64)]
    #[serde(default)]
    pub voted_cents: Option<i64>,
    /// Required when rejected (the notification carries them); optional when deferred.
    #[schema(min_length = 1, max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub reasons: Option<String>,
    /// When an approved dossier's eligibility does not pass on the vote's day (as for a single
    /// approval: de minimis and territory failures cannot be overridden).
    #[schema(min_length = 30, max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub justification: Option<String>,
}

/// The deliberation as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliberationView {
    #[schema(format = Uuid)]
    pub session_id: String,
    pub number: String,
    pub decided_on: NaiveDate,
    /// Every item, in the agenda's order, with its dossier as the vote left it.
    pub items: Vec<VoteView>,
}

/// One item as the deliberation decided it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteView {
    #[schema(format = Uuid)]
    pub item_id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    pub outcome: ItemOutcome,
    pub voted_cents: Option<i64>,
    pub dossier_status: DossierStatus,
}

/// Records a session's deliberation (instructors; `Idempotency-Key` required), once: its number
/// and date, and for every proposal on the agenda `approved` (the amount voted, maybe lower than
/// proposed), `rejected` (with reasons) or `deferred` (the dossier stays under review for a
/// later session). One legal act: recorded whole or not at all. When the envelopes cannot hold
/// the approvals, 409 `deliberation_does_not_fit` names every item that does not fit
/// (`errors[].field` = `items[i]`) and nothing is recorded; an item that breaks a rule is a 422
/// at `items[i].<field>`.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Session id"), IdempotencyKey),
    request_body = DeliberationRequest,
    responses(
        (status = 200, description = "Recorded", body = DeliberationView,
            headers(("Idempotent-Replayed" = Option<String>, description = "`true` when this answers a retry"))),
        MoneyErrors,
    )
)]
#[post("/sessions/{id}/deliberation")]
#[tracing::instrument(skip_all, fields(session_id = %id, role = ?user.role))]
pub async fn record_deliberation(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    money: MoneyRequest<DeliberationRequest>,
) -> ApiResult<HttpResponse> {
    let (key, body) = money.open(&user, &[Role::Instructor])?;
    let id = SessionId::from(id.into_inner());
    let letters = state.letters.clone();
    act_once(&req, &state, user, key, body, StatusCode::OK, move |conn, caller, body| {
        Ok((deliberate(conn, &letters, caller, &id, body)?, None))
    })
    .await
}

/// The rules of the body alone, before those that need the agenda ([`match_votes`]).
fn check(body: &DeliberationRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if body.items.is_empty() || body.items.len() > MAX_ITEMS {
        errors.push(FieldError::new(
            "items",
            FieldCode::OutOfRange,
            text!("sessions-deliberation-items-count", max = MAX_ITEMS),
        ));
    }
    for (i, vote) in body.items.iter().enumerate() {
        let at = |field: &str| format!("items[{i}].{field}");
        match (vote.outcome, vote.voted_cents) {
            (ItemOutcome::Approved, None) => errors.push(FieldError::new(
                at("voted_cents"),
                FieldCode::Required,
                text!("sessions-voted-amount-required"),
            )),
            (ItemOutcome::Approved, Some(cents)) if !(1..=checks::MAX_AMOUNT_CENTS).contains(&cents) => {
                errors.push(FieldError::new(
                    at("voted_cents"),
                    FieldCode::NotPositive,
                    text!("decision-amount-not-positive"),
                ))
            }
            (ItemOutcome::Rejected | ItemOutcome::Deferred, Some(_)) => errors.push(FieldError::new(
                at("voted_cents"),
                FieldCode::NotApplicable,
                text!("sessions-voted-amount-only-when-approved"),
            )),
            _ => {}
        }
        let reasons = vote.reasons.as_deref().map(str::trim).unwrap_or("");
        if vote.outcome == ItemOutcome::Rejected && reasons.is_empty() {
            errors.push(FieldError::new(
                at("reasons"),
                FieldCode::Required,
                text!("sessions-reasons-required"),
            ));
        }
    }
    errors.extend(rule_errors(body));
    errors
}

/// The deliberation, in the caller's transaction: every vote matched to the agenda, the session
/// taken, each item decided in the agenda's order, the session decided. Any refusal rolls back
/// everything (the caller's transaction).
fn deliberate(
    conn: &mut DbConnection,
    letters: &Templates,
    caller: &Caller,
    id: &SessionId,
    body: &DeliberationRequest,
) -> ApiResult<DeliberationView> {
    let session = sessions::find(conn, &caller.territory, id)?
        .ok_or_else(|| ApiError::NotFound(text!("not-found-session")))?;
    if !session.status.awaits_its_vote() {
        return Err(ApiError::conflict(ProblemCode::SessionDecided, text!("sessions-already-decided")));
    }
    let agenda = sessions::items(conn, &session.id)?;
    let votes = match_votes(&agenda, body, check(body))?;
    let at = now();
    let session = sessions::take(conn, &session, &[SessionStatus::Planned, SessionStatus::AgendaClosed], at)?;
    // The annex as the members had it: the envelopes as they stand before the vote.
    let before = sessions::annex(conn, &session)?;
    let mut refused: Vec<FieldError> = Vec::new();
    let mut items = Vec::with_capacity(votes.len());
    let mut readings = Readings::default();
    for (index, item, vote) in votes {
        let row = dossiers::find(conn, &item.dossier_id)?;
        let decided = match vote.outcome {
            ItemOutcome::Approved => grant(conn, caller, row, body, vote),
            ItemOutcome::Rejected => reject(conn, caller, row, body, vote),
            ItemOutcome::Deferred => defer(conn, caller, row, body, vote),
        };
        match decided {
            Ok(mut moved) => {
                if vote.outcome == ItemOutcome::Approved {
                    let request = approval(body, vote);
                    convention::draft(conn, letters, caller, &mut readings, &moved, grant_act(&request), at)?;
                }
                if let Some(notice) = notice(&session, item, body, vote) {
                    notification::issue(conn, letters, caller, &mut readings, &mut moved, notice, at)?;
                }
                sessions::set_outcome(
                    conn,
                    &item.id,
                    vote.outcome,
                    vote.voted_cents,
                    vote.reasons.as_deref(),
                )?;
                items.push(VoteView {
                    item_id: item.id.to_string(),
                    dossier_id: item.dossier_id.to_string(),
                    outcome: vote.outcome,
                    voted_cents: vote.voted_cents,
                    dossier_status: moved.status,
                });
            }
            Err(error) => refused.extend(item_errors(index, error)?),
        }
    }
    if !refused.is_empty() {
        return Err(refusal(refused));
    }
    let decided = sessions::set_status(
        conn,
        &session,
        SessionStatus::Decided,
        Some((body.number.trim(), body.decided_on)),
    )?;
    freeze_annex(conn, letters, &decided, voted(before, &decided, &items), at)?;
    sessions::record(
        conn,
        &session.id,
        caller,
        at,
        "deliberation_recorded",
        Some(body.number.trim().to_string()),
    )?;
    Ok(DeliberationView {
        session_id: session.id.to_string(),
        number: body.number.trim().to_string(),
        decided_on: body.decided_on,
        items,
    })
}

/// The annex as read before the vote, with what the vote made of each line and the
/// deliberation's number and date.
fn voted(mut annex: Annex, session: &SessionRow, votes: &[VoteView]) -> Annex {
    for line in &mut annex.lines {
        if let Some(vote) = votes.iter().find(|v| v.dossier_id == line.dossier_id) {
            line.outcome = Some(vote.outcome);
            line.voted_cents = vote.voted_cents;
        }
    }
    annex.deliberation_number = session.deliberation_number.clone();
    annex.deliberated_on = session.deliberated_on;
    annex
}

/// The annex the deliberation carries (the proposals, the envelopes as they stood before the
/// vote, the outcomes and amounts voted), made into its PDF and kept with the session: never
/// made again.
fn freeze_annex(
    conn: &mut DbConnection,
    letters: &Templates,
    session: &SessionRow,
    annex: Annex,
    at: NaiveDateTime,
) -> ApiResult<()> {
    let territory = territories::find(conn, &session.territory)?
        .ok_or_else(|| ApiError::internal("session without its territory", session.id.clone()))?;
    let head =
        letterhead(&territory.name, territory.siret.as_ref().map(|s| s.as_str()), &territory.service.into());
    let context = annex.letter_context(head);
    let template = letters.get(session.territory.as_str(), LetterKind::Annex);
    let meta = LetterMeta { title: annex_title(session), issued_at: crate::api::common::utc(at) };
    let pdf = template.render(&context, &meta).map_err(|e| ApiError::internal_from("render an annex", e))?;
    let id = GeneratedDocumentId::from(crate::db::new_id());
    generated::keep_pdf(conn, &id, None, ANNEX, template.version(), &pdf, at)?;
    sessions::set_annex(conn, &session.id, &id)?;
    Ok(())
}

/// The annex's title: the deliberation's number (the session's title before it has one).
fn annex_title(session: &SessionRow) -> String {
    session.deliberation_number.clone().unwrap_or_else(|| session.title.clone())
}

/// Each vote with its agenda item and its index in the body, in the agenda's order: 422 with
/// the body's own `errors` and one for a vote on no item of the agenda, an item voted twice, an
/// amount above the one proposed, and every item without a vote: all at once.
fn match_votes<'a>(
    agenda: &'a [ItemRow],
    body: &'a DeliberationRequest,
    mut errors: Vec<FieldError>,
) -> ApiResult<Vec<(usize, &'a ItemRow, &'a Vote)>> {
    let mut matched: Vec<(usize, &ItemRow, &Vote)> = Vec::new();
    for (index, vote) in body.items.iter().enumerate() {
        let item_id = SessionItemId::from(vote.item_id);
        let field = format!("items[{index}].item_id");
        match agenda.iter().find(|item| item.id == item_id && item.outcome.is_none()) {
            None => {
                errors.push(FieldError::new(field, FieldCode::Unknown, text!("sessions-vote-on-no-item")))
            }
            Some(item) if matched.iter().any(|(_, m, _)| m.id == item.id) => {
                errors.push(FieldError::new(field, FieldCode::Duplicate, text!("sessions-item-voted-twice")))
            }
            Some(item) => {
                if vote.voted_cents.is_some_and(|voted| voted > item.proposed_cents) {
                    errors.push(FieldError::new(
                        format!("items[{index}].voted_cents"),
                        FieldCode::AboveMaximum,
                        text!("sessions-voted-above-proposed", proposed = Arg::cents(item.proposed_cents)),
                    ));
                }
                matched.push((index, item, vote));
            }
        }
    }
    for item in agenda.iter().filter(|item| item.outcome.is_none()) {
        if !matched.iter().any(|(_, m, _)| m.id == item.id) {
            errors.push(FieldError::new(
                "items",
                FieldCode::Required,
                text!("sessions-item-without-vote", position = item.position),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    matched.sort_by_key(|(_, item, _)| item.position);
    Ok(matched)
}

/// What the applicant is notified of an item's outcome: a grant (with the item's conditions) or
/// a refusal (with the vote's reasons); nothing for a deferral, which decides nothing.
fn notice(session: &SessionRow, item: &ItemRow, body: &DeliberationRequest, vote: &Vote) -> Option<Decision> {
    let decision = |kind| Decision {
        reference: Some(body.number.trim().to_string()),
        body: Some(session.body),
        ..Decision::new(kind, body.decided_on)
    };
    match vote.outcome {
        ItemOutcome::Approved => Some(Decision {
            granted_cents: vote.voted_cents,
            conditions: item.conditions.clone(),
            ..decision(NotificationKind::Grant)
        }),
        ItemOutcome::Rejected => {
            Some(decision(NotificationKind::Refusal).with_reason(vote.reasons.as_deref()))
        }
        ItemOutcome::Deferred => None,
    }
}

/// The approval a vote for a grant makes.
fn approval(body: &DeliberationRequest, vote: &Vote) -> ApproveRequest {
    ApproveRequest {
        granted_cents: vote.voted_cents.unwrap_or_default(),
        decided_on: body.decided_on,
        decision_reference: body.number.trim().to_string(),
        convention_signed_on: None,
        justification: vote.justification.clone(),
    }
}

/// An approval by the deliberation: the single approval's use case, the deliberation's number
/// as the decision's reference.
fn grant(
    conn: &mut DbConnection,
    caller: &Caller,
    row: DossierRow,
    body: &DeliberationRequest,
    vote: &Vote,
) -> ApiResult<DossierRow> {
    let request = approval(body, vote);
    approve(conn, caller, row, &request, DecidedBy::Deliberation)
}

/// A rejection by the deliberation, with its reasons in the history (and, later, the
/// notification).
fn reject(
    conn: &mut DbConnection,
    caller: &Caller,
    row: DossierRow,
    body: &DeliberationRequest,
    vote: &Vote,
) -> ApiResult<DossierRow> {
    check_allowed(Transition::Reject, &row)?;
    let at = now();
    let mut effects = TransitionEffects::default();
    let internal_note = take_over(caller, &row, &mut effects, None);
    let moved = dossiers::move_status(conn, &row, DossierStatus::Rejected, &effects, None, at)?;
    let reasons = vote.reasons.as_deref().map(str::trim).unwrap_or_default();
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
                    "history-rejected-by-deliberation",
                    reference = body.number.trim(),
                    decided_on = Arg::Date(body.decided_on),
                    reasons = reasons
                )
                .stored(),
            ),
            internal_note,
        },
    )?;
    release_reservations(conn, caller, &moved, None, at, body.number.trim())?;
    Ok(moved)
}

/// A proposal put off: the dossier stays under review, for a later session; the history says so.
fn defer(
    conn: &mut DbConnection,
    caller: &Caller,
    row: DossierRow,
    body: &DeliberationRequest,
    vote: &Vote,
) -> ApiResult<DossierRow> {
    row.ensure_changeable()?;
    if row.status != DossierStatus::UnderReview {
        return Err(ApiError::conflict(
            ProblemCode::NotUnderReview,
            text!("sessions-item-needs-review", status = row.status.as_str()),
        ));
    }
    let mut comment = text!(
        "history-deferred-by-deliberation",
        reference = body.number.trim(),
        decided_on = Arg::Date(body.decided_on)
    )
    .stored();
    if let Some(reasons) = vote.reasons.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        comment.push(' ');
        comment.push_str(reasons);
    }
    history::append(
        conn,
        Step {
            dossier_id: &row.id,
            actor: caller,
            at: now(),
            from: Some(row.status),
            to: row.status,
            comment: Some(comment),
            internal_note: None,
        },
    )?;
    Ok(row)
}

/// What one item's refusal says, at `items[index]`: a rule of a field (`items[i].<field>`), or
/// why the decision could not be made (`items[i]`). Failures of the service itself (the
/// database, a stale row) are not the item's: they end the deliberation as they are.
fn item_errors(index: usize, error: ApiError) -> ApiResult<Vec<FieldError>> {
    let at = format!("items[{index}]");
    Ok(match error {
        ApiError::Validation { errors, .. } => errors
            .into_iter()
            .map(|mut e| {
                let field =
                    if e.field == "granted_cents" { "voted_cents".to_string() } else { e.field.clone() };
                e.field = format!("{at}.{field}");
                e
            })
            .collect(),
        ApiError::Refused(refusal) => {
            let code = match refusal.code {
                ProblemCode::EnvelopeExhausted => FieldCode::EnvelopeExhausted,
                ProblemCode::NoEnvelope => FieldCode::NoEnvelope,
                ProblemCode::ApprovalBlocked => FieldCode::ApprovalBlocked,
                _ => FieldCode::NotAllowed,
            };
            vec![FieldError::new(at, code, refusal.detail)]
        }
        ApiError::Conflict { detail, .. } => vec![FieldError::new(at, FieldCode::NotAllowed, detail)],
        ApiError::TransitionNotAllowed { current, .. } => vec![FieldError::new(
            at,
            FieldCode::NotAllowed,
            text!("sessions-item-needs-review", status = current.as_str()),
        )],
        other => return Err(other),
    })
}

/// 409 `deliberation_does_not_fit` when an envelope cannot hold an approval, else 422: every
/// item's refusal listed.
fn refusal(errors: Vec<FieldError>) -> ApiError {
    let money = [FieldCode::EnvelopeExhausted, FieldCode::NoEnvelope];
    if !errors.iter().any(|e| money.contains(&e.code)) {
        return ApiError::validation(errors);
    }
    ApiError::Refused(Box::new(Refusal {
        status: StatusCode::CONFLICT,
        code: ProblemCode::DeliberationDoesNotFit,
        detail: text!("sessions-deliberation-does-not-fit", count = errors.len()),
        criterion: None,
        figures: RefusalFigures::default(),
        errors: Some(errors),
    }))
}

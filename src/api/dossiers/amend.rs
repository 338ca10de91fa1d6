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
use super::transition::{check_allowed, take_over};
use crate::api::extract::rule_errors;
use crate::api::extract::DossierPath;
use crate::api::idempotency::{IdempotencyKey, MoneyRequest};
use crate::api::openapi::MoneyErrors;
use crate::auth::AuthUser;
use crate::db::dossiers::{self, DossierRow, TransitionEffects};
use crate::db::envelopes::{self, Movement};
use crate::db::history::{self, Step};
use crate::db::{now, DbConnection};
use crate::domain::access::Caller;
use crate::domain::checks;
use crate::domain::lifecycle::Transition;
use crate::domain::money::{check_decision, check_follows, check_positive_amount, MovementKind, PriorAct};
use crate::domain::notification::NotificationKind;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::letters::Templates;
use crate::state::AppState;

/// An amendment (avenant) to a grant.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AmendRequest {
    /// The new amount granted, in cents: never below what is paid or requested.
    #[schema(minimum = 1, maximum = 100000000000i64, example = 5500000)]
    pub granted_cents: i64,
    /// The date of the deliberation that amends the grant.
    pub decided_on: NaiveDate,
    /// The amending deliberation's reference, under the rule of an approval's: it does not start
    /// with `=`, `+`, `-` or `@` (after any spaces), which a spreadsheet runs as a formula (422
    /// `formula_prefix`).
    #[schema(min_length = 1, max_length = 100, example = "DEL-2027-031", pattern = "{CELL_LINE_PATTERN}")]
    pub decision_reference: String,
    /// Why; shown in the history. Serves as the justification when eligibility on `decided_on`
    /// does not pass (then at least 30 characters).
    #[schema(min_length = 1, max_length = 4000, pattern = "{TEXT_REQUIRED_PATTERN}")]
    #[validate(custom(function = checks::text::<1, 4000>))]
    pub comment: String,
}

/// Raises or lowers an approved grant (instructors): judged again like an approval, and the
/// difference committed to (or released from) the grant's envelope. Requires `Idempotency-Key`.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(DossierPath,
        IdempotencyKey,
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    request_body = AmendRequest,
    responses(
        (status = 200, description = "Amended", body = DossierView,
            headers(("ETag" = String, description = "The new version tag"),
                ("Idempotent-Replayed" = Option<String>, description = "`true` when this answers a retry"))),
        MoneyErrors,
    )
)]
#[post("/dossiers/{id}/amend")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn amend_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    money: MoneyRequest<AmendRequest>,
) -> ApiResult<HttpResponse> {
    let (key, body) = money.open(&user, Transition::Amend.allowed_roles())?;
    let mut errors = Vec::new();
    check_positive_amount(&mut errors, "granted_cents", body.granted_cents);
    check_decision(
        &mut errors,
        body.decided_on,
        &body.decision_reference,
        None,
        chrono::Utc::now().date_naive(),
    );
    errors.extend(rule_errors(&body));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    decide(req, user, state, dossier, key, body, amend).await
}

fn amend(
    conn: &mut DbConnection,
    letters: &Templates,
    caller: &Caller,
    row: DossierRow,
    body: &AmendRequest,
) -> ApiResult<DossierRow> {
    let transition = Transition::Amend;
    check_allowed(transition, &row)?;
    let mut errors = Vec::new();
    if let Some(granted_on) = row.decided_on {
        check_follows(&mut errors, "decided_on", body.decided_on, PriorAct::Decision, granted_on);
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let granted = row.granted_cents.unwrap_or(0);
    let engaged = row.paid_cents + row.pending_disbursement_cents;
    if body.granted_cents < engaged {
        return Err(ApiError::refused(
            ProblemCode::BelowDisbursed,
            text!("money-grant-below-engaged", engaged = Arg::cents(engaged)),
            RefusalFigures {
                granted_cents: Some(granted),
                paid_cents: Some(row.paid_cents),
                pending_cents: Some(row.pending_disbursement_cents),
                ..RefusalFigures::default()
            },
        ));
    }
    judge(conn, caller, &row, body.granted_cents, body.decided_on, Some(&body.comment))?;
    let envelope_id = row
        .envelope_id
        .clone()
        .ok_or_else(|| ApiError::internal("amendment", "approved dossier without envelope"))?;
    let at = now();
    let delta = body.granted_cents - granted;
    if delta != 0 {
        let applied = envelopes::apply(
            conn,
            Movement {
                envelope_id: &envelope_id,
                kind: MovementKind::Amendment,
                dossier_id: Some(&row.id),
                amount_cents: delta,
                at,
                actor: &caller.sub,
                reference: Some(body.decision_reference.clone()),
            },
        )?;
        if !applied {
            return Err(exhausted(conn, &envelope_id)?);
        }
    }
    let mut effects =
        TransitionEffects { granted_cents: Some(body.granted_cents), ..TransitionEffects::default() };
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
                    "history-amended",
                    reference = &body.decision_reference,
                    decided_on = Arg::Date(body.decided_on),
                    before = Arg::cents(granted),
                    after = Arg::cents(body.granted_cents),
                    comment = body.comment.trim()
                )
                .stored(),
            ),

            internal_note,
        },
    )?;
    let act = GrantAct {
        reference: &body.decision_reference,
        decided_on: body.decided_on,
        granted_cents: body.granted_cents,
        previous_granted_cents: Some(granted),
        reason: Some(&body.comment),
    };
    let mut readings = Readings::default();
    convention::draft(conn, letters, caller, &mut readings, &moved, act, at)?;
    let notice = Decision {
        reference: Some(body.decision_reference.clone()),
        granted_cents: Some(body.granted_cents),
        previous_granted_cents: Some(granted),
        ..Decision::new(NotificationKind::Amendment, body.decided_on).with_reason(Some(&body.comment))
    };
    notification::issue(conn, letters, caller, &mut readings, &mut moved, notice, at)?;
    Ok(moved)
}

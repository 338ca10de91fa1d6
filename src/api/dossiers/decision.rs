//! What approvals and amendments share: eligibility judged again on the deliberation's date with
//! the granted amount, recorded as the decision's snapshot, and the decision rule applied.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;

use super::dto::DossierView;
use crate::api::common::{etag, IfMatch};
use crate::api::extract::DossierPath;
use crate::api::idempotency::act_once;
use crate::letters::Templates;
use crate::state::AppState;

use crate::db::dossiers::DossierRow;
use crate::db::eligibility::inputs_for;
use crate::db::envelopes;
use crate::db::snapshots;
use crate::db::DbConnection;
use crate::domain::access::Caller;
use crate::domain::approval::{check_approval, ApprovalRefusal, SnapshotSummary, MIN_JUSTIFICATION_CHARS};
use crate::domain::ProblemCode;
use crate::domain::{Arg, Code, FieldCode, FieldError, Text};
use crate::error::{ApiError, ApiResult, Refusal, RefusalFigures};
use crate::text;

/// Runs a decision (`act`) on the dossier the caller may see: once per Idempotency-Key, on the
/// version named by `If-Match` if any; answers the dossier as it became, with its new ETag.
pub async fn decide<B: Serialize + Send + 'static>(
    req: HttpRequest,
    user: Caller,
    state: web::Data<AppState>,
    dossier: DossierPath,
    key: String,
    body: B,
    act: fn(&mut DbConnection, &Templates, &Caller, DossierRow, &B) -> ApiResult<DossierRow>,
) -> ApiResult<HttpResponse> {
    let if_match = IfMatch::from_request(&req)?;
    let letters = state.letters.clone();
    act_once(&req, &state, user, key, body, StatusCode::OK, move |conn, caller, body| {
        let row = dossier.load_to_change(conn, caller)?;
        if_match.expected_version(row.version)?;
        let row = act(conn, &letters, caller, row, body)?;
        let tag = etag(row.version);
        Ok((DossierView::for_user(row, caller), Some(tag)))
    })
    .await
}

/// Judges a grant of `granted_cents` decided on `decided_on`; records the snapshot it relied on.
pub fn judge(
    conn: &mut DbConnection,
    caller: &Caller,
    dossier: &DossierRow,
    granted_cents: i64,
    decided_on: NaiveDate,
    justification: Option<&str>,
) -> ApiResult<()> {
    let mut inputs = inputs_for(conn, dossier, decided_on)?;
    // The proposed grant, for de minimis, is the amount decided.
    inputs.project.requested_cents = Some(granted_cents);
    let report = inputs.evaluate();
    let summary = SnapshotSummary::of(&report);
    check_approval(Some(summary), granted_cents, justification)
        .map_err(|refusal| refused(refusal, summary))?;
    snapshots::record(conn, &dossier.id, &inputs.rules_version.id, decided_on, report, &caller.sub)?;
    Ok(())
}

fn refused(refusal: ApprovalRefusal, summary: SnapshotSummary) -> ApiError {
    let field = |field: &str, code: FieldCode, message: Text| {
        ApiError::validation(vec![FieldError::new(field, code, message)])
    };
    match refusal {
        ApprovalRefusal::Blocked { criterion } => ApiError::Refused(Box::new(Refusal {
            status: actix_web::http::StatusCode::CONFLICT,
            code: ProblemCode::ApprovalBlocked,
            detail: text!("decision-criterion-blocks", criterion = criterion.as_str()),
            criterion: Some(criterion.as_str().to_string()),
            figures: RefusalFigures::default(),
            errors: None,
        })),
        ApprovalRefusal::NotEligible { overall } => field(
            "justification",
            FieldCode::Required,
            text!(
                "decision-justification-required",
                overall = overall.as_str(),
                min_chars = MIN_JUSTIFICATION_CHARS
            ),
        ),
        ApprovalRefusal::JustificationTooShort { min_chars } => field(
            "justification",
            FieldCode::TooShort,
            text!("decision-justification-too-short", min_chars = min_chars),
        ),
        ApprovalRefusal::AboveMaximum { max_grant_cents } => field(
            "granted_cents",
            FieldCode::AboveMaximum,
            text!("decision-above-maximum", max_grant = Arg::cents(max_grant_cents)),
        ),
        ApprovalRefusal::NonPositiveAmount => {
            field("granted_cents", FieldCode::NotPositive, text!("decision-amount-not-positive"))
        }
        ApprovalRefusal::NoSnapshot => {
            ApiError::internal("approval", format!("no snapshot (max {})", summary.max_grant_cents))
        }
    }
}

/// 409 `envelope_exhausted` with what the envelope still has.
pub fn exhausted(
    conn: &mut DbConnection,
    envelope_id: &crate::domain::ids::EnvelopeId,
) -> ApiResult<ApiError> {
    let figures = envelopes::reload(conn, envelope_id)?.figures();
    Ok(ApiError::refused(
        ProblemCode::EnvelopeExhausted,
        text!("money-envelope-exhausted", available = Arg::cents(figures.available_cents())),
        RefusalFigures {
            amount_cents: Some(figures.amount_cents),
            reserved_cents: Some(figures.reserved_cents),
            committed_cents: Some(figures.committed_cents),
            available_cents: Some(figures.available_cents()),
            ..RefusalFigures::default()
        },
    ))
}

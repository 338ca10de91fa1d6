use actix_web::{patch, web, HttpRequest, HttpResponse};

use super::dto::{EnvelopePatch, EnvelopeView};
use super::WRITERS;
use crate::api::common::{etag_header, not_null, IfMatch};
use crate::api::extract::{rule_errors, ApiJson};
use crate::api::openapi::UpdateErrors;
use crate::auth::AuthUser;
use crate::db::{envelopes, now};
use crate::domain::Arg;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::state::AppState;
use crate::text;

/// Changes an envelope's amount or label (finance, admin; JSON Merge Patch, `If-Match`
/// required). The amount never goes below what is reserved and committed: 409
/// `envelope_below_commitments` with the figures.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Envelope id"), ("If-Match" = String, Header, description = "The ETag last read")),
    request_body(content = EnvelopePatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = EnvelopeView, headers(("ETag" = String, description = "The new version tag"))),
        (status = 409, response = crate::api::openapi::Conflict),
        UpdateErrors,
    )
)]
#[patch("/envelopes/{id}")]
#[tracing::instrument(skip_all, fields(envelope_id = %id, role = ?user.role))]
pub async fn update_envelope(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJson<EnvelopePatch>,
) -> ApiResult<HttpResponse> {
    user.require(&WRITERS)?;
    let if_match = IfMatch::required(&req)?;
    let patch = body.into_inner()?;
    let amount = not_null("amount_cents", patch.amount_cents)?;
    let mut errors = Vec::new();
    errors.extend(rule_errors(&patch));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let id = crate::domain::ids::EnvelopeId::from(id.into_inner());
    let row = state
        .write(move |conn| {
            let envelope = envelopes::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("money-no-such-envelope")))?;
            if_match.expected_version(envelope.version)?;
            let amount = amount.unwrap_or(envelope.amount_cents);
            let label = match &patch.label {
                None => envelope.label.clone(),
                Some(label) => label.as_ref().map(|l| l.trim().to_string()),
            };
            if !envelopes::set_amount(conn, &envelope, amount, label, now())? {
                let f = envelope.figures();
                return Err(ApiError::refused(
                    ProblemCode::EnvelopeBelowCommitments,
                    text!(
                        "money-envelope-below-commitments",
                        engaged = Arg::cents(f.reserved_cents + f.committed_cents)
                    ),
                    RefusalFigures {
                        amount_cents: Some(f.amount_cents),
                        reserved_cents: Some(f.reserved_cents),
                        committed_cents: Some(f.committed_cents),
                        available_cents: Some(f.available_cents()),
                        ..RefusalFigures::default()
                    },
                ));
            }
            Ok(envelopes::reload(conn, &envelope.id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(EnvelopeView::from(row)))
}

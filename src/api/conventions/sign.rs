use actix_web::{post, web};

use super::dto::{ConventionView, SignRequest};
use crate::api::extract::{check_rules, ApiJson, DossierPath};
use crate::api::openapi::TransitionErrors;
use crate::auth::{AuthUser, Role};
use crate::db::conventions::{self, SignatureRow};
use crate::db::history::{self, Step};
use crate::db::{documents, now};
use crate::domain::convention::{convention_label, SigningParty};
use crate::domain::ids::DocumentId;
use crate::domain::procedure::paris_date;
use crate::domain::{Arg, FieldCode, FieldError, ProblemCode};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Records a party's signature of the convention or of one of its amendments, once (409
/// `already_signed` after). An applicant signs for the beneficiary, through the client app (403
/// for the territory);
/// instructors and admins record the territory's signature, or the beneficiary's from a signed
/// paper copy. When both parties signed the convention, it takes effect on the later date
/// (the dossier's `convention_signed_on`), and once every document is signed, payments may be
/// requested. A day before the document was drafted is 422 `before_issue`; a signed copy that
/// is no document of the dossier is 422 `unknown`.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(DossierPath),
    request_body = SignRequest,
    responses(
        (status = 200, description = "Signed", body = ConventionView),
        TransitionErrors,
    )
)]
#[post("/dossiers/{id}/convention/sign")]
pub async fn sign_convention(
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    body: ApiJson<SignRequest>,
) -> ApiResult<web::Json<ConventionView>> {
    user.require(&[Role::Applicant, Role::Instructor, Role::Admin])?;
    let body = body.into_inner()?;
    let party = match (user.role, body.party) {
        (Role::Applicant, None | Some(SigningParty::Beneficiary)) => SigningParty::Beneficiary,
        // Signing for the territory is its staff's right, not a request's shape: 403.
        (Role::Applicant, Some(SigningParty::Territory)) => {
            return Err(ApiError::Forbidden(text!("conventions-applicant-signs-for-beneficiary")))
        }
        (_, party) => party.unwrap_or(SigningParty::Territory),
    };
    let (convention, documents) = state
        .write(move |conn| {
            let dossier = dossier.load_to_change(conn, &user)?;
            let (convention, documents) = super::load(conn, &dossier.id)?;
            // The date's rules once the convention is known (a dossier without one is 404 first).
            check_rules(&body)?;
            let signed_by = |d: &crate::db::conventions::SignedDocument| d.2.iter().any(|s| s.party == party);
            let target = match body.seq {
                Some(seq) => documents.iter().find(|d| d.0.seq == seq).ok_or_else(|| {
                    ApiError::validation(vec![FieldError::new(
                        "seq",
                        FieldCode::Unknown,
                        text!("conventions-no-such-document", seq = seq),
                    )])
                })?,
                None => {
                    documents.iter().find(|d| !signed_by(d)).or(documents.last()).ok_or_else(|| {
                        ApiError::internal("convention", "a convention without its document")
                    })?
                }
            };
            let label = convention_label(convention.year, convention.number, target.0.seq);
            if signed_by(target) {
                return Err(ApiError::conflict(
                    ProblemCode::AlreadySigned,
                    text!("conventions-already-signed", number = label.as_str()),
                ));
            }
            let drafted_on = paris_date(target.0.issued_at);
            if body.signed_on < drafted_on {
                return Err(ApiError::validation(vec![FieldError::new(
                    "signed_on",
                    FieldCode::BeforeIssue,
                    text!("conventions-signed-before-drafted", day = Arg::Date(drafted_on)),
                )]));
            }
            let signed_copy_id = match body.signed_copy_document_id {
                Some(id) => {
                    let id = DocumentId::from(id);
                    let known = documents::current(conn, &dossier.id)?.into_iter().any(|d| d.id == id);
                    if !known {
                        return Err(ApiError::validation(vec![FieldError::new(
                            "signed_copy_document_id",
                            FieldCode::Unknown,
                            text!("conventions-signed-copy-unknown"),
                        )]));
                    }
                    Some(id)
                }
                None => None,
            };
            let at = now();
            let signature = SignatureRow {
                convention_document_id: target.0.id.clone(),
                party,
                dossier_id: dossier.id.clone(),
                signed_on: body.signed_on,
                signed_copy_id,
                signed_by: user.sub.clone(),
                recorded_at: at,
            };
            if !conventions::sign(conn, &signature)? {
                return Err(ApiError::conflict(
                    ProblemCode::AlreadySigned,
                    text!("conventions-already-signed", number = label.as_str()),
                ));
            }
            let line = match party {
                SigningParty::Beneficiary => text!(
                    "history-convention-signed-beneficiary",
                    number = label.as_str(),
                    signed_on = Arg::Date(body.signed_on)
                ),
                SigningParty::Territory => text!(
                    "history-convention-signed-territory",
                    number = label.as_str(),
                    signed_on = Arg::Date(body.signed_on)
                ),
            };
            history::append(
                conn,
                Step {
                    dossier_id: &dossier.id,
                    actor: &user,
                    at,
                    from: Some(dossier.status),
                    to: dossier.status,
                    comment: Some(line.stored()),
                    internal_note: None,
                },
            )?;
            // The convention itself, signed by both: it takes effect on the later signature.
            if target.0.seq == 0 {
                if let Some(other) = target.2.iter().find(|s| s.party != party) {
                    conventions::set_signed_on(conn, &dossier.id, other.signed_on.max(body.signed_on), at)?;
                }
            }
            super::load(conn, &dossier.id)
        })
        .await?;
    Ok(web::Json(ConventionView::new(convention, documents)))
}

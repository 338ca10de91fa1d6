//! The machine-readable code of every problem Essor answers: one enumeration, published in the
//! OpenAPI document as the `code` of the problem, so that a front end switches on it with types.
//! Its text codes are in `codes.rs`, like every other enumeration's.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Code, Text};

/// Why a request was refused, or what went wrong: the kind of problem for most of them
/// (`validation`, `not_found`…), the precise reason for a refusal (`envelope_exhausted`,
/// `purged_read_only`…). Stable: clients match on it, whatever the language of the texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    // The kinds of problem (HTTP semantics).
    /// The body or query could not be read (malformed JSON, wrong types, unknown fields).
    BadRequest,
    /// Well-formed input that breaks a rule: see `errors`, field by field.
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    /// The dossier's status does not allow this action: see `allowed_transitions`.
    TransitionNotAllowed,
    /// The resource changed since the ETag sent in `If-Match`.
    PreconditionFailed,
    /// This update needs `If-Match`.
    PreconditionRequired,
    PayloadTooLarge,
    RequestTimeout,
    UnsupportedMediaType,
    /// The database cannot be reached: retry after `Retry-After`.
    Unavailable,
    /// Other work held what this request needs: nothing was written; retry after `Retry-After`.
    Contention,
    Internal,
    // Conflicts with what is stored.
    /// Another object already has the same identifying fields.
    Duplicate,
    /// The change would break an integrity rule of the database.
    Integrity,
    OrganisationExists,
    OrganisationNotRegistered,
    SchemeExists,
    RulesVersionExists,
    /// The dossier's scheme has no rules in force on the day that counts.
    NoRulesInForce,
    /// Only a draft or a dossier whose changes were requested may be edited.
    NotEditable,
    /// Eligibility is recorded while the dossier is submitted or under review.
    NotUnderInstruction,
    /// Assessments are made under review.
    NotUnderReview,
    /// Documents change only while the dossier is editable.
    DocumentsLocked,
    TooManyDocuments,
    NotSubmitted,
    ImportedReadOnly,
    PurgedReadOnly,
    TerritorySiretMissing,
    // Money.
    IdempotencyKeyReused,
    IdempotencyKeyInFlight,
    EnvelopeExists,
    EnvelopeBelowCommitments,
    EnvelopeExhausted,
    NoEnvelope,
    ApprovalBlocked,
    BelowDisbursed,
    AboveGrant,
    NotApproved,
    BalanceRequested,
    NotRequested,
    PendingDisbursements,
    ReservationExists,
    /// The reservation was already consumed or released.
    ReservationClosed,
    /// Reservations are made for dossiers that may still be granted.
    NotGrantable,
    /// The session's agenda is closed: no proposal is added any more.
    SessionClosed,
    /// The session's deliberation is recorded already: it is recorded once.
    SessionDecided,
    /// The dossier already waits on a session's agenda.
    AlreadyOnAgenda,
    /// The envelopes cannot hold the approvals: `errors` names each item that does not fit.
    DeliberationDoesNotFit,
    /// The notification's reception is recorded already: it is recorded once.
    AlreadyNotified,
    /// The grant's convention is required and not signed by both parties: no payment before.
    ConventionUnsigned,
    /// This party signed the document already.
    AlreadySigned,
    /// The call for projects is closed: its dossiers were to be submitted before its closing.
    CallClosed,
    /// The call for projects is not open yet: its dossiers are submitted from its opening.
    CallNotOpen,
    /// The dossier answers a call drawing on another budget year's envelope.
    OutsideCallYear,
}

impl ProblemCode {
    /// What the code means, in a few words: the problem's `title` (message `code-<code>`).
    pub fn label(self) -> Text {
        Text::message(format!("code-{}", self.as_str()), Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_problem_code_has_its_message() {
        let ids: BTreeSet<_> = crate::domain::lang::message_ids(crate::domain::Lang::default())
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let missing: Vec<_> = ProblemCode::ALL
            .iter()
            .map(|code| format!("code-{}", code.as_str()))
            .filter(|id| !ids.contains(id.as_str()))
            .collect();
        assert!(missing.is_empty(), "codes without a message: {missing:?}");
    }
}

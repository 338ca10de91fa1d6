//! Stable codes of the domain's enumerations: the names the API shows and the database stores.
//! One table per enumeration, so the two can never disagree (a test checks serde agrees too).

use super::access::Role;
use super::assessment::Recommendation;
use super::code::Code;
use super::convention::{ConventionModel, PaymentStep, SigningParty};
use super::eligibility::{Criterion, Outcome};
use super::field_code::FieldCode;
use super::lifecycle::{DossierStatus, Transition};
use super::money::{DisbursementKind, DisbursementStatus, MovementKind, ReservationStatus};
use super::notification::NotificationKind;
use super::organisation::{AccountsKind, EssStatutes, EsusBasis};
use super::problem_code::ProblemCode;
use super::project_kind::ProjectKind;
use super::sessions::{DecidingBody, ItemOutcome, SessionStatus};

macro_rules! codes {
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl Code for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];

            fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $code),+
                }
            }
        }
    };
}

codes!(DossierStatus {
    Draft => "draft",
    Submitted => "submitted",
    UnderReview => "under_review",
    ChangesRequested => "changes_requested",
    Approved => "approved",
    Rejected => "rejected",
    Dismissed => "dismissed",
    Withdrawn => "withdrawn",
    Cancelled => "cancelled",
    Closed => "closed",
});

codes!(Transition {
    Submit => "submit",
    Review => "review",
    RequestChanges => "request-changes",
    Withdraw => "withdraw",
    Reject => "reject",
    Dismiss => "dismiss",
    Approve => "approve",
    Amend => "amend",
    Cancel => "cancel",
    Close => "close",
});

codes!(ProjectKind {
    Purchase => "purchase",
    Construction => "construction",
    Works => "works",
    Rent => "rent",
    Operating => "operating",
    Study => "study",
    Partnership => "partnership",
});

codes!(DecidingBody {
    Council => "council",
    Bureau => "bureau",
    StandingCommittee => "standing_committee",
});

codes!(SessionStatus {
    Planned => "planned",
    AgendaClosed => "agenda_closed",
    Decided => "decided",
});

codes!(ItemOutcome {
    Approved => "approved",
    Rejected => "rejected",
    Deferred => "deferred",
});

codes!(NotificationKind {
    Grant => "grant",
    Refusal => "refusal",
    Amendment => "amendment",
    Cancellation => "cancellation",
});

codes!(SigningParty {
    Beneficiary => "beneficiary",
    Territory => "territory",
});

codes!(PaymentStep {
    Advance => "advance",
    Instalment => "instalment",
    Balance => "balance",
});

codes!(ConventionModel {
    Investment => "investment",
    Rent => "rent",
    General => "general",
});

codes!(ProblemCode {
    BadRequest => "bad_request",
    Validation => "validation",
    Unauthorized => "unauthorized",
    Forbidden => "forbidden",
    NotFound => "not_found",
    MethodNotAllowed => "method_not_allowed",
    TransitionNotAllowed => "transition_not_allowed",
    PreconditionFailed => "precondition_failed",
    PreconditionRequired => "precondition_required",
    PayloadTooLarge => "payload_too_large",
    RequestTimeout => "request_timeout",
    UnsupportedMediaType => "unsupported_media_type",
    Unavailable => "unavailable",
    Contention => "contention",
    Internal => "internal",
    Duplicate => "duplicate",
    Integrity => "integrity",
    OrganisationExists => "organisation_exists",
    OrganisationNotRegistered => "organisation_not_registered",
    SchemeExists => "scheme_exists",
    RulesVersionExists => "rules_version_exists",
    NoRulesInForce => "no_rules_in_force",
    NotEditable => "not_editable",
    NotUnderInstruction => "not_under_instruction",
    NotUnderReview => "not_under_review",
    DocumentsLocked => "documents_locked",
    TooManyDocuments => "too_many_documents",
    NotSubmitted => "not_submitted",
    ImportedReadOnly => "imported_read_only",
    PurgedReadOnly => "purged_read_only",
    TerritorySiretMissing => "territory_siret_missing",
    IdempotencyKeyReused => "idempotency_key_reused",
    IdempotencyKeyInFlight => "idempotency_key_in_flight",
    EnvelopeExists => "envelope_exists",
    EnvelopeBelowCommitments => "envelope_below_commitments",
    EnvelopeExhausted => "envelope_exhausted",
    NoEnvelope => "no_envelope",
    ApprovalBlocked => "approval_blocked",
    BelowDisbursed => "below_disbursed",
    AboveGrant => "above_grant",
    NotApproved => "not_approved",
    BalanceRequested => "balance_requested",
    NotRequested => "not_requested",
    PendingDisbursements => "pending_disbursements",
    ReservationExists => "reservation_exists",
    ReservationClosed => "reservation_closed",
    NotGrantable => "not_grantable",
    SessionClosed => "session_closed",
    SessionDecided => "session_decided",
    AlreadyOnAgenda => "already_on_agenda",
    DeliberationDoesNotFit => "deliberation_does_not_fit",
    AlreadyNotified => "already_notified",
    ConventionUnsigned => "convention_unsigned",
    AlreadySigned => "already_signed",
    CallClosed => "call_closed",
    CallNotOpen => "call_not_open",
    OutsideCallYear => "outside_call_year",
});

codes!(FieldCode {
    MalformedJson => "malformed_json",
    Invalid => "invalid",
    Unreadable => "unreadable",
    IdempotencyKey => "idempotency_key",
    Required => "required",
    ControlCharacter => "control_character",
    FormulaPrefix => "formula_prefix",
    TooLong => "too_long",
    TooShort => "too_short",
    OutOfRange => "out_of_range",
    NotPositive => "not_positive",
    InvalidFormat => "invalid_format",
    TooMany => "too_many",
    Duplicate => "duplicate",
    NotApplicable => "not_applicable",
    NotAllowed => "not_allowed",
    ExceedsTotal => "exceeds_total",
    ExceedsExpenses => "exceeds_expenses",
    ExceedsBudget => "exceeds_budget",
    ExceedsFlatAmount => "exceeds_flat_amount",
    Unknown => "unknown",
    SiretFormat => "siret_format",
    SirenChecksum => "siren_checksum",
    SiretChecksum => "siret_checksum",
    CommuneCodeFormat => "commune_code_format",
    CommuneCodeDepartment => "commune_code_department",
    RnaFormat => "rna_format",
    LegalFormFormat => "legal_form_format",
    NotYours => "not_yours",
    WrongForScheme => "wrong_for_scheme",
    OtherScheme => "other_scheme",
    UnknownDocumentType => "unknown_document_type",
    MissingDocument => "missing_document",
    MissingScore => "missing_score",
    UnknownCriterion => "unknown_criterion",
    UnknownCondition => "unknown_condition",
    AboveMaximum => "above_maximum",
    BeforeDecision => "before_decision",
    BeforeCertification => "before_certification",
    BeforeIssue => "before_issue",
    NotInCall => "not_in_call",
    BeforeFrom => "before_from",
    Empty => "empty",
    NotUtf8 => "not_utf8",
    MalformedCsv => "malformed_csv",
    HeaderMismatch => "header_mismatch",
    UnexpectedColumn => "unexpected_column",
    FieldCount => "field_count",
    DateFormat => "date_format",
    InFuture => "in_future",
    NumberFormat => "number_format",
    TooPrecise => "too_precise",
    OtherAttributor => "other_attributor",
    UnknownScheme => "unknown_scheme",
    EnvelopeExhausted => "envelope_exhausted",
    NoEnvelope => "no_envelope",
    ApprovalBlocked => "approval_blocked",
});

codes!(Role { Applicant => "applicant", Instructor => "instructor", Finance => "finance", Admin => "admin" });

codes!(Recommendation { Favourable => "favourable", Reserved => "reserved", Unfavourable => "unfavourable" });

codes!(Outcome { Pass => "pass", NeedsReview => "needs_review", Fail => "fail", NotEvaluated => "not_evaluated" });

codes!(Criterion {
    Employment => "employment",
    MarketActivity => "market_activity",
    OwnRevenueShare => "own_revenue_share",
    EssStatus => "ess_status",
    Territory => "territory",
    DeMinimis => "de_minimis",
});

codes!(MovementKind {
    Reservation => "reservation",
    ReservationRelease => "reservation_release",
    Commitment => "commitment",
    Amendment => "amendment",
    Release => "release",
    Payment => "payment",
});

codes!(ReservationStatus { Active => "active", Consumed => "consumed", Released => "released" });

codes!(DisbursementKind { Advance => "advance", Installment => "installment", Balance => "balance" });

codes!(DisbursementStatus { Requested => "requested", Paid => "paid", Refused => "refused" });

codes!(EsusBasis {
    InsertionEnterprise => "insertion_enterprise",
    TemporaryWorkInsertionEnterprise => "temporary_work_insertion_enterprise",
    IntermediateAssociation => "intermediate_association",
    InsertionWorkshop => "insertion_workshop",
    SocialInsertionBody => "social_insertion_body",
    ChildWelfareService => "child_welfare_service",
    Chrs => "chrs",
    NeighbourhoodBoard => "neighbourhood_board",
    AdaptedEnterprise => "adapted_enterprise",
    HomeWorkCentre => "home_work_centre",
    Esat => "esat",
    HousingInsertionBody => "housing_insertion_body",
    PublicUtilityBody => "public_utility_body",
    Oacas => "oacas",
});

codes!(EssStatutes { Cooperative => "cooperative", EssCompany => "ess_company" });

codes!(AccountsKind { Closed => "closed", Forecast => "forecast" });

#[cfg(test)]
mod tests {
    use super::*;

    /// The code is the serde name: what the API shows is what the database stores.
    fn codes_are_serde_names<T: Code + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug>() {
        for value in T::ALL {
            assert_eq!(serde_json::to_value(value).unwrap(), value.as_str(), "{value:?}");
            assert_eq!(T::parse(value.as_str()), Some(*value));
            assert_eq!(serde_json::from_value::<T>(value.as_str().into()).unwrap(), *value);
        }
        assert_eq!(T::parse("no-such-code"), None);
    }

    #[test]
    fn every_code_is_its_serde_name() {
        codes_are_serde_names::<DossierStatus>();
        codes_are_serde_names::<Transition>();
        codes_are_serde_names::<ProjectKind>();
        codes_are_serde_names::<Role>();
        codes_are_serde_names::<Recommendation>();
        codes_are_serde_names::<Outcome>();
        codes_are_serde_names::<Criterion>();
        codes_are_serde_names::<MovementKind>();
        codes_are_serde_names::<ReservationStatus>();
        codes_are_serde_names::<DisbursementKind>();
        codes_are_serde_names::<DisbursementStatus>();
        codes_are_serde_names::<EsusBasis>();
        codes_are_serde_names::<EssStatutes>();
        codes_are_serde_names::<AccountsKind>();
        codes_are_serde_names::<ProblemCode>();
        codes_are_serde_names::<FieldCode>();
        codes_are_serde_names::<DecidingBody>();
        codes_are_serde_names::<SessionStatus>();
        codes_are_serde_names::<ItemOutcome>();
        codes_are_serde_names::<NotificationKind>();
        codes_are_serde_names::<SigningParty>();
        codes_are_serde_names::<PaymentStep>();
        codes_are_serde_names::<ConventionModel>();
    }

    #[test]
    fn all_lists_every_variant_once() {
        assert_eq!(DossierStatus::ALL.len(), 10);
        assert_eq!(Transition::ALL.len(), 10);
        assert_eq!(ProjectKind::ALL.len(), 7);
        assert_eq!(Role::ALL.len(), 4);
        assert_eq!(Recommendation::ALL.len(), 3);
        assert_eq!(Outcome::ALL.len(), 4);
    }
}

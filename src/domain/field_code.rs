//! The machine-readable code of every field error Essor answers (the `errors[].code` of a
//! problem): one enumeration, published in the OpenAPI document, so that a front end switches on
//! it with types. Its text codes are in `codes.rs`, like every other enumeration's.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::code::Code;

/// What is wrong with one field (or one line of an uploaded file). Stable: clients match on it,
/// whatever the language of the message. A few codes are also problem codes (`duplicate`): the
/// two enumerations are read in different places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    // Reading the request.
    /// The body is not valid JSON.
    MalformedJson,
    /// The body, a query parameter or a value does not have the expected shape or type.
    Invalid,
    /// The body could not be read.
    Unreadable,
    /// The `Idempotency-Key` header is missing or malformed.
    IdempotencyKey,
    // Any field.
    /// The field is missing, empty or blank.
    Required,
    /// A text holds a control character (tabs and line breaks are allowed in texts of several
    /// lines only).
    ControlCharacter,
    /// A text Essor writes in a CSV file starts with `=`, `+`, `-` or `@`.
    FormulaPrefix,
    /// A text or a file is longer than allowed.
    TooLong,
    /// A justification is shorter than the rules ask.
    TooShort,
    /// A number or a date is outside its allowed range.
    OutOfRange,
    /// An amount must be above zero.
    NotPositive,
    /// A code or value is not of the expected format.
    InvalidFormat,
    /// A list has more items than allowed.
    TooMany,
    /// The same value appears twice where each must be unique.
    Duplicate,
    /// The field does not apply here (to this legal form, kind or status).
    NotApplicable,
    /// The value is not allowed for this caller or in this case.
    NotAllowed,
    /// A part exceeds the total it belongs to.
    ExceedsTotal,
    /// The amount requested exceeds the eligible expenses (the scheme pays a share of them).
    ExceedsExpenses,
    /// The amount requested exceeds the project's total budget.
    ExceedsBudget,
    /// The amount requested exceeds the scheme's flat amount.
    ExceedsFlatAmount,
    /// The id names nothing this caller may see.
    Unknown,
    // Identifiers.
    /// A SIRET is not 14 digits.
    SiretFormat,
    /// The check digit of a SIRET's SIREN (its first 9 digits) is wrong.
    SirenChecksum,
    /// The check digit of a SIRET is wrong.
    SiretChecksum,
    /// An INSEE commune code is not 5 characters (digits, or 2A/2B for Corsica).
    CommuneCodeFormat,
    /// An INSEE commune code names no department.
    CommuneCodeDepartment,
    /// An RNA number is not `W` and 9 digits.
    RnaFormat,
    /// A legal form code is not 4 digits.
    LegalFormFormat,
    /// A SIRET other than that of the organisation the caller's token names.
    NotYours,
    // Dossiers, envelopes, documents, assessments, decisions.
    /// A value the dossier's scheme does not accept.
    WrongForScheme,
    /// An envelope of another scheme than the dossier's.
    OtherScheme,
    /// A document type the scheme does not list.
    UnknownDocumentType,
    /// A document the scheme requires is missing.
    MissingDocument,
    /// A criterion of the assessment grid has no score.
    MissingScore,
    /// A score for a criterion the grid does not have.
    UnknownCriterion,
    /// A condition the scheme does not have.
    UnknownCondition,
    /// An approval above the maximum grant the rules allow.
    AboveMaximum,
    /// A date before the scheme's decision.
    BeforeDecision,
    /// A date before the certification of service done.
    BeforeCertification,
    /// A date before the document it concerns was issued.
    BeforeIssue,
    /// The dossier does not answer the session's call for projects.
    NotInCall,
    /// The end of a period before its start.
    BeforeFrom,
    // File imports (SCDL).
    /// The file is empty.
    Empty,
    /// The file is not UTF-8 text.
    NotUtf8,
    /// The file is not well-formed CSV.
    MalformedCsv,
    /// The header line is not the one expected.
    HeaderMismatch,
    /// A column that the format does not have.
    UnexpectedColumn,
    /// A line has not as many fields as the header.
    FieldCount,
    /// A date not written `YYYY-MM-DD`.
    DateFormat,
    /// A date in the future.
    InFuture,
    /// A number not written as the format says.
    NumberFormat,
    /// An amount with a non-zero digit after the cents.
    TooPrecise,
    /// A grant attributed by another body than the territory.
    OtherAttributor,
    /// A scheme that Essor does not know.
    UnknownScheme,
    /// A deliberation's approval does not fit in what the envelope has available.
    EnvelopeExhausted,
    /// A deliberation's approval has no envelope for its scheme and year.
    NoEnvelope,
    /// A deliberation's approval is blocked by a criterion no justification overrides.
    ApprovalBlocked,
}

impl fmt::Display for FieldCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

//! One error type for the whole API, rendered as RFC 9457 `application/problem+json`.
//! Causes are logged with the request id; clients never see a database message or a trace.

use std::error::Error as StdError;
use std::fmt;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::db::error::{Contention, InternalCause};
use crate::db::error::{DbError, Integrity, Missing};
use crate::domain::access::Denied;
use crate::domain::lifecycle::{DossierStatus, Transition};
use crate::domain::{Code, FieldError, Lang, Localized, ProblemCode, Refused, Text};
use crate::text;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// What a 503 problem says, whatever the cause (which is logged).
pub fn unavailable_detail() -> Text {
    text!("problem-unavailable")
}

/// The `Retry-After` of a 503, in seconds.
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:essor:problem:<slug>`), stable for clients to match on.
    #[serde(rename = "type")]
    #[schema(example = "urn:essor:problem:validation")]
    pub problem_type: String,
    /// Short summary of the kind of problem, in the language negotiated with `Accept-Language`
    /// (French by default).
    #[schema(example = "Données invalides")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422, minimum = 400, maximum = 599)]
    pub status: u16,
    /// What went wrong in this occurrence, for a person, in the negotiated language.
    pub detail: String,
    /// One entry per invalid field (validation problems, and a deliberation's refusal: one
    /// entry per item that does not fit). For an uploaded file (an import), one entry per
    /// error, each with the `line` it is on (line 1 is the header), at most 1 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<FieldError>>)]
    pub errors: Option<Localized<Vec<FieldError>>>,
    /// The dossier's current status (conflicting transitions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_status: Option<DossierStatus>,
    /// The transitions allowed from the current status (conflicting transitions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_transitions: Option<Vec<Transition>>,
    /// What went wrong, for a program: the kind of problem (`validation`, `not_found`…) or the
    /// precise reason of a refusal (`envelope_exhausted`, `purged_read_only`…). Always present,
    /// the same in every language; switch on it, never on `detail`.
    pub code: ProblemCode,
    /// The eligibility criterion that blocks a decision (`de_minimis`, `territory`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// The figures behind a money refusal, in cents.
    #[serde(flatten)]
    pub figures: RefusalFigures,
}

/// A refusal: its status (409 unless said), stable code, sentence, and what explains it.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: ProblemCode,
    pub detail: Text,
    pub criterion: Option<String>,
    pub figures: RefusalFigures,
    /// What refused, item by item, when the request carried several (a deliberation).
    pub errors: Option<Vec<FieldError>>,
}

/// The money figures a refusal names (only those that explain it are present).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RefusalFigures {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserved_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committed_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted_cents: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_cents: Option<i64>,
    /// Requested and not yet paid or refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_cents: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body or query could not be read (malformed JSON, wrong types, unknown fields).
    #[error("bad request: {detail}")]
    BadRequest { detail: Text, errors: Option<Vec<FieldError>> },
    /// Well-formed input that breaks a rule, field by field.
    #[error("validation failed")]
    Validation { detail: Text, errors: Vec<FieldError> },
    #[error("unauthorized: {0}")]
    Unauthorized(Text),
    #[error("forbidden: {0}")]
    Forbidden(Text),
    #[error("not found: {0}")]
    NotFound(Text),
    #[error("method not allowed")]
    MethodNotAllowed { allow: String },
    /// A conflict with what is stored, with the code that says which.
    #[error("conflict ({}): {detail}", code.as_str())]
    Conflict { code: ProblemCode, detail: Text },
    #[error("transition not allowed from {current:?}")]
    TransitionNotAllowed { transition: Transition, current: DossierStatus, allowed: Vec<Transition> },
    /// A refusal with a stable `code` clients match on, and what explains it.
    #[error("refused ({}): {}", .0.code.as_str(), .0.detail)]
    Refused(Box<Refusal>),
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("precondition required")]
    PreconditionRequired,
    #[error("payload too large")]
    PayloadTooLarge(Text),
    /// The client did not send its body in time.
    #[error("request timeout: {0}")]
    RequestTimeout(Text),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(Text),
    /// The database cannot be reached or the connection was lost: worth retrying. The string
    /// is the cause, for the log; the client gets a fixed sentence and `Retry-After`.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The database gave up on this work because other work held what it needed: a deadlock or
    /// a serialization failure (PostgreSQL, retried by [`crate::state::AppState::write`] before
    /// it reaches a client), or a lock not granted in time (SQLite's busy timeout, PostgreSQL's
    /// `lock_timeout`). Nothing was written; the client gets 503 with `Retry-After`.
    #[error("contention ({kind:?}): {cause}")]
    Contention { kind: Contention, cause: String },
    /// A failure the client cannot act on. The cause and where it was raised are logged once
    /// with the request id; the client sees neither.
    #[error("internal error: {0}")]
    Internal(Box<InternalCause>),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => text!("problem-invalid-field", field = &one.field, message = one.message.clone()),
            many => text!("problem-invalid-fields", count = many.len()),
        };
        ApiError::Validation { detail, errors }
    }

    /// A 409 refusal with a stable code and the figures that explain it.
    pub fn refused(code: ProblemCode, detail: Text, figures: RefusalFigures) -> Self {
        ApiError::Refused(Box::new(Refusal {
            status: StatusCode::CONFLICT,
            code,
            detail,
            criterion: None,
            figures,
            errors: None,
        }))
    }

    pub fn bad_request(detail: Text) -> Self {
        ApiError::BadRequest { detail, errors: None }
    }

    /// An internal error with a cause that is only a message.
    #[track_caller]
    pub fn internal(context: &str, cause: impl fmt::Display) -> Self {
        Self::internal_from(context, format!("{cause}"))
    }

    /// An internal error that keeps its source error.
    #[track_caller]
    pub fn internal_from(
        context: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        ApiError::Internal(Box::new(InternalCause::new(context, source)))
    }

    /// The slug of the problem `type`.
    fn slug(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } => "bad-request",
            ApiError::Validation { .. } => "validation",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::MethodNotAllowed { .. } => "method-not-allowed",
            ApiError::Conflict { .. } => "conflict",
            ApiError::TransitionNotAllowed { .. } => "transition-not-allowed",
            ApiError::Refused(_) => "refused",
            ApiError::PreconditionFailed => "precondition-failed",
            ApiError::PreconditionRequired => "precondition-required",
            ApiError::PayloadTooLarge(_) => "payload-too-large",
            ApiError::RequestTimeout(_) => "request-timeout",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Contention { .. } => "contention",
            ApiError::Internal(_) => "internal",
        }
    }

    /// A 409 conflict with what is stored, `code` saying which.
    pub fn conflict(code: ProblemCode, detail: Text) -> Self {
        ApiError::Conflict { code, detail }
    }

    /// The problem's stable code: a refusal's or a conflict's own, else the problem's kind
    /// (`validation`, `forbidden`, `transition_not_allowed`…). Also the label of metrics.
    pub fn code(&self) -> ProblemCode {
        match self {
            ApiError::Refused(refusal) => refusal.code,
            ApiError::Conflict { code, .. } => *code,
            ApiError::BadRequest { .. } => ProblemCode::BadRequest,
            ApiError::Validation { .. } => ProblemCode::Validation,
            ApiError::Unauthorized(_) => ProblemCode::Unauthorized,
            ApiError::Forbidden(_) => ProblemCode::Forbidden,
            ApiError::NotFound(_) => ProblemCode::NotFound,
            ApiError::MethodNotAllowed { .. } => ProblemCode::MethodNotAllowed,
            ApiError::TransitionNotAllowed { .. } => ProblemCode::TransitionNotAllowed,
            ApiError::PreconditionFailed => ProblemCode::PreconditionFailed,
            ApiError::PreconditionRequired => ProblemCode::PreconditionRequired,
            ApiError::PayloadTooLarge(_) => ProblemCode::PayloadTooLarge,
            ApiError::RequestTimeout(_) => ProblemCode::RequestTimeout,
            ApiError::UnsupportedMediaType(_) => ProblemCode::UnsupportedMediaType,
            ApiError::Unavailable(_) => ProblemCode::Unavailable,
            ApiError::Contention { .. } => ProblemCode::Contention,
            ApiError::Internal(_) => ProblemCode::Internal,
        }
    }

    /// The problem document, its texts in `lang` (its `type`, codes and fields are the same in
    /// every language).
    pub fn problem(&self, lang: Lang) -> Problem {
        let code = self.code();
        let mut problem = Problem {
            problem_type: format!("urn:essor:problem:{}", self.slug()),
            title: code.label().in_(lang),
            status: self.status_code().as_u16(),
            detail: String::new(),
            errors: None,
            current_status: None,
            allowed_transitions: None,
            code: self.code(),
            criterion: None,
            figures: RefusalFigures::default(),
        };
        let detail = match self {
            ApiError::BadRequest { detail, errors } => {
                problem.errors = errors.clone().map(|errors| Localized::new(errors, lang));
                detail.clone()
            }
            ApiError::Validation { detail, errors } => {
                problem.errors = Some(Localized::new(errors.clone(), lang));
                detail.clone()
            }
            ApiError::Unauthorized(d)
            | ApiError::Forbidden(d)
            | ApiError::NotFound(d)
            | ApiError::Conflict { detail: d, .. }
            | ApiError::PayloadTooLarge(d)
            | ApiError::RequestTimeout(d)
            | ApiError::UnsupportedMediaType(d) => d.clone(),
            // The cause (a driver or pool message) is logged; the client gets no internals.
            ApiError::Unavailable(_) => unavailable_detail(),
            ApiError::Contention { .. } => text!("problem-contention"),
            ApiError::MethodNotAllowed { allow } => text!("problem-method-not-allowed", allow = allow),
            ApiError::TransitionNotAllowed { transition, current, allowed } => {
                let names: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
                problem.current_status = Some(*current);
                problem.allowed_transitions = Some(allowed.clone());
                text!(
                    "problem-transition-not-allowed",
                    current = current.as_str(),
                    transition = transition.as_str(),
                    allowed = names.join(", "),
                    allowed_count = names.len(),
                )
            }
            ApiError::Refused(refusal) => {
                problem.problem_type =
                    format!("urn:essor:problem:{}", refusal.code.as_str().replace('_', "-"));
                problem.criterion = refusal.criterion.clone();
                problem.figures = refusal.figures;
                problem.errors = refusal.errors.clone().map(|errors| Localized::new(errors, lang));
                refusal.detail.clone()
            }
            ApiError::PreconditionFailed => text!("problem-precondition-failed"),
            ApiError::PreconditionRequired => text!("problem-precondition-required"),
            // The cause is logged; the client gets no internals.
            ApiError::Internal(_) => text!("problem-internal"),
        };
        problem.detail = detail.in_(lang);
        problem
    }

    /// The problem+json response, its texts in `lang`.
    pub fn problem_response(&self, lang: Lang) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"essor\""));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            ApiError::Unavailable(_) | ApiError::Contention { .. } => {
                response.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS.to_string()));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem(lang)).unwrap_or_default())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } | ApiError::TransitionNotAllowed { .. } => StatusCode::CONFLICT,
            ApiError::Refused(refusal) => refusal.status,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable(_) | ApiError::Contention { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Rendered in the default language; `api::problem_safety_net` renders it again in the
    /// language the request negotiated.
    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(cause = %cause, "request failed"),
            ApiError::Unavailable(cause) => tracing::error!(cause = %cause, "database unavailable"),
            ApiError::Contention { kind, cause } => {
                tracing::warn!(kind = ?kind, cause = %cause, "database contention")
            }
            _ => {}
        }
        self.problem_response(Lang::default())
    }
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        ApiError::Forbidden(denied.0)
    }
}

/// Storage's errors as the API answers them: the one place they meet HTTP.
impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound(missing) => ApiError::NotFound(not_found(missing)),
            DbError::Stale => ApiError::PreconditionFailed,
            DbError::Refused(refused) => refused.into(),
            DbError::Integrity(Integrity::Unique) => {
                ApiError::conflict(ProblemCode::Duplicate, text!("problem-duplicate"))
            }
            DbError::Integrity(Integrity::Check) => {
                ApiError::conflict(ProblemCode::Integrity, text!("problem-integrity"))
            }
            DbError::Contention { kind, cause } => ApiError::Contention { kind, cause },
            DbError::Unavailable(cause) => ApiError::Unavailable(cause),
            DbError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

/// What a 404 says of what storage did not find.
fn not_found(missing: Missing) -> Text {
    match missing {
        Missing::Row => text!("not-found-row"),
        Missing::Dossier => text!("not-found-dossier"),
        Missing::Disbursement => text!("not-found-disbursement"),
        Missing::Organisation => text!("not-found-organisation"),
        Missing::Document => text!("not-found-document"),
        Missing::DeletedDocument => text!("not-found-deleted-document"),
        Missing::Territory => text!("not-found-territory"),
    }
}

/// A rule of the domain refused: 409 with its code.
impl From<Refused> for ApiError {
    fn from(refused: Refused) -> Self {
        ApiError::refused(refused.code, refused.detail, RefusalFigures::default())
    }
}

/// A diesel error reaching the API without a repository (a transaction's begin or commit), as
/// storage classifies it ([`DbError`]).
impl From<diesel::result::Error> for ApiError {
    #[track_caller]
    fn from(e: diesel::result::Error) -> Self {
        DbError::from(e).into()
    }
}

impl From<r2d2::Error> for ApiError {
    fn from(e: r2d2::Error) -> Self {
        ApiError::Unavailable(format!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    #[track_caller]
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::internal_from("blocking task", e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FieldCode;
    use diesel::result::{DatabaseErrorKind, Error};

    fn db_error(kind: DatabaseErrorKind, message: &str) -> Error {
        Error::DatabaseError(kind, Box::new(message.to_string()))
    }

    #[test]
    fn lost_connections_are_503_with_retry_after_and_no_driver_message() {
        let driver = "terminating connection due to administrator command";
        for e in [
            db_error(DatabaseErrorKind::ClosedConnection, driver),
            db_error(DatabaseErrorKind::UnableToSendCommand, "no connection to the server"),
            Error::BrokenTransactionManager,
            Error::RollbackErrorOnCommit {
                rollback_error: Box::new(Error::BrokenTransactionManager),
                commit_error: Box::new(db_error(DatabaseErrorKind::ClosedConnection, driver)),
            },
        ] {
            let shown = e.to_string();
            let error = ApiError::from(e);
            assert!(matches!(error, ApiError::Unavailable(_)), "{shown}: {error:?}");
            let response = error.error_response();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "1");
            for lang in Lang::ALL {
                assert_eq!(error.problem(lang).detail, unavailable_detail().in_(lang));
            }
            let problem = error.problem(Lang::En);
            let json = serde_json::to_string(&problem).unwrap();
            for leaked in ["terminating", "administrator", "no connection", "transaction manager"] {
                assert!(!json.contains(leaked), "{leaked:?} in {json}");
            }
        }
    }

    #[test]
    fn a_problem_changes_its_texts_with_the_language_and_nothing_else() {
        let error = ApiError::validation(vec![FieldError::new(
            "siret",
            FieldCode::SiretFormat,
            crate::text!("query-parameter-required", field = "siret"),
        )]);
        let (fr, en) = (error.problem(Lang::Fr), error.problem(Lang::En));
        assert_eq!((fr.title.as_str(), en.title.as_str()), ("Données invalides", "Invalid input"));
        assert_eq!(fr.detail, "siret : Le paramètre siret est obligatoire.");
        assert_eq!(en.detail, "siret: siret is required");
        let (mut fr, mut en) = (serde_json::to_value(&fr).unwrap(), serde_json::to_value(&en).unwrap());
        assert_eq!(fr["errors"][0]["message"], "Le paramètre siret est obligatoire.");
        assert_eq!(en["errors"][0]["message"], "siret is required");
        for problem in [&mut fr, &mut en] {
            problem["title"] = serde_json::Value::Null;
            problem["detail"] = serde_json::Value::Null;
            problem["errors"][0]["message"] = serde_json::Value::Null;
        }
        assert_eq!(fr, en);
        assert_eq!(fr["type"], "urn:essor:problem:validation");
        assert_eq!(
            fr["errors"][0],
            serde_json::json!({"field": "siret", "code": "siret_format", "message": null})
        );

        let refused = ApiError::TransitionNotAllowed {
            transition: Transition::Approve,
            current: DossierStatus::Draft,
            allowed: vec![],
        };
        assert_eq!(
            refused.problem(Lang::Fr).detail,
            "Un dossier au statut « draft » ne peut pas faire l'objet de l'action « approve ». Actions possibles : aucune."
        );
        let many = ApiError::validation(vec![
            FieldError::new("a", FieldCode::Required, crate::text!("query-parameter-required", field = "a")),
            FieldError::new("b", FieldCode::Required, crate::text!("query-parameter-required", field = "b")),
        ]);
        assert_eq!(many.problem(Lang::Fr).detail, "2 champs sont invalides.");
        assert_eq!(many.problem(Lang::En).detail, "2 fields are invalid");
    }

    /// Each storage error answers the problem it answered when repositories built `ApiError`s
    /// themselves: status, type, code and sentence in both languages.
    #[test]
    fn storage_errors_answer_the_problems_they_always_did() {
        // (error, status, type's slug, code, detail in French, in English)
        type Case = (DbError, u16, &'static str, &'static str, &'static str, &'static str);
        let cases: Vec<Case> = vec![
            (DbError::NotFound(Missing::Row), 404, "not-found", "not_found", "Cette ressource n'existe pas.", "No such resource."),
            (DbError::NotFound(Missing::Dossier), 404, "not-found", "not_found", "Ce dossier n'existe pas.", "No such dossier."),
            (
                DbError::NotFound(Missing::Disbursement),
                404,
                "not-found",
                "not_found",
                "Ce versement n'existe pas.",
                "No such disbursement.",
            ),
            (
                DbError::NotFound(Missing::Organisation),
                404,
                "not-found",
                "not_found",
                "Cette organisation n'existe pas.",
                "No such organisation.",
            ),
            (
                DbError::NotFound(Missing::Document),
                404,
                "not-found",
                "not_found",
                "Aucune pièce de ce dossier ne porte cet identifiant.",
                "No document of this dossier has this id.",
            ),
            (
                DbError::NotFound(Missing::DeletedDocument),
                404,
                "not-found",
                "not_found",
                "Cette pièce a déjà été supprimée.",
                "This document was already deleted.",
            ),
            (
                DbError::NotFound(Missing::Territory),
                404,
                "not-found",
                "not_found",
                "Votre territoire n'est pas enregistré.",
                "Your territory is not registered.",
            ),
            (
                DbError::Stale,
                412,
                "precondition-failed",
                "precondition_failed",
                "La ressource a changé depuis votre lecture : relisez-la et appliquez de nouveau votre modification.",
                "The resource changed since you read it: fetch it again and reapply your change.",
            ),
            (
                DbError::Integrity(Integrity::Unique),
                409,
                "conflict",
                "duplicate",
                "Une ressource portant les mêmes identifiants existe déjà.",
                "A resource with the same identifying fields already exists.",
            ),
            (
                DbError::Integrity(Integrity::Check),
                409,
                "conflict",
                "integrity",
                "La modification enfreindrait une règle d'intégrité ; rien n'a été enregistré.",
                "The change would break an integrity rule; nothing was written.",
            ),
            (
                Refused::coded(ProblemCode::PurgedReadOnly, crate::text!("code-purged_read_only")).into(),
                409,
                "purged-read-only",
                "purged_read_only",
                "Dossier purgé en lecture seule",
                "Purged dossier is read-only",
            ),
            (
                DbError::Unavailable("database pool: timed out".into()),
                503,
                "unavailable",
                "unavailable",
                "La base de données est momentanément indisponible ; réessayez dans un instant.",
                "The database is temporarily unavailable; retry in a moment.",
            ),
            (
                DbError::Contention { kind: Contention::LockTimeout, cause: "database is locked".into() },
                503,
                "contention",
                "contention",
                "D'autres modifications des mêmes données sont en cours : rien n'a été enregistré, réessayez dans un instant.",
                "Other changes to the same data are under way: nothing was written; retry in a moment.",
            ),
            (
                DbError::internal("reservation", "the envelope refused a release"),
                500,
                "internal",
                "internal",
                "Une erreur inattendue s'est produite ; elle a été journalisée avec l'identifiant de cette requête.",
                "An unexpected error occurred; it has been logged with this request's id.",
            ),
        ];
        for (db, status, slug, code, fr, en) in cases {
            let shown = format!("{db:?}");
            let error = ApiError::from(db);
            let (in_fr, in_en) = (error.problem(Lang::Fr), error.problem(Lang::En));
            assert_eq!(in_fr.status, status, "{shown}");
            assert_eq!(in_fr.problem_type, format!("urn:essor:problem:{slug}"), "{shown}");
            assert_eq!(in_fr.code.as_str(), code, "{shown}");
            assert_eq!((in_fr.detail.as_str(), in_en.detail.as_str()), (fr, en), "{shown}");
        }
    }

    #[test]
    fn refused_queries_are_not_taken_for_an_outage() {
        let unknown = ApiError::from(db_error(DatabaseErrorKind::Unknown, "syntax error"));
        assert!(matches!(unknown, ApiError::Internal(_)));
        let unique = ApiError::from(db_error(DatabaseErrorKind::UniqueViolation, "duplicate"));
        assert!(matches!(unique, ApiError::Conflict { code: ProblemCode::Duplicate, .. }));
        let pool = ApiError::Unavailable("database pool: timed out waiting for connection".into());
        assert_eq!(pool.problem(Lang::Fr).detail, unavailable_detail().in_(Lang::Fr));
    }
}

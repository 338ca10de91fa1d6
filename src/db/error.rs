//! What storage answers when it cannot do what was asked: its own error, in its own words (not
//! found, stale, refused by a rule the stored rows break, an integrity constraint, contention,
//! unavailable, internal). Nothing here knows of HTTP: `src/error.rs` maps a [`DbError`] to the
//! API's problem, in one place.

use std::error::Error as StdError;
use std::fmt;
use std::panic::Location;

use crate::domain::Refused;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// What was looked for does not exist (or not for this caller).
    #[error("not found: {0:?}")]
    NotFound(Missing),
    /// A conditional update matched no row: someone moved or edited it since it was read.
    #[error("stale: the row changed since it was read")]
    Stale,
    /// The stored rows break a rule of the domain for this change (e.g. a read-only dossier).
    #[error("refused: {0}")]
    Refused(Refused),
    /// A constraint of the schema refused a write.
    #[error("integrity: {0:?} constraint refused the write")]
    Integrity(Integrity),
    /// The database gave up on this work because other work held what it needed: a deadlock or
    /// a serialization failure (PostgreSQL), or a lock not granted in time (SQLite's busy
    /// timeout, PostgreSQL's `lock_timeout`). Nothing was written.
    #[error("contention ({kind:?}): {cause}")]
    Contention { kind: Contention, cause: String },
    /// The database cannot be reached or the connection was lost: worth retrying. The string is
    /// the cause, for the log.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A failure no caller can act on, its cause and place kept for the log.
    #[error("internal error: {0}")]
    Internal(Box<InternalCause>),
}

pub type DbResult<T> = Result<T, DbError>;

/// What was looked for and not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A row a query expected (diesel's `NotFound`).
    Row,
    Dossier,
    Disbursement,
    Organisation,
    /// No document of the dossier has this id.
    Document,
    /// The document was deleted already.
    DeletedDocument,
    /// The caller's territory is not registered.
    Territory,
}

/// Which constraint of the schema refused a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integrity {
    /// A row with the same unique columns exists already.
    Unique,
    /// A CHECK constraint.
    Check,
}

/// Why the database gave up on a piece of work that others were holding up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contention {
    /// PostgreSQL chose this transaction to break a deadlock (SQLSTATE 40P01).
    Deadlock,
    /// PostgreSQL could not serialize it with a concurrent one (SQLSTATE 40001).
    SerializationFailure,
    /// A lock was not granted within the lock timeout: SQLite's `busy_timeout` ("database is
    /// locked"), PostgreSQL's `lock_timeout` (SQLSTATE 55P03).
    LockTimeout,
}

impl Contention {
    /// Whether running the same transaction again may succeed at once: a deadlock victim or a
    /// serialization failure, yes; a lock that was not granted in time has already been waited
    /// for, so the client is told to retry later instead.
    pub fn worth_retrying_now(self) -> bool {
        matches!(self, Contention::Deadlock | Contention::SerializationFailure)
    }
}

/// What went wrong inside, kept for the log.
#[derive(Debug)]
pub struct InternalCause {
    /// What the service was doing.
    pub context: String,
    pub source: Option<Box<dyn StdError + Send + Sync>>,
    /// Where the error was raised (file:line).
    pub location: &'static Location<'static>,
}

impl InternalCause {
    /// A cause raised here (at the caller's place), with its source.
    #[track_caller]
    pub fn new(context: impl Into<String>, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        InternalCause { context: context.into(), source: Some(source.into()), location: Location::caller() }
    }
}

impl fmt::Display for InternalCause {
    /// The context, the chain of causes, and the place: `context: cause: cause (at file:line)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.context)?;
        let mut next: Option<&(dyn StdError + 'static)> = self.source.as_deref().map(|e| e as _);
        while let Some(cause) = next {
            write!(f, ": {cause}")?;
            next = cause.source();
        }
        write!(f, " (at {}:{})", self.location.file(), self.location.line())
    }
}

impl DbError {
    /// An internal error with a cause that is only a message.
    #[track_caller]
    pub fn internal(context: &str, cause: impl fmt::Display) -> Self {
        DbError::Internal(Box::new(InternalCause::new(context, format!("{cause}"))))
    }

    /// An internal error that keeps its source error.
    #[track_caller]
    pub fn internal_from(
        context: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        DbError::Internal(Box::new(InternalCause::new(context, source)))
    }
}

impl From<diesel::result::Error> for DbError {
    #[track_caller]
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => DbError::NotFound(Missing::Row),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                DbError::Integrity(Integrity::Unique)
            }
            Error::DatabaseError(DatabaseErrorKind::CheckViolation, info) => {
                tracing::warn!(constraint = ?info.constraint_name(), "check constraint refused a write");
                DbError::Integrity(Integrity::Check)
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => DbError::Contention {
                kind: Contention::SerializationFailure,
                cause: info.message().to_string(),
            },
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if contention_of(info.message()).is_some() =>
            {
                let kind = contention_of(info.message()).unwrap_or(Contention::LockTimeout);
                DbError::Contention { kind, cause: info.message().to_string() }
            }
            lost if is_connection_loss(&lost) => {
                DbError::Unavailable(format!("database connection lost: {lost}"))
            }
            other => DbError::internal_from("database", other),
        }
    }
}

impl From<Refused> for DbError {
    fn from(refused: Refused) -> Self {
        DbError::Refused(refused)
    }
}

impl From<r2d2::Error> for DbError {
    fn from(e: r2d2::Error) -> Self {
        DbError::Unavailable(format!("database pool: {e}"))
    }
}

/// The contention a database error message reports. diesel maps neither PostgreSQL's 40P01 and
/// 55P03 nor SQLite's SQLITE_BUSY to a kind of its own, and does not expose the SQLSTATE: the
/// server's message is all there is (PostgreSQL's in English, `lc_messages` being `C` or `en`
/// on Essor's servers; a translated message falls back to an internal error, logged).
fn contention_of(message: &str) -> Option<Contention> {
    if message.starts_with("deadlock detected") {
        Some(Contention::Deadlock)
    } else if message.starts_with("could not serialize access") {
        Some(Contention::SerializationFailure)
    } else if message.starts_with("database is locked")
        || message.starts_with("database table is locked")
        || message.starts_with("canceling statement due to lock timeout")
    {
        Some(Contention::LockTimeout)
    } else {
        None
    }
}

/// Whether a diesel error means the connection is gone or unusable (the server closed it, its
/// backend was terminated, a command could not be sent, or a failed rollback left the
/// transaction manager broken), rather than that the query itself was refused.
fn is_connection_loss(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        )
        | Error::BrokenTransactionManager => true,
        Error::RollbackErrorOnCommit { rollback_error, commit_error } => {
            is_connection_loss(commit_error) || is_connection_loss(rollback_error)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    fn db_error(kind: DatabaseErrorKind, message: &str) -> Error {
        Error::DatabaseError(kind, Box::new(message.to_string()))
    }

    #[test]
    fn diesel_errors_are_classified_in_storage_terms() {
        let driver = "terminating connection due to administrator command";
        for lost in [
            db_error(DatabaseErrorKind::ClosedConnection, driver),
            db_error(DatabaseErrorKind::UnableToSendCommand, "no connection to the server"),
            Error::BrokenTransactionManager,
            Error::RollbackErrorOnCommit {
                rollback_error: Box::new(Error::BrokenTransactionManager),
                commit_error: Box::new(db_error(DatabaseErrorKind::ClosedConnection, driver)),
            },
        ] {
            assert!(matches!(DbError::from(lost), DbError::Unavailable(_)));
        }
        let contention = |message| DbError::from(db_error(DatabaseErrorKind::Unknown, message));
        assert!(matches!(
            contention("deadlock detected"),
            DbError::Contention { kind: Contention::Deadlock, .. }
        ));
        assert!(matches!(
            contention("canceling statement due to lock timeout"),
            DbError::Contention { kind: Contention::LockTimeout, .. }
        ));
        assert!(matches!(
            contention("database is locked"),
            DbError::Contention { kind: Contention::LockTimeout, .. }
        ));
        assert!(matches!(contention("syntax error"), DbError::Internal(_)));
        assert!(matches!(
            DbError::from(db_error(DatabaseErrorKind::UniqueViolation, "duplicate")),
            DbError::Integrity(Integrity::Unique)
        ));
        assert!(matches!(
            DbError::from(db_error(DatabaseErrorKind::CheckViolation, "check")),
            DbError::Integrity(Integrity::Check)
        ));
        assert!(matches!(DbError::from(Error::NotFound), DbError::NotFound(_)));
    }

    #[test]
    fn an_internal_error_keeps_where_it_was_raised() {
        let DbError::Internal(cause) = DbError::internal("reservation", "refused") else {
            panic!("not internal")
        };
        assert_eq!(cause.location.file(), file!());
        assert!(cause.to_string().starts_with("reservation: refused (at "), "{cause}");
    }
}

//! Idempotency keys of money requests: the key, a fingerprint of what was asked, and the first
//! answer, written in the same transaction as the change they guard.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::error::DbResult;
use crate::db::schema::idempotency_keys;
use crate::db::DbConnection;

/// The first answer to a request, kept to replay it.
#[derive(Debug, Clone, Queryable)]
pub struct StoredAnswer {
    pub fingerprint: String,
    pub status_code: Option<i32>,
    pub response_body: Option<String>,
    pub etag: Option<String>,
}

/// What a key is, for the request that claims it.
pub enum Claim {
    /// Never used: claimed now for this request.
    New,
    /// A retry of a completed request: its first answer, to replay.
    Replay(StoredAnswer),
    /// Already used for another request (another fingerprint).
    Reused,
    /// Its first request is still running.
    InFlight,
}

/// Claims `key` for `scope` in the caller's write transaction: new, a retry of a completed
/// request (its stored answer), the key of another request, or one whose first request is still
/// running: on PostgreSQL the second insert waits for the first transaction and then collides
/// (SQLite runs writers one at a time, so there the retry sees the answer).
pub fn claim(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    fingerprint: &str,
    at: NaiveDateTime,
) -> DbResult<Claim> {
    let stored: Option<StoredAnswer> = idempotency_keys::table
        .find((scope, key))
        .select((
            idempotency_keys::fingerprint,
            idempotency_keys::status_code,
            idempotency_keys::response_body,
            idempotency_keys::etag,
        ))
        .first(conn)
        .optional()?;
    if let Some(stored) = stored {
        if stored.fingerprint != fingerprint {
            return Ok(Claim::Reused);
        }
        if stored.status_code.is_none() {
            return Ok(Claim::InFlight);
        }
        return Ok(Claim::Replay(stored));
    }
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::scope.eq(scope),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::fingerprint.eq(fingerprint),
            idempotency_keys::created_at.eq(at),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(Claim::New),
        // Another request with this key committed or is committing: this one does nothing.
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(Claim::InFlight),
        Err(other) => Err(other.into()),
    }
}

/// Stores the first answer with the key claimed in this transaction.
pub fn complete(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    status_code: u16,
    body: &str,
    etag: Option<&str>,
) -> DbResult<()> {
    diesel::update(idempotency_keys::table.find((scope, key)))
        .set((
            idempotency_keys::status_code.eq(Some(i32::from(status_code))),
            idempotency_keys::response_body.eq(Some(body)),
            idempotency_keys::etag.eq(etag),
        ))
        .execute(conn)?;
    Ok(())
}

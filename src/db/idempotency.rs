//! Idempotency keys of money requests: the key, a fingerprint of what was asked, and the first
//! answer, written in the same transaction as the change they guard.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::schema::idempotency_keys;
use crate::db::DbConnection;
use crate::domain::Text;
use crate::error::{ApiError, ApiResult, Refusal, RefusalFigures};

/// The first answer to a request, kept to replay it.
#[derive(Debug, Clone, Queryable)]
pub struct StoredAnswer {
    pub fingerprint: String,
    pub status_code: Option<i32>,
    pub response_body: Option<String>,
    pub etag: Option<String>,
}

/// Whether the request is new, or a retry to answer from the stored first answer.
pub enum Claim {
    New,
    Replay(StoredAnswer),
}

/// Claims `key` for `scope` in the caller's write transaction. A retry of a completed request
/// gets its answer back; the same key for another request is 422. A key whose first request is
/// still running is 409: on PostgreSQL the second insert waits for the first transaction and
/// then collides (SQLite runs writers one at a time, so there the retry sees the answer).
pub fn claim(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    fingerprint: &str,
    at: NaiveDateTime,
) -> ApiResult<Claim> {
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
            return Err(ApiError::Refused(Box::new(Refusal {
                status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                code: "idempotency_key_reused",
                detail: Text::new(
                    "Cette Idempotency-Key a déjà servi pour une autre demande ; utilisez une nouvelle clé.",
                    "This Idempotency-Key was already used for another request; use a new key.",
                ),
                criterion: None,
                figures: RefusalFigures::default(),
            })));
        }
        if stored.status_code.is_none() {
            return Err(in_flight());
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
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Err(in_flight()),
        Err(other) => Err(other.into()),
    }
}

fn in_flight() -> ApiError {
    ApiError::refused(
        "idempotency_key_in_flight",
        Text::new(
            "Une demande portant cette Idempotency-Key est encore en cours de traitement ; réessayez dans un instant.",
            "A request with this Idempotency-Key is still being processed; retry in a moment.",
        ),
        RefusalFigures::default(),
    )
}

/// Stores the first answer with the key claimed in this transaction.
pub fn complete(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    status_code: u16,
    body: &str,
    etag: Option<&str>,
) -> ApiResult<()> {
    diesel::update(idempotency_keys::table.find((scope, key)))
        .set((
            idempotency_keys::status_code.eq(Some(i32::from(status_code))),
            idempotency_keys::response_body.eq(Some(body)),
            idempotency_keys::etag.eq(etag),
        ))
        .execute(conn)?;
    Ok(())
}

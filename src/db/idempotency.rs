//! Idempotency keys of money requests: the key, a fingerprint of what was asked, and the first
//! answer, written in the same transaction as the change they guard.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::schema::idempotency_keys;
use crate::db::DbConnection;
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
/// gets its answer back; the same key for another request is 422; on PostgreSQL a key whose
/// first request is still running is 409 (SQLite runs writers one at a time, so there the retry
/// waits and replays).
pub fn claim(
    conn: &mut DbConnection,
    scope: &str,
    key: &str,
    fingerprint: &str,
    at: NaiveDateTime,
) -> ApiResult<Claim> {
    let is_pg = matches!(conn, DbConnection::Pg(_));
    if is_pg {
        // Wait briefly on a concurrent holder of the key, not for its whole request.
        conn.batch_execute("SET LOCAL lock_timeout = '200ms'")?;
    }
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::scope.eq(scope),
                idempotency_keys::idempotency_key.eq(key),
                idempotency_keys::fingerprint.eq(fingerprint),
                idempotency_keys::created_at.eq(at),
            ))
            .execute(conn)
    });
    if is_pg {
        conn.batch_execute("SET LOCAL lock_timeout = 0")?;
    }
    match inserted {
        Ok(_) => Ok(Claim::New),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            let stored: StoredAnswer = idempotency_keys::table
                .find((scope, key))
                .select((
                    idempotency_keys::fingerprint,
                    idempotency_keys::status_code,
                    idempotency_keys::response_body,
                    idempotency_keys::etag,
                ))
                .first(conn)?;
            if stored.fingerprint != fingerprint {
                return Err(ApiError::Refused(Box::new(Refusal {
                    status: actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                    code: "idempotency_key_reused",
                    detail: "This Idempotency-Key was already used for another request; use a new key."
                        .into(),
                    criterion: None,
                    figures: RefusalFigures::default(),
                })));
            }
            if stored.status_code.is_none() {
                return Err(in_flight());
            }
            Ok(Claim::Replay(stored))
        }
        Err(DieselError::DatabaseError(_, info)) if info.message().contains("lock timeout") => {
            Err(in_flight())
        }
        Err(other) => Err(other.into()),
    }
}

fn in_flight() -> ApiError {
    ApiError::refused(
        "idempotency_key_in_flight",
        "A request with this Idempotency-Key is still being processed; retry in a moment.",
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

//! `Idempotency-Key` on money requests (IETF draft semantics): a retried request acts once.
//! The key is claimed, and the first answer stored, in the same transaction as the change.

use std::future::{ready, Future, Ready};
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::extract::ApiJson;
use crate::db::idempotency::{self, Claim, StoredAnswer};
use crate::db::{now, DbConnection};
use crate::domain::access::{Caller, Role};
use crate::domain::{FieldCode, FieldError, ProblemCode, Text};
use crate::error::{ApiError, ApiResult, Refusal, RefusalFigures};
use crate::state::AppState;
use crate::text;

pub const HEADER: &str = "Idempotency-Key";

/// What the header's value may be, exactly as the OpenAPI document says: 1 to 255 visible ASCII
/// characters (HTTP's own leading and trailing whitespace is not part of a value).
pub const PATTERN: &str = "^[!-~]{1,255}$";

/// The key a header value names, or `None` when the value does not match [`PATTERN`]. A
/// structured-field string (`"…"`, the draft's form) names the key inside its quotes: `"abc"`
/// and `abc` are the same key.
pub fn key_of(value: &str) -> Option<&str> {
    let value = value.trim_matches([' ', '\t']);
    if value.is_empty() || value.len() > 255 || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let quoted = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).filter(|v| !v.is_empty());
    Some(quoted.unwrap_or(value))
}

/// The request's `Idempotency-Key`. Extraction never fails by itself: the handler calls
/// [`IdempotencyKey::required`] after its role checks (403 comes before 400).
pub struct IdempotencyKey(Result<String, ApiError>);

impl IdempotencyKey {
    pub fn required(self) -> ApiResult<String> {
        self.0
    }
}

fn key_error(why: Text) -> ApiError {
    ApiError::BadRequest {
        detail: text!("idempotency-key-refused", header = HEADER, why = why.clone()),
        errors: Some(vec![FieldError::new(HEADER, FieldCode::IdempotencyKey, why)]),
    }
}

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = match req.headers().get(HEADER).map(|v| v.to_str()) {
            None => Err(key_error(text!("idempotency-key-missing"))),
            Some(Err(_)) => Err(key_error(text!("idempotency-key-not-ascii"))),
            Some(Ok(v)) => {
                key_of(v).map(str::to_string).ok_or_else(|| key_error(text!("idempotency-key-length")))
            }
        };
        ready(Ok(IdempotencyKey(key)))
    }
}

/// The opening every money `POST` shares: its `Idempotency-Key` and its JSON body, checked by
/// [`MoneyRequest::open`] after the caller's role. Neither fails at extraction, so the order of
/// the answers stays the handler's: 403 (role), then 400 (key), then 400/413/415/422 (body).
///
/// The OpenAPI document describes the key and the body on each handler (`params(IdempotencyKey)`,
/// `request_body = ...`), as for any other extractor of ours.
pub struct MoneyRequest<T> {
    key: IdempotencyKey,
    body: ApiJson<T>,
}

impl<T> MoneyRequest<T> {
    /// The key and the body, once `caller` is found to hold one of `roles`.
    pub fn open(self, caller: &Caller, roles: &[Role]) -> ApiResult<(String, T)> {
        caller.require(roles)?;
        let key = self.key.required()?;
        let body = self.body.into_inner()?;
        Ok((key, body))
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for MoneyRequest<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let key = IdempotencyKey::from_request(req, payload).into_inner();
        let body = ApiJson::<T>::from_request(req, payload);
        Box::pin(async move { Ok(MoneyRequest { key: key?, body: body.await? }) })
    }
}

/// The header as every money operation documents it, written once.
impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Required, Type};
        vec![ParameterBuilder::new()
            .name(HEADER)
            .parameter_in(ParameterIn::Header)
            .description(Some(
                "Unique per money request (a UUID, say); a retry with the same key and body replays the \
                 first answer. A quoted string (`\"…\"`, the structured-field form) names the key inside \
                 its quotes.",
            ))
            .required(Required::True)
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255))
                    .pattern(Some(PATTERN)),
            ))
            .build()]
    }
}

/// What was asked: method, path and the body as understood (so a retry with the same meaning
/// matches, whatever its spacing).
pub fn fingerprint<T: Serialize>(req: &HttpRequest, body: &T) -> ApiResult<String> {
    let body =
        serde_json::to_string(body).map_err(|e| ApiError::internal_from("fingerprinting a request", e))?;
    Ok(format!("{} {} {}", req.method(), req.path(), body))
}

/// The answer to a money request, first or replayed.
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    pub etag: Option<String>,
    pub replayed: bool,
}

impl Answer {
    pub fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, "application/json"));
        if let Some(etag) = self.etag {
            response.insert_header((header::ETAG, etag));
        }
        if self.replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        response.body(self.body)
    }
}

/// Runs `work` once for this caller and key, in the caller's write transaction: a retry of a
/// completed request gets the first answer back and changes nothing. `work` returns the body
/// and the ETag of the answer.
pub fn once<T: Serialize>(
    conn: &mut DbConnection,
    caller: &Caller,
    key: &str,
    fingerprint: &str,
    status: StatusCode,
    work: impl FnOnce(&mut DbConnection) -> ApiResult<(T, Option<String>)>,
) -> ApiResult<Answer> {
    let scope = format!("{}/{}", caller.territory, caller.sub);
    match idempotency::claim(conn, &scope, key, fingerprint, now())? {
        Claim::New => {}
        Claim::Replay(stored) => return replay(stored),
        Claim::Reused => return Err(reused()),
        Claim::InFlight => return Err(in_flight()),
    }
    let (value, etag) = work(conn)?;
    let body =
        serde_json::to_string(&value).map_err(|e| ApiError::internal_from("rendering the answer", e))?;
    idempotency::complete(conn, &scope, key, status.as_u16(), &body, etag.as_deref())?;
    Ok(Answer { status, body, etag, replayed: false })
}

/// The first answer to a request, replayed.
fn replay(stored: StoredAnswer) -> ApiResult<Answer> {
    let status = stored
        .status_code
        .and_then(|code| u16::try_from(code).ok())
        .and_then(|code| StatusCode::from_u16(code).ok())
        .ok_or_else(|| ApiError::internal("stored idempotent answer", "no status"))?;
    Ok(Answer { status, body: stored.response_body.unwrap_or_default(), etag: stored.etag, replayed: true })
}

/// 422: the key was already used for another request.
fn reused() -> ApiError {
    ApiError::Refused(Box::new(Refusal {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: ProblemCode::IdempotencyKeyReused,
        detail: text!("money-idempotency-key-already-used-another"),
        criterion: None,
        figures: RefusalFigures::default(),
        errors: None,
    }))
}

/// 409: the key's first request is still running.
fn in_flight() -> ApiError {
    ApiError::refused(
        ProblemCode::IdempotencyKeyInFlight,
        text!("money-request-idempotency-key-still-being"),
        RefusalFigures::default(),
    )
}

/// A money request from start to answer: fingerprints `body`, then runs `work` once for this
/// caller and key in one write transaction (see [`once`]), and answers `status` with what it
/// returns (body and ETag), or the first answer replayed.
pub async fn act_once<B, T, F>(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    caller: Caller,
    key: String,
    body: B,
    status: StatusCode,
    work: F,
) -> ApiResult<HttpResponse>
where
    B: Serialize + Send + 'static,
    T: Serialize,
    F: Fn(&mut DbConnection, &Caller, &B) -> ApiResult<(T, Option<String>)> + Send + 'static,
{
    let fingerprint = fingerprint(req, &body)?;
    let answer = state
        .write(move |conn| once(conn, &caller, &key, &fingerprint, status, |conn| work(conn, &caller, &body)))
        .await?;
    Ok(answer.into_response())
}

#[cfg(test)]
mod tests {
    use super::{key_of, PATTERN};

    /// The server takes exactly the values the documented pattern describes (issue 20: it
    /// refused `"` and `""`, which the pattern allows, after stripping every quote).
    #[test]
    fn the_server_takes_exactly_what_the_pattern_says() {
        let pattern = regex::Regex::new(PATTERN).unwrap();
        let long = "k".repeat(255);
        let too_long = "k".repeat(256);
        let quoted_long = format!("\"{}\"", "k".repeat(254));
        for value in [
            "8e03978e-40d5-43e8-bc93-6894a57f9324",
            "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"",
            "\"",
            "\"\"",
            "\"\"\"",
            "\"a",
            "a\"b",
            "~!",
            &long,
            &too_long,
            &quoted_long,
            "",
            "a b",
            "a\tb",
            "é",
            "a\u{7f}",
        ] {
            assert_eq!(key_of(value).is_some(), pattern.is_match(value), "{value:?}");
        }
    }

    #[test]
    fn a_quoted_string_names_the_key_inside() {
        assert_eq!(key_of("\"abc\""), Some("abc"));
        assert_eq!(key_of("abc"), Some("abc"));
        assert_eq!(key_of(" abc\t"), Some("abc"), "HTTP whitespace around a value is not part of it");
        assert_eq!(key_of("\"\""), Some("\"\""), "an empty string names the two quotes");
        assert_eq!(key_of("\""), Some("\""));
        assert_eq!(key_of("\"\"abc\"\""), Some("\"abc\""), "one pair of quotes only");
    }
}

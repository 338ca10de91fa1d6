//! Request extractors whose failures are problem+json naming the offending field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::domain::{FieldCode, FieldError, Text};
use crate::error::ApiError;
use crate::text;

/// Largest accepted JSON body (`ESSOR_MAX_BODY_BYTES`), and the longest time a client may take
/// to send it (`ESSOR_BODY_TIMEOUT_SECS`): a slow client does not hold a worker's connection.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit {
    pub bytes: usize,
    pub timeout: std::time::Duration,
}

impl Default for BodyLimit {
    fn default() -> Self {
        BodyLimit { bytes: 256 * 1024, timeout: std::time::Duration::from_secs(30) }
    }
}

/// Largest uploaded document (`ESSOR_MAX_DOCUMENT_BYTES`), and the longest time its upload may
/// take (`ESSOR_BODY_TIMEOUT_SECS`, at least [`MIN_FILE_TIMEOUT`]). Separate from [`BodyLimit`],
/// which bounds JSON bodies.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimit {
    pub bytes: u64,
    pub timeout: std::time::Duration,
}

impl Default for UploadLimit {
    fn default() -> Self {
        UploadLimit { bytes: crate::config::DEFAULT_MAX_DOCUMENT_BYTES, timeout: MIN_FILE_TIMEOUT }
    }
}

/// A JSON body (`application/json` or any `+json` type), read within the body limit and
/// deserialised so that an error names the field path (`address.commune_code`).
///
/// Extraction never fails by itself: the handler calls [`ApiJson::into_inner`] after its role
/// checks, so a caller without the right role gets 403 whatever it sent.
pub struct ApiJson<T>(Result<T, ApiError>);

impl<T> ApiJson<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(ct) = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Turns a serde error at `path` into a field error a client can act on.
pub fn deserialize_error(path: &str, e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let message = e.to_string();
    // serde's message ends with " at line L column C", which says nothing useful about a field.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let (detail, code) = match e.classify() {
        Category::Syntax | Category::Eof => (text!("requests-body-not-json"), FieldCode::MalformedJson),
        Category::Data => (text!("requests-body-wrong-shape"), FieldCode::Invalid),
        Category::Io => (text!("requests-body-could-read"), FieldCode::Unreadable),
    };
    // serde_path_to_error says "." for the root and "?" where it lost track (syntax errors).
    let field = match path {
        "" | "." | "?" => "(body)".to_string(),
        p => p.to_string(),
    };
    let why = serde_message(&message);
    ApiError::BadRequest {
        detail: text!("requests-body-field-error", detail = detail, field = &field, why = why.clone()),
        errors: Some(vec![FieldError::new(field, code, why)]),
    }
}

/// A serde or serde_json message for people: its usual forms are messages of the catalogues
/// (`serde-*`); the names it quotes (fields, variants, Rust types) stay as serde wrote them, and
/// a form not known here is quoted whole.
pub fn serde_message(message: &str) -> Text {
    let list = |rest: &str| {
        rest.strip_prefix("one of ").or_else(|| rest.strip_prefix("expected ")).unwrap_or(rest).to_string()
    };
    let found_expected =
        |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split_once(", expected "));
    if let Some((found, expected)) = found_expected("invalid type: ") {
        return text!("serde-invalid-type", found = found, expected = expected);
    }
    if let Some((found, expected)) = found_expected("invalid value: ") {
        return text!("serde-invalid-value", found = found, expected = expected);
    }
    if let Some((found, expected)) = found_expected("invalid length ") {
        return text!("serde-invalid-length", found = found, expected = expected);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((variant, expected)) => {
                text!("serde-unknown-variant", variant = variant, possible = list(expected))
            }
            None => match rest.split_once(", there are no variants") {
                Some((variant, _)) => text!("serde-unknown-variant-none", variant = variant),
                None => text!("serde-unknown-variant-other", rest = rest),
            },
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return match rest.split_once(", expected ") {
            Some((field, expected)) => text!("serde-unknown-field", field = field, possible = list(expected)),
            None => match rest.split_once(", there are no fields") {
                Some((field, _)) => text!("serde-unknown-field-none", field = field),
                None => text!("serde-unknown-field-other", rest = rest),
            },
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return text!("serde-missing-field", field = field);
    }
    if let Some(field) = message.strip_prefix("duplicate field ") {
        return text!("serde-duplicate-field", field = field);
    }
    if message.starts_with("EOF while parsing") {
        return text!("serde-eof");
    }
    match message {
        "expected value" => text!("serde-expected-value"),
        "trailing characters" => text!("serde-trailing-characters"),
        "trailing comma" => text!("serde-trailing-comma"),
        "key must be a string" => text!("serde-key-not-string"),
        "invalid number" => text!("serde-invalid-number"),
        "number out of range" => text!("serde-number-out-of-range"),
        other => text!("serde-other", message = other),
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<web::Data<BodyLimit>>().map(|l| *l.get_ref()).unwrap_or_default();
        let json = is_json(req);
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move { Ok(ApiJson(read_json(json, declared_len, limit, &mut payload).await)) })
    }
}

async fn read_json<T: DeserializeOwned>(
    json: bool,
    declared_len: Option<usize>,
    limit: BodyLimit,
    payload: &mut Payload,
) -> Result<T, ApiError> {
    if !json {
        return Err(ApiError::UnsupportedMediaType(text!("requests-send-body-application-json")));
    }
    let body = read_limited(declared_len, limit, payload).await?;
    let body = integral_numbers_as_integers(&body);
    let mut de = serde_json::Deserializer::from_slice(&body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        deserialize_error(&path, e.inner())
    })?;
    de.end().map_err(|e| deserialize_error("", &e))?;
    refuse_control_characters(&body)?;
    Ok(value)
}

/// Reads a whole body of at most `limit.bytes` (413 as soon as the declared length or the bytes
/// received go above it: nothing more is buffered) within `limit.timeout` (408 after it).
async fn read_limited(
    declared_len: Option<usize>,
    limit: BodyLimit,
    payload: &mut Payload,
) -> Result<web::BytesMut, ApiError> {
    let too_large =
        || ApiError::PayloadTooLarge(text!("requests-body-larger-than-bytes", bytes = &limit.bytes));
    if declared_len.is_some_and(|n| n > limit.bytes) {
        return Err(too_large());
    }
    let deadline = tokio::time::Instant::now() + limit.timeout;
    let mut body = web::BytesMut::new();
    loop {
        let next = tokio::time::timeout_at(deadline, payload.next()).await.map_err(|_| {
            let seconds = limit.timeout.as_secs();
            ApiError::RequestTimeout(text!("requests-body-did-arrive-within-s", seconds = &seconds))
        })?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|_| ApiError::bad_request(text!("requests-body-could-read")))?;
        if body.len() + chunk.len() > limit.bytes {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Largest uploaded file (an SCDL import): 20 MiB, whatever `ESSOR_MAX_BODY_BYTES` says of JSON.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Shortest time a client is given to send a file: `ESSOR_BODY_TIMEOUT_SECS` if longer.
pub const MIN_FILE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Reads an uploaded file sent as `content_type` (`text/csv`; parameters such as `charset` are
/// not checked: the content is): 415 for another type, 413 above [`MAX_FILE_BYTES`] (checked as
/// the bytes arrive, so no more is ever buffered), 408 when it does not arrive within the body
/// timeout (at least [`MIN_FILE_TIMEOUT`]). Call it after the role checks, so that a caller
/// without the right role gets 403 whatever it sent.
pub async fn read_file(
    req: &HttpRequest,
    payload: web::Payload,
    content_type: &str,
) -> Result<web::Bytes, ApiError> {
    let essence = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    if essence.as_deref() != Some(content_type) {
        return Err(ApiError::UnsupportedMediaType(text!(
            "requests-send-file",
            content_type = &content_type
        )));
    }
    let configured = req.app_data::<web::Data<BodyLimit>>().map(|l| *l.get_ref()).unwrap_or_default();
    let limit = BodyLimit { bytes: MAX_FILE_BYTES, timeout: configured.timeout.max(MIN_FILE_TIMEOUT) };
    let declared_len = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut inner = payload.into_inner();
    Ok(read_limited(declared_len, limit, &mut inner).await?.freeze())
}

/// JSON Schema calls `6.0` an integer; serde does not. Rewrites every number outside strings that
/// has a fraction or exponent but an integral value (within ±2^53) as a plain integer, so
/// integer fields accept what the published schema accepts. Float fields read either form.
pub fn integral_numbers_as_integers(body: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    let mut out: Option<Vec<u8>> = None;
    let (mut i, mut in_string, mut copied) = (0, false, 0);
    while i < body.len() {
        let b = body[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < body.len() && matches!(body[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            }
            let token = &body[start..i];
            if token.iter().any(|c| matches!(c, b'.' | b'e' | b'E')) {
                let value = std::str::from_utf8(token).ok().and_then(|t| t.parse::<f64>().ok());
                if let Some(v) = value.filter(|v| v.is_finite() && v.fract() == 0.0 && v.abs() <= EXACT) {
                    let buffer = out.get_or_insert_with(|| Vec::with_capacity(body.len()));
                    buffer.extend_from_slice(&body[copied..start]);
                    buffer.extend_from_slice((v as i64).to_string().as_bytes());
                    copied = i;
                }
            }
            continue;
        }
        i += 1;
    }
    match out {
        None => std::borrow::Cow::Borrowed(body),
        Some(mut buffer) => {
            buffer.extend_from_slice(&body[copied..]);
            std::borrow::Cow::Owned(buffer)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::integral_numbers_as_integers as normalise;
    use super::serde_message;
    use crate::domain::Lang;

    #[test]
    fn serde_messages_read_in_french_with_the_names_they_quote() {
        for (serde, french) in [
            ("missing field `code`", "champ `code` manquant"),
            ("duplicate field `name`", "champ `name` en double"),
            (
                "unknown field `territory`, expected one of `code`, `name`",
                "champ `territory` inconnu ; champs possibles : `code`, `name`",
            ),
            ("unknown field `x`, there are no fields", "champ `x` inconnu : aucun champ n'est attendu ici"),
            (
                "unknown variant `sent`, expected one of `draft`, `submitted`",
                "valeur `sent` inconnue ; valeurs possibles : `draft`, `submitted`",
            ),
            (
                "invalid type: integer `12`, expected a string",
                "type invalide : integer `12` au lieu de a string",
            ),
            ("invalid value: integer `-1`, expected u32", "valeur invalide : integer `-1` au lieu de u32"),
            ("invalid length 0, expected 6 items", "longueur invalide : 0 au lieu de 6 items"),
            ("EOF while parsing an object", "le JSON s'arrête avant la fin"),
            ("expected value", "une valeur JSON est attendue"),
            ("something new", "erreur de lecture (something new)"),
        ] {
            assert_eq!(serde_message(serde).in_(Lang::Fr), french, "{serde}");
        }
    }

    fn text(body: &str) -> String {
        String::from_utf8(normalise(body.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn integral_numbers_become_integers_and_nothing_else_changes() {
        assert_eq!(
            text(r#"{"score": 6.0, "months": 1.1e1, "fte": 4.5, "n": -0.0}"#),
            r#"{"score": 6, "months": 11, "fte": 4.5, "n": 0}"#
        );
        assert_eq!(
            text(r#"{"s": "6.0 \" 7.0", "a": [1.0, 2.50, 1e300]}"#),
            r#"{"s": "6.0 \" 7.0", "a": [1, 2.50, 1e300]}"#
        );
        assert!(matches!(normalise(br#"{"x": 1, "y": "2.0"}"#), std::borrow::Cow::Borrowed(_)));
    }
}

/// No string of a body (key or value) may hold a control character other than tab and line
/// breaks: a NUL is never text (PostgreSQL refuses it), the others are invisible traps. Fields
/// that are a single line are checked further by the domain.
fn refuse_control_characters(body: &[u8]) -> Result<(), ApiError> {
    fn find(value: &serde_json::Value, path: &mut String) -> Option<(String, char)> {
        let bad = |s: &str| s.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
        match value {
            serde_json::Value::String(s) => bad(s).map(|c| (path.clone(), c)),
            serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = find(item, path);
                path.truncate(len);
                found
            }),
            serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                let found = bad(key).map(|c| (path.clone(), c)).or_else(|| find(item, path));
                path.truncate(len);
                found
            }),
            _ => None,
        }
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else { return Ok(()) };
    match find(&value, &mut String::new()) {
        None => Ok(()),
        Some((field, c)) => {
            let field = if field.is_empty() { "(body)".to_string() } else { field };
            let c = u32::from(c);
            let character = format!("U+{c:04X}");
            let message = text!("requests-control-character", field = &field, character = character);
            Err(ApiError::validation(vec![FieldError::new(field, FieldCode::ControlCharacter, message)]))
        }
    }
}

/// 400 for a query string that does not parse, naming what serde found.
pub fn query_error(err: &actix_web::error::QueryPayloadError) -> ApiError {
    let message = match err {
        actix_web::error::QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    let why = serde_message(&message);
    ApiError::BadRequest {
        detail: text!("query-invalid", why = why.clone()),
        errors: Some(vec![FieldError::new("(query)", FieldCode::Invalid, why)]),
    }
}

/// "No resource at `path`."
pub fn no_resource_at(path: &str) -> Text {
    text!("not-found-path", path = path)
}

/// Like [`ApiJson`], but an empty body (no Content-Type, no bytes) gives `T::default()`: for
/// actions whose body is optional.
pub struct ApiJsonOrEmpty<T>(ApiJson<T>);

impl<T> ApiJsonOrEmpty<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0.into_inner()
    }
}

impl<T: DeserializeOwned + Default + 'static> FromRequest for ApiJsonOrEmpty<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let no_type = req.headers().get(header::CONTENT_TYPE).is_none();
        let no_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v.trim() == "0");
        let chunked = req.headers().contains_key(header::TRANSFER_ENCODING);
        if no_type && no_length && !chunked {
            return Box::pin(async { Ok(ApiJsonOrEmpty(ApiJson(Ok(T::default())))) });
        }
        // A JSON `null` body means "nothing to say", like an empty one.
        let inner = ApiJson::<Option<T>>::from_request(req, payload);
        Box::pin(async move {
            inner.await.map(|json| ApiJsonOrEmpty(ApiJson(json.into_inner().map(Option::unwrap_or_default))))
        })
    }
}

/// The `{id}` of a dossier route. [`DossierPath::load`] gives the dossier if the caller may see
/// it, and 404 otherwise (an id that is not a UUID names nothing: 404 too).
#[derive(Debug, Clone)]
pub struct DossierPath(crate::domain::ids::DossierId);

impl DossierPath {
    pub fn id(&self) -> &crate::domain::ids::DossierId {
        &self.0
    }

    /// The dossier, read on `conn` (inside the caller's transaction when it writes).
    pub fn load(
        &self,
        conn: &mut crate::db::DbConnection,
        caller: &crate::domain::access::Caller,
    ) -> Result<crate::db::dossiers::DossierRow, ApiError> {
        Ok(crate::db::dossiers::visible(conn, caller, &self.0)?)
    }

    /// The dossier, to change it: locked first (the first lock of the transaction, see
    /// `db::dossiers::lock`), then as [`DossierPath::load`], and 409 `imported_read_only` for a
    /// grant imported from an SCDL file, `purged_read_only` for a purged dossier, which nothing
    /// may change.
    pub fn load_to_change(
        &self,
        conn: &mut crate::db::DbConnection,
        caller: &crate::domain::access::Caller,
    ) -> Result<crate::db::dossiers::DossierRow, ApiError> {
        crate::db::dossiers::lock(conn, &self.0)?;
        let row = self.load(conn, caller)?;
        row.ensure_changeable()?;
        Ok(row)
    }
}

impl std::fmt::Display for DossierPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromRequest for DossierPath {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req.match_info().get("id").and_then(|id| uuid::Uuid::parse_str(id).ok());
        std::future::ready(match id {
            Some(id) => Ok(DossierPath(id.into())),
            None => Err(ApiError::NotFound(no_resource_at(req.path()))),
        })
    }
}

impl utoipa::IntoParams for DossierPath {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{KnownFormat, ObjectBuilder, Required, SchemaFormat, Type};
        vec![ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .description(Some("Dossier id"))
            .required(Required::True)
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
            ))
            .build()]
    }
}

/// The field errors of a request's own rules (`#[derive(Validate)]` on its DTO, each rule beside
/// its field), in the order its fields are declared: what a 422 lists before the rules between
/// fields, which the domain keeps.
pub fn rule_errors<T: validator::Validate + DeserializeOwned>(body: &T) -> Vec<FieldError> {
    match body.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => crate::domain::field_errors::field_errors(&errors, declared_fields::<T>()),
    }
}

/// [`rule_errors`] as a result: 422 when a rule is broken.
pub fn check_rules<T: validator::Validate + DeserializeOwned>(body: &T) -> Result<(), ApiError> {
    let errors = rule_errors(body);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The names of a struct's fields as serde reads them, in their order (what serde's derive hands
/// `deserialize_struct`); empty for a type that is not a struct.
fn declared_fields<T: DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};
    struct Fields<'a>(&'a mut &'static [&'static str]);
    impl<'de> de::Deserializer<'de> for Fields<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("only its fields"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Fields(&mut fields));
    fields
}

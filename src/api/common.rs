//! Pieces shared by the handlers: pagination, ETags, and conversions of API values.

use actix_web::http::header;
use actix_web::HttpRequest;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::checks::date_rule;
use crate::domain::money::FIRST_YEAR;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::text;

pub const MAX_PER_PAGE: i64 = 100;
pub const DEFAULT_PER_PAGE: i64 = 20;

/// The page and page size a list query asks for (defaults 1 and 20), both checked.
pub fn page_bounds(page: Option<i64>, per_page: Option<i64>) -> ApiResult<(i64, i64)> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
    let mut errors = Vec::new();
    if !(1..=1_000_000).contains(&page) {
        errors.push(FieldError::new("page", FieldCode::OutOfRange, text!("requests-page-between-1-1000000")));
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        errors.push(FieldError::new(
            "per_page",
            FieldCode::OutOfRange,
            text!("requests-per-page-between-1", MAX_PER_PAGE = &MAX_PER_PAGE),
        ));
    }
    if errors.is_empty() {
        Ok((page, per_page))
    } else {
        Err(ApiError::BadRequest { detail: text!("requests-invalid-pagination"), errors: Some(errors) })
    }
}

/// The day of an act on a grant (a decision, a certified service, a payment): from 1 January of
/// the first budget year to today; for `#[validate(custom(function = common::until_today))]`.
pub fn until_today(day: &chrono::NaiveDate) -> Result<(), validator::ValidationError> {
    let first = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("date");
    date_rule(*day, first, Utc::now().date_naive())
}

/// The day of an act in a territory's procedure (a notification received): from 1 January of
/// the first budget year to today in Paris, where the territories are (ahead of UTC, so never
/// refused at midnight); for `#[validate(custom(function = common::until_today_in_paris))]`.
pub fn until_today_in_paris(day: &chrono::NaiveDate) -> Result<(), validator::ValidationError> {
    let first = chrono::NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("date");
    date_rule(*day, first, crate::domain::procedure::paris_date(Utc::now().naive_utc()))
}

/// A day an RFC 3339 `full-date` writes (years 0001 to 9999), which every database holds (a
/// parser may take more: a year before 4713 BC is beyond PostgreSQL's dates); for
/// `#[validate(custom(function = common::full_date))]`.
pub fn full_date(day: &chrono::NaiveDate) -> Result<(), validator::ValidationError> {
    date_rule(*day, FULL_DATE_FIRST, FULL_DATE_LAST)
}

/// The first day an RFC 3339 `full-date` writes.
pub const FULL_DATE_FIRST: chrono::NaiveDate = chrono::NaiveDate::from_ymd_opt(1, 1, 1).expect("date");
/// The last day an RFC 3339 `full-date` writes.
pub const FULL_DATE_LAST: chrono::NaiveDate = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).expect("date");

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    #[schema(minimum = 1)]
    pub page: i64,
    #[schema(minimum = 1, maximum = 100)]
    pub per_page: i64,
    /// Number of items over all pages.
    #[schema(minimum = 0)]
    pub total: i64,
}

/// One field that differs between two versions of an organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChangeView {
    /// Dotted path of the field, e.g. `salaried_staff_fte`, `accounts.operating_revenue_cents`,
    /// `address.commune_code`; a list (`de_minimis_aids`) is one field, compared whole.
    #[schema(example = "accounts.operating_revenue_cents")]
    pub field: String,
    /// The value before, as the organisation's JSON writes it; `null`: absent or not declared.
    #[schema(example = 30000000)]
    pub before: serde_json::Value,
    /// The value after; `null`: cleared.
    #[schema(example = 25000000)]
    pub after: serde_json::Value,
}

impl From<crate::domain::changes::FieldChange> for FieldChangeView {
    fn from(c: crate::domain::changes::FieldChange) -> Self {
        FieldChangeView { field: c.field, before: c.before, after: c.after }
    }
}

/// Stored timestamps are UTC without a zone; the API always says so.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A strong ETag for a row version.
pub fn etag(version: i32) -> String {
    format!("\"v{version}\"")
}

/// The versions named by `If-Match` (`None` when absent; `*` matches any).
pub enum IfMatch {
    Absent,
    Any,
    Versions(Vec<i32>),
}

impl IfMatch {
    pub fn from_request(req: &HttpRequest) -> ApiResult<Self> {
        let Some(value) = req.headers().get(header::IF_MATCH) else {
            return Ok(IfMatch::Absent);
        };
        let value = value
            .to_str()
            .map_err(|_| ApiError::bad_request(text!("requests-if-match-valid-header-value")))?;
        if value.trim() == "*" {
            return Ok(IfMatch::Any);
        }
        // Unparseable tags can never match: they make the request stale, not malformed.
        let versions = value
            .split(',')
            .filter_map(|tag| {
                tag.trim().strip_prefix("\"v").and_then(|t| t.strip_suffix('"')).and_then(|n| n.parse().ok())
            })
            .collect();
        Ok(IfMatch::Versions(versions))
    }

    /// 428 when absent: edits must say which version they apply to.
    pub fn required(req: &HttpRequest) -> ApiResult<Self> {
        match Self::from_request(req)? {
            IfMatch::Absent => Err(ApiError::PreconditionRequired),
            other => Ok(other),
        }
    }

    /// The version the update must find, if the client named one.
    pub fn expected_version(&self, current: i32) -> ApiResult<Option<i32>> {
        match self {
            IfMatch::Absent | IfMatch::Any => Ok(None),
            IfMatch::Versions(vs) if vs.contains(&current) => Ok(Some(current)),
            IfMatch::Versions(_) => Err(ApiError::PreconditionFailed),
        }
    }
}

/// For JSON Merge Patch (RFC 7396) fields: absent → `None` (unchanged), `null` →
/// `Some(None)` (cleared), a value → `Some(Some(v))`. Use with `#[serde(default)]`.
pub fn merge_patch_field<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A required field of a merge patch may be changed but not cleared.
pub fn not_null<T>(field: &str, value: Option<Option<T>>) -> ApiResult<Option<T>> {
    match value {
        Some(None) => Err(ApiError::validation(vec![FieldError::new(
            field,
            FieldCode::Required,
            text!("requests-field-cannot-be-cleared", field = field),
        )])),

        Some(Some(v)) => Ok(Some(v)),
        None => Ok(None),
    }
}

/// The ETag header for a row version.
pub fn etag_header(version: i32) -> (actix_web::http::header::HeaderName, String) {
    (header::ETAG, etag(version))
}

/// Objects may only be created in a territory the operator registered.
pub fn require_territory(
    conn: &mut crate::db::DbConnection,
    territory: &crate::domain::ids::TerritoryCode,
) -> ApiResult<()> {
    if !crate::db::territories::exists(conn, territory)? {
        let code = territory.as_str();
        return Err(ApiError::Forbidden(text!(
            "requests-territory-named-your-token-registered",
            code = format!("{code:?}")
        )));
    }
    Ok(())
}

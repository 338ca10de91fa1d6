//! Finance exports: yearly totals, totals over a period, the grants of a year; JSON or CSV.

pub mod annual_totals;
pub mod dto;
pub mod grants;
pub mod period_totals;
pub mod scdl;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;

use self::dto::ExportFormat;
use crate::auth::Role;
use crate::domain::money::{FIRST_YEAR, LAST_YEAR};
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult};

/// Who reads exports: finance and admin, and instructors.
pub const READERS: [Role; 3] = [Role::Finance, Role::Admin, Role::Instructor];

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// The query string, read once the caller is authorised (a role that may not read gets 403
/// whatever it asked).
pub fn parse_query<T: DeserializeOwned>(req: &HttpRequest) -> ApiResult<T> {
    web::Query::<T>::from_query(req.query_string()).map(web::Query::into_inner).map_err(|err| {
        let message = match &err {
            actix_web::error::QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        ApiError::BadRequest {
            detail: format!("Invalid query string: {message}."),
            errors: Some(vec![FieldError::new("(query)", "invalid", message)]),
        }
    })
}

/// A required year parameter, within the years Essor handles.
pub fn check_year(errors: &mut Vec<FieldError>, field: &str, year: Option<i32>) -> i32 {
    match year {
        None => {
            errors.push(FieldError::new(field, "required", format!("{field} is required")));
            FIRST_YEAR
        }
        Some(y) if !(FIRST_YEAR..=LAST_YEAR).contains(&y) => {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                format!("{field} must be between {FIRST_YEAR} and {LAST_YEAR}"),
            ));
            FIRST_YEAR
        }
        Some(y) => y,
    }
}

/// 400 naming each invalid query parameter, if any.
pub fn query_errors(errors: Vec<FieldError>) -> ApiResult<()> {
    if errors.is_empty() {
        return Ok(());
    }
    let detail = match errors.as_slice() {
        [one] => format!("{}: {}.", one.field, one.message),
        many => format!("{} query parameters are invalid.", many.len()),
    };
    Err(ApiError::BadRequest { detail, errors: Some(errors) })
}

/// The `format` parameter, if given (a value that names no format is an error naming it).
pub fn check_format(errors: &mut Vec<FieldError>, format: Option<&str>) -> Option<ExportFormat> {
    match format? {
        "json" => Some(ExportFormat::Json),
        "csv" => Some(ExportFormat::Csv),
        _ => {
            errors.push(FieldError::new("format", "invalid", "format must be json or csv"));
            None
        }
    }
}

/// Whether the client asked for CSV: `format=csv`, or else `Accept: text/csv`.
pub fn wants_csv(req: &HttpRequest, format: Option<ExportFormat>) -> bool {
    match format {
        Some(f) => f == ExportFormat::Csv,
        None => req
            .headers()
            .get_all(header::ACCEPT)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|range| range.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"))),
    }
}

/// RFC 4180 CSV (CRLF line ends), UTF-8: the header, then the records.
pub fn csv_document(header: &[String], records: &[Vec<String>]) -> ApiResult<Vec<u8>> {
    let mut writer = csv_writer(Vec::new());
    writer.write_record(header).map_err(|e| ApiError::internal_from("writing CSV", e))?;
    for record in records {
        writer.write_record(record).map_err(|e| ApiError::internal_from("writing CSV", e))?;
    }
    writer.into_inner().map_err(|e| ApiError::internal("writing CSV", e))
}

/// A CSV writer as RFC 4180 says: CRLF, quotes where needed.
pub fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::CRLF).from_writer(out)
}

/// `Content-Disposition: attachment; filename="…"`.
pub fn attachment(filename: &str) -> (header::HeaderName, String) {
    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\""))
}

/// A whole CSV document as an attachment.
pub fn csv_response(filename: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, CSV_CONTENT_TYPE))
        .insert_header(attachment(filename))
        .body(body)
}

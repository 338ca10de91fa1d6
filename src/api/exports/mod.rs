//! Finance exports: yearly totals, totals over a period, the grants of a year; JSON, CSV or
//! XLSX, written through `api::tables`.

pub mod annual_totals;
pub mod dto;
pub mod grants;
pub mod period_totals;
pub mod scdl;

use actix_web::{web, HttpRequest};
use serde::de::DeserializeOwned;

pub use crate::api::tables::{
    attachment, check_format, csv_document, csv_response, csv_writer, negotiate, write_csv_row,
    xlsx_response, Cell, Column, Kind, Sheet, CSV_CONTENT_TYPE,
};
use crate::auth::Role;
use crate::domain::money::{FIRST_YEAR, LAST_YEAR};
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::text;

/// Who reads exports: finance and admin, and instructors.
pub const READERS: [Role; 3] = [Role::Finance, Role::Admin, Role::Instructor];

/// The query string, read once the caller is authorised (a role that may not read gets 403
/// whatever it asked).
pub fn parse_query<T: DeserializeOwned>(req: &HttpRequest) -> ApiResult<T> {
    web::Query::<T>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|err| crate::api::extract::query_error(&err))
}

/// A required year parameter, within the years Essor handles.
pub fn check_year(errors: &mut Vec<FieldError>, field: &str, year: Option<i32>) -> i32 {
    match year {
        None => {
            errors.push(FieldError::new(
                field,
                FieldCode::Required,
                text!("query-parameter-required", field = field),
            ));
            FIRST_YEAR
        }
        Some(y) if !(FIRST_YEAR..=LAST_YEAR).contains(&y) => {
            errors.push(FieldError::new(
                field,
                FieldCode::OutOfRange,
                text!("query-year-out-of-range", field = field, first = FIRST_YEAR, last = LAST_YEAR),
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
        [one] => text!("query-invalid-parameter", field = &one.field, message = one.message.clone()),
        many => text!("query-invalid-parameters", count = many.len()),
    };
    Err(ApiError::BadRequest { detail, errors: Some(errors) })
}

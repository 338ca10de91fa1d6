//! The SCDL "subventions" 2.1.1 open-data format (décret 2017-779, arrêté of 17 November 2017):
//! its fields in their order, and how each row of a file becomes a grant a territory decided
//! before Essor (an import).
//!
//! Pure: the caller passes the file's bytes and what the territory knows (its own SIRET, its
//! schemes, today's date). A file is all or nothing: every error is reported, each a
//! [`FieldError`] with its `line` (1 is the header) and the SCDL name of its field, at most
//! [`MAX_ERRORS`] of them.
//!
//! Besides the schema's own constraints, Essor needs of each row: a beneficiary SIRET
//! (`idBeneficiaire`: it identifies the beneficiary; a row with only `rnaBeneficiaire` cannot be
//! imported), the territory's own SIRET as `idAttribuant`, a `dispositifAide` naming one of the
//! territory's schemes (by code, or else by name), an amount above zero in whole cents, a
//! `dateConvention` from [`FIRST_YEAR`](super::money::FIRST_YEAR)-01-01 to today (as the API's decision dates), payment
//! dates from [`FIRST_YEAR`](super::money::FIRST_YEAR)-01-01 to [`LAST_YEAR`](super::money::LAST_YEAR)-12-31 (a period not ending before it
//! starts), a `referenceDecision` of at most 256 characters and a `nomBeneficiaire` of at most
//! 200 (as any organisation's name).
//!
//! Every field is held to the API's rule for one line of text: no control character (a NUL, an
//! ESC…), that field's only error then. The texts the open-data export republishes
//! (`referenceDecision`, `nomBeneficiaire`, `objet`, `conditionsVersement`, `idRAE`) may not
//! start with a character a spreadsheet runs as a formula
//! ([`check_cell_line`](super::checks::check_cell_line)), like the API's.
//!
//! This file reads the file and its rows; [`row`] checks a row, one function per group of
//! fields; [`values`] reads the values themselves (dates, amounts, SIRETs).

mod row;
mod values;

use chrono::NaiveDate;

use super::{FieldCode, FieldError, Refused};
use crate::domain::problem_code::ProblemCode;
use crate::text;
pub use row::parse_row;
pub use values::{parse_cents, parse_date};

/// The columns of an SCDL "subventions" 2.1.1 file, in their order.
pub const FIELDS: [&str; 16] = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
];

/// The values `nature` may take.
pub const NATURES: [&str; 4] = [
    "aide en numéraire",
    "aide en nature",
    "aide en numéraire;aide en nature",
    "aide en nature;aide en numéraire",
];

/// `pourcentageSubvention` is kept as written, up to this many characters.
pub const MAX_SHARE_LENGTH: usize = 32;

/// At most this many errors are reported for one file.
pub const MAX_ERRORS: usize = 1000;

/// A scheme of the territory, as `dispositifAide` may name it.
#[derive(Debug, Clone)]
pub struct KnownScheme {
    pub id: String,
    pub code: String,
    pub name: String,
}

/// What a row is checked against.
#[derive(Debug, Clone, Copy)]
pub struct ImportContext<'a> {
    /// The territory's own SIRET: the only `idAttribuant` accepted.
    pub attributor_siret: &'a str,
    pub schemes: &'a [KnownScheme],
    /// No convention is dated after this day.
    pub today: NaiveDate,
}

/// The territory's own SIRET, the only `idAttribuant` a file may carry: a territory without one
/// (`territory_siret`) cannot import (`territory_siret_missing`).
pub fn attributor_siret(territory_siret: Option<String>) -> Result<String, Refused> {
    territory_siret.ok_or_else(|| {
        Refused::coded(ProblemCode::TerritorySiretMissing, text!("exports-your-territory-has-no-siret"))
    })
}

/// One valid row: a grant decided before Essor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedGrant {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// `dateConvention`: the grant's date for every total and for de minimis.
    pub decided_on: NaiveDate,
    pub decision_reference: Option<String>,
    pub beneficiary_name: String,
    pub beneficiary_siret: String,
    pub beneficiary_rna: Option<String>,
    /// `objet`.
    pub object: String,
    /// `montant`, in cents.
    pub amount_cents: i64,
    /// The scheme `dispositifAide` names.
    pub scheme_id: String,
    /// The row's identity: the same row imported again is this same key.
    pub import_key: String,
    /// What the row says of the payment and notification, kept to be republished as given.
    pub published: PublishedTerms,
}

/// The fields of an SCDL row that describe how a grant was paid and notified rather than the
/// grant itself: an imported grant has no payments in Essor, so the open-data export republishes
/// these as the file gave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedTerms {
    /// `nature`, one of [`NATURES`].
    pub nature: String,
    /// `conditionsVersement`.
    pub payment_conditions: String,
    /// `datesPeriodeVersement`: a date or a period `YYYY-MM-DD/YYYY-MM-DD`.
    pub payment_period: String,
    /// `idRAE`, when given.
    pub rae_id: Option<String>,
    /// `notificationUE`: `oui` is true.
    pub eu_notified: bool,
    /// `pourcentageSubvention`, as written (a decimal with a point between 0.01 and 1).
    pub subsidy_share: String,
}

/// Why a file is refused: every error found (at most [`MAX_ERRORS`]); `truncated` when there
/// were more.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejection {
    pub errors: Vec<FieldError>,
    pub truncated: bool,
}

impl Rejection {
    fn push(&mut self, error: FieldError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(error);
        } else {
            self.truncated = true;
        }
    }

    fn extend(&mut self, errors: Vec<FieldError>) {
        for error in errors {
            self.push(error);
        }
    }
}

/// A row's identity: attributor SIRET, decision reference, beneficiary SIRET, convention date and
/// amount, as one unambiguous string (a JSON array).
pub fn import_key(
    attributor_siret: &str,
    decision_reference: Option<&str>,
    beneficiary_siret: &str,
    decided_on: NaiveDate,
    amount_cents: i64,
) -> String {
    serde_json::json!([
        attributor_siret,
        decision_reference.unwrap_or(""),
        beneficiary_siret,
        decided_on.to_string(),
        amount_cents
    ])
    .to_string()
}

/// Reads a whole SCDL "subventions" CSV file (UTF-8, a UTF-8 byte order mark allowed, comma
/// separated, the header row first): every row as a grant, or every error.
pub fn parse(bytes: &[u8], ctx: &ImportContext<'_>) -> Result<Vec<ImportedGrant>, Rejection> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut rejection = Rejection::default();
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            rejection.push(
                FieldError::new("(file)", FieldCode::Empty, text!("exports-file-empty-needs-scdl-header"))
                    .at_line(1),
            );
            return Err(rejection);
        }
        Err(e) => {
            rejection.push(
                FieldError::new("(file)", FieldCode::MalformedCsv, text!("exports-unreadable-csv", e = &e))
                    .at_line(1),
            );
            return Err(rejection);
        }
    }
    rejection.extend(check_header(&record));
    if !rejection.errors.is_empty() {
        return Err(rejection);
    }
    let mut grants = Vec::new();
    let mut lines = LineCounter::default();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.at(bytes, record.position());
                match read_row(line, &record, ctx) {
                    Ok(grant) => grants.push(grant),
                    Err(errors) => rejection.extend(errors),
                }
            }
            Err(e) => {
                let line = lines.at(bytes, e.position());
                rejection.push(
                    FieldError::new(
                        "(row)",
                        FieldCode::MalformedCsv,
                        text!("exports-unreadable-csv", e = &e),
                    )
                    .at_line(line),
                );
                break;
            }
        }
    }
    if rejection.errors.is_empty() {
        Ok(grants)
    } else {
        Err(rejection)
    }
}

/// The line a record starts on, from its byte offset (the reader's own line count lags by one
/// after a CRLF): one more than the line feeds before it, counted once over the file.
#[derive(Default)]
struct LineCounter {
    counted_to: usize,
    line_feeds: u64,
}

impl LineCounter {
    fn at(&mut self, bytes: &[u8], position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else { return self.line_feeds + 1 };
        // A record's offset may point at the end of the previous line's terminator.
        let mut start = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            self.line_feeds += bytes[self.counted_to..start].iter().filter(|b| **b == b'\n').count() as u64;
            self.counted_to = start;
        }
        self.line_feeds + 1
    }
}

/// The header must name the 16 fields in their order.
fn check_header(record: &csv::ByteRecord) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for i in 0..record.len().max(FIELDS.len()) {
        let found = record.get(i).map(|f| String::from_utf8_lossy(f).trim().to_string());
        match (FIELDS.get(i), found) {
            (Some(expected), Some(found)) if *expected == found => {}
            (Some(expected), found) => errors.push(
                FieldError::new(
                    *expected,
                    FieldCode::HeaderMismatch,
                    match found {
                        Some(found) => text!(
                            "exports-column-named",
                            i_1 = &i + 1,
                            expected = &expected,
                            found = format!("{found:?}")
                        ),
                        None => text!("exports-column-missing", i_1 = &i + 1, expected = &expected),
                    },
                )
                .at_line(1),
            ),
            (None, found) => {
                let found = found.unwrap_or_default();
                errors.push(
                    FieldError::new(
                        found.clone(),
                        FieldCode::UnexpectedColumn,
                        text!("scdl-unexpected-column", column = &(i + 1), found = format!("{found:?}")),
                    )
                    .at_line(1),
                )
            }
        }
    }
    errors
}

/// One record: 16 UTF-8 fields, then the row's checks.
fn read_row(
    line: u64,
    record: &csv::ByteRecord,
    ctx: &ImportContext<'_>,
) -> Result<ImportedGrant, Vec<FieldError>> {
    if record.len() != FIELDS.len() {
        return Err(vec![FieldError::new(
            "(row)",
            FieldCode::FieldCount,
            text!("scdl-field-count", got = &record.len(), expected = &FIELDS.len()),
        )
        .at_line(line)]);
    }
    let mut values: Vec<String> = Vec::with_capacity(FIELDS.len());
    let mut errors = Vec::new();
    for (name, raw) in FIELDS.iter().zip(record.iter()) {
        match std::str::from_utf8(raw) {
            // Spreadsheets break long cells over lines: every run of white space is one space.
            Ok(value) => values.push(value.split_whitespace().collect::<Vec<_>>().join(" ")),
            Err(_) => errors.push(
                FieldError::new(*name, FieldCode::NotUtf8, text!("exports-utf-8-text", name = &name))
                    .at_line(line),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    parse_row(line, &values, ctx)
}

#[cfg(test)]
mod tests;

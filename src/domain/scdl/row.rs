//! The checks of one row of an SCDL file, one function per group of fields: the attributor, the
//! decision (`dateConvention`, `referenceDecision`), the beneficiary, the object and amount, the
//! terms of payment the open-data export republishes, and the scheme.

use chrono::NaiveDate;

use super::values::{check_siret, find_scheme, parse_cents, parse_date, parse_share};
use super::{
    import_key, ImportContext, ImportedGrant, KnownScheme, PublishedTerms, FIELDS, MAX_SHARE_LENGTH, NATURES,
};
use crate::domain::checks::{check_cell_line, check_date, check_line, MAX_AMOUNT_CENTS};
use crate::domain::identifiers::validate_rna;
use crate::domain::lang::{Arg, Text};
use crate::domain::money::{FIRST_YEAR, LAST_YEAR};
use crate::domain::{FieldCode, FieldError};
use crate::text;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("date")
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("date")
}

/// The checks of one row whose 16 values (white space collapsed and trimmed, in [`FIELDS`]
/// order) were read.
pub fn parse_row(
    line: u64,
    values: &[&str],
    ctx: &ImportContext<'_>,
) -> Result<ImportedGrant, Vec<FieldError>> {
    let mut row = Row { values, errors: Vec::new(), checked: Vec::new() };
    let attributor = row.attributor(ctx);
    let decided_on = row.decision_date(ctx.today);
    let decision_reference = row.decision_reference();
    let (beneficiary, rna) = row.beneficiary();
    let amount_cents = row.object_and_amount();
    row.payment_terms();
    let scheme_id = row.scheme(ctx.schemes);
    row.into_result(line)?;

    let (Some(decided_on), Some(amount_cents), Some(scheme_id)) = (decided_on, amount_cents, scheme_id)
    else {
        unreachable!("a row without errors has its date, amount and scheme");
    };
    let value = |name: &str| row_value(values, name);
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
            payment_period: value("datesPeriodeVersement").to_string(),
            rae_id: Some(value("idRAE")).filter(|v| !v.is_empty()).map(str::to_string),
            eu_notified: value("notificationUE") == "oui",
            subsidy_share: value("pourcentageSubvention").to_string(),
        },
    })
}

/// The value of the field `name` in a row's values (in [`FIELDS`] order), `""` if missing.
fn row_value<'v>(values: &[&'v str], name: &str) -> &'v str {
    FIELDS.iter().position(|f| *f == name).and_then(|i| values.get(i).copied()).unwrap_or("")
}

/// A row being checked: its values, the errors of its own rules (`errors`) and those of the
/// API's shared field checks (`checked`).
struct Row<'v> {
    values: &'v [&'v str],
    errors: Vec<FieldError>,
    checked: Vec<FieldError>,
}

impl<'v> Row<'v> {
    fn value(&self, name: &str) -> &'v str {
        row_value(self.values, name)
    }

    fn optional(&self, name: &str) -> Option<&'v str> {
        Some(self.value(name)).filter(|v| !v.is_empty())
    }

    /// The field `name` as one line of text, of `min` to `max` characters.
    fn line(&mut self, name: &str, min: usize, max: usize) {
        let value = self.value(name);
        check_line(&mut self.checked, name, value, min, max);
    }

    /// The field `name` as one line of text the export writes in a CSV cell (no formula).
    fn cell(&mut self, name: &str, min: usize, max: usize) {
        let value = self.value(name);
        check_cell_line(&mut self.checked, name, value, min, max);
    }

    fn error(&mut self, field: &str, code: FieldCode, message: Text) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Every error of the row, in [`FIELDS`] order, on `line`. Every field, whatever it holds,
    /// is under the API's rule for one line of text: a control character is that field's only
    /// error (not also its format's).
    fn into_result(self, line: u64) -> Result<(), Vec<FieldError>> {
        let mut controlled = Vec::new();
        for (field, raw) in FIELDS.iter().zip(self.values) {
            check_line(&mut controlled, field, raw, 0, usize::MAX);
        }
        let mut errors = self.errors;
        errors.extend(self.checked);
        errors.retain(|e| !controlled.iter().any(|c| c.field == e.field));
        errors.extend(controlled);
        if errors.is_empty() {
            return Ok(());
        }
        let order = |e: &FieldError| FIELDS.iter().position(|f| *f == e.field).unwrap_or(FIELDS.len());
        errors.sort_by_key(order);
        Err(errors.into_iter().map(|e| e.at_line(line)).collect())
    }

    /// `nomAttribuant`, `idAttribuant`: this territory.
    fn attributor(&mut self, ctx: &ImportContext<'_>) -> &'v str {
        self.line("nomAttribuant", 1, 500);
        let attributor = self.value("idAttribuant");
        match check_siret("idAttribuant", attributor) {
            Some((code, message)) => self.error("idAttribuant", code, message),
            None if attributor != ctx.attributor_siret => self.error(
                "idAttribuant",
                FieldCode::OtherAttributor,
                text!("scdl-other-attributor", attributor = attributor, territory = &ctx.attributor_siret),
            ),
            None => {}
        }
        attributor
    }

    /// `dateConvention`: the day the grant was decided, from [`FIRST_YEAR`]-01-01 to `today`.
    fn decision_date(&mut self, today: NaiveDate) -> Option<NaiveDate> {
        match parse_date(self.value("dateConvention")) {
            None if self.value("dateConvention").is_empty() => {
                self.error("dateConvention", FieldCode::Required, text!("exports-dateconvention-required"));
                None
            }
            None => {
                self.error(
                    "dateConvention",
                    FieldCode::DateFormat,
                    text!("exports-dateconvention-date-yyyy-mm-dd"),
                );
                None
            }
            Some(on) if on < first_day() => {
                check_date(&mut self.checked, "dateConvention", on, first_day(), today);
                None
            }
            Some(on) if on > today => {
                self.error(
                    "dateConvention",
                    FieldCode::InFuture,
                    text!("scdl-decision-date-in-future", day = on),
                );
                None
            }
            Some(on) => Some(on),
        }
    }

    /// `referenceDecision`, optional.
    fn decision_reference(&mut self) -> Option<&'v str> {
        let reference = self.optional("referenceDecision");
        if let Some(reference) = reference {
            check_cell_line(&mut self.checked, "referenceDecision", reference, 0, 256);
        }
        reference
    }

    /// `nomBeneficiaire`, `idBeneficiaire` (its SIRET, required), `rnaBeneficiaire` (optional).
    fn beneficiary(&mut self) -> (&'v str, Option<&'v str>) {
        self.cell("nomBeneficiaire", 1, 200);
        let beneficiary = self.value("idBeneficiaire");
        if beneficiary.is_empty() {
            self.error(
                "idBeneficiaire",
                FieldCode::Required,
                text!("exports-idbeneficiaire-required-essor-knows-beneficiaries"),
            );
        } else if let Some((code, message)) = check_siret("idBeneficiaire", beneficiary) {
            self.error("idBeneficiaire", code, message);
        }
        let rna = self.optional("rnaBeneficiaire");
        if rna.is_some_and(|rna| validate_rna(rna).is_err()) {
            self.error(
                "rnaBeneficiaire",
                FieldCode::RnaFormat,
                text!("exports-rnabeneficiaire-w-followed-9-digits"),
            );
        }
        (beneficiary, rna)
    }

    /// `objet`, and `montant` in whole cents, above zero.
    fn object_and_amount(&mut self) -> Option<i64> {
        self.cell("objet", 1, 256);
        match parse_cents(self.value("montant")) {
            Ok(cents) if cents <= 0 => {
                self.error("montant", FieldCode::NotPositive, text!("exports-montant-more-than-0"));
                None
            }
            Ok(cents) if cents > MAX_AMOUNT_CENTS => {
                self.error(
                    "montant",
                    FieldCode::OutOfRange,
                    text!(
                        "scdl-amount-too-large",
                        max = Arg::cents(MAX_AMOUNT_CENTS),
                        max_euros = &(MAX_AMOUNT_CENTS / 100)
                    ),
                );
                None
            }
            Ok(cents) => Some(cents),
            Err(code) => {
                let message = match code {
                    FieldCode::Required => text!("scdl-amount-required"),
                    FieldCode::TooPrecise => text!("scdl-amount-too-precise"),
                    _ => text!("scdl-amount-format"),
                };
                self.error("montant", code, message);
                None
            }
        }
    }

    /// What the open-data export republishes as given: `nature`, `conditionsVersement`,
    /// `datesPeriodeVersement`, `idRAE`, `notificationUE`, `pourcentageSubvention`.
    fn payment_terms(&mut self) {
        if !NATURES.contains(&self.value("nature")) {
            self.error(
                "nature",
                FieldCode::NotAllowed,
                text!("exports-nature-one", natures_join = &NATURES.join(" | ")),
            );
        }
        self.cell("conditionsVersement", 1, 256);
        self.payment_period();
        self.cell("idRAE", 0, 5);
        if !matches!(self.value("notificationUE"), "oui" | "non") {
            self.error("notificationUE", FieldCode::NotAllowed, text!("exports-notificationue-oui-non"));
        }
        self.subsidy_share();
    }

    /// `datesPeriodeVersement`: a date or a period, within the years Essor handles, in order.
    fn payment_period(&mut self) {
        let period = self.value("datesPeriodeVersement");
        let mut dates = period.split('/');
        let period_dates = match (dates.next(), dates.next(), dates.next()) {
            (Some(one), None, None) => parse_date(one).map(|on| (on, on)),
            (Some(from), Some(to), None) => parse_date(from).zip(parse_date(to)),
            _ => None,
        };
        if let Some((from, to)) = period_dates {
            // Payments may be planned after today.
            let before = self.checked.len();
            check_date(&mut self.checked, "datesPeriodeVersement", from, first_day(), last_day());
            if self.checked.len() == before {
                check_date(&mut self.checked, "datesPeriodeVersement", to, from, last_day());
            }
        }
        if period.is_empty() {
            self.error(
                "datesPeriodeVersement",
                FieldCode::Required,
                text!("exports-datesperiodeversement-required"),
            );
        } else if period_dates.is_none() {
            self.error(
                "datesPeriodeVersement",
                FieldCode::DateFormat,
                text!("exports-datesperiodeversement-date-yyyy-mm-dd"),
            );
        }
    }

    /// `pourcentageSubvention`: a decimal from 0.01 to 1, kept as written.
    fn subsidy_share(&mut self) {
        match parse_share(self.value("pourcentageSubvention")) {
            _ if self.value("pourcentageSubvention").len() > MAX_SHARE_LENGTH => self.error(
                "pourcentageSubvention",
                FieldCode::TooLong,
                text!(
                    "exports-pourcentagesubvention-have-most-characters",
                    MAX_SHARE_LENGTH = &MAX_SHARE_LENGTH
                ),
            ),
            Some(share) if (0.01..=1.0).contains(&share) => {}
            Some(_) => self.error(
                "pourcentageSubvention",
                FieldCode::OutOfRange,
                text!("exports-pourcentagesubvention-between-0-01-1"),
            ),
            None => self.error(
                "pourcentageSubvention",
                FieldCode::NumberFormat,
                text!("exports-pourcentagesubvention-decimal-number-point-e"),
            ),
        }
    }

    /// `dispositifAide`: one of the territory's schemes, by code or else by name.
    fn scheme(&mut self, schemes: &[KnownScheme]) -> Option<String> {
        let scheme = self.value("dispositifAide");
        if scheme.is_empty() {
            self.error(
                "dispositifAide",
                FieldCode::Required,
                text!("exports-dispositifaide-required-code-name-one"),
            );
            return None;
        }
        let found = find_scheme(schemes, scheme);
        if found.is_none() {
            self.error(
                "dispositifAide",
                FieldCode::UnknownScheme,
                text!("scdl-unknown-scheme", scheme = format!("{scheme:?}")),
            );
        }
        found
    }
}

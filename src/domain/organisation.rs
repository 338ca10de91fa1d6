//! What an applicant organisation declares, and the checks on it.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use validator::{Validate, ValidationError};

use super::checks::{cell_line, check_amount, check_date, check_line, commune, fte, line};
use super::field_errors::{fault, field_errors};
use super::identifiers::{legal_family, validate_legal_form_code, validate_rna, validate_siret, LegalFamily};
use super::rules::RulesParameters;
use super::{FieldCode, FieldError};

pub use super::checks::MAX_AMOUNT_CENTS;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, Validate)]
pub struct Address {
    #[validate(custom(function = line::<1, 300>))]
    pub line: String,
    #[validate(custom(function = postal_code))]
    pub postal_code: String,
    #[validate(custom(function = line::<1, 100>))]
    pub city: String,
    #[validate(custom(function = commune))]
    pub commune_code: String,
}

/// A SIRET: 14 digits whose SIREN and whole pass the Luhn check ([`validate_siret`]).
fn siret(value: &str) -> Result<(), ValidationError> {
    validate_siret(value).map_err(|code| {
        let message = match code {
            FieldCode::SiretChecksum => "siret_checksum",
            FieldCode::SirenChecksum => "siren_checksum",
            _ => "siret_format",
        };
        fault(code, message)
    })
}

/// An INSEE legal category code ([`validate_legal_form_code`]).
fn legal_form(code: &str) -> Result<(), ValidationError> {
    validate_legal_form_code(code).map_err(|code| fault(code, "legal_form"))
}

/// A French postal code: 5 digits.
fn postal_code(code: &str) -> Result<(), ValidationError> {
    if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(fault(FieldCode::InvalidFormat, "postal_code"))
    }
}

/// Whether accounts are a closed year's or a forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountsKind {
    /// The last closed financial year.
    #[default]
    Closed,
    /// A business plan's forecast, for an enterprise that has not closed a year yet ("projet
    /// d'implantation"): the revenue criteria then answer `needs_review`.
    Forecast,
}

/// The accounts the revenue criteria read: the last closed year's, or a forecast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Accounts {
    /// Copies kept before accounts had a kind read as closed.
    #[serde(default)]
    pub kind: AccountsKind,
    /// The closed year, or the first year of the forecast.
    pub year: i32,
    pub operating_revenue_cents: i64,
    /// Of which sales of goods and services.
    pub sales_revenue_cents: i64,
    pub operating_costs_cents: i64,
}

/// One de minimis aid received. Serialised as stored (`organisations.de_minimis_aids`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DeclaredAid {
    pub grantor: String,
    pub granted_on: NaiveDate,
    pub amount_cents: i64,
}

/// The ESUS approval ("entreprise solidaire d'utilité sociale", code du travail L3332-17-1),
/// open to every ESS enterprise whatever its legal family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Esus {
    /// Granted by the prefect for five years, two for an enterprise under three years old: the
    /// approval is valid from `starts_on` up to and including `ends_on`, as the decision says.
    Approval { starts_on: NaiveDate, ends_on: NaiveDate },
    /// Held by right (art. L3332-17-1 II) by the structures the article lists: no date; the
    /// organisation declares its basis and an instructor confirms it.
    ByRight { basis: EsusBasis },
}

/// The structures that hold the ESUS approval by right (code du travail L3332-17-1 II).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EsusBasis {
    /// Entreprise d'insertion (L5132-5).
    InsertionEnterprise,
    /// Entreprise de travail temporaire d'insertion (L5132-6).
    TemporaryWorkInsertionEnterprise,
    /// Association intermédiaire (L5132-7).
    IntermediateAssociation,
    /// Atelier et chantier d'insertion (L5132-15).
    InsertionWorkshop,
    /// Organisme d'insertion sociale (code de l'action sociale et des familles, L121-2).
    SocialInsertionBody,
    /// Service de l'aide sociale à l'enfance.
    ChildWelfareService,
    /// Centre d'hébergement et de réinsertion sociale (CHRS).
    Chrs,
    /// Régie de quartier.
    NeighbourhoodBoard,
    /// Entreprise adaptée (L5213-13).
    AdaptedEnterprise,
    /// Centre de distribution de travail à domicile.
    HomeWorkCentre,
    /// Établissement et service d'aide par le travail (ESAT).
    Esat,
    /// Organisme agréé de maîtrise d'ouvrage d'insertion (code de la construction, L365-1).
    HousingInsertionBody,
    /// Association or foundation recognised of public utility, deemed to pursue social utility.
    PublicUtilityBody,
    /// Organisme d'accueil communautaire et d'activités solidaires (OACAS, CASF L265-1).
    Oacas,
}

/// What a commercial company's statutes say, when it declares them ESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EssStatutes {
    /// A cooperative in company form: a SCOP or a SCIC registered as an SA, SAS or SARL, whose
    /// INSEE code (5710, 5499, 5498, …) does not say cooperative.
    Cooperative,
    /// A commercial company whose statutes meet law 2014-856 art. 1 II (ESS purpose, limited
    /// profit distribution, reserves), without being a cooperative.
    EssCompany,
}

/// The most an approval lasts: five years.
pub const ESUS_MAX_YEARS: u32 = 5;

/// Serialised as a submission keeps it (`dossier_submissions.organisation`): a field added later
/// must read from copies kept before it (an `Option`, or `#[serde(default)]`). The rules of one
/// field are declared beside it; those between fields, or bound to today, are written in
/// [`Organisation::validate`], which checks the whole (as registered, or as a patch leaves it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
pub struct Organisation {
    #[validate(custom(function = siret))]
    pub siret: String,
    #[validate(custom(function = cell_line::<1, 200>))]
    pub name: String,
    #[validate(custom(function = legal_form))]
    pub legal_form: String,
    pub esus: Option<Esus>,
    /// Declared ESS statutes of a commercial company; `None` otherwise.
    pub ess_statutes: Option<EssStatutes>,
    pub rna: Option<String>,
    #[validate(nested)]
    pub address: Address,
    /// The goods or services it sells on a market; `None` when not declared.
    #[validate(custom(function = line::<1, 500>))]
    pub market_activity: Option<String>,
    #[validate(custom(function = fte))]
    pub salaried_staff_fte: f64,
    pub accounts: Option<Accounts>,
    /// `None`: never declared; `Some(vec![])`: declared none.
    pub de_minimis_aids: Option<Vec<DeclaredAid>>,
}

impl Organisation {
    /// What instruction needs that a registration may leave for later, under `organisation.*`:
    /// the accounts when the rules evaluate a revenue criterion with a minimum
    /// ([`RulesParameters::needs_accounts`]), and the de minimis declaration.
    pub fn missing_for_submission(&self, rules: &RulesParameters) -> Vec<FieldError> {
        let mut missing = Vec::new();
        if self.accounts.is_none() && rules.needs_accounts() {
            missing.push(FieldError::new(
                "organisation.accounts",
                FieldCode::Required,
                crate::text!("field-organisation-accounts-before-submitting"),
            ));
        }
        if self.de_minimis_aids.is_none() {
            missing.push(FieldError::new(
                "organisation.de_minimis_aids",
                FieldCode::Required,
                crate::text!("field-organisation-de-minimis-before-submitting"),
            ));
        }
        missing
    }

    /// Every invalid field, with the rules of the SIRET, RNA, INSEE codes and ESUS approval.
    pub fn validate(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = match Validate::validate(self) {
            Ok(()) => Vec::new(),
            Err(declared) => field_errors(&declared, &ADDRESS_ORDER),
        };
        let family = validate_legal_form_code(&self.legal_form).ok().map(|()| legal_family(&self.legal_form));
        let earliest = NaiveDate::from_ymd_opt(2014, 7, 31).expect("date");
        if let Some(esus) = self.esus {
            if family == Some(LegalFamily::Other) {
                errors.push(FieldError::new(
                    "esus",
                    FieldCode::NotApplicable,
                    crate::text!("field-esus-ess-only"),
                ));
            }
            if let Esus::Approval { starts_on, ends_on } = esus {
                // ESUS approvals exist since law 2014-856 of 31 July 2014.
                check_date(&mut errors, "esus.starts_on", starts_on, earliest, today);
                let longest =
                    starts_on.checked_add_months(Months::new(ESUS_MAX_YEARS * 12)).unwrap_or(NaiveDate::MAX);
                if ends_on <= starts_on || ends_on > longest {
                    errors.push(FieldError::new(
                        "esus.ends_on",
                        FieldCode::OutOfRange,
                        crate::text!("field-esus-ends-on", years = ESUS_MAX_YEARS, longest = longest),
                    ));
                }
            }
        }
        if self.ess_statutes.is_some() && family.is_some_and(|f| f != LegalFamily::CommercialCompany) {
            errors.push(FieldError::new(
                "ess_statutes",
                FieldCode::NotApplicable,
                crate::text!("field-ess-statutes-companies-only"),
            ));
        }
        if let Some(rna) = &self.rna {
            if family.is_some_and(|f| f != LegalFamily::Association) {
                errors.push(FieldError::new(
                    "rna",
                    FieldCode::NotApplicable,
                    crate::text!("field-rna-associations-only"),
                ));
            } else if let Err(code) = validate_rna(rna) {
                errors.push(FieldError::new("rna", code, crate::text!("field-rna-format")));
            }
        }
        if let Some(accounts) = &self.accounts {
            let this_year = chrono::Datelike::year(&today);
            let years = match accounts.kind {
                AccountsKind::Closed => 2000..this_year,
                AccountsKind::Forecast => this_year - 1..this_year + 4,
            };
            if !years.contains(&accounts.year) {
                let (first, last) = (years.start, years.end - 1);
                let message = match accounts.kind {
                    AccountsKind::Closed => {
                        crate::text!("field-accounts-year-closed", first = first, last = last)
                    }
                    AccountsKind::Forecast => {
                        crate::text!("field-accounts-year-forecast", first = first, last = last)
                    }
                };
                errors.push(FieldError::new("accounts.year", FieldCode::OutOfRange, message));
            }
            check_amount(&mut errors, "accounts.operating_revenue_cents", accounts.operating_revenue_cents);
            check_amount(&mut errors, "accounts.sales_revenue_cents", accounts.sales_revenue_cents);
            check_amount(&mut errors, "accounts.operating_costs_cents", accounts.operating_costs_cents);
            if accounts.sales_revenue_cents > accounts.operating_revenue_cents {
                errors.push(FieldError::new(
                    "accounts.sales_revenue_cents",
                    FieldCode::ExceedsTotal,
                    crate::text!("field-sales-exceed-operating-revenue"),
                ));
            }
        }
        if let Some(aids) = &self.de_minimis_aids {
            if aids.len() > 100 {
                errors.push(FieldError::new(
                    "de_minimis_aids",
                    FieldCode::TooMany,
                    crate::text!("field-de-minimis-aids-too-many"),
                ));
            }
            let oldest = NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
            for (i, aid) in aids.iter().enumerate().take(100) {
                check_line(&mut errors, &format!("de_minimis_aids[{i}].grantor"), &aid.grantor, 1, 200);
                check_date(
                    &mut errors,
                    &format!("de_minimis_aids[{i}].granted_on"),
                    aid.granted_on,
                    oldest,
                    today,
                );
                check_amount(&mut errors, &format!("de_minimis_aids[{i}].amount_cents"), aid.amount_cents);
            }
        }
        // The declared rules' errors, then those written here: each field's in the order of the
        // fields (no field has both kinds).
        errors.sort_by_key(|e| {
            let top = e.field.split(['.', '[']).next().unwrap_or_default();
            FIELDS.iter().position(|f| *f == top).unwrap_or(FIELDS.len())
        });
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The organisation's fields in their order, which a 422 lists their errors in.
const FIELDS: [&str; 11] = [
    "siret",
    "name",
    "legal_form",
    "esus",
    "ess_statutes",
    "rna",
    "address",
    "market_activity",
    "salaried_staff_fte",
    "accounts",
    "de_minimis_aids",
];

/// An address's fields in their order.
const ADDRESS_ORDER: [&str; 4] =
    ["address.line", "address.postal_code", "address.city", "address.commune_code"];

impl Organisation {
    /// The organisation as a letter names it: its name, SIRET and address on one line.
    pub fn as_applicant(&self) -> crate::domain::procedure::Applicant {
        crate::domain::procedure::Applicant {
            name: self.name.clone(),
            siret: self.siret.clone(),
            address: format!("{}, {} {}", self.address.line, self.address.postal_code, self.address.city),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    /// A complete association of Rouen: the fixture of the organisation tests.
    pub(crate) fn association() -> Organisation {
        Organisation {
            siret: "73282932000074".into(),
            name: "Les Ateliers Solidaires".into(),
            legal_form: "9220".into(),
            esus: None,
            ess_statutes: None,
            rna: Some("W763001234".into()),
            address: Address {
                line: "12 rue de la République".into(),
                postal_code: "76000".into(),
                city: "Rouen".into(),
                commune_code: "76540".into(),
            },
            market_activity: Some("Vente de meubles réemployés".into()),
            salaried_staff_fte: 4.5,
            accounts: Some(Accounts {
                kind: AccountsKind::Closed,
                year: 2025,
                operating_revenue_cents: 30_000_000,
                sales_revenue_cents: 20_000_000,
                operating_costs_cents: 32_000_000,
            }),
            de_minimis_aids: Some(vec![]),
        }
    }

    fn fields(org: &Organisation) -> Vec<String> {
        org.validate(today()).err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_association_is_valid() {
        assert_eq!(association().validate(today()), Ok(()));
        assert!(association().missing_for_submission(&rules()).is_empty());
    }

    #[test]
    fn submission_needs_accounts_and_a_de_minimis_declaration() {
        let mut org = association();
        org.accounts = None;
        org.de_minimis_aids = None;
        let fields: Vec<String> = org.missing_for_submission(&rules()).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["organisation.accounts", "organisation.de_minimis_aids"]);
        // An empty declaration is a declaration.
        org.de_minimis_aids = Some(vec![]);
        assert_eq!(org.missing_for_submission(&rules()).len(), 1);
    }

    fn rules() -> RulesParameters {
        crate::domain::rules::template("DI-ESS", vec!["76540".into()]).expect("template")
    }

    #[test]
    fn accounts_are_needed_only_when_a_revenue_criterion_has_a_minimum() {
        use crate::domain::rules::{CriterionMode, Threshold};
        let mut org = association();
        org.accounts = None;
        let needs = |rules: &RulesParameters| {
            org.missing_for_submission(rules).iter().any(|e| e.field == "organisation.accounts")
        };
        let mut rules = rules();
        assert!(needs(&rules));
        rules.market_activity.min_sales_share_bp = Threshold::Any;
        assert!(needs(&rules), "the own-revenue share still has a minimum");
        rules.own_revenue.min_own_revenue_share_bp = Threshold::Any;
        assert!(!needs(&rules), "both 'any'");
        rules.market_activity.min_sales_share_bp = Threshold::AtLeast(3000);
        rules.market_activity.mode = CriterionMode::Off;
        assert!(!needs(&rules), "'any' and off");
        rules.market_activity.mode = CriterionMode::Advisory;
        assert!(needs(&rules), "an advisory criterion is still evaluated");
        rules.market_activity.mode = CriterionMode::Off;
        rules.own_revenue.min_own_revenue_share_bp = Threshold::AtLeast(5000);
        rules.own_revenue.mode = CriterionMode::Off;
        assert!(!needs(&rules), "both off");
    }

    #[test]
    fn each_invalid_field_is_named() {
        let mut org = association();
        org.siret = "73282932000075".into();
        org.address.commune_code = "99999".into();
        org.salaried_staff_fte = -1.0;
        org.name = "x".repeat(201);
        assert_eq!(fields(&org), vec!["siret", "name", "address.commune_code", "salaried_staff_fte"]);
    }

    /// Every field wrong at once: the errors in the order of the fields, with their codes and
    /// their sentences in both languages.
    #[test]
    fn every_error_in_the_order_of_the_fields() {
        use crate::domain::lang::Lang;
        let mut org = association();
        org.siret = "7328293200007".into();
        org.name = "=x".into();
        org.legal_form = "92".into();
        org.esus = Some(Esus::Approval { starts_on: date(2010, 1, 1), ends_on: date(2009, 1, 1) });
        org.rna = Some("X1".into());
        org.address = Address {
            line: " ".into(),
            postal_code: "7600".into(),
            city: "a\u{0}".into(),
            commune_code: "99999".into(),
        };
        org.market_activity = Some("x".repeat(501));
        org.salaried_staff_fte = f64::NAN;
        org.accounts = Some(Accounts {
            kind: AccountsKind::Closed,
            year: 2026,
            operating_revenue_cents: 1,
            sales_revenue_cents: -2,
            operating_costs_cents: -1,
        });
        org.de_minimis_aids = Some(vec![DeclaredAid {
            grantor: String::new(),
            granted_on: date(1999, 1, 1),
            amount_cents: -1,
        }]);
        let errors: Vec<(String, String, String, String)> = org
            .validate(today())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code.to_string(), e.message.in_(Lang::Fr), e.message.in_(Lang::En)))
            .collect();
        let expected = [
            (
                "siret",
                "siret_format",
                "Le SIRET doit comporter 14 chiffres.",
                "siret must be exactly 14 digits",
            ),
            (
                "name",
                "formula_prefix",
                "Ce champ ne doit pas commencer par =, +, - ou @ (espaces exceptés) : un tableur ouvrant les fichiers CSV qu'Essor écrit l'exécuterait comme une formule.",
                "name must not start with =, +, - or @ (after any spaces): a spreadsheet opening the CSV files Essor writes would run it as a formula",
            ),
            (
                "legal_form",
                "legal_form_format",
                "La forme juridique doit être un code de catégorie juridique INSEE à 4 chiffres, par exemple 9220.",
                "legal_form must be a 4-digit INSEE catégorie juridique code, e.g. 9220",
            ),
            (
                "esus.starts_on",
                "out_of_range",
                "Cette date doit être comprise entre le 31/07/2014 et le 22/11/2026.",
                "esus.starts_on must be between 2014-07-31 and 2026-11-22",
            ),
            (
                "esus.ends_on",
                "out_of_range",
                "La fin de l'agrément doit suivre son début, au plus 5 ans après (01/01/2015) : un agrément vaut 5 ans, 2 ans pour une entreprise de moins de 3 ans.",
                "esus.ends_on must be after esus.starts_on and at most 5 years later (2015-01-01): an approval lasts 5 years, 2 for an enterprise under 3 years old",
            ),
            (
                "rna",
                "rna_format",
                "Le numéro RNA doit comporter la lettre W suivie de 9 chiffres.",
                "rna must be W followed by 9 digits",
            ),
            (
                "address.line",
                "required",
                "Ce champ est obligatoire.",
                "address.line is required",
            ),
            (
                "address.postal_code",
                "invalid_format",
                "Le code postal doit comporter 5 chiffres.",
                "address.postal_code must be 5 digits",
            ),
            (
                "address.city",
                "control_character",
                "Ce champ ne doit pas contenir le caractère de contrôle U+0000.",
                "address.city must not contain the control character U+0000",
            ),
            (
                "address.commune_code",
                "commune_code_department",
                "Ce champ doit être un code commune INSEE de 5 caractères, par exemple 76540 (2A ou 2B pour la Corse).",
                "address.commune_code must be an INSEE commune code (5 characters, e.g. 76540; Corsica 2A/2B)",
            ),
            (
                "market_activity",
                "too_long",
                "Ce champ doit comporter au plus 500 caractères.",
                "market_activity must have at most 500 characters",
            ),
            (
                "salaried_staff_fte",
                "out_of_range",
                "Ce nombre d'équivalents temps plein doit être compris entre 0 et 100\u{202f}000.",
                "salaried_staff_fte must be between 0 and 100000",
            ),
            (
                "accounts.year",
                "out_of_range",
                "L'exercice doit être un exercice clos, de 2000 à 2025.",
                "accounts.year must be a closed year, from 2000 to 2025",
            ),
            (
                "accounts.sales_revenue_cents",
                "out_of_range",
                "Ce montant en centimes doit être compris entre 0 et 100000000000 (1\u{202f}000\u{202f}000\u{202f}000,00\u{a0}€).",
                "accounts.sales_revenue_cents must be between 0 and 100000000000 cents",
            ),
            (
                "accounts.operating_costs_cents",
                "out_of_range",
                "Ce montant en centimes doit être compris entre 0 et 100000000000 (1\u{202f}000\u{202f}000\u{202f}000,00\u{a0}€).",
                "accounts.operating_costs_cents must be between 0 and 100000000000 cents",
            ),
            (
                "de_minimis_aids[0].grantor",
                "required",
                "Ce champ est obligatoire.",
                "de_minimis_aids[0].grantor is required",
            ),
            (
                "de_minimis_aids[0].granted_on",
                "out_of_range",
                "Cette date doit être comprise entre le 01/01/2000 et le 22/11/2026.",
                "de_minimis_aids[0].granted_on must be between 2000-01-01 and 2026-11-22",
            ),
            (
                "de_minimis_aids[0].amount_cents",
                "out_of_range",
                "Ce montant en centimes doit être compris entre 0 et 100000000000 (1\u{202f}000\u{202f}000\u{202f}000,00\u{a0}€).",
                "de_minimis_aids[0].amount_cents must be between 0 and 100000000000 cents",
            ),
        ];
        let expected: Vec<(String, String, String, String)> = expected
            .iter()
            .map(|(f, c, fr, en)| (f.to_string(), c.to_string(), fr.to_string(), en.to_string()))
            .collect();
        assert_eq!(errors, expected);
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn esus_is_open_to_every_ess_family_and_rna_to_associations() {
        let five_years = Esus::Approval { starts_on: date(2024, 1, 1), ends_on: date(2029, 1, 1) };
        // An association, a cooperative, a mutual, a foundation and a company may hold it.
        for form in ["9220", "5458", "8210", "9300", "5710"] {
            let mut org = association();
            org.legal_form = form.into();
            org.rna = None;
            org.esus = Some(five_years);
            assert_eq!(org.validate(today()), Ok(()), "{form}");
        }
        // Not a body outside the ESS families (a commune).
        let mut public = association();
        public.legal_form = "7210".into();
        public.rna = None;
        public.esus = Some(Esus::ByRight { basis: EsusBasis::Esat });
        assert_eq!(fields(&public), vec!["esus"]);
        let mut company = association();
        company.legal_form = "5710".into();
        company.rna = Some("W763001234".into());
        assert_eq!(fields(&company), vec!["rna"]);
    }

    #[test]
    fn an_approval_lasts_at_most_five_years_and_starts_in_the_past() {
        let with = |starts_on, ends_on| {
            let mut org = association();
            org.esus = Some(Esus::Approval { starts_on, ends_on });
            fields(&org)
        };
        assert!(with(date(2024, 3, 1), date(2029, 3, 1)).is_empty(), "five years to the day");
        assert!(with(date(2025, 3, 1), date(2027, 3, 1)).is_empty(), "two years (a young enterprise)");
        assert_eq!(with(date(2024, 3, 1), date(2029, 3, 2)), vec!["esus.ends_on"], "one day too long");
        assert_eq!(with(date(2024, 3, 1), date(2024, 3, 1)), vec!["esus.ends_on"], "ends before it starts");
        assert_eq!(with(date(2027, 1, 1), date(2029, 1, 1)), vec!["esus.starts_on"], "in the future");
        assert_eq!(with(date(2014, 7, 30), date(2019, 7, 30)), vec!["esus.starts_on"], "before the law");
        // A by-right basis has no date to check.
        let mut org = association();
        org.esus = Some(Esus::ByRight { basis: EsusBasis::InsertionWorkshop });
        assert_eq!(org.validate(today()), Ok(()));
    }

    #[test]
    fn ess_statutes_are_a_companys_declaration() {
        let mut scop_sas = association();
        scop_sas.legal_form = "5710".into();
        scop_sas.rna = None;
        scop_sas.ess_statutes = Some(EssStatutes::Cooperative);
        assert_eq!(scop_sas.validate(today()), Ok(()));
        let mut org = association();
        org.ess_statutes = Some(EssStatutes::EssCompany);
        assert_eq!(fields(&org), vec!["ess_statutes"]);
    }

    #[test]
    fn a_forecast_is_for_this_year_or_the_next_ones() {
        let with = |kind, year| {
            let mut org = association();
            org.accounts = Some(Accounts {
                kind,
                year,
                operating_revenue_cents: 10,
                sales_revenue_cents: 5,
                operating_costs_cents: 20,
            });
            fields(&org)
        };
        assert!(with(AccountsKind::Closed, 2025).is_empty());
        assert_eq!(with(AccountsKind::Closed, 2026), vec!["accounts.year"], "2026 is not closed yet");
        assert!(with(AccountsKind::Forecast, 2026).is_empty());
        assert!(with(AccountsKind::Forecast, 2029).is_empty());
        assert_eq!(with(AccountsKind::Forecast, 2030), vec!["accounts.year"]);
        assert_eq!(with(AccountsKind::Forecast, 2024), vec!["accounts.year"]);
    }

    #[test]
    fn accounts_and_aids_are_bounded() {
        let mut org = association();
        org.accounts = Some(Accounts {
            kind: AccountsKind::Closed,
            year: 2026,
            operating_revenue_cents: 10,
            sales_revenue_cents: 11,
            operating_costs_cents: MAX_AMOUNT_CENTS + 1,
        });
        org.de_minimis_aids = Some(vec![DeclaredAid {
            grantor: "".into(),
            granted_on: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            amount_cents: -5,
        }]);
        assert_eq!(
            fields(&org),
            vec![
                "accounts.year",
                "accounts.operating_costs_cents",
                "accounts.sales_revenue_cents",
                "de_minimis_aids[0].grantor",
                "de_minimis_aids[0].granted_on",
                "de_minimis_aids[0].amount_cents",
            ]
        );
    }
}

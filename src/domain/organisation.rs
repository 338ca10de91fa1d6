//! What an applicant organisation declares, and the checks on it.

use chrono::NaiveDate;

use super::checks::{check_amount, check_commune, check_date, check_fte, check_line};
use super::identifiers::{legal_family, validate_legal_form_code, validate_rna, validate_siret, LegalFamily};
use super::FieldError;

pub use super::checks::MAX_AMOUNT_CENTS;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Address {
    pub line: String,
    pub postal_code: String,
    pub city: String,
    pub commune_code: String,
}

/// The last closed year's accounts.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Accounts {
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

/// Serialised whole as a dossier's copy at submission (`dossier_submissions.organisation`), and
/// compared as JSON, field by field, for the organisation's history (`domain::changes`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Organisation {
    pub siret: String,
    pub name: String,
    pub legal_form: String,
    pub esus_approved_on: Option<NaiveDate>,
    pub rna: Option<String>,
    pub address: Address,
    /// The goods or services it sells on a market; `None` when not declared.
    pub market_activity: Option<String>,
    pub salaried_staff_fte: f64,
    pub accounts: Option<Accounts>,
    /// `None`: never declared; `Some(vec![])`: declared none.
    pub de_minimis_aids: Option<Vec<DeclaredAid>>,
}

impl Organisation {
    /// What instruction needs that a registration may leave for later, under `organisation.*`.
    pub fn missing_for_submission(&self) -> Vec<FieldError> {
        let mut missing = Vec::new();
        if self.accounts.is_none() {
            missing.push(FieldError::new(
                "organisation.accounts",
                "required",
                "declare your organisation's last closed accounts before submitting",
            ));
        }
        if self.de_minimis_aids.is_none() {
            missing.push(FieldError::new(
                "organisation.de_minimis_aids",
                "required",
                "declare the de minimis aid received over the last 3 years (an empty list if none)",
            ));
        }
        missing
    }

    /// Every invalid field, with the rules of the SIRET, RNA, INSEE codes and ESUS approval.
    pub fn validate(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Err(code) = validate_siret(&self.siret) {
            let message = if code == "siret_checksum" {
                "siret fails the Luhn check: a digit is wrong"
            } else {
                "siret must be exactly 14 digits"
            };
            errors.push(FieldError::new("siret", code, message));
        }
        check_line(&mut errors, "name", &self.name, 1, 200);
        let family = match validate_legal_form_code(&self.legal_form) {
            Ok(()) => Some(legal_family(&self.legal_form)),
            Err(code) => {
                errors.push(FieldError::new(
                    "legal_form",
                    code,
                    "legal_form must be a 4-digit INSEE catégorie juridique code, e.g. 9220",
                ));
                None
            }
        };
        let earliest = NaiveDate::from_ymd_opt(2014, 7, 31).expect("date");
        if let Some(on) = self.esus_approved_on {
            if family.is_some_and(|f| f != LegalFamily::CommercialCompany) {
                errors.push(FieldError::new(
                    "esus_approved_on",
                    "not_applicable",
                    "an ESUS approval applies to commercial companies only",
                ));
            }
            // ESUS approvals exist since law 2014-856 of 31 July 2014.
            check_date(&mut errors, "esus_approved_on", on, earliest, today);
        }
        if let Some(rna) = &self.rna {
            if family.is_some_and(|f| f != LegalFamily::Association) {
                errors.push(FieldError::new(
                    "rna",
                    "not_applicable",
                    "an RNA number applies to associations only",
                ));
            } else if let Err(code) = validate_rna(rna) {
                errors.push(FieldError::new("rna", code, "rna must be W followed by 9 digits"));
            }
        }
        check_line(&mut errors, "address.line", &self.address.line, 1, 300);
        let postal_ok = self.address.postal_code.len() == 5
            && self.address.postal_code.bytes().all(|b| b.is_ascii_digit());
        if !postal_ok {
            errors.push(FieldError::new(
                "address.postal_code",
                "invalid_format",
                "address.postal_code must be 5 digits",
            ));
        }
        check_line(&mut errors, "address.city", &self.address.city, 1, 100);
        check_commune(&mut errors, "address.commune_code", &self.address.commune_code);
        if let Some(activity) = &self.market_activity {
            check_line(&mut errors, "market_activity", activity, 1, 500);
        }
        check_fte(&mut errors, "salaried_staff_fte", self.salaried_staff_fte);
        if let Some(accounts) = &self.accounts {
            let this_year = chrono::Datelike::year(&today);
            if !(2000..this_year).contains(&accounts.year) {
                errors.push(FieldError::new(
                    "accounts.year",
                    "out_of_range",
                    format!("accounts.year must be a closed year, from 2000 to {}", this_year - 1),
                ));
            }
            check_amount(&mut errors, "accounts.operating_revenue_cents", accounts.operating_revenue_cents);
            check_amount(&mut errors, "accounts.sales_revenue_cents", accounts.sales_revenue_cents);
            check_amount(&mut errors, "accounts.operating_costs_cents", accounts.operating_costs_cents);
            if accounts.sales_revenue_cents > accounts.operating_revenue_cents {
                errors.push(FieldError::new(
                    "accounts.sales_revenue_cents",
                    "exceeds_total",
                    "sales are part of operating revenue and cannot exceed it",
                ));
            }
        }
        if let Some(aids) = &self.de_minimis_aids {
            if aids.len() > 100 {
                errors.push(FieldError::new("de_minimis_aids", "too_many", "at most 100 aids"));
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
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn association() -> Organisation {
        Organisation {
            siret: "73282932000074".into(),
            name: "Les Ateliers Solidaires".into(),
            legal_form: "9220".into(),
            esus_approved_on: None,
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
        assert!(association().missing_for_submission().is_empty());
    }

    #[test]
    fn submission_needs_accounts_and_a_de_minimis_declaration() {
        let mut org = association();
        org.accounts = None;
        org.de_minimis_aids = None;
        let fields: Vec<String> = org.missing_for_submission().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["organisation.accounts", "organisation.de_minimis_aids"]);
        // An empty declaration is a declaration.
        org.de_minimis_aids = Some(vec![]);
        assert_eq!(org.missing_for_submission().len(), 1);
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

    #[test]
    fn esus_and_rna_belong_to_their_legal_forms() {
        let mut org = association();
        org.esus_approved_on = Some(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        assert_eq!(fields(&org), vec!["esus_approved_on"]);
        let mut company = association();
        company.legal_form = "5710".into();
        company.rna = None;
        company.esus_approved_on = Some(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        assert_eq!(company.validate(today()), Ok(()));
        company.rna = Some("W763001234".into());
        assert_eq!(fields(&company), vec!["rna"]);
        let mut future = association();
        future.legal_form = "5710".into();
        future.rna = None;
        future.esus_approved_on = Some(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(fields(&future), vec!["esus_approved_on"]);
    }

    #[test]
    fn accounts_and_aids_are_bounded() {
        let mut org = association();
        org.accounts = Some(Accounts {
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

//! A dossier's content, the checks on each field, and what submission requires.

use chrono::{Datelike, NaiveDate};

use validator::{ValidateArgs, ValidationError};

use super::checks::{amount, cell_line, commune, date_rule, district, fte, line, text};
use super::field_errors::{fault, field_errors, with};
use super::lang::Arg;
use super::problem_code::ProblemCode;
pub use super::project_kind::ProjectKind;
use super::rules::{CriterionMode, MaxGrant, RulesParameters, TerritoryScope};
use super::{FieldCode, FieldError, Refused};

/// Longest rent period an applicant can declare, in months.
pub const MAX_RENT_MONTHS: i32 = 120;

/// The applicant-editable content of a dossier, each field with its rule (checked on the whole
/// content, as created or as a patch leaves it, by [`DossierContent::validate_fields`]; the
/// context is today, which bounds the planned start).
#[derive(Debug, Clone, PartialEq, validator::Validate)]
#[validate(context = NaiveDate)]
pub struct DossierContent {
    #[validate(custom(function = cell_line::<1, 200>))]
    pub title: String,
    pub project_kind: ProjectKind,
    #[validate(custom(function = amount))]
    pub eligible_expenses_cents: Option<i64>,
    #[validate(custom(function = amount))]
    pub monthly_rent_cents: Option<i64>,
    #[validate(custom(function = rent_period))]
    pub rent_months: Option<i32>,
    #[validate(custom(function = line::<1, 300>))]
    pub premises_address: Option<String>,
    #[validate(custom(function = commune))]
    pub premises_commune_code: Option<String>,
    #[validate(custom(function = amount))]
    pub requested_cents: Option<i64>,
    #[validate(custom(function = planned_start, use_context))]
    pub planned_start_on: Option<NaiveDate>,
    #[validate(custom(function = fte))]
    pub jobs_created_fte: Option<f64>,
    #[validate(custom(function = fte))]
    pub jobs_kept_fte: Option<f64>,
    #[validate(custom(function = text::<0, 10_000>))]
    pub description: Option<String>,
    /// The project's total budget (all costs, all funders), in cents: the base of a `budget`
    /// maximum grant.
    #[validate(custom(function = amount))]
    pub total_budget_cents: Option<i64>,
    /// The district of the premises (e.g. a QPV code), for district bonuses.
    #[validate(custom(function = district))]
    pub premises_district_code: Option<String>,
}

/// The order a 422 lists the content's field errors in (the API's, kept as it always was).
const CHECKED_ORDER: [&str; 13] = [
    "title",
    "eligible_expenses_cents",
    "monthly_rent_cents",
    "requested_cents",
    "total_budget_cents",
    "rent_months",
    "premises_address",
    "premises_commune_code",
    "premises_district_code",
    "planned_start_on",
    "jobs_created_fte",
    "jobs_kept_fte",
    "description",
];

/// 1 to [`MAX_RENT_MONTHS`] months of rent.
fn rent_period(months: i32) -> Result<(), ValidationError> {
    if (1..=MAX_RENT_MONTHS).contains(&months) {
        Ok(())
    } else {
        Err(with(fault(FieldCode::OutOfRange, "rent_months"), "max", MAX_RENT_MONTHS))
    }
}

/// A planned start from 1 January five years ago to 31 December in ten years.
fn planned_start(start: &NaiveDate, today: &NaiveDate) -> Result<(), ValidationError> {
    let min = NaiveDate::from_ymd_opt(today.year() - 5, 1, 1).expect("date");
    let max = NaiveDate::from_ymd_opt(today.year() + 10, 12, 31).expect("date");
    date_rule(*start, min, max)
}

impl DossierContent {
    /// A draft with only its title and kind: everything else is filled in later.
    pub fn new(title: String, project_kind: ProjectKind) -> Self {
        DossierContent {
            title,
            project_kind,
            eligible_expenses_cents: None,
            monthly_rent_cents: None,
            rent_months: None,
            premises_address: None,
            premises_commune_code: None,
            requested_cents: None,
            planned_start_on: None,
            jobs_created_fte: None,
            jobs_kept_fte: None,
            description: None,
            total_budget_cents: None,
            premises_district_code: None,
        }
    }

    /// Checks each field that is present (a draft may be incomplete).
    pub fn validate_fields(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        self.validate_with_args(&today).map_err(|errors| field_errors(&errors, &CHECKED_ORDER))
    }

    /// Everything missing or inconsistent for submission under `rules`. Lists every problem at
    /// once.
    ///
    /// The premises (address and commune) are required only when the territory criterion
    /// checks them (`applies_to: premises` and not `off`); the maximum grant's kind says which
    /// project kinds fit and which amounts are needed, and the amount requested may not exceed
    /// the eligible expenses, the total rent, the total budget or the flat amount.
    pub fn check_complete(&self, rules: &RulesParameters) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut missing = |field: &str| errors.push(required_to_submit(field));
        let territory = &rules.territory;
        let premises_required =
            territory.mode != CriterionMode::Off && territory.applies_to == TerritoryScope::Premises;
        if premises_required && self.premises_address.as_deref().is_none_or(|a| a.trim().is_empty()) {
            missing("premises_address");
        }
        if premises_required && self.premises_commune_code.is_none() {
            missing("premises_commune_code");
        }
        if self.requested_cents.is_none() {
            missing("requested_cents");
        }
        if self.planned_start_on.is_none() {
            missing("planned_start_on");
        }
        if self.jobs_created_fte.is_none() {
            missing("jobs_created_fte");
        }
        if self.jobs_kept_fte.is_none() {
            missing("jobs_kept_fte");
        }
        if self.description.as_deref().is_none_or(|d| d.trim().is_empty()) {
            missing("description");
        }
        // The most that may be requested, and the error code when it is exceeded.
        let limit: Option<(i64, FieldCode)> = match rules.max_grant {
            MaxGrant::Investment { .. } => {
                if !self.project_kind.is_investment() {
                    errors.push(FieldError::new(
                        "project_kind",
                        FieldCode::WrongForScheme,
                        crate::text!("dossier-content-investment-only"),
                    ));
                }
                if self.eligible_expenses_cents.is_none() {
                    errors.push(required_to_submit("eligible_expenses_cents"));
                }
                self.eligible_expenses_cents.map(|b| (b, FieldCode::ExceedsExpenses))
            }
            MaxGrant::Rent { .. } => {
                if self.project_kind != ProjectKind::Rent {
                    errors.push(FieldError::new(
                        "project_kind",
                        FieldCode::WrongForScheme,
                        crate::text!("dossier-content-rent-only"),
                    ));
                }
                for field in ["monthly_rent_cents", "rent_months"] {
                    let present = if field == "rent_months" {
                        self.rent_months.is_some()
                    } else {
                        self.monthly_rent_cents.is_some()
                    };
                    if !present {
                        errors.push(required_to_submit(field));
                    }
                }
                self.monthly_rent_cents.zip(self.rent_months).map(|(rent, months)| {
                    (rent.saturating_mul(i64::from(months)), FieldCode::ExceedsExpenses)
                })
            }
            MaxGrant::Budget { .. } => {
                if self.total_budget_cents.is_none() {
                    errors.push(FieldError::new(
                        "total_budget_cents",
                        FieldCode::Required,
                        crate::text!("dossier-content-total-budget-required-to-submit"),
                    ));
                }
                self.total_budget_cents.map(|b| (b, FieldCode::ExceedsBudget))
            }
            MaxGrant::Flat { amount_cents } => Some((amount_cents, FieldCode::ExceedsFlatAmount)),
        };
        match self.requested_cents {
            Some(0) => errors.push(FieldError::new(
                "requested_cents",
                FieldCode::OutOfRange,
                crate::text!("dossier-content-requested-not-positive"),
            )),
            Some(requested) => {
                if let Some((limit, code)) = limit.filter(|(limit, _)| requested > *limit) {
                    let (requested, limit_cents, limit) = (Arg::cents(requested), limit, Arg::cents(limit));
                    let message = match code {
                        FieldCode::ExceedsBudget => crate::text!(
                            "dossier-content-exceeds-budget",
                            requested = requested,
                            limit = limit,
                            limit_cents = limit_cents,
                        ),
                        FieldCode::ExceedsFlatAmount => crate::text!(
                            "dossier-content-exceeds-flat-amount",
                            requested = requested,
                            limit = limit,
                            limit_cents = limit_cents,
                        ),
                        _ => crate::text!(
                            "dossier-content-exceeds-expenses",
                            requested = requested,
                            limit = limit,
                            limit_cents = limit_cents,
                        ),
                    };
                    errors.push(FieldError::new("requested_cents", code, message));
                }
            }
            None => {}
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A dossier that nothing may change any more (no edit, transition, decision, payment request,
/// reservation, snapshot or assessment): `imported_read_only` for a grant imported from an SCDL
/// file, `purged_read_only` for a dossier whose personal data was purged.
pub fn ensure_changeable(imported: bool, purged: bool) -> Result<(), Refused> {
    if imported {
        return Err(Refused::coded(
            ProblemCode::ImportedReadOnly,
            crate::text!("dossier-content-imported-read-only"),
        ));
    }
    if purged {
        return Err(Refused::coded(
            ProblemCode::PurgedReadOnly,
            crate::text!("dossier-content-purged-read-only"),
        ));
    }
    Ok(())
}

/// A field that submission requires and the dossier leaves empty.
fn required_to_submit(field: &str) -> FieldError {
    FieldError::new(
        field,
        FieldCode::Required,
        crate::text!("dossier-content-required-to-submit", field = field),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::template;
    use crate::domain::Code;

    #[test]
    fn imported_or_purged_dossiers_are_read_only() {
        assert_eq!(ensure_changeable(false, false), Ok(()));
        let code = |imported, purged| ensure_changeable(imported, purged).unwrap_err().code;
        assert_eq!(code(true, false), ProblemCode::ImportedReadOnly);
        assert_eq!(code(true, true), ProblemCode::ImportedReadOnly);
        assert_eq!(code(false, true), ProblemCode::PurgedReadOnly);
    }

    /// Every sentence of a dossier's content, in both languages, as a person reads it.
    #[test]
    fn the_sentences_of_a_dossier_content() {
        use crate::domain::lang::Lang;
        let said = |errors: Vec<FieldError>, field: &str| {
            let e = errors.into_iter().find(|e| e.field == field).expect(field);
            (e.message.in_(Lang::Fr), e.message.in_(Lang::En))
        };
        let pair = |fr: &str, en: &str| (fr.to_string(), en.to_string());
        let refused = |imported, purged| {
            let text = ensure_changeable(imported, purged).unwrap_err().detail;
            (text.in_(Lang::Fr), text.in_(Lang::En))
        };
        assert_eq!(
            refused(true, false),
            pair(
                "Cette subvention a été décidée avant Essor et importée d'un fichier SCDL : elle est en lecture seule. \
                 Elle compte telle quelle dans les totaux et dans le calcul de minimis.",
                "This grant was decided before Essor and imported from an SCDL file: it is read-only. \
                 It counts in totals and in de minimis as it is."
            )
        );
        assert_eq!(
            refused(false, true),
            pair(
                "Les données personnelles de ce dossier ont été supprimées au terme de leur durée de conservation : \
                 il est en lecture seule.",
                "This dossier's personal data was removed at the end of its retention period: it is read-only."
            )
        );
        let mut months = complete_works();
        months.rent_months = Some(0);
        assert_eq!(
            said(months.validate_fields(today()).unwrap_err(), "rent_months"),
            pair(
                "Le nombre de mois de loyer doit être compris entre 1 et 120.",
                "rent_months must be between 1 and 120"
            )
        );
        let draft = DossierContent::new("x".into(), ProjectKind::Works);
        let missing = draft.check_complete(&rent()).unwrap_err();
        assert_eq!(
            said(missing.clone(), "description"),
            pair("Ce champ est obligatoire pour déposer le dossier.", "description is required to submit")
        );
        assert_eq!(
            said(missing.clone(), "rent_months"),
            pair("Ce champ est obligatoire pour déposer le dossier.", "rent_months is required to submit")
        );
        assert_eq!(
            said(missing, "project_kind"),
            pair("Ce dispositif finance un loyer : choisissez rent.", "this scheme pays rent: use rent")
        );
        let mut rent_as_investment = DossierContent::new("x".into(), ProjectKind::Rent);
        rent_as_investment.requested_cents = Some(0);
        let errors = rent_as_investment.check_complete(&investment()).unwrap_err();
        assert_eq!(
            said(errors.clone(), "project_kind"),
            pair(
                "Ce dispositif finance un investissement immobilier : achat, construction ou travaux.",
                "this scheme pays investment in premises: purchase, construction or works"
            )
        );
        assert_eq!(
            said(errors.clone(), "eligible_expenses_cents"),
            pair(
                "Ce champ est obligatoire pour déposer le dossier.",
                "eligible_expenses_cents is required to submit"
            )
        );
        assert_eq!(
            said(errors, "requested_cents"),
            pair("Le montant demandé doit être supérieur à zéro.", "requested_cents must be positive")
        );
        assert_eq!(
            said(DossierContent::new("x".into(), ProjectKind::Works).check_complete(&budget()).unwrap_err(), "total_budget_cents"),
            pair(
                "Ce champ est obligatoire pour déposer le dossier : ce dispositif finance une part du budget total du projet.",
                "total_budget_cents is required to submit: this scheme pays a share of the project's total budget"
            )
        );
        let mut above = complete_works();
        above.requested_cents = Some(25_000_000);
        above.total_budget_cents = Some(1_234_567);
        assert_eq!(
            said(above.check_complete(&investment()).unwrap_err(), "requested_cents"),
            pair(
                "Le montant demandé (250\u{202F}000,00\u{A0}€) dépasse les dépenses éligibles ou le total des loyers (200\u{202F}000,00\u{A0}€).",
                "the amount requested cannot exceed the eligible expenses (or the total rent) (20000000 cents)"
            )
        );
        assert_eq!(
            said(above.check_complete(&budget()).unwrap_err(), "requested_cents"),
            pair(
                "Le montant demandé (250\u{202F}000,00\u{A0}€) dépasse le budget total du projet (12\u{202F}345,67\u{A0}€).",
                "the amount requested cannot exceed the project's total budget (1234567 cents)"
            )
        );
        assert_eq!(
            said(above.check_complete(&flat()).unwrap_err(), "requested_cents"),
            pair(
                "Le montant demandé (250\u{202F}000,00\u{A0}€) dépasse le montant forfaitaire du dispositif (5\u{202F}000,00\u{A0}€).",
                "the amount requested cannot exceed the scheme's flat amount (500000 cents)"
            )
        );
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn complete_works() -> DossierContent {
        DossierContent {
            title: "Rénovation de l'atelier".into(),
            project_kind: ProjectKind::Works,
            eligible_expenses_cents: Some(20_000_000),
            monthly_rent_cents: None,
            rent_months: None,
            premises_address: Some("3 quai de Paris, Rouen".into()),
            premises_commune_code: Some("76540".into()),
            requested_cents: Some(6_000_000),
            planned_start_on: Some(NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()),
            jobs_created_fte: Some(2.0),
            jobs_kept_fte: Some(5.5),
            description: Some("Mise aux normes".into()),
            total_budget_cents: None,
            premises_district_code: None,
        }
    }

    fn rules(max_grant: MaxGrant) -> RulesParameters {
        RulesParameters { max_grant, ..template("DI-ESS", vec!["76540".into()]).unwrap() }
    }
    fn investment() -> RulesParameters {
        rules(MaxGrant::Investment { rate_bp: 3000, cap_cents: 10_000_000 })
    }
    fn rent() -> RulesParameters {
        rules(MaxGrant::Rent { rate_bp: 5000, max_months: 24, cap_cents: 2_000_000 })
    }
    fn budget() -> RulesParameters {
        rules(MaxGrant::Budget { rate_bp: 5000, cap_cents: 1_500_000 })
    }
    fn flat() -> RulesParameters {
        rules(MaxGrant::Flat { amount_cents: 500_000 })
    }

    fn fields(r: Result<(), Vec<FieldError>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_dossier_passes_both_checks() {
        assert_eq!(complete_works().validate_fields(today()), Ok(()));
        assert_eq!(complete_works().check_complete(&investment()), Ok(()));
    }

    #[test]
    fn an_empty_draft_lists_everything_missing() {
        let draft = DossierContent::new("x".into(), ProjectKind::Rent);
        assert_eq!(draft.validate_fields(today()), Ok(()));
        assert_eq!(
            fields(draft.check_complete(&rent())),
            vec![
                "premises_address",
                "premises_commune_code",
                "requested_cents",
                "planned_start_on",
                "jobs_created_fte",
                "jobs_kept_fte",
                "description",
                "monthly_rent_cents",
                "rent_months"
            ]
        );
    }

    #[test]
    fn project_kind_must_fit_the_scheme_and_request_the_expenses() {
        assert_eq!(
            fields(complete_works().check_complete(&rent())),
            vec!["project_kind", "monthly_rent_cents", "rent_months"]
        );
        let mut greedy = complete_works();
        greedy.requested_cents = Some(20_000_001);
        assert_eq!(fields(greedy.check_complete(&investment())), vec!["requested_cents"]);
        greedy.requested_cents = Some(20_000_000);
        assert_eq!(greedy.check_complete(&investment()), Ok(()));
    }

    #[test]
    fn absurd_values_are_refused() {
        let mut bad = complete_works();
        bad.requested_cents = Some(-1);
        bad.eligible_expenses_cents = Some(i64::MAX);
        bad.rent_months = Some(0);
        bad.planned_start_on = Some(NaiveDate::from_ymd_opt(1990, 1, 1).unwrap());
        bad.jobs_kept_fte = Some(f64::NAN);
        bad.premises_commune_code = Some("7654".into());
        bad.premises_district_code = Some("qn07601m".into());
        bad.total_budget_cents = Some(-1);
        bad.title = " ".into();
        assert_eq!(
            fields(bad.validate_fields(today())),
            vec![
                "title",
                "eligible_expenses_cents",
                "requested_cents",
                "total_budget_cents",
                "rent_months",
                "premises_commune_code",
                "premises_district_code",
                "planned_start_on",
                "jobs_kept_fte"
            ]
        );
    }

    /// An operating grant: no premises, a total budget.
    fn operating() -> DossierContent {
        DossierContent {
            title: "Fonctionnement 2027".into(),
            project_kind: ProjectKind::Operating,
            eligible_expenses_cents: None,
            premises_address: None,
            premises_commune_code: None,
            total_budget_cents: Some(4_000_000),
            requested_cents: Some(1_500_000),
            ..complete_works()
        }
    }

    #[test]
    fn premises_are_required_only_when_the_territory_criterion_checks_them() {
        let mut head_office = budget();
        head_office.territory.applies_to = TerritoryScope::HeadOffice;
        assert_eq!(operating().check_complete(&head_office), Ok(()));
        let mut off = budget();
        off.territory.mode = CriterionMode::Off;
        assert_eq!(operating().check_complete(&off), Ok(()));
        // Advisory: still evaluated, so still needed.
        let mut advisory = budget();
        advisory.territory.mode = CriterionMode::Advisory;
        assert_eq!(
            fields(operating().check_complete(&advisory)),
            vec!["premises_address", "premises_commune_code"]
        );
        assert_eq!(
            fields(operating().check_complete(&budget())),
            vec!["premises_address", "premises_commune_code"]
        );
    }

    #[test]
    fn budget_schemes_need_the_total_budget_and_take_any_kind() {
        let mut rules = budget();
        rules.territory.applies_to = TerritoryScope::HeadOffice;
        for kind in ProjectKind::ALL {
            assert_eq!(DossierContent { project_kind: *kind, ..operating() }.check_complete(&rules), Ok(()));
        }
        let without = DossierContent { total_budget_cents: None, ..operating() };
        assert_eq!(fields(without.check_complete(&rules)), vec!["total_budget_cents"]);
        // At most the total budget.
        let at = DossierContent { requested_cents: Some(4_000_000), ..operating() };
        assert_eq!(at.check_complete(&rules), Ok(()));
        let above = DossierContent { requested_cents: Some(4_000_001), ..operating() };
        let errors = above.check_complete(&rules).unwrap_err();
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("requested_cents", "exceeds_budget")
        );
    }

    #[test]
    fn flat_schemes_cap_the_request_at_their_amount() {
        let mut rules = flat();
        rules.territory.applies_to = TerritoryScope::HeadOffice;
        let study =
            DossierContent { project_kind: ProjectKind::Study, total_budget_cents: None, ..operating() };
        let at = DossierContent { requested_cents: Some(500_000), ..study.clone() };
        assert_eq!(at.check_complete(&rules), Ok(()));
        let above = DossierContent { requested_cents: Some(500_001), ..study };
        let errors = above.check_complete(&rules).unwrap_err();
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("requested_cents", "exceeds_flat_amount")
        );
    }

    #[test]
    fn investment_and_rent_keep_their_kinds() {
        for kind in [ProjectKind::Operating, ProjectKind::Study, ProjectKind::Partnership, ProjectKind::Rent]
        {
            assert!(!kind.is_investment());
            let content = DossierContent { project_kind: kind, ..complete_works() };
            assert_eq!(fields(content.check_complete(&investment())), vec!["project_kind"]);
        }
        for kind in [ProjectKind::Purchase, ProjectKind::Construction, ProjectKind::Works] {
            assert!(kind.is_investment());
        }
        let mut study = DossierContent { project_kind: ProjectKind::Study, ..complete_works() };
        study.monthly_rent_cents = Some(100_000);
        study.rent_months = Some(12);
        study.requested_cents = Some(100_000);
        assert_eq!(fields(study.check_complete(&rent())), vec!["project_kind"]);
    }
}

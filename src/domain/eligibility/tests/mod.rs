//! The eligibility engine's unit tests, by area; the fixtures they share are here.

use utoipa::openapi::RefOr;
use utoipa::PartialSchema;

use super::report::MAX_FIGURES;
use super::*;
use crate::domain::identifiers::LegalFamily;
use crate::domain::lang::{write_bp, write_cents, write_fte, Lang, Localized};

use crate::domain::rules::{
    template, Bonus, BonusCondition, Bonuses, CriterionMode, MaxGrant, RulesParameters, TerritoryScope,
    Threshold,
};

mod criteria;
mod grants;
mod modes;
mod reports;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn rules_di() -> RulesParameters {
    template("DI-ESS", vec!["76540".into(), "76451".into(), "2A004".into()]).unwrap()
}
fn rules_dl() -> RulesParameters {
    template("DL-ESS", vec!["76540".into(), "76451".into(), "2A004".into()]).unwrap()
}

/// A dossier that passes every criterion of the DI-ESS template.
fn applicant() -> Applicant {
    Applicant {
        legal_form_code: "9220".into(),
        esus: None,
        ess_statutes: None,
        accounts_forecast: false,
        salaried_staff_fte: Some(4.5),
        operating_revenue_cents: Some(300_000_00),
        sales_revenue_cents: Some(250_000_00),
        operating_costs_cents: Some(400_000_00),
        declared_market_activity: Some(true),
        declared_de_minimis: Some(vec![Aid { granted_on: d(2023, 5, 1), amount_cents: 20_000_00 }]),
        head_office_commune_code: Some("76451".into()),
    }
}
fn project() -> Project {
    Project {
        kind: ProjectKind::Works,
        eligible_expenses_cents: Some(200_000_00),
        monthly_rent_cents: None,
        months: None,
        premises_commune_code: Some("76540".into()),
        requested_cents: None,
        total_budget_cents: None,
        premises_district_code: None,
        ticked_conditions: vec![],
    }
}
fn rent_project() -> Project {
    Project {
        kind: ProjectKind::Rent,
        eligible_expenses_cents: None,
        monthly_rent_cents: Some(1_500_00),
        months: Some(36),
        premises_commune_code: Some("76540".into()),
        requested_cents: None,
        total_budget_cents: None,
        premises_district_code: None,
        ticked_conditions: vec![],
    }
}
fn ctx() -> EvaluationContext {
    EvaluationContext { on: d(2024, 6, 15), grants_in_essor_same_siren: vec![] }
}

fn eval(rules: &RulesParameters, a: &Applicant, p: &Project, c: &EvaluationContext) -> EligibilityReport {
    let report = evaluate(rules, a, p, c);
    // Invariants of every report.
    let modes = [
        rules.employment.mode,
        rules.market_activity.mode,
        rules.own_revenue.mode,
        rules.ess_status.mode,
        rules.territory.mode,
        rules.de_minimis.mode,
    ];
    for (i, r) in report.criteria.iter().enumerate() {
        assert_eq!(r.criterion, Criterion::ALL[i]);
        assert_eq!(r.mode, modes[i]);
        assert_eq!(r.mode == CriterionMode::Off, r.outcome == Outcome::NotEvaluated, "{r:?}");
        assert!(r.figures.len() <= MAX_FIGURES);
        assert!(!r.reason(Lang::En).is_empty());
    }
    assert_eq!(report.overall, Outcome::combine(&report.criteria));
    assert_ne!(report.overall, Outcome::NotEvaluated);
    report
}

fn outcome_code(report: &EligibilityReport, c: Criterion) -> (Outcome, CriterionCode) {
    let r = report.criterion(c);
    (r.outcome, r.code)
}

#[test]
fn a_good_dossier_passes_everything() {
    let report = eval(&rules_di(), &applicant(), &project(), &ctx());
    assert_eq!(report.overall, Outcome::Pass, "{report:#?}");
    // 30 % of 200 000 € = 60 000 €, under the 100 000 € cap.
    assert_eq!(report.max_grant_cents, 60_000_00);
    assert_eq!(report.max_grant_issue, None);
}

// --- fixtures of more than one area ------------------------------------------------------

fn employment_with(min: f64, fte: Option<f64>) -> (Outcome, CriterionCode) {
    let mut rules = rules_di();
    rules.employment.min_salaried_staff_fte = Threshold::AtLeast(min);
    let a = Applicant { salaried_staff_fte: fte, ..applicant() };
    outcome_code(&eval(&rules, &a, &project(), &ctx()), Criterion::Employment)
}

/// Market activity of [`applicant`] with these figures; its operating costs (400 000 €)
/// stay as they are, since they play no part in this criterion.
fn market_with(bp: u32, declared: Option<bool>, sales: Option<i64>, revenue: Option<i64>) -> CriterionResult {
    let mut rules = rules_di();
    rules.market_activity.min_sales_share_bp = Threshold::AtLeast(bp);
    let a = Applicant {
        declared_market_activity: declared,
        sales_revenue_cents: sales,
        operating_revenue_cents: revenue,
        ..applicant()
    };
    *eval(&rules, &a, &project(), &ctx()).criterion(Criterion::MarketActivity)
}

fn market(
    bp: u32,
    declared: Option<bool>,
    sales: Option<i64>,
    revenue: Option<i64>,
) -> (Outcome, CriterionCode) {
    let r = market_with(bp, declared, sales, revenue);
    (r.outcome, r.code)
}

fn own_with(bp: u32, revenue: Option<i64>, costs: Option<i64>) -> CriterionResult {
    let mut rules = rules_di();
    rules.own_revenue.min_own_revenue_share_bp = Threshold::AtLeast(bp);
    let a = Applicant {
        operating_revenue_cents: revenue,
        sales_revenue_cents: Some(0),
        operating_costs_cents: costs,
        ..applicant()
    };
    *eval(&rules, &a, &project(), &ctx()).criterion(Criterion::OwnRevenueShare)
}

/// A five-year approval from `starts_on`: valid up to the day before its fifth anniversary.
fn five_years_from(starts_on: NaiveDate) -> Esus {
    let anniversary = starts_on.checked_add_months(chrono::Months::new(60)).unwrap();
    Esus::Approval { starts_on, ends_on: anniversary.pred_opt().unwrap() }
}

fn de_minimis_with(
    declared: Option<Vec<Aid>>,
    essor: Vec<Aid>,
    on: NaiveDate,
    requested: Option<i64>,
) -> CriterionResult {
    let a = Applicant { declared_de_minimis: declared, ..applicant() };
    let p = Project { requested_cents: requested, ..project() };
    let c = EvaluationContext { on, grants_in_essor_same_siren: essor };
    *eval(&rules_di(), &a, &p, &c).criterion(Criterion::DeMinimis)
}

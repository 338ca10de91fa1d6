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

// --- employment -------------------------------------------------------------------------

fn employment_with(min: f64, fte: Option<f64>) -> (Outcome, CriterionCode) {
    let mut rules = rules_di();
    rules.employment.min_salaried_staff_fte = Threshold::AtLeast(min);
    let a = Applicant { salaried_staff_fte: fte, ..applicant() };
    outcome_code(&eval(&rules, &a, &project(), &ctx()), Criterion::Employment)
}

#[test]
fn employment_boundaries() {
    use CriterionCode::*;
    assert_eq!(employment_with(0.0, Some(0.0)), (Outcome::Fail, EmploymentNoSalariedStaff));
    assert_eq!(employment_with(0.0, Some(0.01)), (Outcome::Pass, EmploymentMet));
    assert_eq!(employment_with(0.0, Some(0.004)), (Outcome::Fail, EmploymentNoSalariedStaff));
    assert_eq!(employment_with(1.0, Some(1.0)), (Outcome::Pass, EmploymentMet));
    assert_eq!(employment_with(1.0, Some(0.99)), (Outcome::Fail, EmploymentBelowMinimum));
    assert_eq!(employment_with(1.0, Some(1.01)), (Outcome::Pass, EmploymentMet));
    // 0.29 * 100 is 28.999999999999996 in binary floating point: rounding keeps it 29.
    assert_eq!(employment_with(0.29, Some(0.29)), (Outcome::Pass, EmploymentMet));
    assert_eq!(employment_with(2.5, Some(2.49)), (Outcome::Fail, EmploymentBelowMinimum));
    assert_eq!(employment_with(1.0, None), (Outcome::NeedsReview, EmploymentMissingData));
    assert_eq!(employment_with(1.0, Some(-1.0)), (Outcome::NeedsReview, EmploymentInvalidData));
    assert_eq!(employment_with(1.0, Some(f64::NAN)), (Outcome::NeedsReview, EmploymentInvalidData));
    assert_eq!(employment_with(1.0, Some(f64::INFINITY)), (Outcome::NeedsReview, EmploymentInvalidData));
}

// --- market activity ---------------------------------------------------------------------

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

#[test]
fn market_activity_boundaries() {
    use CriterionCode::*;
    let (pass, fail) = ((Outcome::Pass, MarketActivityMet), (Outcome::Fail, MarketActivityBelowThreshold));
    let yes = Some(true);
    let r = Some(1_000_000_00);
    // 30 % of 1 000 000,00 € of operating revenue = 300 000,00 €: exactly at the threshold passes.
    let at = market_with(3000, yes, Some(300_000_00), r);
    assert_eq!((at.outcome, at.code), pass);
    assert_eq!(at.figures.get(FigureName::SalesShareBp), Some(FigureValue::Integer(3000)));
    // One cent of sales below or above.
    let below = market_with(3000, yes, Some(299_999_99), r);
    assert_eq!((below.outcome, below.code), fail);
    // The displayed share is rounded down, so it never shows a failing share as the threshold.
    assert_eq!(below.figures.get(FigureName::SalesShareBp), Some(FigureValue::Integer(2999)));
    assert_eq!(market(3000, yes, Some(300_000_01), r), pass);
    // One cent of operating revenue more or less, sales unchanged.
    assert_eq!(market(3000, yes, Some(300_000_00), Some(1_000_000_01)), fail);
    assert_eq!(market(3000, yes, Some(300_000_00), Some(999_999_99)), pass);
    // One basis point more is one basis point too many; one less is fine.
    assert_eq!(market(3001, yes, Some(300_000_00), r), fail);
    assert_eq!(market(2999, yes, Some(300_000_00), r), pass);
    // Exact comparison where a float would round: 1/3 against 3333 bp and 3334 bp.
    assert_eq!(market(3333, yes, Some(1), Some(3)), pass);
    assert_eq!(market(3334, yes, Some(1), Some(3)), fail);
    // Zero threshold: a declared activity with no sales yet passes; 100 % needs sales only.
    assert_eq!(market(0, yes, Some(0), Some(1)), pass);
    assert_eq!(market(0, yes, Some(0), r), pass);
    assert_eq!(market(10_000, yes, r, r), pass);
    assert_eq!(market(10_000, yes, Some(999_999_99), r), fail);

    // Not declared: a fail, whatever the figures (even missing or inconsistent ones).
    let not_declared = (Outcome::Fail, MarketActivityNotDeclared);
    assert_eq!(market(3000, Some(false), Some(300_000_00), r), not_declared);
    assert_eq!(market(3000, Some(false), None, None), not_declared);
    assert_eq!(market(3000, Some(false), Some(-1), Some(0)), not_declared);

    // Missing data: the declaration, the sales or the operating revenue.
    let missing = (Outcome::NeedsReview, MarketActivityMissingData);
    assert_eq!(market(3000, None, Some(300_000_00), r), missing);
    assert_eq!(market(3000, yes, None, r), missing);
    assert_eq!(market(3000, yes, Some(300_000_00), None), missing);
    assert_eq!(market(3000, yes, None, None), missing);
    // Missing data wins over inconsistent data: nothing can be checked without all three.
    assert_eq!(market(3000, None, Some(-1), Some(0)), missing);
    let m = market_with(3000, yes, Some(5), None);
    assert_eq!(m.figures.get(FigureName::SalesRevenueCents), Some(FigureValue::Integer(5)));
    assert_eq!(m.figures.get(FigureName::MinSalesShareBp), Some(FigureValue::Integer(3000)));

    // Inconsistent data: negative sales, non-positive operating revenue, sales above it.
    let inconsistent = (Outcome::NeedsReview, MarketActivityInconsistentData);
    assert_eq!(market(3000, yes, Some(-1), r), inconsistent);
    assert_eq!(market(0, yes, Some(-1), r), inconsistent);
    assert_eq!(market(3000, yes, Some(0), Some(0)), inconsistent);
    assert_eq!(market(0, yes, Some(0), Some(0)), inconsistent);
    assert_eq!(market(3000, yes, Some(0), Some(-1)), inconsistent);
    assert_eq!(market(3000, yes, Some(1_000_000_01), r), inconsistent);
    assert_eq!(market(3000, yes, Some(i64::MAX), Some(i64::MAX - 1)), inconsistent);
    assert_eq!(market(3000, yes, Some(i64::MIN), Some(i64::MIN)), inconsistent);

    // Huge values: exact, no overflow. At 30 % of i64::MAX the threshold falls between
    // two cents; the upper one passes, the lower one fails.
    let max = Some(i64::MAX);
    let at_max = i64::try_from((i128::from(i64::MAX) * 3000 + 9_999) / 10_000).unwrap();
    assert_eq!(market(3000, yes, Some(at_max), max), pass);
    assert_eq!(market(3000, yes, Some(at_max - 1), max), fail);
    assert_eq!(market(10_000, yes, max, max), pass);
    assert_eq!(market(10_000, yes, Some(i64::MAX - 1), max), fail);
    assert_eq!(market(0, yes, Some(0), max), pass);
    assert_eq!(market(u32::MAX, yes, max, max), fail, "an unvalidated threshold above 100 %");
    let full = market_with(10_000, yes, max, max);
    assert_eq!(full.figures.get(FigureName::SalesShareBp), Some(FigureValue::Integer(10_000)));
    assert_eq!(
        market_with(1, yes, Some(1), max).figures.get(FigureName::SalesShareBp),
        Some(FigureValue::Integer(0))
    );
}

#[test]
fn market_activity_ignores_operating_costs() {
    use FigureName::*;
    for costs in [None, Some(0), Some(-1), Some(1), Some(i64::MAX)] {
        let mut rules = rules_di();
        rules.market_activity.min_sales_share_bp = Threshold::AtLeast(3000);
        let a = Applicant {
            sales_revenue_cents: Some(300_000_00),
            operating_revenue_cents: Some(1_000_000_00),
            operating_costs_cents: costs,
            ..applicant()
        };
        let r = *eval(&rules, &a, &project(), &ctx()).criterion(Criterion::MarketActivity);
        assert_eq!((r.outcome, r.code), (Outcome::Pass, CriterionCode::MarketActivityMet), "{costs:?}");
        let names: Vec<_> = r.figures.iter().map(|f| f.name).collect();
        assert_eq!(names, [SalesRevenueCents, OperatingRevenueCents, SalesShareBp, MinSalesShareBp]);
    }
}

#[test]
fn revenue_not_from_sales_dilutes_the_sales_share() {
    // What the spec asks, and why the "more revenue never hurts" property excludes this
    // criterion: 30 000 € of sales in 100 000 € of operating revenue is 30 %; one more cent
    // of revenue that is not from sales (fees, dues...) makes it less than 30 %.
    assert_eq!(market(3000, Some(true), Some(30_000_00), Some(100_000_00)).0, Outcome::Pass);
    assert_eq!(market(3000, Some(true), Some(30_000_00), Some(100_000_01)).0, Outcome::Fail);
    // The same cent earned from sales keeps the pass.
    assert_eq!(market(3000, Some(true), Some(30_000_01), Some(100_000_01)).0, Outcome::Pass);
}

// --- own revenue share -----------------------------------------------------------------

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

#[test]
fn own_revenue_share_boundaries() {
    use CriterionCode::*;
    let at = own_with(5000, Some(50_000_00), Some(100_000_00));
    assert_eq!((at.outcome, at.code), (Outcome::Pass, OwnRevenueShareMet));
    let below = own_with(5000, Some(49_999_99), Some(100_000_00));
    assert_eq!((below.outcome, below.code), (Outcome::Fail, OwnRevenueShareBelowThreshold));
    assert_eq!(below.figures.get(FigureName::OwnRevenueShareBp), Some(FigureValue::Integer(4999)));
    let above = own_with(5000, Some(50_000_01), Some(100_000_00));
    assert_eq!(above.outcome, Outcome::Pass);
    // Threshold one basis point higher.
    assert_eq!(own_with(5001, Some(50_000_00), Some(100_000_00)).outcome, Outcome::Fail);
    assert_eq!(own_with(4999, Some(50_000_00), Some(100_000_00)).outcome, Outcome::Pass);
    // Exact comparison where a float would round: 1/3 against 3333 bp and 3334 bp.
    assert_eq!(own_with(3333, Some(1), Some(3)).outcome, Outcome::Pass);
    assert_eq!(own_with(3334, Some(1), Some(3)).outcome, Outcome::Fail);
    assert_eq!(own_with(10_000, Some(3), Some(3)).outcome, Outcome::Pass);
    assert_eq!(own_with(0, Some(0), Some(3)).outcome, Outcome::Pass);
    assert_eq!(own_with(5000, None, Some(3)).code, OwnRevenueShareMissingData);
    assert_eq!(own_with(5000, Some(3), None).code, OwnRevenueShareMissingData);
    assert_eq!(own_with(5000, Some(3), None).outcome, Outcome::NeedsReview);
    assert_eq!(own_with(5000, Some(-3), Some(3)).code, OwnRevenueShareInconsistentData);
    assert_eq!(own_with(5000, Some(3), Some(0)).code, OwnRevenueShareInconsistentData);
    assert_eq!(own_with(5000, Some(3), Some(-5)).outcome, Outcome::NeedsReview);
    // Huge values: no overflow.
    assert_eq!(own_with(10_000, Some(i64::MAX), Some(i64::MAX)).outcome, Outcome::Pass);
    assert_eq!(own_with(10_000, Some(i64::MAX - 1), Some(i64::MAX)).outcome, Outcome::Fail);
    assert_eq!(
        own_with(1, Some(i64::MAX), Some(1)).figures.get(FigureName::OwnRevenueShareBp),
        Some(FigureValue::Integer(i64::MAX))
    );
}

#[test]
fn the_reason_carries_the_figures() {
    let r = own_with(5000, Some(42_000_00), Some(100_000_00));
    assert_eq!(
        r.reason(Lang::En),
        "Operating revenue (€42,000.00) covers only 42.00 % of operating costs (€100,000.00); the rules require at least 50.00 %."
    );
    assert_eq!(
        market_with(3000, Some(true), Some(42_000_00), Some(100_000_00)).reason(Lang::En),
        "Sales (€42,000.00) make 42.00 % of operating revenue (€100,000.00); the rules require at least 30.00 %."
    );
    assert_eq!(
        market_with(3000, Some(true), Some(29_999_99), Some(100_000_00)).reason(Lang::En),
        "Sales (€29,999.99) make only 29.99 % of operating revenue (€100,000.00); the rules require at least 30.00 %."
    );
    assert_eq!(
        market_with(3000, Some(true), Some(100_000_01), Some(100_000_00)).reason(Lang::En),
        "Inconsistent figures: sales €100,000.01, operating revenue €100,000.00 (sales must be non-negative and within operating revenue, operating revenue positive); an instructor must check them."
    );
    assert_eq!(
        market_with(3000, Some(true), None, Some(100_000_00)).reason(Lang::En),
        "The market activity declaration, the sales revenue or the operating revenue are not provided; an instructor must obtain them."
    );
}

// --- ESS status --------------------------------------------------------------------------

/// A five-year approval from `starts_on`: valid up to the day before its fifth anniversary.
fn five_years_from(starts_on: NaiveDate) -> Esus {
    let anniversary = starts_on.checked_add_months(chrono::Months::new(60)).unwrap();
    Esus::Approval { starts_on, ends_on: anniversary.pred_opt().unwrap() }
}

fn ess_with(code: &str, esus: Option<NaiveDate>, on: NaiveDate) -> (Outcome, CriterionCode) {
    ess_of(code, esus.map(five_years_from), None, on)
}

fn ess_of(
    code: &str,
    esus: Option<Esus>,
    statutes: Option<EssStatutes>,
    on: NaiveDate,
) -> (Outcome, CriterionCode) {
    ess_under(&rules_di(), code, esus, statutes, on)
}

fn ess_under(
    rules: &RulesParameters,
    code: &str,
    esus: Option<Esus>,
    statutes: Option<EssStatutes>,
    on: NaiveDate,
) -> (Outcome, CriterionCode) {
    let a = Applicant { legal_form_code: code.into(), esus, ess_statutes: statutes, ..applicant() };
    let c = EvaluationContext { on, ..ctx() };
    outcome_code(&eval(rules, &a, &project(), &c), Criterion::EssStatus)
}

#[test]
fn ess_status_by_family() {
    use CriterionCode::*;
    let on = d(2024, 6, 15);
    for code in ["9220", "5458", "5560", "8210", "9300"] {
        assert_eq!(ess_with(code, None, on), (Outcome::Pass, EssStatusAcceptedFamily), "{code}");
    }
    for code in ["1000", "6540", "7344"] {
        assert_eq!(ess_with(code, None, on), (Outcome::Fail, EssStatusFamilyNotAccepted), "{code}");
    }
    assert_eq!(ess_with("", None, on), (Outcome::NeedsReview, EssStatusMissingData));
    assert_eq!(ess_with("92", None, on), (Outcome::NeedsReview, EssStatusInvalidLegalForm));
    assert_eq!(ess_with("5710", None, on), (Outcome::Fail, EssStatusEsusMissing));

    let mut rules = rules_di();
    rules.ess_status.commercial_companies_need_esus = false;
    let a = Applicant { legal_form_code: "5710".into(), ..applicant() };
    let r = eval(&rules, &a, &project(), &ctx());
    assert_eq!(outcome_code(&r, Criterion::EssStatus), (Outcome::Pass, EssStatusAcceptedFamily));
    rules.ess_status.accepted_families.retain(|f| *f != LegalFamily::CommercialCompany);
    let r = eval(&rules, &a, &project(), &ctx());
    assert_eq!(outcome_code(&r, Criterion::EssStatus), (Outcome::Fail, EssStatusFamilyNotAccepted));
}

#[test]
fn esus_validity_boundaries() {
    use CriterionCode::*;
    let approved = d(2019, 6, 15);
    // Valid from the approval date itself ...
    assert_eq!(ess_with("5710", Some(approved), d(2019, 6, 15)), (Outcome::Pass, EssStatusEsusValid));
    assert_eq!(ess_with("5710", Some(approved), d(2019, 6, 14)), (Outcome::Fail, EssStatusEsusNotYetValid));
    // ... to the day before its fifth anniversary.
    assert_eq!(ess_with("5710", Some(approved), d(2024, 6, 14)), (Outcome::Pass, EssStatusEsusValid));
    assert_eq!(ess_with("5710", Some(approved), d(2024, 6, 15)), (Outcome::Fail, EssStatusEsusExpired));
    assert_eq!(ess_with("5710", Some(approved), d(2024, 6, 16)), (Outcome::Fail, EssStatusEsusExpired));
    // Approved on 29 February: expires on 28 February five years later.
    let leap = d(2024, 2, 29);
    assert_eq!(ess_with("5710", Some(leap), d(2029, 2, 27)), (Outcome::Pass, EssStatusEsusValid));
    assert_eq!(ess_with("5710", Some(leap), d(2029, 2, 28)), (Outcome::Fail, EssStatusEsusExpired));
    // Non-commercial forms ignore the ESUS date entirely.
    assert_eq!(
        ess_with("9220", Some(d(2000, 1, 1)), d(2024, 6, 15)),
        (Outcome::Pass, EssStatusAcceptedFamily)
    );
}

#[test]
fn the_approval_is_valid_up_to_its_end_date() {
    use CriterionCode::*;
    // A two-year approval (an enterprise under three years old), as its decision dates it.
    let two_years = Esus::Approval { starts_on: d(2023, 3, 10), ends_on: d(2025, 3, 9) };
    let at = |on| ess_of("5710", Some(two_years), None, on);
    assert_eq!(at(d(2023, 3, 9)), (Outcome::Fail, EssStatusEsusNotYetValid));
    assert_eq!(at(d(2023, 3, 10)), (Outcome::Pass, EssStatusEsusValid));
    assert_eq!(at(d(2025, 3, 9)), (Outcome::Pass, EssStatusEsusValid), "the end date itself");
    assert_eq!(at(d(2025, 3, 10)), (Outcome::Fail, EssStatusEsusExpired), "the day after");
    // Not "start + 5 years": the same start with a five-year decision is still valid then.
    let five = Esus::Approval { starts_on: d(2023, 3, 10), ends_on: d(2028, 3, 9) };
    assert_eq!(ess_of("5710", Some(five), None, d(2025, 3, 10)), (Outcome::Pass, EssStatusEsusValid));
    assert_eq!(ess_of("5710", Some(five), None, d(2028, 3, 10)), (Outcome::Fail, EssStatusEsusExpired));
}

#[test]
fn an_approval_by_right_goes_to_the_instructor() {
    use crate::domain::organisation::EsusBasis;
    use CriterionCode::*;
    let by_right = Some(Esus::ByRight { basis: EsusBasis::InsertionEnterprise });
    assert_eq!(ess_of("5710", by_right, None, d(2024, 6, 15)), (Outcome::NeedsReview, EssStatusEsusByRight));
    // An association holding it by right passes as an association, approval or not.
    assert_eq!(ess_of("9220", by_right, None, d(2024, 6, 15)), (Outcome::Pass, EssStatusAcceptedFamily));
    // ESUS on any ESS family: a dated one on a cooperative changes nothing to its pass.
    assert_eq!(
        ess_of("5458", Some(five_years_from(d(2024, 1, 1))), None, d(2024, 6, 15)),
        (Outcome::Pass, EssStatusAcceptedFamily)
    );
    let a = Applicant { legal_form_code: "5710".into(), esus: by_right, ..applicant() };
    assert_eq!(
        eval(&rules_di(), &a, &project(), &ctx()).criterion(Criterion::EssStatus).reason(Lang::En),
        "Legal form 5710 is a commercial company that declares holding the ESUS approval by right (code du travail L3332-17-1 II); an instructor must confirm the basis it declares."
    );
}

#[test]
fn cooperatives_in_company_form_and_ess_statutes() {
    use CriterionCode::*;
    let on = d(2024, 6, 15);
    let coop = Some(EssStatutes::Cooperative);
    let ess = Some(EssStatutes::EssCompany);
    // A SCOP as SAS (5710) or a SCIC as EURL (5498): statutes to check, never fail.
    for code in ["5710", "5498", "5499", "5599"] {
        assert_eq!(ess_of(code, None, coop, on), (Outcome::NeedsReview, EssStatusStatutesToCheck), "{code}");
    }
    // Even with an expired approval, and even when the scheme takes no commercial company.
    let expired = Some(five_years_from(d(2015, 1, 1)));
    assert_eq!(ess_of("5710", expired, coop, on), (Outcome::NeedsReview, EssStatusStatutesToCheck));
    let mut no_companies = rules_di();
    no_companies.ess_status.accepted_families.retain(|f| *f != LegalFamily::CommercialCompany);
    assert_eq!(
        ess_under(&no_companies, "5710", None, coop, on),
        (Outcome::NeedsReview, EssStatusStatutesToCheck)
    );
    // A valid approval still passes outright.
    assert_eq!(
        ess_of("5710", Some(five_years_from(d(2022, 1, 1))), coop, on),
        (Outcome::Pass, EssStatusEsusValid)
    );
    // The rules say whether the scheme accepts them.
    let mut strict = rules_di();
    strict.ess_status.cooperatives_in_company_form = false;
    assert_eq!(ess_under(&strict, "5710", None, coop, on), (Outcome::Fail, EssStatusEsusMissing));
    let mut no_coops = rules_di();
    no_coops.ess_status.accepted_families.retain(|f| *f != LegalFamily::Cooperative);
    assert_eq!(ess_under(&no_coops, "5710", None, coop, on), (Outcome::Fail, EssStatusEsusMissing));
    // ESS statutes under art. 1 II: refused by default (the template), accepted when the rules say so.
    assert_eq!(ess_of("5710", None, ess, on), (Outcome::Fail, EssStatusEsusMissing));
    let mut open = rules_di();
    open.ess_status.ess_statute_companies = true;
    assert_eq!(ess_under(&open, "5710", None, ess, on), (Outcome::NeedsReview, EssStatusStatutesToCheck));
    assert_eq!(ess_under(&open, "5710", expired, ess, on), (Outcome::NeedsReview, EssStatusStatutesToCheck));
    assert_eq!(
        ess_under(&open, "5710", Some(five_years_from(d(2022, 1, 1))), ess, on),
        (Outcome::Pass, EssStatusEsusValid)
    );
}

#[test]
fn esus_reasons() {
    let a = Applicant {
        legal_form_code: "5710".into(),
        esus: Some(five_years_from(d(2019, 6, 15))),
        ..applicant()
    };
    let r = eval(&rules_di(), &a, &project(), &ctx());
    assert_eq!(
        r.criterion(Criterion::EssStatus).reason(Lang::En),
        "The ESUS approval dated 2019-06-15 was valid until 2024-06-14, before the evaluation date 2024-06-15."
    );
}

#[test]
fn forecast_accounts_never_pass_the_revenue_criteria() {
    use CriterionCode::*;
    let forecast = Applicant { accounts_forecast: true, ..applicant() };
    let r = eval(&rules_di(), &forecast, &project(), &ctx());
    assert_eq!(
        outcome_code(&r, Criterion::MarketActivity),
        (Outcome::NeedsReview, MarketActivityForecastAccounts)
    );
    assert_eq!(
        outcome_code(&r, Criterion::OwnRevenueShare),
        (Outcome::NeedsReview, OwnRevenueShareForecastAccounts)
    );
    assert_eq!(r.overall, Outcome::NeedsReview);
    // The same figures as closed accounts pass.
    let closed = eval(&rules_di(), &applicant(), &project(), &ctx());
    assert_eq!(outcome_code(&closed, Criterion::MarketActivity).0, Outcome::Pass);
    assert_eq!(outcome_code(&closed, Criterion::OwnRevenueShare).0, Outcome::Pass);
    // A forecast below the thresholds is not a fail either: the instructor judges the plan.
    let weak = Applicant {
        operating_revenue_cents: Some(10_000_00),
        sales_revenue_cents: Some(1_00),
        ..forecast.clone()
    };
    let r = eval(&rules_di(), &weak, &project(), &ctx());
    assert_eq!(outcome_code(&r, Criterion::MarketActivity).0, Outcome::NeedsReview);
    assert_eq!(outcome_code(&r, Criterion::OwnRevenueShare).0, Outcome::NeedsReview);
    // Missing figures stay missing data.
    let missing = Applicant { operating_costs_cents: None, ..forecast };
    let r = eval(&rules_di(), &missing, &project(), &ctx());
    assert_eq!(
        outcome_code(&r, Criterion::OwnRevenueShare),
        (Outcome::NeedsReview, OwnRevenueShareMissingData)
    );
    assert_eq!(
        eval(&rules_di(), &Applicant { accounts_forecast: true, ..applicant() }, &project(), &ctx())
            .criterion(Criterion::OwnRevenueShare)
            .reason(Lang::En),
        "Forecast operating revenue (€300,000.00) would cover 75.00 % of forecast operating costs (€400,000.00); the rules require at least 50.00 %. These are a business plan's figures, not closed accounts: an instructor must assess them."
    );
}

// --- territory ---------------------------------------------------------------------------

#[test]
fn territory() {
    use CriterionCode::*;
    let with = |code: Option<&str>| {
        let p = Project { premises_commune_code: code.map(str::to_owned), ..project() };
        outcome_code(&eval(&rules_di(), &applicant(), &p, &ctx()), Criterion::Territory)
    };
    assert_eq!(with(Some("76540")), (Outcome::Pass, TerritoryInside));
    assert_eq!(with(Some("2A004")), (Outcome::Pass, TerritoryInside));
    assert_eq!(with(Some("35238")), (Outcome::Fail, TerritoryOutside));
    assert_eq!(with(Some("2a004")), (Outcome::NeedsReview, TerritoryInvalidCommuneCode));
    assert_eq!(
        with(Some("a very long and invalid commune code")),
        (Outcome::NeedsReview, TerritoryInvalidCommuneCode)
    );
    assert_eq!(with(None), (Outcome::NeedsReview, TerritoryMissingData));
    let p = Project { premises_commune_code: Some("35238".into()), ..project() };
    assert_eq!(
        eval(&rules_di(), &applicant(), &p, &ctx()).criterion(Criterion::Territory).reason(Lang::En),
        "The premises are in commune 35238, which is not one of the 3 communes of the territory."
    );
}

#[test]
fn territory_of_the_head_office() {
    use CriterionCode::*;
    let mut rules = rules_di();
    rules.territory.applies_to = TerritoryScope::HeadOffice;
    let with = |head_office: Option<&str>, premises: Option<&str>| {
        let a = Applicant { head_office_commune_code: head_office.map(str::to_owned), ..applicant() };
        let p = Project { premises_commune_code: premises.map(str::to_owned), ..project() };
        *eval(&rules, &a, &p, &ctx()).criterion(Criterion::Territory)
    };
    // The head office decides, wherever the premises are, and without premises at all.
    let inside = with(Some("76451"), Some("35238"));
    assert_eq!((inside.outcome, inside.code), (Outcome::Pass, TerritoryInside));
    assert_eq!(
        inside.reason(Lang::En),
        "The head office is in commune 76451, one of the 3 communes of the territory (a scheme without premises)."
    );
    assert_eq!(inside.figures.get(FigureName::CommuneCode), None);
    assert_eq!(
        inside.figures.get(FigureName::HeadOfficeCommuneCode),
        Some(FigureValue::Code(ShortCode::new("76451").unwrap()))
    );
    assert_eq!(with(Some("76451"), None).outcome, Outcome::Pass);
    let outside = with(Some("35238"), Some("76540"));
    assert_eq!((outside.outcome, outside.code), (Outcome::Fail, TerritoryOutside));
    assert!(
        outside.reason(Lang::En).starts_with("The head office is in commune 35238, which is not"),
        "{}",
        outside.reason(Lang::En)
    );
    // An imported organisation's placeholder address, or none at all: an instructor looks.
    let placeholder = with(Some("00000"), Some("76540"));
    assert_eq!((placeholder.outcome, placeholder.code), (Outcome::NeedsReview, TerritoryInvalidCommuneCode));
    assert!(
        placeholder.reason(Lang::En).starts_with("The commune code of the head office 00000"),
        "{}",
        placeholder.reason(Lang::En)
    );
    let missing = with(None, Some("76540"));
    assert_eq!((missing.outcome, missing.code), (Outcome::NeedsReview, TerritoryHeadOfficeMissingData));
    // The premises' scope (the default) ignores the head office.
    let premises = *eval(
        &rules_di(),
        &Applicant { head_office_commune_code: Some("35238".into()), ..applicant() },
        &project(),
        &ctx(),
    )
    .criterion(Criterion::Territory);
    assert_eq!((premises.outcome, premises.code), (Outcome::Pass, TerritoryInside));
}

// --- modes and "any" ----------------------------------------------------------------------

/// An applicant whose employment (no staff) and own revenue (25 %) fail the DI-ESS template.
fn weak_applicant() -> Applicant {
    Applicant {
        salaried_staff_fte: Some(0.0),
        operating_revenue_cents: Some(100_000_00),
        sales_revenue_cents: Some(80_000_00),
        operating_costs_cents: Some(400_000_00),
        ..applicant()
    }
}

#[test]
fn a_required_criterion_that_fails_fails_the_whole() {
    let report = eval(&rules_di(), &weak_applicant(), &project(), &ctx());
    assert_eq!(outcome_code(&report, Criterion::Employment).0, Outcome::Fail);
    assert_eq!(outcome_code(&report, Criterion::OwnRevenueShare).0, Outcome::Fail);
    assert_eq!(report.criterion(Criterion::Employment).mode, CriterionMode::Required);
    assert_eq!(report.overall, Outcome::Fail);
}

#[test]
fn advisory_criteria_are_reported_not_counted() {
    let mut rules = rules_di();
    rules.employment.mode = CriterionMode::Advisory;
    rules.own_revenue.mode = CriterionMode::Advisory;
    let report = eval(&rules, &weak_applicant(), &project(), &ctx());
    for c in [Criterion::Employment, Criterion::OwnRevenueShare] {
        let r = report.criterion(c);
        assert_eq!((r.mode, r.outcome), (CriterionMode::Advisory, Outcome::Fail), "{c:?}");
        assert!(r
            .reason(Lang::En)
            .ends_with("Advisory criterion: reported, not counted in the overall result."));
    }
    assert_eq!(report.criterion(Criterion::Employment).code, CriterionCode::EmploymentNoSalariedStaff);
    assert_eq!(report.overall, Outcome::Pass);
    // An advisory criterion that needs review is not counted either; a required one still is.
    let a = Applicant { salaried_staff_fte: None, ..weak_applicant() };
    assert_eq!(eval(&rules, &a, &project(), &ctx()).overall, Outcome::Pass);
    let a = Applicant { legal_form_code: "1000".into(), ..weak_applicant() };
    assert_eq!(eval(&rules, &a, &project(), &ctx()).overall, Outcome::Fail);
    let json = serde_json::to_value(Localized::new(report, Lang::En)).unwrap();
    assert_eq!(json["criteria"][0]["mode"], "advisory");
    assert_eq!(json["criteria"][0]["outcome"], "fail");
    assert_eq!(json["criteria"][3]["mode"], "required");
}

#[test]
fn criteria_turned_off_are_not_evaluated() {
    let mut rules = rules_di();
    rules.employment.mode = CriterionMode::Off;
    rules.own_revenue.mode = CriterionMode::Off;
    let report = eval(&rules, &weak_applicant(), &project(), &ctx());
    assert_eq!(report.overall, Outcome::Pass);
    let off = report.criterion(Criterion::Employment);
    assert_eq!(
        (off.mode, off.outcome, off.code),
        (CriterionMode::Off, Outcome::NotEvaluated, CriterionCode::EmploymentOff)
    );
    assert!(off.figures.is_empty());
    assert_eq!(
        off.reason(Lang::En),
        "Not evaluated: the rules of this scheme turn the employment criterion off."
    );
    assert_eq!(report.criterion(Criterion::OwnRevenueShare).code, CriterionCode::OwnRevenueShareOff);
    let json = serde_json::to_value(Localized::new(report, Lang::En)).unwrap();
    assert_eq!(json["criteria"][0]["outcome"], "not_evaluated");
    assert_eq!(json["criteria"][0]["code"], "employment.off");
    assert_eq!(json["criteria"][0]["mode"], "off");
    assert_eq!(json["criteria"][2]["code"], "own_revenue_share.off");
    // Every criterion off: nothing is required, the whole passes, and each says why.
    for section in [
        &mut rules.market_activity.mode,
        &mut rules.ess_status.mode,
        &mut rules.territory.mode,
        &mut rules.de_minimis.mode,
    ] {
        *section = CriterionMode::Off;
    }
    let report = eval(&rules, &Applicant::default(), &project(), &ctx());
    assert_eq!(report.overall, Outcome::Pass);
    let codes: Vec<_> = report.criteria.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "employment.off",
            "market_activity.off",
            "own_revenue_share.off",
            "ess_status.off",
            "territory.off",
            "de_minimis.off"
        ]
    );
}

#[test]
fn employment_any_accepts_any_declared_staff() {
    use CriterionCode::*;
    let mut rules = rules_di();
    rules.employment.min_salaried_staff_fte = Threshold::Any;
    let with = |fte: Option<f64>| {
        let a = Applicant { salaried_staff_fte: fte, ..applicant() };
        *eval(&rules, &a, &project(), &ctx()).criterion(Criterion::Employment)
    };
    // At the boundary of the threshold rules: 0 FTE fails a threshold of 0, passes "any".
    assert_eq!(employment_with(0.0, Some(0.0)), (Outcome::Fail, EmploymentNoSalariedStaff));
    let zero = with(Some(0.0));
    assert_eq!((zero.outcome, zero.code), (Outcome::Pass, EmploymentNoMinimum));
    assert_eq!(
        zero.reason(Lang::En),
        "Salaried staff: 0.00 FTE; the rules set no minimum, any declared staff passes."
    );
    assert_eq!(zero.figures.get(FigureName::MinSalariedStaffFte), None);
    assert_eq!(zero.figures.get(FigureName::SalariedStaffFte), Some(FigureValue::Integer(0)));
    assert_eq!((with(Some(0.01)).outcome, with(Some(0.01)).code), (Outcome::Pass, EmploymentNoMinimum));
    assert_eq!((with(Some(250.0)).outcome, with(Some(250.0)).code), (Outcome::Pass, EmploymentNoMinimum));
    // A missing or impossible figure still needs review.
    assert_eq!((with(None).outcome, with(None).code), (Outcome::NeedsReview, EmploymentMissingData));
    for bad in [-0.01, f64::NAN, f64::INFINITY] {
        assert_eq!(
            (with(Some(bad)).outcome, with(Some(bad)).code),
            (Outcome::NeedsReview, EmploymentInvalidData)
        );
    }
}

#[test]
fn market_activity_any_needs_only_the_declaration() {
    use CriterionCode::*;
    let mut rules = rules_di();
    rules.market_activity.min_sales_share_bp = Threshold::Any;
    let with = |declared: Option<bool>, sales: Option<i64>, revenue: Option<i64>| {
        let a = Applicant {
            declared_market_activity: declared,
            sales_revenue_cents: sales,
            operating_revenue_cents: revenue,
            ..applicant()
        };
        *eval(&rules, &a, &project(), &ctx()).criterion(Criterion::MarketActivity)
    };
    let r = Some(1_000_000_00);
    // 1 cent of sales fails a 30 % threshold (and even a 1 bp one) but passes "any".
    assert_eq!(market(3000, Some(true), Some(1), r), (Outcome::Fail, MarketActivityBelowThreshold));
    assert_eq!(market(1, Some(true), Some(1), r), (Outcome::Fail, MarketActivityBelowThreshold));
    let tiny = with(Some(true), Some(1), r);
    assert_eq!((tiny.outcome, tiny.code), (Outcome::Pass, MarketActivityNoMinimum));
    assert_eq!(tiny.figures.get(FigureName::SalesShareBp), Some(FigureValue::Integer(0)));
    assert_eq!(tiny.figures.get(FigureName::MinSalesShareBp), None);
    assert_eq!(
        tiny.reason(Lang::En),
        "The structure declares a market activity, with sales (€0.01) making 0.00 % of operating revenue (€1,000,000.00); the rules set no minimum share of sales."
    );
    // Without sales figures, or with inconsistent ones: the declaration is enough.
    for (sales, revenue) in [(None, None), (Some(5), None), (None, r), (Some(-1), r), (Some(2), Some(1))] {
        let res = with(Some(true), sales, revenue);
        assert_eq!(
            (res.outcome, res.code),
            (Outcome::Pass, MarketActivityNoMinimum),
            "{sales:?} {revenue:?}"
        );
        assert_eq!(res.figures.get(FigureName::SalesShareBp), None, "{sales:?} {revenue:?}");
    }
    assert_eq!(
        with(Some(true), None, None).reason(Lang::En),
        "The structure declares a market activity; the rules set no minimum share of sales."
    );
    // No declaration: a fail; an unknown one: review.
    let no = with(Some(false), Some(300_000_00), r);
    assert_eq!((no.outcome, no.code), (Outcome::Fail, MarketActivityNotDeclared));
    let unknown = with(None, Some(300_000_00), r);
    assert_eq!((unknown.outcome, unknown.code), (Outcome::NeedsReview, MarketActivityMissingData));
    assert_eq!(
        unknown.reason(Lang::En),
        "The market activity declaration is not provided; an instructor must obtain it."
    );
}

#[test]
fn own_revenue_any_passes_whatever_the_ratio() {
    use CriterionCode::*;
    let mut rules = rules_di();
    rules.own_revenue.min_own_revenue_share_bp = Threshold::Any;
    let with = |revenue: Option<i64>, costs: Option<i64>| {
        let a = Applicant {
            operating_revenue_cents: revenue,
            operating_costs_cents: costs,
            sales_revenue_cents: Some(0),
            ..applicant()
        };
        *eval(&rules, &a, &project(), &ctx()).criterion(Criterion::OwnRevenueShare)
    };
    // 0 % fails a threshold of 1 bp, passes "any".
    assert_eq!(own_with(1, Some(0), Some(100_000_00)).code, OwnRevenueShareBelowThreshold);
    let zero = with(Some(0), Some(100_000_00));
    assert_eq!((zero.outcome, zero.code), (Outcome::Pass, OwnRevenueShareNoMinimum));
    assert_eq!(zero.figures.get(FigureName::OwnRevenueShareBp), Some(FigureValue::Integer(0)));
    assert_eq!(zero.figures.get(FigureName::MinOwnRevenueShareBp), None);
    assert_eq!(
        zero.reason(Lang::En),
        "Operating revenue (€0.00) covers 0.00 % of operating costs (€100,000.00); the rules set no minimum."
    );
    for (revenue, costs) in
        [(None, None), (Some(1), None), (None, Some(1)), (Some(-1), Some(1)), (Some(1), Some(0))]
    {
        let r = with(revenue, costs);
        assert_eq!((r.outcome, r.code), (Outcome::Pass, OwnRevenueShareNoMinimum), "{revenue:?} {costs:?}");
        assert_eq!(r.figures.get(FigureName::OwnRevenueShareBp), None);
    }
    assert_eq!(
        with(None, None).reason(Lang::En),
        "The rules set no minimum own-revenue share: it passes without accounts figures."
    );
}

// --- bonuses --------------------------------------------------------------------------------

fn bonus(code: &str, extra_bp: u32, when: BonusCondition) -> Bonus {
    Bonus { code: code.into(), label: code.into(), extra_bp, when }
}

/// "Bonifications ESS" on DI-ESS (30 %, capped at 100 000 €): up to 10 points.
fn rules_with_bonuses() -> RulesParameters {
    RulesParameters {
        bonuses: Bonuses {
            max_extra_bp: 1000,
            items: vec![
                bonus("esus", 500, BonusCondition::EsusApproval {}),
                bonus(
                    "rouen",
                    200,
                    BonusCondition::PremisesInCommunes { commune_codes: vec!["76540".into()] },
                ),
                bonus(
                    "qpv",
                    400,
                    BonusCondition::PremisesInDistricts {
                        district_codes: vec!["QN07601M".into(), "QN07602M".into()],
                    },
                ),
                bonus("label_ecologique", 600, BonusCondition::InstructorCondition {}),
            ],
        },
        ..rules_di()
    }
}

/// Codes of the bonuses applied, the points added, the rate and the maximum grant.
fn bonus_outcome(
    rules: &RulesParameters,
    a: &Applicant,
    p: &Project,
) -> (Vec<String>, u32, Option<u32>, i64) {
    let report = eval(rules, a, p, &ctx());
    let codes = report.applied_bonuses(rules).map(|b| b.code.clone()).collect();
    (codes, report.bonus_bp, report.max_grant_rate_bp, report.max_grant_cents)
}

#[test]
fn each_bonus_kind_applies_on_its_condition() {
    let rules = rules_with_bonuses();
    // Premises in 76540 (a listed commune): +2 points. 32 % of 200 000 €.
    let p = project();
    assert_eq!(
        bonus_outcome(&rules, &applicant(), &p),
        (vec!["rouen".to_string()], 200, Some(3200), 64_000_00)
    );
    // Elsewhere: no bonus, the template's 30 %.
    let elsewhere = Project { premises_commune_code: Some("76451".into()), ..project() };
    assert_eq!(bonus_outcome(&rules, &applicant(), &elsewhere), (vec![], 0, Some(3000), 60_000_00));
    // ESUS approval valid on the day: +5.
    let esus = Applicant { esus: Some(five_years_from(d(2020, 6, 16))), ..applicant() };
    assert_eq!(
        bonus_outcome(&rules, &esus, &elsewhere),
        (vec!["esus".to_string()], 500, Some(3500), 70_000_00)
    );
    // A listed district: +4.
    let qpv = Project { premises_district_code: Some("QN07602M".into()), ..elsewhere.clone() };
    assert_eq!(
        bonus_outcome(&rules, &applicant(), &qpv),
        (vec!["qpv".to_string()], 400, Some(3400), 68_000_00)
    );
    let other_district = Project { premises_district_code: Some("QN07603M".into()), ..elsewhere.clone() };
    assert_eq!(bonus_outcome(&rules, &applicant(), &other_district).1, 0);
    // Ticked by an instructor: +6; ticking a code of another kind gives nothing.
    let ticked = Project { ticked_conditions: vec!["label_ecologique".into()], ..elsewhere.clone() };
    assert_eq!(
        bonus_outcome(&rules, &applicant(), &ticked),
        (vec!["label_ecologique".to_string()], 600, Some(3600), 72_000_00)
    );
    let wrong = Project { ticked_conditions: vec!["esus".into(), "qpv".into()], ..elsewhere };
    assert_eq!(bonus_outcome(&rules, &applicant(), &wrong).1, 0);
}

#[test]
fn esus_bonus_validity_boundaries() {
    let rules = rules_with_bonuses();
    let elsewhere = Project { premises_commune_code: Some("76451".into()), ..project() };
    let on = ctx().on; // 2024-06-15
    let with = |approved: Option<NaiveDate>| {
        bonus_outcome(&rules, &Applicant { esus: approved.map(five_years_from), ..applicant() }, &elsewhere).1
    };
    assert_eq!(with(Some(on)), 500, "approved that very day");
    assert_eq!(with(Some(d(2024, 6, 16))), 0, "approved the day after");
    assert_eq!(with(Some(d(2019, 6, 16))), 500, "expires the day after");
    assert_eq!(with(Some(d(2019, 6, 15))), 0, "expired that day: five years");
    // Held by right: confirmed by the instructor first, so no bonus by default.
    let by_right = Applicant {
        esus: Some(Esus::ByRight { basis: crate::domain::organisation::EsusBasis::Esat }),
        ..applicant()
    };
    assert_eq!(bonus_outcome(&rules, &by_right, &elsewhere).1, 0);
    assert_eq!(with(None), 0);
}

#[test]
fn bonus_points_are_capped() {
    let rules = rules_with_bonuses();
    let all = Applicant { esus: Some(five_years_from(d(2023, 1, 1))), ..applicant() };
    let p = Project {
        premises_district_code: Some("QN07601M".into()),
        ticked_conditions: vec!["label_ecologique".into()],
        ..project()
    };
    // 5 + 2 + 4 + 6 = 17 points met, 10 at most: 40 % of 200 000 €.
    let (codes, bonus_bp, rate, max) = bonus_outcome(&rules, &all, &p);
    assert_eq!(codes, ["esus", "rouen", "qpv", "label_ecologique"]);
    assert_eq!((bonus_bp, rate, max), (1000, Some(4000), 80_000_00));
    // Exactly at the cap, one point under it.
    let mut exact = rules.clone();
    exact.bonuses.max_extra_bp = 1700;
    assert_eq!(bonus_outcome(&exact, &all, &p).1, 1700);
    exact.bonuses.max_extra_bp = 1699;
    assert_eq!(bonus_outcome(&exact, &all, &p).1, 1699);
    // The rate never goes above 100 %: 95 % + 17 points is 100 %, i.e. 5 points.
    let mut high = exact.clone();
    high.bonuses.max_extra_bp = 10_000;
    high.max_grant = MaxGrant::Investment { rate_bp: 9500, cap_cents: 1_000_000_00 };
    assert_eq!(bonus_outcome(&high, &all, &p), (codes.clone(), 500, Some(10_000), 200_000_00));
    // The cap on the grant stays: 40 % of 300 000 € is 120 000 €, capped at 100 000 €.
    let big = Project { eligible_expenses_cents: Some(300_000_00), ..p.clone() };
    assert_eq!(bonus_outcome(&rules, &all, &big).3, 100_000_00);
    // The JSON shows the rate and the points.
    let json = serde_json::to_value(Localized::new(eval(&rules, &all, &p, &ctx()), Lang::En)).unwrap();
    assert_eq!(json["max_grant_rate_bp"], 4000);
    assert_eq!(json["bonus_bp"], 1000);
    assert!(json.get("applied_bonuses").is_none(), "named by the rules version, not the report");
}

#[test]
fn bonuses_raise_rent_and_budget_rates_not_flat() {
    let esus = Applicant { esus: Some(five_years_from(d(2023, 1, 1))), ..applicant() };
    let mut rules = rules_with_bonuses();
    rules.max_grant = MaxGrant::Rent { rate_bp: 5000, max_months: 24, cap_cents: 20_000_00 };
    // (50 + 5 + 2) % of 1 000 € × 24 months.
    let rent = Project { monthly_rent_cents: Some(1_000_00), months: Some(24), ..rent_project() };
    assert_eq!(
        bonus_outcome(&rules, &esus, &rent),
        (vec!["esus".into(), "rouen".into()], 700, Some(5700), 13_680_00)
    );
    rules.max_grant = MaxGrant::Budget { rate_bp: 5000, cap_cents: 15_000_00 };
    let operating =
        Project { kind: ProjectKind::Operating, total_budget_cents: Some(20_000_00), ..project() };
    assert_eq!(bonus_outcome(&rules, &esus, &operating).3, 11_400_00);
    rules.max_grant = MaxGrant::Flat { amount_cents: 5_000_00 };
    assert_eq!(bonus_outcome(&rules, &esus, &operating), (vec![], 0, None, 5_000_00));
}

// --- budget and flat maximum grants -------------------------------------------------------

#[test]
fn budget_max_grant() {
    let rule = MaxGrant::Budget { rate_bp: 5000, cap_cents: 15_000_00 };
    let with = |budget: Option<i64>, kind: ProjectKind| {
        max_grant_cents(&rule, &Project { kind, total_budget_cents: budget, ..project() }, 0)
    };
    // 50 % of 20 000 € = 10 000 €; the cap is reached at 30 000 €.
    assert_eq!(with(Some(20_000_00), ProjectKind::Operating), Ok(10_000_00));
    assert_eq!(with(Some(29_999_99), ProjectKind::Study), Ok(14_999_99));
    assert_eq!(with(Some(30_000_00), ProjectKind::Partnership), Ok(15_000_00));
    assert_eq!(with(Some(30_000_02), ProjectKind::Works), Ok(15_000_00));
    assert_eq!(with(Some(i64::MAX), ProjectKind::Rent), Ok(15_000_00));
    // Floor division: 50 % of 0,01 € is 0.
    assert_eq!(with(Some(1), ProjectKind::Operating), Ok(0));
    assert_eq!(with(Some(0), ProjectKind::Operating), Ok(0));
    assert_eq!(with(None, ProjectKind::Operating), Err(MaxGrantIssue::MissingData));
    assert_eq!(with(Some(-1), ProjectKind::Operating), Err(MaxGrantIssue::InvalidData));
    // With bonus points: 55 % of 20 000 €.
    let p = Project { total_budget_cents: Some(20_000_00), ..project() };
    assert_eq!(max_grant_cents(&rule, &p, 500), Ok(11_000_00));
}

#[test]
fn flat_max_grant() {
    let rule = MaxGrant::Flat { amount_cents: 5_000_00 };
    for kind in <ProjectKind as crate::domain::Code>::ALL {
        let p = Project { kind: *kind, eligible_expenses_cents: None, total_budget_cents: None, ..project() };
        assert_eq!(max_grant_cents(&rule, &p, 0), Ok(5_000_00), "{kind:?}");
        // Bonus points do not touch it.
        assert_eq!(max_grant_cents(&rule, &p, 1000), Ok(5_000_00), "{kind:?}");
    }
    assert_eq!(max_grant_cents(&MaxGrant::Flat { amount_cents: -5 }, &project(), 0), Ok(0));
    // The proposed grant for de minimis is the request, at most the flat amount.
    let mut rules = rules_di();
    rules.max_grant = rule;
    let p = Project { requested_cents: Some(9_000_00), ..project() };
    let report = eval(&rules, &applicant(), &p, &ctx());
    assert_eq!(
        (report.max_grant_cents, report.max_grant_issue, report.max_grant_rate_bp),
        (5_000_00, None, None)
    );
    assert_eq!(
        report.criterion(Criterion::DeMinimis).figures.get(FigureName::ProposedGrantCents),
        Some(FigureValue::Integer(5_000_00))
    );
}

#[test]
fn investment_rejects_projects_without_premises() {
    let rule = MaxGrant::Investment { rate_bp: 3000, cap_cents: 100_000_00 };
    for kind in [ProjectKind::Operating, ProjectKind::Study, ProjectKind::Partnership, ProjectKind::Rent] {
        assert_eq!(
            max_grant_cents(&rule, &Project { kind, ..project() }, 0),
            Err(MaxGrantIssue::ProjectKindMismatch)
        );
    }
    let rent = MaxGrant::Rent { rate_bp: 5000, max_months: 24, cap_cents: 20_000_00 };
    for kind in [ProjectKind::Operating, ProjectKind::Study, ProjectKind::Partnership, ProjectKind::Works] {
        assert_eq!(
            max_grant_cents(&rent, &Project { kind, ..rent_project() }, 0),
            Err(MaxGrantIssue::ProjectKindMismatch)
        );
    }
}

// --- de minimis -------------------------------------------------------------------------

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

#[test]
fn de_minimis_ceiling_boundaries() {
    use CriterionCode::*;
    let on = d(2024, 6, 15);
    let aid = |cents| Aid { granted_on: d(2023, 1, 1), amount_cents: cents };
    // Max grant is 60 000 €; declared 200 000 € + Essor 40 000 € + 60 000 € = 300 000 €.
    let at = de_minimis_with(Some(vec![aid(200_000_00)]), vec![aid(40_000_00)], on, None);
    assert_eq!((at.outcome, at.code), (Outcome::Pass, DeMinimisWithinCeiling));
    assert_eq!(at.figures.get(FigureName::TotalCents), Some(FigureValue::Integer(300_000_00)));
    let over = de_minimis_with(Some(vec![aid(200_000_01)]), vec![aid(40_000_00)], on, None);
    assert_eq!((over.outcome, over.code), (Outcome::Fail, DeMinimisCeilingExceeded));
    assert!(
        over.reason(Lang::En).ends_with("above the ceiling of €300,000.00 by €0.01."),
        "{}",
        over.reason(Lang::En)
    );
    let under = de_minimis_with(Some(vec![aid(199_999_99)]), vec![aid(40_000_00)], on, None);
    assert_eq!(under.outcome, Outcome::Pass);
    // A smaller request is what counts, not the maximum.
    let asked = de_minimis_with(Some(vec![aid(200_000_01)]), vec![aid(40_000_00)], on, Some(59_999_99));
    assert_eq!(asked.outcome, Outcome::Pass);
    // A larger request is capped at the maximum grant.
    let greedy = de_minimis_with(Some(vec![aid(200_000_00)]), vec![aid(40_000_00)], on, Some(1_000_000_00));
    assert_eq!(greedy.outcome, Outcome::Pass);
    assert_eq!(greedy.figures.get(FigureName::ProposedGrantCents), Some(FigureValue::Integer(60_000_00)));
}

#[test]
fn de_minimis_window_is_open_at_the_start_and_closed_at_the_end() {
    let on = d(2024, 6, 15);
    let big = 300_000_00; // on its own, with the 60 000 € grant, over the ceiling
    let at = |granted_on| {
        de_minimis_with(Some(vec![Aid { granted_on, amount_cents: big }]), vec![], on, None).outcome
    };
    assert_eq!(at(d(2021, 6, 15)), Outcome::Pass, "exactly 3 years before: outside");
    assert_eq!(at(d(2021, 6, 16)), Outcome::Fail, "3 years minus a day: inside");
    assert_eq!(at(d(2024, 6, 15)), Outcome::Fail, "on the evaluation date: inside");
    assert_eq!(at(d(2024, 6, 16)), Outcome::Pass, "after the evaluation date: outside");
    // The same holds for grants already in Essor.
    let essor = |granted_on| {
        de_minimis_with(Some(vec![]), vec![Aid { granted_on, amount_cents: big }], on, None).outcome
    };
    assert_eq!(essor(d(2021, 6, 15)), Outcome::Pass);
    assert_eq!(essor(d(2021, 6, 16)), Outcome::Fail);
}

#[test]
fn de_minimis_window_over_29_february() {
    assert_eq!(de_minimis_window_start(d(2028, 2, 29), 3), d(2025, 2, 28));
    assert_eq!(de_minimis_window_start(d(2027, 2, 28), 3), d(2024, 2, 28));
    assert_eq!(de_minimis_window_start(d(2027, 3, 1), 3), d(2024, 3, 1));
    let big = 300_000_00;
    let at = |on, granted_on| {
        de_minimis_with(Some(vec![Aid { granted_on, amount_cents: big }]), vec![], on, None).outcome
    };
    // Aid of 29 February 2024: inside the window ending 28 February 2027, outside from 1 March.
    assert_eq!(at(d(2027, 2, 28), d(2024, 2, 29)), Outcome::Fail);
    assert_eq!(at(d(2027, 3, 1), d(2024, 2, 29)), Outcome::Pass);
    // Window ending 29 February 2028 starts after 28 February 2025.
    assert_eq!(at(d(2028, 2, 29), d(2025, 2, 28)), Outcome::Pass);
    assert_eq!(at(d(2028, 2, 29), d(2025, 3, 1)), Outcome::Fail);
    // Extreme dates do not panic.
    assert_eq!(de_minimis_window_start(NaiveDate::MIN, 3), NaiveDate::MIN);
    assert_eq!(de_minimis_window_start(d(2024, 1, 1), u32::MAX), NaiveDate::MIN);
}

#[test]
fn de_minimis_without_declaration() {
    use CriterionCode::*;
    let on = d(2024, 6, 15);
    let r = de_minimis_with(None, vec![], on, None);
    assert_eq!((r.outcome, r.code), (Outcome::NeedsReview, DeMinimisNotDeclared));
    assert!(r.reason(Lang::En).contains("has not declared"), "{}", r.reason(Lang::En));
    // Essor grants alone already over the ceiling: a sure fail.
    let r =
        de_minimis_with(None, vec![Aid { granted_on: d(2024, 1, 1), amount_cents: 240_000_01 }], on, None);
    assert_eq!((r.outcome, r.code), (Outcome::Fail, DeMinimisCeilingExceeded));
    let r =
        de_minimis_with(None, vec![Aid { granted_on: d(2024, 1, 1), amount_cents: 240_000_00 }], on, None);
    assert_eq!((r.outcome, r.code), (Outcome::NeedsReview, DeMinimisNotDeclared));
    // Declared "none" is a declaration.
    let r = de_minimis_with(Some(vec![]), vec![], on, None);
    assert_eq!((r.outcome, r.code), (Outcome::Pass, DeMinimisWithinCeiling));
    // Negative amounts.
    let neg = vec![Aid { granted_on: d(2024, 1, 1), amount_cents: -1 }];
    assert_eq!(de_minimis_with(Some(neg.clone()), vec![], on, None).code, DeMinimisInconsistentData);
    assert_eq!(de_minimis_with(Some(vec![]), neg, on, None).code, DeMinimisInconsistentData);
    // Saturating sums.
    let huge = vec![Aid { granted_on: d(2024, 1, 1), amount_cents: i64::MAX }; 3];
    let r = de_minimis_with(Some(huge.clone()), huge, on, Some(i64::MAX));
    assert_eq!((r.outcome, r.code), (Outcome::Fail, DeMinimisCeilingExceeded));
    assert_eq!(r.figures.get(FigureName::TotalCents), Some(FigureValue::Integer(i64::MAX)));
    assert!(!r.reason(Lang::En).is_empty());
}

// --- max grant ---------------------------------------------------------------------------

#[test]
fn investment_max_grant() {
    let rule = MaxGrant::Investment { rate_bp: 3000, cap_cents: 100_000_00 };
    let with = |e| max_grant_cents(&rule, &Project { eligible_expenses_cents: e, ..project() }, 0);
    assert_eq!(with(Some(200_000_00)), Ok(60_000_00));
    // Floor division: 30 % of 0,03 € is 0,009 €, paid 0.
    assert_eq!(with(Some(3)), Ok(0));
    assert_eq!(with(Some(4)), Ok(1));
    assert_eq!(with(Some(333_333_33)), Ok(99_999_99));
    // Cap boundaries: the cap is reached exactly at 333 333,34 € (0,002 € floored away).
    assert_eq!(with(Some(333_333_34)), Ok(100_000_00));
    assert_eq!(with(Some(333_333_40)), Ok(100_000_00));
    assert_eq!(with(Some(i64::MAX)), Ok(100_000_00));
    assert_eq!(with(Some(0)), Ok(0));
    assert_eq!(with(Some(-1)), Err(MaxGrantIssue::InvalidData));
    assert_eq!(with(None), Err(MaxGrantIssue::MissingData));
    for kind in [ProjectKind::Purchase, ProjectKind::Construction, ProjectKind::Works] {
        assert_eq!(max_grant_cents(&rule, &Project { kind, ..project() }, 0), Ok(60_000_00));
    }
    assert_eq!(max_grant_cents(&rule, &rent_project(), 0), Err(MaxGrantIssue::ProjectKindMismatch));
}

#[test]
fn rent_max_grant() {
    let rule = MaxGrant::Rent { rate_bp: 5000, max_months: 24, cap_cents: 20_000_00 };
    let with = |rent, months| {
        max_grant_cents(&rule, &Project { monthly_rent_cents: rent, months, ..rent_project() }, 0)
    };
    // 50 % × 1 500 € × min(36, 24) = 18 000 €.
    assert_eq!(with(Some(1_500_00), Some(36)), Ok(18_000_00));
    assert_eq!(with(Some(1_500_00), Some(24)), Ok(18_000_00));
    assert_eq!(with(Some(1_500_00), Some(23)), Ok(17_250_00));
    assert_eq!(with(Some(1_500_00), Some(0)), Ok(0));
    // Cap boundary: 50 % × r × 24 = 20 000 € at r = 1 666,66(6) €.
    assert_eq!(with(Some(1_666_66), Some(24)), Ok(19_999_92));
    assert_eq!(with(Some(1_666_67), Some(24)), Ok(20_000_00));
    assert_eq!(with(Some(1), Some(1)), Ok(0));
    assert_eq!(with(Some(i64::MAX), Some(u32::MAX)), Ok(20_000_00));
    assert_eq!(with(Some(-1), Some(3)), Err(MaxGrantIssue::InvalidData));
    assert_eq!(with(None, Some(3)), Err(MaxGrantIssue::MissingData));
    assert_eq!(with(Some(1), None), Err(MaxGrantIssue::MissingData));
    assert_eq!(max_grant_cents(&rule, &project(), 0), Err(MaxGrantIssue::ProjectKindMismatch));
    // Unvalidated rules: a rate above 100 % or a negative cap still give 0..=cap.
    let wild = MaxGrant::Rent { rate_bp: u32::MAX, max_months: u32::MAX, cap_cents: -5 };
    assert_eq!(max_grant_cents(&wild, &rent_project(), 0), Ok(0));
}

#[test]
fn report_with_max_grant_issue() {
    let report = eval(&rules_dl(), &applicant(), &project(), &ctx());
    assert_eq!(report.max_grant_cents, 0);
    assert_eq!(report.max_grant_issue, Some(MaxGrantIssue::ProjectKindMismatch));
    // The requested amount is what de minimis counts then.
    let p = Project { requested_cents: Some(12_345), ..project() };
    let report = eval(&rules_dl(), &applicant(), &p, &ctx());
    assert_eq!(
        report.criterion(Criterion::DeMinimis).figures.get(FigureName::ProposedGrantCents),
        Some(FigureValue::Integer(12_345))
    );
    let report = eval(&rules_dl(), &applicant(), &rent_project(), &ctx());
    assert_eq!((report.max_grant_cents, report.max_grant_issue), (18_000_00, None));
    assert_eq!(report.overall, Outcome::Pass);
}

// --- overall, serialisation --------------------------------------------------------------

/// A result of `mode` and `outcome` (code and figures do not matter to the combination).
fn res(mode: CriterionMode, outcome: Outcome) -> CriterionResult {
    CriterionResult {
        criterion: Criterion::Employment,
        mode,
        outcome,
        code: CriterionCode::EmploymentMet,
        figures: Figures::EMPTY,
    }
}

#[test]
fn overall_combines_fail_over_review_over_pass() {
    use CriterionMode::{Advisory, Off, Required};
    use Outcome::{Fail, NeedsReview, NotEvaluated, Pass};
    assert_eq!(Outcome::combine(&[]), Pass);
    assert_eq!(Outcome::combine(&[res(Required, Pass), res(Required, Pass)]), Pass);
    assert_eq!(Outcome::combine(&[res(Required, Pass), res(Required, NeedsReview)]), NeedsReview);
    assert_eq!(
        Outcome::combine(&[res(Required, NeedsReview), res(Required, Fail), res(Required, Pass)]),
        Fail
    );
    // Advisory results and criteria turned off are not counted.
    assert_eq!(Outcome::combine(&[res(Required, Pass), res(Advisory, Fail)]), Pass);
    assert_eq!(Outcome::combine(&[res(Advisory, NeedsReview), res(Required, Pass)]), Pass);
    assert_eq!(Outcome::combine(&[res(Off, NotEvaluated), res(Required, Pass)]), Pass);
    assert_eq!(Outcome::combine(&[res(Off, NotEvaluated), res(Advisory, Fail)]), Pass);
    assert_eq!(Outcome::combine(&[res(Advisory, Fail), res(Required, NeedsReview)]), NeedsReview);
    let a = Applicant { salaried_staff_fte: None, ..applicant() };
    assert_eq!(eval(&rules_di(), &a, &project(), &ctx()).overall, Outcome::NeedsReview);
    let a = Applicant { salaried_staff_fte: None, legal_form_code: "1000".into(), ..applicant() };
    assert_eq!(eval(&rules_di(), &a, &project(), &ctx()).overall, Outcome::Fail);
}

#[test]
fn an_empty_applicant_needs_review_everywhere_and_does_not_panic() {
    let a = Applicant::default();
    let p = Project {
        kind: ProjectKind::Works,
        eligible_expenses_cents: None,
        monthly_rent_cents: None,
        months: None,
        premises_commune_code: None,
        requested_cents: None,
        total_budget_cents: None,
        premises_district_code: None,
        ticked_conditions: vec![],
    };
    let report = eval(&rules_di(), &a, &p, &ctx());
    assert!(report.criteria.iter().all(|c| c.outcome == Outcome::NeedsReview), "{report:#?}");
    assert_eq!(report.max_grant_issue, Some(MaxGrantIssue::MissingData));
}

#[test]
fn report_json_shape() {
    let a = Applicant {
        operating_revenue_cents: Some(42_000_00),
        operating_costs_cents: Some(100_000_00),
        sales_revenue_cents: Some(40_000_00),
        ..applicant()
    };
    let report = eval(&rules_di(), &a, &project(), &ctx());
    let json = serde_json::to_value(Localized::new(report, Lang::En)).unwrap();
    assert_eq!(json["overall"], "fail");
    assert_eq!(json["max_grant_cents"], 60_000_00);
    assert_eq!(json["max_grant_issue"], serde_json::Value::Null);
    let criteria = json["criteria"].as_array().unwrap();
    assert_eq!(criteria.len(), 6);
    let names: Vec<_> = criteria.iter().map(|c| c["criterion"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["employment", "market_activity", "own_revenue_share", "ess_status", "territory", "de_minimis"]
    );
    let own = &criteria[2];
    assert_eq!(own["outcome"], "fail");
    assert_eq!(own["code"], "own_revenue_share.below_threshold");
    assert_eq!(
        own["reason"],
        "Operating revenue (€42,000.00) covers only 42.00 % of operating costs (€100,000.00); the rules require at least 50.00 %."
    );
    assert_eq!(
        own["figures"],
        serde_json::json!([
            {"name": "operating_revenue_cents", "unit": "cents", "value": 4200000},
            {"name": "operating_costs_cents", "unit": "cents", "value": 10000000},
            {"name": "own_revenue_share_bp", "unit": "bp", "value": 4200},
            {"name": "min_own_revenue_share_bp", "unit": "bp", "value": 5000},
        ])
    );
    assert_eq!(
        criteria[3]["figures"][0],
        serde_json::json!({"name": "legal_form_code", "unit": "code", "value": "9220"})
    );
    assert_eq!(
        criteria[5]["figures"][5],
        serde_json::json!({"name": "window_start_exclusive", "unit": "date", "value": "2021-06-15"})
    );
    // The serialised codes are the documented ones.
    for c in report.criteria {
        assert_eq!(serde_json::to_value(c.code).unwrap(), c.code.as_str());
    }
}

#[test]
fn schema_matches_serialisation() {
    use utoipa::openapi::schema::Schema;
    let RefOr::T(Schema::Object(obj)) = CriterionResult::schema() else { panic!("object schema expected") };
    let mut props: Vec<_> = obj.properties.keys().cloned().collect();
    props.sort();
    let result = evaluate(&rules_di(), &applicant(), &project(), &ctx()).criteria[0];
    let json = serde_json::to_value(Localized::new(result, Lang::Fr)).unwrap();
    let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(props, keys);
    assert_eq!(CriterionResult::name(), "CriterionResult");
    let mut deps = Vec::new();
    CriterionResult::schemas(&mut deps);
    let names: Vec<_> = deps.iter().map(|(n, _)| n.as_str()).collect();
    for needed in ["Criterion", "Outcome", "CriterionCode", "Figure"] {
        assert!(names.contains(&needed), "{needed} in {names:?}");
    }
    let RefOr::T(Schema::Object(report)) = EligibilityReport::schema() else { panic!() };
    assert!(report.properties.contains_key("criteria"));
}

#[test]
fn every_reason_renders() {
    // Build one result of every code through the public engine and render it.
    let mut seen = std::collections::HashSet::new();
    let on = d(2024, 6, 15);
    let apps = [
        applicant(),
        Applicant::default(),
        Applicant {
            salaried_staff_fte: Some(0.0),
            declared_market_activity: Some(false),
            legal_form_code: "5710".into(),
            ..applicant()
        },
        Applicant {
            salaried_staff_fte: Some(-1.0),
            sales_revenue_cents: Some(-1),
            operating_revenue_cents: Some(-1),
            legal_form_code: "X".into(),
            ..applicant()
        },
        Applicant {
            salaried_staff_fte: Some(0.5),
            // 10 % of operating revenue from sales: market activity below the threshold.
            sales_revenue_cents: Some(1_000_00),
            operating_revenue_cents: Some(10_000_00),
            legal_form_code: "5710".into(),
            esus: Some(five_years_from(d(2030, 1, 1))),
            declared_de_minimis: None,
            ..applicant()
        },
        Applicant {
            legal_form_code: "5710".into(),
            esus: Some(five_years_from(d(2010, 1, 1))),
            declared_de_minimis: Some(vec![Aid { granted_on: on, amount_cents: -1 }]),
            ..applicant()
        },
        Applicant {
            legal_form_code: "5710".into(),
            esus: Some(five_years_from(d(2022, 1, 1))),
            declared_de_minimis: Some(vec![Aid { granted_on: on, amount_cents: 1_000_000_00 }]),
            ..applicant()
        },
        Applicant { legal_form_code: "6540".into(), ..applicant() },
    ];
    let mut rules = rules_di();
    rules.employment.min_salaried_staff_fte = Threshold::AtLeast(1.0);
    for a in &apps {
        for p in [
            project(),
            Project { premises_commune_code: None, ..project() },
            Project { premises_commune_code: Some("99999".into()), ..project() },
            Project { premises_commune_code: Some("35238".into()), ..project() },
        ] {
            for r in eval(&rules, a, &p, &ctx()).criteria {
                let reason = r.reason(Lang::En);
                assert!(reason.ends_with('.'), "{}: {reason}", r.code);
                assert!(
                    !reason.contains("not provided") || r.outcome != Outcome::Pass,
                    "{}: {reason}",
                    r.code
                );
                let french = r.reason(Lang::Fr);
                assert!(french.ends_with('.'), "{}: {french}", r.code);
                assert!(
                    !french.contains("non renseigné") || r.outcome != Outcome::Pass,
                    "{}: {french}",
                    r.code
                );
                // French figures: no English amount, decimal point or ISO date.
                assert!(!french.contains("€") || french.contains("\u{A0}€"), "{}: {french}", r.code);
                assert!(!french.contains(" %") && !french.contains(" FTE"), "{}: {french}", r.code);
                assert!(!french.contains("-06-15"), "{}: {french}", r.code);
                assert_eq!(r.reason_in(Lang::Fr).to_string(), french);
                seen.insert(r.code);
            }
        }
    }
    // The codes of "any" thresholds, of a head office territory and of criteria turned off.
    let mut relaxed = rules_di();
    relaxed.employment.min_salaried_staff_fte = Threshold::Any;
    relaxed.market_activity.min_sales_share_bp = Threshold::Any;
    relaxed.own_revenue.min_own_revenue_share_bp = Threshold::Any;
    relaxed.territory.applies_to = TerritoryScope::HeadOffice;
    for a in [
        applicant(),
        Applicant::default(),
        Applicant { head_office_commune_code: Some("35238".into()), ..applicant() },
        Applicant { head_office_commune_code: Some("00000".into()), ..applicant() },
    ] {
        for r in eval(&relaxed, &a, &project(), &ctx()).criteria {
            assert!(r.reason(Lang::En).ends_with('.'), "{}: {}", r.code, r.reason(Lang::En));
            seen.insert(r.code);
        }
    }
    let mut off = rules_di();
    off.employment.mode = CriterionMode::Off;
    off.market_activity.mode = CriterionMode::Off;
    off.own_revenue.mode = CriterionMode::Off;
    off.ess_status.mode = CriterionMode::Off;
    off.territory.mode = CriterionMode::Off;
    off.de_minimis.mode = CriterionMode::Off;
    for r in eval(&off, &applicant(), &project(), &ctx()).criteria {
        assert!(r.reason(Lang::En).starts_with("Not evaluated: "), "{}", r.reason(Lang::En));
        seen.insert(r.code);
    }
    assert_eq!(seen.len(), 40, "codes not exercised: {seen:?}");
}

#[test]
fn money_and_rate_formatting() {
    let cents = |v| {
        let mut s = String::new();
        write_cents(&mut s, v, Lang::En).unwrap();
        s
    };
    assert_eq!(cents(0), "€0.00");
    assert_eq!(cents(5), "€0.05");
    assert_eq!(cents(-5), "-€0.05");
    assert_eq!(cents(123_456_789), "€1,234,567.89");
    assert_eq!(cents(100_000_00), "€100,000.00");
    assert_eq!(cents(i64::MIN), "-€92,233,720,368,547,758.08");
    let mut s = String::new();
    write_bp(&mut s, 4200, Lang::En).unwrap();
    write_bp(&mut s, 5, Lang::En).unwrap();
    write_fte(&mut s, 350, Lang::En).unwrap();
    assert_eq!(s, "42.00 %0.05 %3.50 FTE");
}

#[test]
fn short_code() {
    assert_eq!(ShortCode::new("2A004").unwrap().as_str(), "2A004");
    assert_eq!(ShortCode::new("12345678").unwrap().as_str(), "12345678");
    assert!(ShortCode::new("123456789").is_none());
    assert!(ShortCode::new("").is_none());
    assert!(ShortCode::new("76 540").is_none());
    assert!(ShortCode::new("é").is_none());
}

#[test]
fn figures_are_compact_and_round_trip() {
    assert_eq!(std::mem::size_of::<Figure>(), 16);
    let mut f = Figures::EMPTY;
    f.date(FigureName::EvaluatedOn, d(2024, 2, 29));
    f.code(FigureName::CommuneCode, "2A004");
    f.int(FigureName::TotalCents, i64::MIN);
    f.code(FigureName::LegalFormCode, "far too long to keep");
    assert_eq!(f.len(), 3);
    assert_eq!(f.get(FigureName::EvaluatedOn), Some(FigureValue::Date(d(2024, 2, 29))));
    assert_eq!(f.get(FigureName::CommuneCode), Some(FigureValue::Code(ShortCode::new("2A004").unwrap())));
    assert_eq!(f.get(FigureName::TotalCents), Some(FigureValue::Integer(i64::MIN)));
    assert_eq!(f.get(FigureName::LegalFormCode), None);
    for name in
        [FigureName::SalariedStaffFte, FigureName::EsusValidityYears, FigureName::WindowStartExclusive]
    {
        let json = serde_json::to_value(name).unwrap();
        let back: FigureName = serde_json::from_value(json).unwrap();
        assert_eq!(back, name);
    }
    // Capacity: a seventh figure is dropped rather than panicking.
    let mut full = Figures::EMPTY;
    for i in 0..7 {
        full.int(FigureName::TotalCents, i);
    }
    assert_eq!(full.len(), MAX_FIGURES);
}

// --- French reasons -------------------------------------------------------------------------

/// French reasons with the space characters shown: `_` for U+202F (thousands) and `~` for
/// U+00A0 (before a unit).
fn french(r: &CriterionResult) -> String {
    r.reason(Lang::Fr).replace('\u{202F}', "_").replace('\u{A0}', "~")
}

#[test]
fn reasons_in_french() {
    assert_eq!(
        french(&own_with(5000, Some(42_000_00), Some(100_000_00))),
        "Les produits d'exploitation (42_000,00~€) ne couvrent que 42,00~% des charges d'exploitation (100_000,00~€) ; les règles exigent au moins 50,00~%."
    );
    assert_eq!(
        french(&market_with(3000, Some(true), Some(42_000_00), Some(100_000_00))),
        "Le chiffre d'affaires (42_000,00~€) représente 42,00~% des produits d'exploitation (100_000,00~€) ; les règles exigent au moins 30,00~%."
    );
    assert_eq!(
        french(&market_with(3000, Some(true), None, Some(100_000_00))),
        "La déclaration d'activité marchande, le chiffre d'affaires ou les produits d'exploitation ne sont pas renseignés ; un instructeur doit les obtenir."
    );
    let company = Applicant {
        legal_form_code: "5710".into(),
        esus: Some(five_years_from(d(2019, 6, 15))),
        ..applicant()
    };
    assert_eq!(
        french(eval(&rules_di(), &company, &project(), &ctx()).criterion(Criterion::EssStatus)),
        "L'agrément ESUS du 15/06/2019 était valable jusqu'au 14/06/2024, avant la date d'évaluation (15/06/2024)."
    );
    let valid = Applicant { esus: Some(five_years_from(d(2022, 1, 1))), ..company };
    assert_eq!(
        french(eval(&rules_di(), &valid, &project(), &ctx()).criterion(Criterion::EssStatus)),
        "La forme juridique 5710 est celle d'une société commerciale titulaire de l'agrément ESUS du 01/01/2022, valable jusqu'au 31/12/2026."
    );
    assert_eq!(
        french(eval(&rules_di(), &applicant(), &project(), &ctx()).criterion(Criterion::EssStatus)),
        "La forme juridique 9220 est celle d'une association, ce que le dispositif accepte."
    );
    let outside = Project { premises_commune_code: Some("35238".into()), ..project() };
    assert_eq!(
        french(eval(&rules_di(), &applicant(), &outside, &ctx()).criterion(Criterion::Territory)),
        "Les locaux sont situés dans la commune 35238, qui n'est pas l'une des 3 communes du territoire."
    );
    let staff = eval(&rules_di(), &applicant(), &project(), &ctx());
    assert_eq!(
        french(staff.criterion(Criterion::Employment)),
        "Effectif salarié : 4,50~ETP ; les règles exigent un effectif non nul d'au moins 0,00~ETP."
    );
    let aid = |cents| Aid { granted_on: d(2023, 1, 1), amount_cents: cents };
    let over = de_minimis_with(Some(vec![aid(200_000_01)]), vec![aid(40_000_00)], d(2024, 6, 15), None);
    assert_eq!(
        french(&over),
        "Aides de minimis accordées après le 15/06/2021 : aides déclarées 200_000,01~€ + subventions Essor 40_000,00~€ + cette subvention 60_000,00~€ = 300_000,01~€, au-delà du plafond de 300_000,00~€, qu'il dépasse de 0,01~€."
    );
    let undeclared = de_minimis_with(None, vec![], d(2024, 6, 15), None);
    assert!(
        french(&undeclared).ends_with(
            " ; plafond : 300_000,00~€. Le demandeur n'a pas déclaré les aides de minimis reçues d'autres organismes."
        ),
        "{}",
        french(&undeclared)
    );
}

#[test]
fn a_report_serialises_in_the_language_asked_for() {
    let report = eval(&rules_di(), &applicant(), &project(), &ctx());
    let fr = serde_json::to_value(Localized::new(report, Lang::Fr)).unwrap();
    let en = serde_json::to_value(Localized::new(report, Lang::En)).unwrap();
    for (i, result) in report.criteria.iter().enumerate() {
        assert_eq!(fr["criteria"][i]["reason"], result.reason(Lang::Fr));
        assert_eq!(en["criteria"][i]["reason"], result.reason(Lang::En));
        // Everything but the reason is the same in both languages.
        let mut same = fr["criteria"][i].clone();
        same["reason"] = en["criteria"][i]["reason"].clone();
        assert_eq!(same, en["criteria"][i]);
    }
}

#[test]
fn a_recorded_report_reads_back_and_renders_again() {
    for (a, on) in [(applicant(), d(2024, 6, 15)), (Applicant::default(), d(2024, 6, 15))] {
        let c = EvaluationContext { on, ..ctx() };
        let report = eval(&rules_di(), &a, &project(), &c);
        let recorded = serde_json::to_value(Localized::new(report, Lang::En)).unwrap();
        for (i, result) in report.criteria.iter().enumerate() {
            let read = CriterionResult::deserialize(&recorded["criteria"][i]).unwrap();
            assert_eq!(&read, result);
            assert_eq!(read.reason(Lang::Fr), result.reason(Lang::Fr));
        }
    }
    // A report recorded before approvals carried their end date.
    let old = serde_json::json!({
        "criterion": "ess_status", "outcome": "fail", "code": "ess_status.esus_expired",
        "reason": "…", "figures": [
            {"name": "legal_form_code", "unit": "code", "value": "5710"},
            {"name": "esus_approved_on", "unit": "date", "value": "2015-01-01"},
            {"name": "esus_expires_on", "unit": "date", "value": "2020-01-01"},
            {"name": "esus_validity_years", "unit": "count", "value": 5},
            {"name": "evaluated_on", "unit": "date", "value": "2024-06-15"}
        ]
    });
    let read = CriterionResult::deserialize(&old).unwrap();
    assert_eq!(
        read.reason(Lang::Fr),
        "L'agrément ESUS du 01/01/2015 a expiré le 01/01/2020 (validité de 5 ans), avant la date d'évaluation (15/06/2024)."
    );
    assert_eq!(
        read.reason(Lang::En),
        "The ESUS approval dated 2015-01-01 expired on 2020-01-01 (5-year validity), before the evaluation date 2024-06-15."
    );
    // What is not a recorded result is refused, not guessed.
    for bad in [
        serde_json::json!({"criterion": "ess_status", "outcome": "fail", "code": "nope", "figures": []}),
        serde_json::json!({"criterion": "ess_status", "outcome": "fail", "code": "ess_status.esus_expired",
            "figures": [{"name": "esus_approved_on", "value": 12}]}),
        serde_json::json!({"criterion": "ess_status", "outcome": "fail", "code": "ess_status.esus_expired",
            "figures": [{"name": "total_cents", "value": "12"}]}),
    ] {
        assert!(CriterionResult::deserialize(&bad).is_err(), "{bad}");
    }
}

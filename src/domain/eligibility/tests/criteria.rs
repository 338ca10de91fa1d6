//! The six criteria one by one: employment, market activity, own-revenue share, ESS status,
//! territory (de minimis is with the maximum grant, in `grants`).

use super::*;

// --- employment -------------------------------------------------------------------------

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

//! Criterion modes (`required`, `advisory`, `off`) and the thresholds `"any"`.

use super::*;

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

//! Bonuses, the kinds of maximum grant, de minimis.

use super::*;

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

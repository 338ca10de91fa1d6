//! The overall outcome, the report's serialisation and schema, the reasons in both languages.

use super::*;

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

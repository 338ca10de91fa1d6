// Money literals are grouped as euros_cents (`300_000_00` = 300 000,00 €).
#![allow(clippy::inconsistent_digit_grouping)]

use super::*;
use crate::domain::checks::is_criterion_code;
use crate::domain::identifiers::LegalFamily;
use crate::domain::FieldError;

fn rouen() -> Vec<String> {
    ["76540", "76451", "76681", "76217"].iter().map(|s| s.to_string()).collect()
}

fn fields(r: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
    r.unwrap_err().into_iter().map(|e| (e.field, e.code.to_string())).collect()
}

#[test]
fn templates_are_valid_and_documented() {
    for code in TEMPLATE_CODES {
        let rules = template(code, rouen()).unwrap();
        assert_eq!(rules.validate(), Ok(()), "{code}");
        assert!(template_scheme(code).is_some());
        let total: u32 = rules.assessment_grid.iter().map(|c| c.weight).sum();
        assert_eq!(total, 100);
    }
    assert!(template("XX", rouen()).is_none());
    assert!(template_scheme("XX").is_none());
    assert_eq!(template_scheme("DI-ESS").unwrap().0, "Dynamique Immobilier ESS");
    assert_eq!(template_scheme("DL-ESS").unwrap().0, "Dynamique Location ESS");
    let di = template("DI-ESS", rouen()).unwrap();
    assert_eq!(di.max_grant, MaxGrant::Investment { rate_bp: 3000, cap_cents: 10_000_000 });
    // Sales at least 30 % of operating revenue, 50 % own revenue: the documented defaults.
    assert_eq!(di.market_activity.min_sales_share_bp, Threshold::AtLeast(3000));
    assert_eq!(di.own_revenue.min_own_revenue_share_bp, Threshold::AtLeast(5000));
    let dl = template("DL-ESS", rouen()).unwrap();
    assert_eq!(dl.max_grant, MaxGrant::Rent { rate_bp: 5000, max_months: 24, cap_cents: 2_000_000 });
}

#[test]
fn json_round_trip_and_shape() {
    let rules = template("DL-ESS", rouen()).unwrap();
    let json = serde_json::to_value(&rules).unwrap();
    assert_eq!(json["max_grant"]["kind"], "rent");
    assert_eq!(json["max_grant"]["max_months"], 24);
    assert_eq!(json["ess_status"]["accepted_families"][4], "commercial_company");
    let back: RulesParameters = serde_json::from_value(json).unwrap();
    assert_eq!(back, rules);
}

#[test]
fn defaults_apply_when_omitted() {
    let mut json = serde_json::to_value(template("DI-ESS", rouen()).unwrap()).unwrap();
    json["de_minimis"] = serde_json::json!({});
    json["ess_status"].as_object_mut().unwrap().remove("esus_validity_years");
    let rules: RulesParameters = serde_json::from_value(json).unwrap();
    assert_eq!(rules.de_minimis.ceiling_cents, 300_000_00);
    assert_eq!(rules.de_minimis.window_years, 3);
    assert_eq!(rules.ess_status.esus_validity_years, 5);
}

#[test]
fn unknown_fields_are_refused_everywhere() {
    let base = serde_json::to_value(template("DI-ESS", rouen()).unwrap()).unwrap();
    for pointer in ["", "/employment", "/de_minimis", "/max_grant", "/assessment_grid/0", "/territory"] {
        let mut json = base.clone();
        json.pointer_mut(pointer).unwrap().as_object_mut().unwrap().insert("typo".into(), 1.into());
        assert!(serde_json::from_value::<RulesParameters>(json).is_err(), "{pointer}");
    }
    let mut json = base.clone();
    json["max_grant"] =
        serde_json::json!({"kind": "investment", "rate_bp": 1, "cap_cents": 1, "max_months": 3});
    assert!(serde_json::from_value::<RulesParameters>(json).is_err());
    let mut json = base;
    json["max_grant"] = serde_json::json!({"kind": "lump_sum", "cap_cents": 1});
    assert!(serde_json::from_value::<RulesParameters>(json).is_err());
}

#[test]
fn every_invalid_field_is_listed() {
    let mut rules = template("DL-ESS", rouen()).unwrap();
    rules.employment.min_salaried_staff_fte = Threshold::AtLeast(f64::NAN);
    rules.market_activity.min_sales_share_bp = Threshold::AtLeast(10_001);
    rules.own_revenue.min_own_revenue_share_bp = Threshold::AtLeast(20_000);
    rules.ess_status.accepted_families.push(LegalFamily::Mutual);
    rules.ess_status.esus_validity_years = 0;
    rules.territory.commune_codes = vec!["76540".into(), "7654".into(), "20001".into(), "76540".into()];
    rules.de_minimis = DeMinimisRule { mode: CriterionMode::Required, ceiling_cents: 0, window_years: 11 };
    rules.max_grant = MaxGrant::Rent { rate_bp: 0, max_months: 121, cap_cents: -1 };
    rules.assessment_grid[1].code = "Social utility".into();
    rules.assessment_grid[2].code = "jobs_created_or_kept".into();
    rules.assessment_grid[3].label = "   ".into();
    rules.assessment_grid[4].label = "é".repeat(201);
    rules.assessment_grid[0].weight = 0;
    rules.assessment_grid[0].scale_max = 21;
    let got = fields(rules.validate());
    let want: Vec<(String, String)> = [
        ("parameters.employment.min_salaried_staff_fte", "out_of_range"),
        ("parameters.market_activity.min_sales_share_bp", "out_of_range"),
        ("parameters.own_revenue.min_own_revenue_share_bp", "out_of_range"),
        ("parameters.ess_status.accepted_families[5]", "duplicate"),
        ("parameters.ess_status.esus_validity_years", "out_of_range"),
        ("parameters.territory.commune_codes[1]", "commune_code_format"),
        ("parameters.territory.commune_codes[2]", "commune_code_department"),
        ("parameters.territory.commune_codes[3]", "duplicate"),
        ("parameters.de_minimis.ceiling_cents", "out_of_range"),
        ("parameters.de_minimis.window_years", "out_of_range"),
        ("parameters.max_grant.rate_bp", "out_of_range"),
        ("parameters.max_grant.max_months", "out_of_range"),
        ("parameters.max_grant.cap_cents", "out_of_range"),
        ("parameters.assessment_grid[0].weight", "out_of_range"),
        ("parameters.assessment_grid[0].scale_max", "out_of_range"),
        ("parameters.assessment_grid[1].code", "invalid_format"),
        ("parameters.assessment_grid[2].code", "duplicate"),
        ("parameters.assessment_grid[3].label", "required"),
        ("parameters.assessment_grid[4].label", "too_long"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted = want;
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted);
}

#[test]
fn empty_and_oversized_lists() {
    let mut rules = template("DI-ESS", vec![]).unwrap();
    rules.ess_status.accepted_families.clear();
    rules.assessment_grid.clear();
    assert_eq!(
        fields(rules.validate()),
        vec![
            ("parameters.ess_status.accepted_families".to_string(), "required".to_string()),
            ("parameters.territory.commune_codes".to_string(), "required".to_string()),
            ("parameters.assessment_grid".to_string(), "required".to_string()),
        ]
    );

    let communes: Vec<String> = (0..2001).map(|i| format!("{:02}{:03}", 1 + i / 900, 1 + i % 900)).collect();
    let mut rules = template("DI-ESS", communes.clone()).unwrap();
    rules.assessment_grid = (0..21)
        .map(|i| GridCriterion { code: format!("c{i}"), label: "x".into(), weight: 1, scale_max: 1 })
        .collect();
    assert_eq!(
        fields(rules.validate()),
        vec![
            ("parameters.territory.commune_codes".to_string(), "too_many".to_string()),
            ("parameters.assessment_grid".to_string(), "too_many".to_string()),
        ]
    );
    // Exactly at the limits is fine.
    let rules = RulesParameters {
        territory: TerritoryRule {
            commune_codes: communes[..2000].to_vec(),
            ..template("DI-ESS", vec![]).unwrap().territory
        },
        assessment_grid: (0..20)
            .map(|i| GridCriterion {
                code: format!("c{i}"),
                label: "x".repeat(200),
                weight: 100,
                scale_max: 20,
            })
            .collect(),
        ..template("DI-ESS", vec![]).unwrap()
    };
    assert_eq!(rules.validate(), Ok(()));
}

#[test]
fn numeric_bounds_are_inclusive() {
    let ok = |f: &dyn Fn(&mut RulesParameters)| {
        let mut r = template("DL-ESS", rouen()).unwrap();
        f(&mut r);
        r.validate()
    };
    assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(0.0)).is_ok());
    assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(100_000.0)).is_ok());
    assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(100_000.01)).is_err());
    assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(-0.01)).is_err());
    assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(f64::INFINITY)).is_err());
    assert!(ok(&|r| r.market_activity.min_sales_share_bp = Threshold::AtLeast(0)).is_ok());
    assert!(ok(&|r| r.market_activity.min_sales_share_bp = Threshold::AtLeast(10_000)).is_ok());
    assert!(ok(&|r| r.own_revenue.min_own_revenue_share_bp = Threshold::AtLeast(10_000)).is_ok());
    assert!(ok(&|r| r.own_revenue.min_own_revenue_share_bp = Threshold::AtLeast(10_001)).is_err());
    assert!(ok(&|r| r.de_minimis.ceiling_cents = 1).is_ok());
    assert!(ok(&|r| r.de_minimis.ceiling_cents = MAX_CEILING_CENTS).is_ok());
    assert!(ok(&|r| r.de_minimis.ceiling_cents = MAX_CEILING_CENTS + 1).is_err());
    assert!(ok(&|r| r.de_minimis.window_years = 1).is_ok());
    assert!(ok(&|r| r.de_minimis.window_years = 10).is_ok());
    assert!(ok(&|r| r.de_minimis.window_years = 0).is_err());
    assert!(ok(&|r| r.max_grant = MaxGrant::Rent { rate_bp: 1, max_months: 1, cap_cents: 1 }).is_ok());
    assert!(ok(
        &|r| r.max_grant = MaxGrant::Rent { rate_bp: 10_000, max_months: 120, cap_cents: MAX_CAP_CENTS }
    )
    .is_ok());
    assert!(ok(&|r| r.max_grant = MaxGrant::Investment { rate_bp: 10_001, cap_cents: 1 }).is_err());
    assert!(ok(&|r| r.max_grant = MaxGrant::Investment { rate_bp: 1, cap_cents: MAX_CAP_CENTS + 1 }).is_err());
    assert!(ok(&|r| r.max_grant = MaxGrant::Investment { rate_bp: 1, cap_cents: 0 }).is_err());
    assert!(ok(&|r| r.ess_status.esus_validity_years = 10).is_ok());
    assert!(ok(&|r| r.ess_status.esus_validity_years = 11).is_err());
}

#[test]
fn criterion_codes() {
    for ok in ["a", "social_utility", "c1", "jobs_created_or_kept", &"a".repeat(40)] {
        assert!(is_criterion_code(ok), "{ok}");
    }
    for bad in ["", "_a", "a_", "a__b", "A", "1a", "a-b", "a b", "é", &"a".repeat(41)] {
        assert!(!is_criterion_code(bad), "{bad}");
    }
}

/// A version stored before modes, "any", the territory scope, the budget and flat kinds and
/// bonuses existed: the JSON the templates gave then.
fn stored_before_modes() -> serde_json::Value {
    let mut json = serde_json::to_value(template("DI-ESS", rouen()).unwrap()).unwrap();
    for section in ["employment", "market_activity", "own_revenue", "ess_status", "territory", "de_minimis"] {
        json[section].as_object_mut().unwrap().remove("mode");
    }
    json["territory"].as_object_mut().unwrap().remove("applies_to");
    json.as_object_mut().unwrap().remove("bonuses");
    json["employment"]["min_salaried_staff_fte"] = serde_json::json!(0.0);
    json
}

#[test]
fn versions_stored_before_modes_read_as_the_templates() {
    let rules: RulesParameters = serde_json::from_value(stored_before_modes()).unwrap();
    assert_eq!(rules, template("DI-ESS", rouen()).unwrap());
    assert_eq!(rules.employment.mode, CriterionMode::Required);
    assert_eq!(rules.territory.applies_to, TerritoryScope::Premises);
    assert_eq!(rules.bonuses, Bonuses { max_extra_bp: 0, items: vec![] });
    // And they are written with every setting explicit.
    let json = serde_json::to_value(&rules).unwrap();
    assert_eq!(json["de_minimis"]["mode"], "required");
    assert_eq!(json["territory"]["applies_to"], "premises");
    assert_eq!(json["bonuses"], serde_json::json!({"max_extra_bp": 0, "items": []}));
    assert_eq!(json["market_activity"]["min_sales_share_bp"], 3000);
}

#[test]
fn thresholds_are_any_or_a_number() {
    let mut json = stored_before_modes();
    json["employment"]["min_salaried_staff_fte"] = "any".into();
    json["market_activity"]["min_sales_share_bp"] = "any".into();
    json["own_revenue"]["min_own_revenue_share_bp"] = 2500.into();
    json["employment"]["mode"] = "advisory".into();
    json["ess_status"]["mode"] = "off".into();
    let rules: RulesParameters = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(rules.employment.min_salaried_staff_fte, Threshold::Any);
    assert_eq!(rules.market_activity.min_sales_share_bp, Threshold::Any);
    assert_eq!(rules.own_revenue.min_own_revenue_share_bp, Threshold::AtLeast(2500));
    assert_eq!(rules.employment.mode, CriterionMode::Advisory);
    assert_eq!(rules.ess_status.mode, CriterionMode::Off);
    assert_eq!(rules.validate(), Ok(()));
    let back = serde_json::to_value(&rules).unwrap();
    assert_eq!(back["employment"]["min_salaried_staff_fte"], "any");
    assert_eq!(back["own_revenue"]["min_own_revenue_share_bp"], 2500);
    assert_eq!(serde_json::from_value::<RulesParameters>(back).unwrap(), rules);
    // An integral FTE reads as a number too.
    json["employment"]["min_salaried_staff_fte"] = 2.into();
    let rules: RulesParameters = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(rules.employment.min_salaried_staff_fte, Threshold::AtLeast(2.0));
    // Anything else is refused, saying what is expected.
    for bad in [
        serde_json::json!("ANY"),
        serde_json::json!("all"),
        serde_json::json!(null),
        serde_json::json!(-1),
        serde_json::json!(30.5),
        serde_json::json!(true),
    ] {
        let mut json = json.clone();
        json["market_activity"]["min_sales_share_bp"] = bad.clone();
        let err = serde_json::from_value::<RulesParameters>(json).unwrap_err().to_string();
        assert!(err.contains("the string \"any\" or a number"), "{bad}: {err}");
    }
    for bad in ["mandatory", "OFF", ""] {
        let mut json = stored_before_modes();
        json["territory"]["mode"] = bad.into();
        assert!(serde_json::from_value::<RulesParameters>(json).is_err(), "{bad}");
    }
}

/// A "bonifications ESS" version: investment at 30 % + up to 10 points.
fn with_bonuses() -> RulesParameters {
    let mut rules = template("DI-ESS", rouen()).unwrap();
    rules.bonuses = serde_json::from_value(serde_json::json!({
        "max_extra_bp": 1000,
        "items": [
            {"code": "esus", "label": "Entreprise agréée ESUS", "extra_bp": 500, "when": {"kind": "esus_approval"}},
            {"code": "qpv", "label": "Locaux en quartier prioritaire", "extra_bp": 500,
             "when": {"kind": "premises_in_districts", "district_codes": ["QN07601M", "QN07602M"]}},
            {"code": "rive_gauche", "label": "Locaux rive gauche", "extra_bp": 300,
             "when": {"kind": "premises_in_communes", "commune_codes": ["76540", "76681"]}},
            {"code": "label_ecologique", "label": "Label environnemental", "extra_bp": 700,
             "when": {"kind": "instructor_condition"}}
        ]
    }))
    .unwrap();
    rules
}

#[test]
fn bonuses_round_trip_and_validate() {
    let rules = with_bonuses();
    assert_eq!(rules.validate(), Ok(()));
    let json = serde_json::to_value(&rules).unwrap();
    assert_eq!(json["bonuses"]["items"][0]["when"], serde_json::json!({"kind": "esus_approval"}));
    assert_eq!(json["bonuses"]["items"][3]["when"], serde_json::json!({"kind": "instructor_condition"}));
    assert_eq!(serde_json::from_value::<RulesParameters>(json).unwrap(), rules);
    assert!(rules.bonuses.instructor_condition("label_ecologique").is_some());
    assert!(rules.bonuses.instructor_condition("esus").is_none(), "not ticked by an instructor");
    assert!(rules.bonuses.instructor_condition("nope").is_none());
    // Unknown fields are refused in bonuses, in a bonus and in its condition.
    let base = serde_json::to_value(&rules).unwrap();
    for pointer in ["/bonuses", "/bonuses/items/0", "/bonuses/items/0/when", "/bonuses/items/1/when"] {
        let mut json = base.clone();
        json.pointer_mut(pointer).unwrap().as_object_mut().unwrap().insert("typo".into(), 1.into());
        assert!(serde_json::from_value::<RulesParameters>(json).is_err(), "{pointer}");
    }
    let mut json = base.clone();
    json["bonuses"]["items"][0]["when"] = serde_json::json!({"kind": "holds_a_label"});
    assert!(serde_json::from_value::<RulesParameters>(json).is_err());
    // Both fields of `bonuses` are needed once it is given.
    let mut json = base;
    json["bonuses"] = serde_json::json!({"items": []});
    assert!(serde_json::from_value::<RulesParameters>(json).is_err());
}

#[test]
fn every_invalid_bonus_field_is_listed() {
    let mut rules = with_bonuses();
    rules.bonuses.max_extra_bp = 10_001;
    let items = &mut rules.bonuses.items;
    items[0].code = "Bonus ESUS".into();
    items[3].code = "qpv".into();
    items[1].label = " ".into();
    items[1].extra_bp = 0;
    items[1].when = BonusCondition::PremisesInDistricts {
        district_codes: vec!["QN07601M".into(), "qn1".into(), "QN07601M".into(), "X".repeat(21)],
    };
    items[2].label = "x".repeat(201);
    items[2].extra_bp = 10_001;
    items[2].when = BonusCondition::PremisesInCommunes {
        commune_codes: vec!["76540".into(), "7654".into(), "76540".into()],
    };
    items.push(Bonus {
        code: "vide".into(),
        label: "Vide".into(),
        extra_bp: 1,
        when: BonusCondition::PremisesInDistricts { district_codes: vec![] },
    });
    items.push(Bonus {
        code: "aucune".into(),
        label: "Aucune".into(),
        extra_bp: 1,
        when: BonusCondition::PremisesInCommunes { commune_codes: vec![] },
    });
    let mut got = fields(rules.validate());
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("parameters.bonuses.max_extra_bp", "out_of_range"),
        ("parameters.bonuses.items[0].code", "invalid_format"),
        ("parameters.bonuses.items[3].code", "duplicate"),
        ("parameters.bonuses.items[1].label", "required"),
        ("parameters.bonuses.items[1].extra_bp", "out_of_range"),
        ("parameters.bonuses.items[1].when.district_codes[1]", "invalid_format"),
        ("parameters.bonuses.items[1].when.district_codes[2]", "duplicate"),
        ("parameters.bonuses.items[1].when.district_codes[3]", "invalid_format"),
        ("parameters.bonuses.items[2].label", "too_long"),
        ("parameters.bonuses.items[2].extra_bp", "out_of_range"),
        ("parameters.bonuses.items[2].when.commune_codes[1]", "commune_code_format"),
        ("parameters.bonuses.items[2].when.commune_codes[2]", "duplicate"),
        ("parameters.bonuses.items[4].when.district_codes", "required"),
        ("parameters.bonuses.items[5].when.commune_codes", "required"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn bonus_limits() {
    let mut rules = with_bonuses();
    // Listed bonuses need room for at least one point.
    rules.bonuses.max_extra_bp = 0;
    assert_eq!(
        fields(rules.validate()),
        vec![("parameters.bonuses.max_extra_bp".to_string(), "out_of_range".to_string())]
    );
    rules.bonuses.max_extra_bp = 1;
    assert_eq!(rules.validate(), Ok(()));
    rules.bonuses.max_extra_bp = 10_000;
    assert_eq!(rules.validate(), Ok(()));
    // No bonus, no cap needed.
    rules.bonuses = Bonuses::default();
    assert_eq!(rules.validate(), Ok(()));
    // 20 bonuses at most.
    let bonus = |i: usize| Bonus {
        code: format!("b{i}"),
        label: "x".repeat(200),
        extra_bp: 10_000,
        when: BonusCondition::InstructorCondition {},
    };
    rules.bonuses = Bonuses { max_extra_bp: 10_000, items: (0..20).map(bonus).collect() };
    assert_eq!(rules.validate(), Ok(()));
    rules.bonuses.items.push(bonus(20));
    assert_eq!(
        fields(rules.validate()),
        vec![("parameters.bonuses.items".to_string(), "too_many".to_string())]
    );
    // Districts: 500 at most.
    let districts: Vec<String> = (0..501).map(|i| format!("QN{i:06}")).collect();
    rules.bonuses.items = vec![Bonus {
        when: BonusCondition::PremisesInDistricts { district_codes: districts[..500].to_vec() },
        ..bonus(0)
    }];
    assert_eq!(rules.validate(), Ok(()));
    rules.bonuses.items[0].when = BonusCondition::PremisesInDistricts { district_codes: districts };
    assert_eq!(
        fields(rules.validate()),
        vec![("parameters.bonuses.items[0].when.district_codes".to_string(), "too_many".to_string())]
    );
}

#[test]
fn budget_and_flat_kinds() {
    let mut rules = template("DI-ESS", rouen()).unwrap();
    rules.max_grant = MaxGrant::Budget { rate_bp: 5000, cap_cents: 15_000_00 };
    assert_eq!(rules.validate(), Ok(()));
    assert_eq!((rules.max_grant.rate_bp(), rules.max_grant.cap_cents()), (Some(5000), 15_000_00));
    let json = serde_json::to_value(&rules.max_grant).unwrap();
    assert_eq!(json, serde_json::json!({"kind": "budget", "rate_bp": 5000, "cap_cents": 1500000}));
    rules.max_grant = MaxGrant::Budget { rate_bp: 0, cap_cents: MAX_CAP_CENTS + 1 };
    assert_eq!(
        fields(rules.validate()),
        vec![
            ("parameters.max_grant.rate_bp".to_string(), "out_of_range".to_string()),
            ("parameters.max_grant.cap_cents".to_string(), "out_of_range".to_string()),
        ]
    );
    rules.max_grant = MaxGrant::Flat { amount_cents: 5_000_00 };
    assert_eq!(rules.validate(), Ok(()));
    assert_eq!((rules.max_grant.rate_bp(), rules.max_grant.cap_cents()), (None, 5_000_00));
    assert_eq!(
        serde_json::to_value(&rules.max_grant).unwrap(),
        serde_json::json!({"kind": "flat", "amount_cents": 500000})
    );
    for (amount, ok) in [(0, false), (1, true), (MAX_CAP_CENTS, true), (MAX_CAP_CENTS + 1, false)] {
        rules.max_grant = MaxGrant::Flat { amount_cents: amount };
        assert_eq!(rules.validate().is_ok(), ok, "{amount}");
    }
    // A flat grant has no rate for bonuses to raise.
    let mut flat = with_bonuses();
    flat.max_grant = MaxGrant::Flat { amount_cents: 5_000_00 };
    assert_eq!(
        fields(flat.validate()),
        vec![("parameters.bonuses.items".to_string(), "not_applicable".to_string())]
    );
    let mut json = serde_json::to_value(template("DI-ESS", rouen()).unwrap()).unwrap();
    json["max_grant"] = serde_json::json!({"kind": "flat", "amount_cents": 1, "cap_cents": 1});
    assert!(serde_json::from_value::<RulesParameters>(json).is_err());
}

//! What a rules version configures (issue 11, items 4 and 5): each criterion required,
//! advisory or off; "any" instead of a threshold; schemes without premises (the head office's
//! commune); budget and flat maximum grants; bonuses; and a dossier judged by the version of
//! its first submission whatever versions come after.

use essor::domain::lifecycle::DossierStatus::{Submitted, UnderReview};
use serde_json::{json, Value};

use crate::builders::{etag, Dossier, DossierBuilder};
use crate::helpers::{
    both_backends, grid_scores, rules_parameters, spawn_app, Applicant, Backend, Client, TestApp,
};

both_backends!(
    each_mode_counts_as_the_rules_say,
    advisory_and_off_criteria_never_block_a_decision,
    thresholds_are_any_or_a_number_at_their_boundaries,
    a_scheme_without_premises_checks_the_head_office,
    budget_and_flat_maximum_grants,
    each_bonus_applies_on_its_condition_within_the_cap,
    instructors_tick_conditions_on_the_assessment,
    a_dossier_keeps_the_judgement_of_its_first_submission,
    the_readme_bonifications_example_judges_as_it_says,
    accounts_are_needed_to_submit_only_for_a_revenue_minimum,
    the_document_says_which_bonuses_a_version_takes,
);

/// DI-ESS template parameters (communes 76540, 76451, 76681) changed by `adjust`.
fn params(adjust: impl FnOnce(&mut Value)) -> Value {
    let mut p = rules_parameters("DI-ESS");
    adjust(&mut p);
    p
}

/// A scheme with one rules version in force since 2020.
async fn scheme_with(app: &TestApp, code: &str, parameters: Value) -> String {
    let id = app.create_scheme(code).await;
    app.add_rules(&id, "2020-01-01", parameters).await.ok(201);
    id
}

/// The result of `criterion` in an eligibility view.
fn criterion<'v>(view: &'v Value, name: &str) -> &'v Value {
    view["report"]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == name)
        .unwrap_or_else(|| panic!("{name} in {view}"))
}

/// (mode, outcome, code) of a criterion.
fn judged(view: &Value, name: &str) -> (String, String, String) {
    let c = criterion(view, name);
    let s = |key: &str| c[key].as_str().unwrap().to_string();
    (s("mode"), s("outcome"), s("code"))
}

fn figure(result: &Value, name: &str) -> Option<Value> {
    result["figures"].as_array().unwrap().iter().find(|f| f["name"] == name).map(|f| f["value"].clone())
}

/// The eligibility an instructor gets of a dossier now.
async fn eligibility(app: &TestApp, dossier: &Dossier) -> Value {
    app.instructor().get(&dossier.path_to("eligibility")).await.ok(200).clone()
}

/// No salaried staff, and operating revenue covering 31.25 % of costs: employment and the
/// own-revenue share fail the templates.
async fn weak_applicant(app: &TestApp) -> Applicant {
    app.register_applicant_with(|o| {
        o["salaried_staff_fte"] = json!(0);
        o["accounts"]["operating_revenue_cents"] = json!(100_000_00);
        o["accounts"]["sales_revenue_cents"] = json!(80_000_00);
    })
    .await
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

fn this_year() -> i64 {
    chrono::Datelike::year(&chrono::Utc::now().date_naive()).into()
}

async fn open_envelope(app: &TestApp, scheme: &str) {
    app.finance()
        .post(
            "/api/v1/envelopes",
            &json!({"scheme_id": scheme, "year": this_year(), "amount_cents": 1_000_000_00}),
        )
        .await
        .ok(201);
}

async fn approve(instructor: &Client<'_>, dossier: &Dossier, body: Value) -> crate::helpers::Resp {
    instructor.post_once(&dossier.path_to("approve"), &body, &uuid::Uuid::new_v4().to_string()).await
}

fn approval(granted_cents: i64) -> Value {
    json!({"granted_cents": granted_cents, "decided_on": today(), "decision_reference": "DEL-2027-01"})
}

async fn each_mode_counts_as_the_rules_say(backend: Backend) {
    let app = spawn_app(backend).await;
    let weak = weak_applicant(&app).await;
    let with_modes = |mode: &str| {
        params(|p| {
            p["employment"]["mode"] = json!(mode);
            p["own_revenue"]["mode"] = json!(mode);
        })
    };

    // Required (the default): both fail, and so does the whole.
    let required = scheme_with(&app, "REQ", with_modes("required")).await;
    let d = DossierBuilder::new(&app).scheme(&required).applicant(&weak).draft().await;
    let view = eligibility(&app, &d).await;
    assert_eq!(view["report"]["overall"], "fail", "{view}");
    assert_eq!(
        judged(&view, "employment"),
        ("required".into(), "fail".into(), "employment.no_salaried_staff".into())
    );
    assert_eq!(
        judged(&view, "own_revenue_share"),
        ("required".into(), "fail".into(), "own_revenue_share.below_threshold".into())
    );

    // Advisory: the same results are reported, marked advisory, and the whole passes.
    let advisory = scheme_with(&app, "ADV", with_modes("advisory")).await;
    let d = DossierBuilder::new(&app).scheme(&advisory).applicant(&weak).in_status(Submitted).await;
    let view = eligibility(&app, &d).await;
    assert_eq!(view["report"]["overall"], "pass", "{view}");
    assert_eq!(
        judged(&view, "employment"),
        ("advisory".into(), "fail".into(), "employment.no_salaried_staff".into())
    );
    assert_eq!(
        judged(&view, "own_revenue_share"),
        ("advisory".into(), "fail".into(), "own_revenue_share.below_threshold".into())
    );
    assert!(
        criterion(&view, "employment")["reason"]
            .as_str()
            .unwrap()
            .ends_with("Critère indicatif : signalé, sans effet sur le résultat d'ensemble."),
        "{view}"
    );
    assert_eq!(judged(&view, "ess_status").0, "required");
    // Recorded as such: the snapshot passes, and keeps the modes it was judged with.
    let snapshot = app.instructor().post(&d.path_to("eligibility"), &json!({})).await;
    assert_eq!(snapshot.ok(201)["overall"], "pass");
    assert_eq!(snapshot.body["report"]["criteria"][0]["mode"], "advisory");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM eligibility_snapshots WHERE dossier_id = '{}' AND overall = 'pass' \
             AND report LIKE '%\"mode\":\"advisory\"%'",
            d.id
        )),
        1
    );

    // Off: not evaluated, no figure, not counted.
    let off = scheme_with(&app, "OFF", with_modes("off")).await;
    let d = DossierBuilder::new(&app).scheme(&off).applicant(&weak).in_status(Submitted).await;
    let view = eligibility(&app, &d).await;
    assert_eq!(view["report"]["overall"], "pass", "{view}");
    assert_eq!(judged(&view, "employment"), ("off".into(), "not_evaluated".into(), "employment.off".into()));
    assert_eq!(
        judged(&view, "own_revenue_share"),
        ("off".into(), "not_evaluated".into(), "own_revenue_share.off".into())
    );
    assert_eq!(criterion(&view, "employment")["figures"], json!([]));
    assert_eq!(view["report"]["criteria"].as_array().unwrap().len(), 6);
    app.instructor().post(&d.path_to("eligibility"), &json!({})).await.ok(201);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM eligibility_snapshots WHERE dossier_id = '{}' AND overall = 'pass' \
             AND report LIKE '%\"outcome\":\"not_evaluated\"%'",
            d.id
        )),
        1
    );

    // A mode that does not exist is refused, naming the field.
    let bad = app.add_rules(&off, "2021-01-01", params(|p| p["territory"]["mode"] = json!("optional"))).await;
    assert_eq!(bad.problem(400)["errors"][0]["field"], "parameters.territory.mode");
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM rules_versions WHERE scheme_id = '{off}'")), 1);
}

async fn advisory_and_off_criteria_never_block_a_decision(backend: Backend) {
    let app = spawn_app(backend).await;
    let instructor = app.instructor();
    let outside = |d: &mut Value| d["premises_commune_code"] = json!("35238");
    // Premises outside the territory block the decision when the territory is required...
    let required = app.open_scheme("REQ").await;
    open_envelope(&app, &required).await;
    let d = DossierBuilder::new(&app)
        .scheme(&required)
        .with_body(outside)
        .instructor(&instructor)
        .in_status(UnderReview)
        .await;
    let blocked = approve(&instructor, &d, approval(60_000_00)).await;
    assert_eq!(blocked.problem(409)["criterion"], "territory");
    // ... not when it is advisory, nor off: no justification needed, nothing blocks.
    for mode in ["advisory", "off"] {
        let scheme =
            scheme_with(&app, &mode.to_uppercase(), params(|p| p["territory"]["mode"] = json!(mode))).await;
        open_envelope(&app, &scheme).await;
        let d = DossierBuilder::new(&app)
            .scheme(&scheme)
            .with_body(outside)
            .instructor(&instructor)
            .in_status(UnderReview)
            .await;
        let approved = approve(&instructor, &d, approval(60_000_00)).await;
        assert_eq!(approved.ok(200)["status"], "approved", "{mode}");
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND status = 'approved' AND granted_cents = 6000000",
                d.id
            )),
            1,
            "{mode}"
        );
    }
}

async fn thresholds_are_any_or_a_number_at_their_boundaries(backend: Backend) {
    let app = spawn_app(backend).await;
    // No salaried staff; sales of 1 cent in 100 000 € of revenue (a share of 0 bp); revenue
    // covering exactly 1 bp of 1 000 000 000 € of costs.
    let bare = app
        .register_applicant_with(|o| {
            o["salaried_staff_fte"] = json!(0);
            o["accounts"] = json!({"year": 2025, "operating_revenue_cents": 100_000_00,
                "sales_revenue_cents": 1, "operating_costs_cents": 1_000_000_000_00i64});
        })
        .await;
    let thresholds = |fte: Value, sales: Value, own: Value| {
        params(|p| {
            p["employment"]["min_salaried_staff_fte"] = fte;
            p["market_activity"]["min_sales_share_bp"] = sales;
            p["own_revenue"]["min_own_revenue_share_bp"] = own;
        })
    };
    let view_under = |parameters: Value, code: &'static str| {
        let app = &app;
        let bare = bare.clone();
        async move {
            let scheme = scheme_with(app, code, parameters).await;
            let d = DossierBuilder::new(app).scheme(&scheme).applicant(&bare).draft().await;
            (scheme, eligibility(app, &d).await)
        }
    };

    // One step above what the applicant has: each fails.
    let (_, above) = view_under(thresholds(json!(0), json!(1), json!(2)), "ABOVE").await;
    assert_eq!(judged(&above, "employment").1, "fail");
    assert_eq!(judged(&above, "market_activity").2, "market_activity.below_threshold");
    assert_eq!(judged(&above, "own_revenue_share").2, "own_revenue_share.below_threshold");
    assert_eq!(figure(criterion(&above, "own_revenue_share"), "own_revenue_share_bp"), Some(json!(1)));
    // Exactly at it: the shares pass (employment needs some staff whatever the number).
    let (_, at) = view_under(thresholds(json!(0), json!(0), json!(1)), "AT").await;
    assert_eq!(judged(&at, "market_activity").2, "market_activity.met");
    assert_eq!(judged(&at, "own_revenue_share").2, "own_revenue_share.met");
    assert_eq!(judged(&at, "employment").1, "fail");
    // "any": all three pass, without a threshold figure.
    let (scheme, any) = view_under(thresholds(json!("any"), json!("any"), json!("any")), "ANY").await;
    for (name, code, threshold) in [
        ("employment", "employment.no_minimum", "min_salaried_staff_fte"),
        ("market_activity", "market_activity.no_minimum", "min_sales_share_bp"),
        ("own_revenue_share", "own_revenue_share.no_minimum", "min_own_revenue_share_bp"),
    ] {
        assert_eq!(judged(&any, name), ("required".into(), "pass".into(), code.into()), "{any}");
        assert_eq!(figure(criterion(&any, name), threshold), None, "{name}");
    }
    assert_eq!(figure(criterion(&any, "employment"), "salaried_staff_fte"), Some(json!(0)));
    assert_eq!(any["report"]["overall"], "pass");
    // Stored and shown as written.
    let versions = app.admin().get(&format!("/api/v1/schemes/{scheme}/rules")).await;
    let stored = &versions.ok(200)[0]["parameters"];
    assert_eq!(stored["employment"]["min_salaried_staff_fte"], "any");
    assert_eq!(stored["market_activity"]["min_sales_share_bp"], "any");
    assert_eq!(stored["own_revenue"]["mode"], "required");

    // Under "any", neither accounts nor figures are needed for the shares; the declaration of
    // a market activity is.
    let no_accounts = app
        .register_applicant_with(|o| {
            o["accounts"] = Value::Null;
            o["salaried_staff_fte"] = json!(0);
        })
        .await;
    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&no_accounts).draft().await;
    let view = eligibility(&app, &d).await;
    assert_eq!(judged(&view, "own_revenue_share").1, "pass");
    assert_eq!(judged(&view, "market_activity").1, "pass");
    let undeclared = app.register_applicant_with(|o| o["market_activity"] = Value::Null).await;
    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&undeclared).draft().await;
    assert_eq!(judged(&eligibility(&app, &d).await, "market_activity").1, "needs_review");

    // Anything but "any" or a number in range is refused, naming the field.
    let typo = app.add_rules(&scheme, "2021-01-01", thresholds(json!("all"), json!(0), json!(0))).await;
    let problem = typo.problem(400);
    assert_eq!(problem["errors"][0]["field"], "parameters.employment.min_salaried_staff_fte");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("\"any\" or a number"), "{problem}");
    let out =
        app.add_rules(&scheme, "2021-01-01", thresholds(json!(-1.5), json!(10_001), json!("any"))).await;
    out.problem(422);
    let mut fields = out.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["parameters.employment.min_salaried_staff_fte", "parameters.market_activity.min_sales_share_bp"]
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM rules_versions WHERE scheme_id = '{scheme}'")),
        1
    );
}

/// An operating grant: no premises, a total budget.
fn operating(d: &mut Value) {
    let body = d.as_object_mut().unwrap();
    for field in ["premises_address", "premises_commune_code", "eligible_expenses_cents"] {
        body.remove(field);
    }
    d["project_kind"] = json!("operating");
    d["title"] = json!("Fonctionnement de la ressourcerie");
    d["total_budget_cents"] = json!(40_000_00);
    d["requested_cents"] = json!(15_000_00);
}

/// Operating grants: half the total budget, at most 15 000 €, to organisations headquartered
/// in the territory.
fn operating_grants() -> Value {
    params(|p| {
        p["territory"]["applies_to"] = json!("head_office");
        p["max_grant"] = json!({"kind": "budget", "rate_bp": 5000, "cap_cents": 15_000_00});
    })
}

async fn a_scheme_without_premises_checks_the_head_office(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = scheme_with(&app, "FONCT", operating_grants()).await;
    // Headquartered in Rouen (76540): submitted without premises.
    let d = DossierBuilder::new(&app).scheme(&scheme).with_body(operating).in_status(Submitted).await;
    assert_eq!(d.body["premises_commune_code"], Value::Null);
    assert_eq!(d.body["project_kind"], "operating");
    assert_eq!(d.body["total_budget_cents"], 40_000_00);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND status = 'submitted' AND project_kind = 'operating' \
             AND total_budget_cents = 4000000 AND premises_commune_code IS NULL AND premises_address IS NULL",
            d.id
        )),
        1
    );
    let view = eligibility(&app, &d).await;
    let territory = criterion(&view, "territory");
    assert_eq!(
        (territory["outcome"].as_str(), territory["code"].as_str()),
        (Some("pass"), Some("territory.inside"))
    );
    assert_eq!(figure(territory, "head_office_commune_code"), Some(json!("76540")));
    assert!(
        territory["reason"].as_str().unwrap().starts_with("Le siège est situé dans la commune 76540"),
        "{territory}"
    );
    assert_eq!(view["report"]["overall"], "pass", "{view}");

    // Headquartered in Rennes: outside, whatever premises it may declare.
    let rennes = app
        .register_applicant_with(|o| {
            o["address"] = json!({"line": "2 rue de Brest", "postal_code": "35000", "city": "Rennes", "commune_code": "35238"});
        })
        .await;
    let d = DossierBuilder::new(&app)
        .scheme(&scheme)
        .applicant(&rennes)
        .with_body(|d| {
            operating(d);
            d["premises_commune_code"] = json!("76540");
        })
        .draft()
        .await;
    let view = eligibility(&app, &d).await;
    assert_eq!(judged(&view, "territory").2, "territory.outside");
    assert_eq!(figure(criterion(&view, "territory"), "head_office_commune_code"), Some(json!("35238")));

    // With the territory criterion off, premises are not required either.
    let anywhere = scheme_with(
        &app,
        "PARTEN",
        params(|p| {
            p["territory"]["mode"] = json!("off");
            p["max_grant"] = json!({"kind": "flat", "amount_cents": 5_000_00});
        }),
    )
    .await;
    let d = DossierBuilder::new(&app)
        .scheme(&anywhere)
        .applicant(&rennes)
        .with_body(|d| {
            operating(d);
            d["project_kind"] = json!("partnership");
            d["requested_cents"] = json!(5_000_00);
        })
        .in_status(Submitted)
        .await;
    assert_eq!(judged(&eligibility(&app, &d).await, "territory").1, "not_evaluated");

    // A scheme that checks the premises (the default) still requires them, and an investment
    // scheme pays no operating costs.
    let premises = app.open_scheme("DI-ESS").await;
    let d = DossierBuilder::new(&app).scheme(&premises).with_body(operating).draft().await;
    let res = app.applicant(&d.applicant).act(&d.id, "submit", None).await;
    res.problem(422);
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["eligible_expenses_cents", "premises_address", "premises_commune_code", "project_kind"]
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND status = 'draft'", d.id)),
        1
    );
    // The new kinds and the district code are checked on input.
    let bad = app
        .applicant(&d.applicant)
        .patch(
            &d.path(),
            &json!({"project_kind": "lease", "premises_district_code": "qn 1"}),
            Some(&d.etag()),
        )
        .await;
    assert_eq!(bad.problem(400)["errors"][0]["field"], "project_kind");
    let bad = app
        .applicant(&d.applicant)
        .patch(&d.path(), &json!({"premises_district_code": "qn 1"}), Some(&d.etag()))
        .await;
    assert_eq!(bad.problem(422)["errors"][0]["field"], "premises_district_code");
    let bad = app
        .applicant(&d.applicant)
        .patch(&d.path(), &json!({"total_budget_cents": -1}), Some(&d.etag()))
        .await;
    assert_eq!(bad.problem(422)["errors"][0]["field"], "total_budget_cents");
}

async fn budget_and_flat_maximum_grants(backend: Backend) {
    let app = spawn_app(backend).await;
    let instructor = app.instructor();
    let budget = scheme_with(&app, "FONCT", operating_grants()).await;
    open_envelope(&app, &budget).await;
    let with_budget = |total: i64, requested: i64| {
        move |d: &mut Value| {
            operating(d);
            d["total_budget_cents"] = json!(total);
            d["requested_cents"] = json!(requested);
        }
    };
    let max_of = |view: &Value| view["report"]["max_grant_cents"].as_i64().unwrap();
    // 50 % of 29 999,99 € is just under the 15 000 € cap; of 30 000 € it is the cap; beyond, capped.
    for (total, max) in [(29_999_99, 14_999_99), (30_000_00, 15_000_00), (40_000_00, 15_000_00)] {
        let d =
            DossierBuilder::new(&app).scheme(&budget).with_body(with_budget(total, 1_000_00)).draft().await;
        let view = eligibility(&app, &d).await;
        assert_eq!(max_of(&view), max, "{total}");
        assert_eq!(view["report"]["max_grant_rate_bp"], 5000);
        assert_eq!(view["report"]["bonus_bp"], 0);
    }
    // Requesting above the maximum grant (but within the budget) is allowed: the maximum binds
    // the decision. Above the total budget is not.
    let d = DossierBuilder::new(&app)
        .scheme(&budget)
        .instructor(&instructor)
        .with_body(with_budget(40_000_00, 30_000_00))
        .in_status(UnderReview)
        .await;
    let above = approve(&instructor, &d, approval(15_000_01)).await;
    above.problem(422);
    assert_eq!(above.error_fields(), ["granted_cents"]);
    assert_eq!(above.body["errors"][0]["code"], "above_maximum");
    approve(&instructor, &d, approval(15_000_00)).await.ok(200);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND granted_cents = 1500000",
            d.id
        )),
        1
    );
    let greedy =
        DossierBuilder::new(&app).scheme(&budget).with_body(with_budget(40_000_00, 40_000_01)).draft().await;
    let res = app.applicant(&greedy.applicant).act(&greedy.id, "submit", None).await;
    res.problem(422);
    assert_eq!(
        (res.error_fields(), &res.body["errors"][0]["code"]),
        (vec!["requested_cents".to_string()], &json!("exceeds_budget"))
    );
    let exact =
        DossierBuilder::new(&app).scheme(&budget).with_body(with_budget(40_000_00, 40_000_00)).draft().await;
    app.applicant(&exact.applicant).act(&exact.id, "submit", None).await.ok(200);
    let unknown = DossierBuilder::new(&app)
        .scheme(&budget)
        .with_body(|d| {
            operating(d);
            d.as_object_mut().unwrap().remove("total_budget_cents");
        })
        .draft()
        .await;
    let view = eligibility(&app, &unknown).await;
    assert_eq!((max_of(&view), &view["report"]["max_grant_issue"]), (0, &json!("missing_data")));
    let res = app.applicant(&unknown.applicant).act(&unknown.id, "submit", None).await;
    assert_eq!(res.problem(422)["errors"][0]["field"], "total_budget_cents");

    // Flat: 5 000 € for a study, whatever its budget; no rate, no bonus.
    let flat = scheme_with(
        &app,
        "ETUDE",
        params(|p| {
            p["territory"]["applies_to"] = json!("head_office");
            p["max_grant"] = json!({"kind": "flat", "amount_cents": 5_000_00});
        }),
    )
    .await;
    open_envelope(&app, &flat).await;
    let study = |requested: i64| {
        move |d: &mut Value| {
            operating(d);
            d["project_kind"] = json!("study");
            d["requested_cents"] = json!(requested);
        }
    };
    let d = DossierBuilder::new(&app)
        .scheme(&flat)
        .instructor(&instructor)
        .with_body(study(5_000_00))
        .in_status(UnderReview)
        .await;
    let view = eligibility(&app, &d).await;
    assert_eq!(max_of(&view), 5_000_00);
    assert_eq!(
        (&view["report"]["max_grant_rate_bp"], &view["report"]["bonus_bp"]),
        (&Value::Null, &json!(0))
    );
    assert_eq!(
        approve(&instructor, &d, approval(5_000_01)).await.problem(422)["errors"][0]["code"],
        "above_maximum"
    );
    assert_eq!(approve(&instructor, &d, approval(5_000_00)).await.ok(200)["granted_cents"], 5_000_00);
    let greedy = DossierBuilder::new(&app).scheme(&flat).with_body(study(5_000_01)).draft().await;
    let res = app.applicant(&greedy.applicant).act(&greedy.id, "submit", None).await;
    assert_eq!(res.problem(422)["errors"][0]["code"], "exceeds_flat_amount");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND status = 'draft'",
            greedy.id
        )),
        1
    );

    // The kinds are validated: a flat amount in range, and no bonus on a flat grant.
    let bad = app
        .add_rules(
            &flat,
            "2021-01-01",
            params(|p| {
                p["max_grant"] = json!({"kind": "flat", "amount_cents": 0});
                p["bonuses"] = json!({"max_extra_bp": 500, "items": [
                    {"code": "esus", "label": "ESUS", "extra_bp": 500, "when": {"kind": "esus_approval"}}]});
            }),
        )
        .await;
    bad.problem(422);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["parameters.bonuses.items", "parameters.max_grant.amount_cents"]);
    let bad = app
        .add_rules(
            &flat,
            "2021-01-01",
            params(|p| p["max_grant"] = json!({"kind": "budget", "rate_bp": 10_001, "cap_cents": 1})),
        )
        .await;
    assert_eq!(bad.problem(422)["errors"][0]["field"], "parameters.max_grant.rate_bp");
}

/// "Bonifications ESS" over DI-ESS (30 % of the works, capped at 100 000 €): up to 10 points.
fn bonifications() -> Value {
    params(|p| {
        p["bonuses"] = json!({
            "max_extra_bp": 1000,
            "items": [
                {"code": "esus", "label": "Entreprise agréée ESUS", "extra_bp": 500, "when": {"kind": "esus_approval"}},
                {"code": "rouen_centre", "label": "Locaux à Rouen", "extra_bp": 200,
                 "when": {"kind": "premises_in_communes", "commune_codes": ["76540"]}},
                {"code": "qpv", "label": "Locaux en quartier prioritaire", "extra_bp": 400,
                 "when": {"kind": "premises_in_districts", "district_codes": ["QN07601M", "QN07602M"]}},
                {"code": "label_ecologique", "label": "Label environnemental", "extra_bp": 600,
                 "when": {"kind": "instructor_condition"}}
            ]
        });
    })
}

/// (applied bonuses, bonus points, rate, maximum grant) of an eligibility view.
fn bonuses_of(view: &Value) -> (Vec<String>, i64, i64, i64) {
    let codes =
        view["applied_bonuses"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    let r = &view["report"];
    (
        codes,
        r["bonus_bp"].as_i64().unwrap(),
        r["max_grant_rate_bp"].as_i64().unwrap(),
        r["max_grant_cents"].as_i64().unwrap(),
    )
}

async fn each_bonus_applies_on_its_condition_within_the_cap(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = scheme_with(&app, "DI-ESS", bonifications()).await;
    let in_commune = |code: &'static str| move |d: &mut Value| d["premises_commune_code"] = json!(code);
    let view_of = |applicant: Option<Applicant>, adjust: Box<dyn FnOnce(&mut Value) + Send>| {
        let app = &app;
        let scheme = scheme.clone();
        async move {
            let mut builder = DossierBuilder::new(app).scheme(&scheme).with_body(adjust);
            if let Some(a) = &applicant {
                builder = builder.applicant(a);
            }
            eligibility(app, &builder.draft().await).await
        }
    };
    let none: Vec<String> = vec![];

    // No condition met: the template's 30 % of 200 000 €.
    let plain = view_of(None, Box::new(in_commune("76451"))).await;
    assert_eq!(bonuses_of(&plain), (none.clone(), 0, 3000, 60_000_00));
    // Premises in a listed commune: + 2 points.
    let commune = view_of(None, Box::new(in_commune("76540"))).await;
    assert_eq!(bonuses_of(&commune), (vec!["rouen_centre".into()], 200, 3200, 64_000_00));
    // In a listed district: + 4; another district: nothing.
    let district = view_of(
        None,
        Box::new(|d: &mut Value| {
            d["premises_commune_code"] = json!("76451");
            d["premises_district_code"] = json!("QN07602M");
        }),
    )
    .await;
    assert_eq!(bonuses_of(&district), (vec!["qpv".into()], 400, 3400, 68_000_00));
    let elsewhere = view_of(
        None,
        Box::new(|d: &mut Value| {
            d["premises_commune_code"] = json!("76451");
            d["premises_district_code"] = json!("QN07603M");
        }),
    )
    .await;
    assert_eq!(bonuses_of(&elsewhere).1, 0);
    // A commercial company holding the ESUS approval: + 5.
    let esus_company = app
        .register_applicant_with(|o| {
            o["legal_form"] = json!("5710");
            o["rna"] = Value::Null;
            o["esus"] = json!({"kind": "approval", "starts_on": "2024-06-01", "ends_on": "2029-05-31"});
        })
        .await;
    let esus = view_of(Some(esus_company.clone()), Box::new(in_commune("76451"))).await;
    assert_eq!(bonuses_of(&esus), (vec!["esus".into()], 500, 3500, 70_000_00));
    // Everything but the instructor's condition: 5 + 2 + 4 = 11 points met, 10 counted.
    let all = view_of(
        Some(esus_company),
        Box::new(|d: &mut Value| d["premises_district_code"] = json!("QN07601M")),
    )
    .await;
    assert_eq!(
        bonuses_of(&all),
        (vec!["esus".into(), "rouen_centre".into(), "qpv".into()], 1000, 4000, 80_000_00)
    );

    // The bonuses are validated, each field named.
    let bad = app
        .add_rules(
            &scheme,
            "2021-01-01",
            params(|p| {
                p["bonuses"] = json!({"max_extra_bp": 0, "items": [
                    {"code": "Label", "label": " ", "extra_bp": 0, "when": {"kind": "instructor_condition"}},
                    {"code": "qpv", "label": "QPV", "extra_bp": 100,
                     "when": {"kind": "premises_in_districts", "district_codes": ["QN07601M", "qn07601m"]}},
                    {"code": "qpv", "label": "QPV", "extra_bp": 100,
                     "when": {"kind": "premises_in_communes", "commune_codes": ["99999"]}}
                ]});
            }),
        )
        .await;
    bad.problem(422);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "parameters.bonuses.items[0].code",
            "parameters.bonuses.items[0].extra_bp",
            "parameters.bonuses.items[0].label",
            "parameters.bonuses.items[1].when.district_codes[1]",
            "parameters.bonuses.items[2].code",
            "parameters.bonuses.items[2].when.commune_codes[0]",
            "parameters.bonuses.max_extra_bp",
        ]
    );
    let unknown_kind = app
        .add_rules(
            &scheme,
            "2021-01-01",
            params(|p| {
                p["bonuses"] = json!({"max_extra_bp": 100, "items": [
                    {"code": "x", "label": "X", "extra_bp": 100, "when": {"kind": "green_label"}}]});
            }),
        )
        .await;
    unknown_kind.problem(400);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM rules_versions WHERE scheme_id = '{scheme}'")),
        1
    );
}

async fn instructors_tick_conditions_on_the_assessment(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = scheme_with(&app, "DI-ESS", bonifications()).await;
    let first = app.instructor();
    let d = DossierBuilder::new(&app)
        .scheme(&scheme)
        .instructor(&first)
        .with_body(|d| d["premises_commune_code"] = json!("76451"))
        .in_status(UnderReview)
        .await;
    let tag = etag(&first.get(&d.path()).await.ok(200).clone());
    let path = d.path_to("assessment");
    assert_eq!(bonuses_of(&eligibility(&app, &d).await).1, 0);

    // Only the rules' instructor conditions may be ticked, each once: 422 naming each, nothing stored.
    let bad = first
        .put(
            &path,
            &json!({"scores": grid_scores([3; 5]), "recommendation": "favourable",
                    "conditions_met": ["esus", "label_ecologique", "label_ecologique", "green"]}),
            Some(&tag),
        )
        .await;
    bad.problem(422);
    let errors: Vec<(String, String)> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().into(), e["code"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        errors,
        [
            ("conditions_met[0]".to_string(), "unknown_condition".to_string()),
            ("conditions_met[2]".to_string(), "duplicate".to_string()),
            ("conditions_met[3]".to_string(), "unknown_condition".to_string()),
        ]
    );
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM assessments WHERE dossier_id = '{}'", d.id)), 0);

    // Ticked: stored with the assessment, and the bonus applies.
    let ticked = first
        .put(
            &path,
            &json!({"scores": grid_scores([3; 5]), "recommendation": "favourable", "conditions_met": ["label_ecologique"]}),
            Some(&tag),
        )
        .await;
    assert_eq!(ticked.ok(200)["conditions_met"], json!(["label_ecologique"]));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM assessments WHERE dossier_id = '{}' AND conditions_met = '[\"label_ecologique\"]'",
            d.id
        )),
        1
    );
    assert_eq!(
        bonuses_of(&eligibility(&app, &d).await),
        (vec!["label_ecologique".into()], 600, 3600, 72_000_00)
    );
    let listed = app.admin().get(&d.path_to("assessments")).await;
    assert_eq!(listed.ok(200)["assessments"][0]["conditions_met"], json!(["label_ecologique"]));

    // The latest assessment decides: a second instructor who ticks nothing removes it...
    let second = app.instructor();
    second
        .put(&path, &json!({"scores": grid_scores([3; 5]), "recommendation": "reserved"}), Some(&tag))
        .await
        .ok(200);
    assert_eq!(bonuses_of(&eligibility(&app, &d).await).1, 0);
    // ... until the first confirms it again.
    first
        .put(
            &path,
            &json!({"scores": grid_scores([3; 5]), "recommendation": "favourable", "conditions_met": ["label_ecologique"]}),
            Some(&tag),
        )
        .await
        .ok(200);
    assert_eq!(bonuses_of(&eligibility(&app, &d).await).1, 600);
    // And the decision's snapshot is judged with it.
    open_envelope(&app, &scheme).await;
    approve(&first, &d, approval(72_000_00)).await.ok(200);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM eligibility_snapshots WHERE dossier_id = '{}' AND max_grant_cents = 7200000 \
             AND report LIKE '%\"bonus_bp\":600%'",
            d.id
        )),
        1
    );
}

async fn a_dossier_keeps_the_judgement_of_its_first_submission(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await; // version 1, since 2020: every criterion required
    let instructor = app.instructor();
    let weak = weak_applicant(&app).await;
    let d = DossierBuilder::new(&app)
        .scheme(&scheme)
        .applicant(&weak)
        .instructor(&instructor)
        .in_status(UnderReview)
        .await;
    let before = eligibility(&app, &d).await;
    assert_eq!(before["report"]["overall"], "fail");
    assert_eq!(bonuses_of(&before), (vec![], 0, 3000, 60_000_00));
    let snapshot = instructor.post(&d.path_to("eligibility"), &json!({})).await.ok(201).clone();
    let v1 = before["rules_version_id"].as_str().unwrap().to_string();

    // Version 2, in force from today: employment off, own revenue at "any", 10 points for
    // premises in Rouen (where this dossier's are), budget grants.
    let v2 = params(|p| {
        p["employment"]["mode"] = json!("off");
        p["own_revenue"]["min_own_revenue_share_bp"] = json!("any");
        p["ess_status"]["mode"] = json!("advisory");
        p["bonuses"] = json!({"max_extra_bp": 1000, "items": [
            {"code": "rouen", "label": "Locaux à Rouen", "extra_bp": 1000,
             "when": {"kind": "premises_in_communes", "commune_codes": ["76540"]}}]});
    });
    app.add_rules(&scheme, &today(), v2).await.ok(201);

    // The dossier is still judged by version 1: same outcome, same maximum, no bonus.
    let after = eligibility(&app, &d).await;
    assert_eq!(after["rules_version_id"], v1.as_str());
    assert_eq!(after["report"], before["report"]);
    assert_eq!(after["applied_bonuses"], json!([]));
    assert_eq!(
        judged(&after, "employment"),
        ("required".into(), "fail".into(), "employment.no_salaried_staff".into())
    );
    assert_eq!(after["latest_snapshot"], snapshot);
    // Asked for changes and submitted again, it keeps version 1.
    instructor.act(&d.id, "request-changes", Some(json!({"comment": "Précisez le budget"}))).await.ok(200);
    app.applicant(&weak).act(&d.id, "submit", None).await.ok(200);
    instructor.act(&d.id, "review", None).await.ok(200);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND rules_version_id = '{v1}'",
            d.id
        )),
        1
    );
    let resubmitted = eligibility(&app, &d).await;
    assert_eq!(resubmitted["report"], before["report"]);
    // The decision is judged by version 1 too: above its maximum is refused, and its failing
    // employment criterion needs a justification.
    open_envelope(&app, &scheme).await;
    assert_eq!(
        approve(&instructor, &d, approval(60_000_01)).await.problem(422)["errors"][0]["code"],
        "above_maximum"
    );
    let unjustified = approve(&instructor, &d, approval(60_000_00)).await;
    assert_eq!(unjustified.problem(422)["errors"][0]["field"], "justification");

    // A new dossier of the same applicant is judged by version 2.
    let fresh = DossierBuilder::new(&app).scheme(&scheme).applicant(&weak).draft().await;
    let now = eligibility(&app, &fresh).await;
    assert_ne!(now["rules_version_id"], v1.as_str());
    assert_eq!(now["report"]["overall"], "pass", "{now}");
    assert_eq!(judged(&now, "employment").1, "not_evaluated");
    assert_eq!(judged(&now, "own_revenue_share").2, "own_revenue_share.no_minimum");
    assert_eq!(bonuses_of(&now), (vec!["rouen".into()], 1000, 4000, 80_000_00));
}

/// The "bonifications ESS" version shown in README.md, as written there.
fn readme_example() -> Value {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let after = readme.split("<!-- rules-example").nth(1).expect("the marked example in README.md");
    let block = after.split("```json\n").nth(1).unwrap().split("\n```").next().unwrap();
    serde_json::from_str(block).expect("the README example is JSON")
}

async fn the_readme_bonifications_example_judges_as_it_says(backend: Backend) {
    let app = spawn_app(backend).await;
    let example = readme_example();
    let scheme = app.create_scheme("DI-ESS").await;
    // As written (in force from 2027): accepted.
    let created = app.admin().post(&format!("/api/v1/schemes/{scheme}/rules"), &example).await;
    assert_eq!(created.ok(201)["parameters"], example["parameters"]);
    // The same parameters in force now: an ESUS company in a listed district gets 30 % + 10
    // points of its 200 000 € of works; with the ecological label ticked, 30 % + the 15 allowed.
    app.add_rules(&scheme, "2020-01-01", example["parameters"].clone()).await.ok(201);
    let company = app
        .register_applicant_with(|o| {
            o["legal_form"] = json!("5710");
            o["rna"] = Value::Null;
            o["esus"] = json!({"kind": "approval", "starts_on": "2024-06-01", "ends_on": "2029-05-31"});
        })
        .await;
    let instructor = app.instructor();
    let d = DossierBuilder::new(&app)
        .scheme(&scheme)
        .applicant(&company)
        .instructor(&instructor)
        .with_body(|d| d["premises_district_code"] = json!("QN07601M"))
        .in_status(UnderReview)
        .await;
    assert_eq!(
        bonuses_of(&eligibility(&app, &d).await),
        (vec!["esus".into(), "qpv".into()], 1000, 4000, 80_000_00)
    );
    let tag = etag(&instructor.get(&d.path()).await.ok(200).clone());
    let body = json!({"scores": grid_scores([3; 5]), "recommendation": "favourable", "conditions_met": ["transition_ecologique"]});
    instructor.put(&d.path_to("assessment"), &body, Some(&tag)).await.ok(200);
    let view = eligibility(&app, &d).await;
    assert_eq!(
        bonuses_of(&view),
        (vec!["esus".into(), "qpv".into(), "transition_ecologique".into()], 1500, 4500, 90_000_00)
    );
    assert_eq!(judged(&view, "own_revenue_share").0, "advisory");
}

/// An organisation that has not declared its accounts cannot submit to a scheme whose revenue
/// criteria have a minimum; it can when both are "any" (or off), as the criteria then pass on
/// the declaration alone.
async fn accounts_are_needed_to_submit_only_for_a_revenue_minimum(backend: Backend) {
    let app = spawn_app(backend).await;
    let no_accounts = app.register_applicant_with(|o| o["accounts"] = Value::Null).await;
    let submit = |d: Dossier| {
        let app = &app;
        async move { (app.applicant(&d.applicant).act(&d.id, "submit", None).await, d.id) }
    };
    let status = |id: &str| {
        app.count(&format!("SELECT COUNT(*) AS n FROM dossiers WHERE id = '{id}' AND status = 'submitted'"))
    };

    let thresholds = scheme_with(&app, "MIN", rules_parameters("DI-ESS")).await;
    let (res, id) =
        submit(DossierBuilder::new(&app).scheme(&thresholds).applicant(&no_accounts).draft().await).await;
    let problem = res.problem(422);
    let fields: Vec<&Value> = problem["errors"].as_array().unwrap().iter().map(|e| &e["field"]).collect();
    assert_eq!(fields, [&json!("organisation.accounts")], "{problem}");
    assert_eq!(status(&id), 0);

    let any = scheme_with(
        &app,
        "ANY",
        params(|p| {
            p["market_activity"]["min_sales_share_bp"] = json!("any");
            p["own_revenue"]["min_own_revenue_share_bp"] = json!("any");
        }),
    )
    .await;
    let (res, id) =
        submit(DossierBuilder::new(&app).scheme(&any).applicant(&no_accounts).draft().await).await;
    res.ok(200);
    assert_eq!(status(&id), 1);
    let view = app.instructor().get(&format!("/api/v1/dossiers/{id}/eligibility")).await.ok(200).clone();
    assert_eq!(judged(&view, "own_revenue_share").1, "pass", "{view}");

    let any_and_off = scheme_with(
        &app,
        "OFF",
        params(|p| {
            p["market_activity"]["min_sales_share_bp"] = json!("any");
            p["own_revenue"]["mode"] = json!("off");
        }),
    )
    .await;
    let (res, id) =
        submit(DossierBuilder::new(&app).scheme(&any_and_off).applicant(&no_accounts).draft().await).await;
    res.ok(200);
    assert_eq!(status(&id), 1);
}

/// Issue 20: the contract check found rules versions the OpenAPI document allowed and the server
/// refused, bonuses on a flat maximum grant and bonuses with `max_extra_bp` 0. The document now
/// says both (a `oneOf` per kind of maximum grant, and one in `Bonuses`): for each version below,
/// the served document's `RulesParameters` accepts it exactly when the server does.
async fn the_document_says_which_bonuses_a_version_takes(backend: Backend) {
    let app = spawn_app(backend).await;
    let document = app.anonymous().get("/api-docs/openapi.json").await.ok(200).clone();
    let schema = json!({"$ref": "#/components/schemas/RulesParameters"});
    let scheme = app.create_scheme("DOC").await;
    let esus = json!({"code": "esus", "label": "ESUS", "extra_bp": 500, "when": {"kind": "esus_approval"}});
    let flat = json!({"kind": "flat", "amount_cents": 5_000_00});
    let budget = json!({"kind": "budget", "rate_bp": 5000, "cap_cents": 15_000_00});
    let cases: [(&str, Value, Option<Value>, bool); 8] = [
        ("investment, bonuses", json!(null), Some(json!({"max_extra_bp": 1000, "items": [esus]})), true),
        ("budget, bonuses", budget.clone(), Some(json!({"max_extra_bp": 1, "items": [esus]})), true),
        (
            "investment, a cap and no bonus",
            json!(null),
            Some(json!({"max_extra_bp": 500, "items": []})),
            true,
        ),
        ("flat, no bonuses field", flat.clone(), None, true),
        ("flat, no bonus", flat.clone(), Some(json!({"max_extra_bp": 500, "items": []})), true),
        ("flat, bonuses", flat.clone(), Some(json!({"max_extra_bp": 500, "items": [esus]})), false),
        (
            "investment, bonuses, no room",
            json!(null),
            Some(json!({"max_extra_bp": 0, "items": [esus]})),
            false,
        ),
        ("budget, bonuses, no room", budget, Some(json!({"max_extra_bp": 0, "items": [esus]})), false),
    ];
    for (day, (case, max_grant, bonuses, accepted)) in (1..).zip(cases) {
        let parameters = params(|p| {
            if !max_grant.is_null() {
                p["max_grant"] = max_grant;
            }
            match bonuses {
                Some(b) => p["bonuses"] = b,
                None => {
                    p.as_object_mut().unwrap().remove("bonuses");
                }
            }
        });
        let res = app.add_rules(&scheme, &format!("2021-01-{day:02}"), parameters.clone()).await;
        let schema_valid = crate::schema::is_valid(&document, &schema, &parameters);
        assert_eq!(res.status.as_u16(), if accepted { 201 } else { 422 }, "{case}: {}", res.text);
        assert_eq!(schema_valid, accepted, "{case}: the document and the server disagree: {}", res.text);
    }
}

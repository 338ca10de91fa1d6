//! The version a dossier is judged by, the README's example, and when accounts are needed.

use essor::domain::lifecycle::DossierStatus::UnderReview;
use serde_json::{json, Value};

use super::*;
use crate::builders::{etag, Dossier, DossierBuilder};
use crate::helpers::{both_backends, grid_scores, rules_parameters, spawn_app, Backend};

both_backends!(
    a_dossier_keeps_the_judgement_of_its_first_submission,
    the_readme_bonifications_example_judges_as_it_says,
    accounts_are_needed_to_submit_only_for_a_revenue_minimum,
);

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
    // What it does not say of conventions is the law's rule, written out in the version kept.
    let mut kept = example["parameters"].clone();
    kept["convention"] = serde_json::to_value(essor::domain::convention::ConventionRule::default()).unwrap();
    assert_eq!(created.ok(201)["parameters"], kept);
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

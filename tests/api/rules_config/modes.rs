//! Each criterion required, advisory or off; `"any"` instead of a threshold.

use essor::domain::lifecycle::DossierStatus::{Submitted, UnderReview};
use serde_json::{json, Value};

use super::*;
use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, spawn_app, Backend};

both_backends!(
    each_mode_counts_as_the_rules_say,
    advisory_and_off_criteria_never_block_a_decision,
    thresholds_are_any_or_a_number_at_their_boundaries,
);

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

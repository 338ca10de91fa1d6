//! Schemes without premises (the head office's commune); budget and flat maximum grants.

use essor::domain::lifecycle::DossierStatus::{Submitted, UnderReview};
use serde_json::{json, Value};

use super::*;
use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, spawn_app, Backend};

both_backends!(a_scheme_without_premises_checks_the_head_office, budget_and_flat_maximum_grants,);

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

//! Bonuses: each on its condition, within the cap; conditions an instructor ticks.

use essor::domain::lifecycle::DossierStatus::UnderReview;
use serde_json::{json, Value};

use super::*;
use crate::builders::{etag, DossierBuilder};
use crate::helpers::{both_backends, grid_scores, spawn_app, Applicant, Backend};

both_backends!(
    each_bonus_applies_on_its_condition_within_the_cap,
    instructors_tick_conditions_on_the_assessment,
    the_document_says_which_bonuses_a_version_takes,
);

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

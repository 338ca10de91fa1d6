use serde_json::{json, Value};

use crate::builders::{etag, DossierBuilder};
use crate::helpers::{both_backends, rules_parameters, spawn_app, Applicant, Backend, TestApp};
use essor::domain::lifecycle::DossierStatus::Submitted;

both_backends!(
    each_criterion_passes_and_fails_through_the_api,
    a_rules_change_after_submission_changes_nothing,
    applicants_see_only_their_own_self_check_and_no_assessment,
    instructors_assess_on_the_grid,
);

/// Outcome of each criterion, by name.
fn outcomes(view: &Value) -> Vec<(String, String)> {
    view["report"]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["criterion"].as_str().unwrap().to_string(), c["outcome"].as_str().unwrap().to_string()))
        .collect()
}

fn outcome_of(view: &Value, criterion: &str) -> String {
    outcomes(view).into_iter().find(|(c, _)| c == criterion).map(|(_, o)| o).unwrap()
}

/// The eligibility view an instructor gets of the draft `dossier` builds.
async fn eligibility(app: &TestApp, dossier: DossierBuilder<'_>) -> Value {
    let d = dossier.draft().await;
    app.instructor().get(&d.path_to("eligibility")).await.ok(200).clone()
}

async fn each_criterion_passes_and_fails_through_the_api(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let draft_of = |a: &Applicant| DossierBuilder::new(&app).scheme(&scheme).applicant(a);

    let good = app.register_applicant().await;
    let view = eligibility(&app, draft_of(&good)).await;
    assert_eq!(view["report"]["overall"], "pass", "{view}");
    assert!(outcomes(&view).iter().all(|(_, o)| o == "pass"), "{view}");
    assert_eq!(outcomes(&view).len(), 6);
    // 30 % of 200 000 € of works, under the 100 000 € cap.
    assert_eq!(view["report"]["max_grant_cents"], 60_000_00);
    for c in view["report"]["criteria"].as_array().unwrap() {
        assert!(c["code"].as_str().unwrap().contains('.'), "{c}");
        assert!(!c["reason"].as_str().unwrap().is_empty(), "{c}");
        assert!(c["figures"].is_array(), "{c}");
    }
    let own = &view["report"]["criteria"][2];
    assert_eq!(own["criterion"], "own_revenue_share");
    assert!(own["figures"].as_array().unwrap().iter().any(|f| f["value"] == 30_000_000), "{own}");

    // Employment: no salaried staff.
    let a = app.register_applicant_with(|o| o["salaried_staff_fte"] = json!(0)).await;
    assert_eq!(outcome_of(&eligibility(&app, draft_of(&a)).await, "employment"), "fail");
    // Market activity: sales are 3 % of revenue.
    let a = app.register_applicant_with(|o| o["accounts"]["sales_revenue_cents"] = json!(9_000_00)).await;
    assert_eq!(outcome_of(&eligibility(&app, draft_of(&a)).await, "market_activity"), "fail");
    // Market activity not declared: an instructor must look.
    let a = app.register_applicant_with(|o| o["market_activity"] = Value::Null).await;
    assert_eq!(outcome_of(&eligibility(&app, draft_of(&a)).await, "market_activity"), "needs_review");
    // Own revenue: 100 000 € of revenue for 320 000 € of costs.
    let a = app
        .register_applicant_with(|o| {
            o["accounts"]["operating_revenue_cents"] = json!(100_000_00);
            o["accounts"]["sales_revenue_cents"] = json!(80_000_00);
        })
        .await;
    let v = eligibility(&app, draft_of(&a)).await;
    assert_eq!(outcome_of(&v, "own_revenue_share"), "fail");
    assert_eq!(outcome_of(&v, "market_activity"), "pass");
    assert_eq!(v["report"]["overall"], "fail");
    // ESS status: a commercial company (SAS) without ESUS fails, with a recent ESUS passes.
    let sas = |o: &mut Value| {
        o["legal_form"] = json!("5710");
        o["rna"] = Value::Null;
    };
    let a = app.register_applicant_with(sas).await;
    assert_eq!(outcome_of(&eligibility(&app, draft_of(&a)).await, "ess_status"), "fail");
    let a = app
        .register_applicant_with(|o| {
            sas(o);
            o["esus_approved_on"] = json!("2024-06-01");
        })
        .await;
    assert_eq!(outcome_of(&eligibility(&app, draft_of(&a)).await, "ess_status"), "pass");
    // Territory: premises in Rennes.
    let v =
        eligibility(&app, draft_of(&good).with_body(|d| d["premises_commune_code"] = json!("35238"))).await;
    assert_eq!(outcome_of(&v, "territory"), "fail");
    // De minimis: 290 000 € declared this year + 60 000 € asked > 300 000 €.
    let recent = chrono::Utc::now().date_naive() - chrono::Duration::days(30);
    let a = app
        .register_applicant_with(|o| {
            o["de_minimis_aids"] =
                json!([{"grantor": "Région", "granted_on": recent, "amount_cents": 290_000_00}])
        })
        .await;
    assert_eq!(outcome_of(&eligibility(&app, draft_of(&a)).await, "de_minimis"), "fail");
    // ... but an aid older than three years no longer counts.
    let old = chrono::Utc::now().date_naive() - chrono::Duration::days(3 * 366 + 2);
    let a = app
        .register_applicant_with(|o| {
            o["de_minimis_aids"] =
                json!([{"grantor": "Région", "granted_on": old, "amount_cents": 290_000_00}])
        })
        .await;
    assert_eq!(outcome_of(&eligibility(&app, draft_of(&a)).await, "de_minimis"), "pass");
    // Not declared: needs review.
    let a = app.register_applicant_with(|o| o["de_minimis_aids"] = Value::Null).await;
    assert_eq!(outcome_of(&eligibility(&app, draft_of(&a)).await, "de_minimis"), "needs_review");
}

async fn a_rules_change_after_submission_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    let instructor = app.instructor();
    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).in_status(Submitted).await;
    // Recording needs instruction; the applicant cannot record.
    app.applicant(&applicant).post(&d.path_to("eligibility"), &json!({})).await.problem(403);
    let snap = instructor.post(&d.path_to("eligibility"), &json!({})).await;
    let snapshot = snap.ok(201).clone();
    assert_eq!(snapshot["overall"], "pass");
    assert_eq!(snapshot["max_grant_cents"], 60_000_00);
    let v1 = snapshot["rules_version_id"].as_str().unwrap().to_string();

    // The territory tightens the rules from today: own revenue must cover 99 % of costs and
    // the rate drops to 10 %.
    let mut stricter = rules_parameters("DI-ESS");
    stricter["own_revenue"]["min_own_revenue_share_bp"] = json!(9_900);
    stricter["max_grant"]["rate_bp"] = json!(1_000);
    let today = chrono::Utc::now().date_naive().to_string();
    app.add_rules(&scheme, &today, stricter).await.ok(201);

    // The submitted dossier is still judged by the version of its submission.
    let now = instructor.get(&d.path_to("eligibility")).await;
    let view = now.ok(200).clone();
    assert_eq!(view["rules_version_id"], v1.as_str());
    assert_eq!(view["rules_effective_from"], "2020-01-01");
    assert_eq!(outcome_of(&view, "own_revenue_share"), "pass");
    assert_eq!(view["report"]["max_grant_cents"], 60_000_00);
    // The snapshot is unchanged, byte for byte.
    assert_eq!(view["latest_snapshot"], snapshot);
    // A new draft is judged by the new version.
    let fresh = eligibility(&app, DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant)).await;
    assert_ne!(fresh["rules_version_id"], v1.as_str());
    assert_eq!(outcome_of(&fresh, "own_revenue_share"), "fail");
    assert_eq!(fresh["report"]["max_grant_cents"], 20_000_00);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM eligibility_snapshots"), 1);
}

async fn applicants_see_only_their_own_self_check_and_no_assessment(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).draft().await;
    let (a, b) = (app.applicant(&d.applicant), app.applicant(&app.register_applicant().await));
    // Self-check on its own draft, without instructors' snapshot.
    let own = a.get(&d.path_to("eligibility")).await;
    assert_eq!(own.ok(200)["report"]["overall"], "pass");
    assert!(own.body.get("latest_snapshot").is_none());
    // Not another's.
    b.get(&d.path_to("eligibility")).await.problem(404);
    b.get(&d.path_to("assessments")).await.problem(403);
    // Once submitted, the applicant's self-check ends; assessments are never for applicants.
    a.act(&d.id, "submit", None).await.ok(200);
    a.get(&d.path_to("eligibility")).await.problem(403);
    a.get(&d.path_to("assessments")).await.problem(403);
    a.put(&d.path_to("assessment"), &json!({}), Some("\"v2\"")).await.problem(403);
    app.anonymous().get(&d.path_to("eligibility")).await.problem(401);
}

fn scores(values: [u32; 5]) -> Value {
    let codes = [
        "jobs_created_or_kept",
        "social_utility",
        "environmental_impact",
        "territorial_anchoring",
        "financial_soundness",
    ];
    Value::Array(codes.iter().zip(values).map(|(c, s)| json!({"criterion": c, "score": s})).collect())
}

async fn instructors_assess_on_the_grid(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).draft().await;
    let path = d.path_to("assessment");
    let first = app.instructor();
    let second = app.instructor();
    let body =
        json!({"scores": scores([5, 5, 5, 5, 5]), "recommendation": "favourable", "comments": "Solide"});
    // Not under review yet.
    first.put(&path, &body, Some("\"v1\"")).await.problem(409);
    app.applicant(&d.applicant).act(&d.id, "submit", None).await.ok(200);
    let reviewed = first.act(&d.id, "review", None).await.ok(200).clone();
    let tag = etag(&reviewed);
    first.put(&path, &body, None).await.problem(428);
    first.put(&path, &body, Some("\"v1\"")).await.problem(412);

    let mine = first.put(&path, &body, Some(&tag)).await;
    assert_eq!(mine.ok(200)["weighted_total"], 100.0);
    assert_eq!(mine.body["recommendation"], "favourable");
    // Second instructor: all zeros but social utility (weight 25 of 100) at 5/5.
    let theirs = second
        .put(&path, &json!({"scores": scores([0, 5, 0, 0, 0]), "recommendation": "reserved"}), Some(&tag))
        .await;
    assert_eq!(theirs.ok(200)["weighted_total"], 25.0);
    let list = app.admin().get(&d.path_to("assessments")).await;
    assert_eq!(list.ok(200)["assessments"].as_array().unwrap().len(), 2);
    assert_eq!(list.body["mean_weighted_total"], 62.5);

    // Replacing one's own assessment keeps one per instructor.
    let again = first
        .put(&path, &json!({"scores": scores([3, 3, 3, 3, 3]), "recommendation": "reserved"}), Some(&tag))
        .await;
    assert_eq!(again.ok(200)["version"], 2);
    assert_eq!(again.body["weighted_total"], 60.0);
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM assessments WHERE dossier_id = '{}'", d.id)), 2);

    // Scores are checked against the grid.
    let mut bad = scores([6, 5, 5, 5, 5]);
    bad.as_array_mut().unwrap().pop();
    bad.as_array_mut().unwrap().push(json!({"criterion": "charisma", "score": 1}));
    let res = first.put(&path, &json!({"scores": bad, "recommendation": "favourable"}), Some(&tag)).await;
    res.problem(422);
    let fields = res.error_fields();
    assert!(fields.contains(&"scores[0].score".to_string()), "{fields:?}");
    assert!(fields.contains(&"scores[4].criterion".to_string()), "{fields:?}");
    assert!(fields.contains(&"scores".to_string()), "{fields:?}");
    let res = first
        .put(&path, &json!({"scores": scores([1, 1, 1, 1, 1]), "recommendation": "maybe"}), Some(&tag))
        .await;
    assert_eq!(res.problem(400)["errors"][0]["field"], "recommendation");
    // Other roles may not assess.
    for other_role in [app.admin(), app.finance()] {
        other_role.put(&path, &body, Some(&tag)).await.problem(403);
    }
    let stored = first.get(&d.path_to("assessments")).await;
    assert_eq!(stored.ok(200)["mean_weighted_total"], 42.5);
}

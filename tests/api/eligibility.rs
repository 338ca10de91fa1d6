use serde_json::{json, Value};

use crate::builders::{etag, DossierBuilder};
use crate::helpers::{both_backends, grid_scores, rules_parameters, spawn_app, Applicant, Backend, TestApp};
use essor::domain::lifecycle::DossierStatus::Submitted;

both_backends!(
    each_criterion_passes_and_fails_through_the_api,
    a_rules_change_after_submission_changes_nothing,
    applicants_see_only_their_own_self_check_and_no_assessment,
    instructors_assess_on_the_grid,
    the_ess_status_follows_the_law,
    forecast_accounts_go_to_the_instructor,
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
            o["esus"] = json!({"kind": "approval", "starts_on": "2024-06-01", "ends_on": "2029-05-31"});
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

async fn instructors_assess_on_the_grid(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).draft().await;
    let path = d.path_to("assessment");
    let first = app.instructor();
    let second = app.instructor();
    let body =
        json!({"scores": grid_scores([5, 5, 5, 5, 5]), "recommendation": "favourable", "comments": "Solide"});
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
        .put(
            &path,
            &json!({"scores": grid_scores([0, 5, 0, 0, 0]), "recommendation": "reserved"}),
            Some(&tag),
        )
        .await;
    assert_eq!(theirs.ok(200)["weighted_total"], 25.0);
    let list = app.admin().get(&d.path_to("assessments")).await;
    assert_eq!(list.ok(200)["assessments"].as_array().unwrap().len(), 2);
    assert_eq!(list.body["mean_weighted_total"], 62.5);

    // Replacing one's own assessment keeps one per instructor.
    let again = first
        .put(
            &path,
            &json!({"scores": grid_scores([3, 3, 3, 3, 3]), "recommendation": "reserved"}),
            Some(&tag),
        )
        .await;
    assert_eq!(again.ok(200)["version"], 2);
    assert_eq!(again.body["weighted_total"], 60.0);
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM assessments WHERE dossier_id = '{}'", d.id)), 2);

    // Scores are checked against the grid.
    let mut bad = grid_scores([6, 5, 5, 5, 5]);
    bad.as_array_mut().unwrap().pop();
    bad.as_array_mut().unwrap().push(json!({"criterion": "charisma", "score": 1}));
    let res = first.put(&path, &json!({"scores": bad, "recommendation": "favourable"}), Some(&tag)).await;
    res.problem(422);
    let fields = res.error_fields();
    assert!(fields.contains(&"scores[0].score".to_string()), "{fields:?}");
    assert!(fields.contains(&"scores[4].criterion".to_string()), "{fields:?}");
    assert!(fields.contains(&"scores".to_string()), "{fields:?}");
    let res = first
        .put(&path, &json!({"scores": grid_scores([1, 1, 1, 1, 1]), "recommendation": "maybe"}), Some(&tag))
        .await;
    assert_eq!(res.problem(400)["errors"][0]["field"], "recommendation");
    // Other roles may not assess.
    for other_role in [app.admin(), app.finance()] {
        other_role.put(&path, &body, Some(&tag)).await.problem(403);
    }
    let stored = first.get(&d.path_to("assessments")).await;
    assert_eq!(stored.ok(200)["mean_weighted_total"], 42.5);
}

fn code_of(view: &Value, criterion: &str) -> String {
    let criteria = view["report"]["criteria"].as_array().unwrap();
    let found = criteria.iter().find(|c| c["criterion"] == criterion).unwrap();
    found["code"].as_str().unwrap().to_string()
}

/// ESUS dated by its decision (valid to its end date included) or held by right, on any ESS
/// family; cooperatives in company form; as stored, read back and judged through the API.
async fn the_ess_status_follows_the_law(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let today = chrono::Utc::now().date_naive();
    let days = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let sas = |o: &mut Value| {
        o["legal_form"] = json!("5710");
        o["rna"] = Value::Null;
    };
    let judged = |a: Applicant| {
        let app = &app;
        let scheme = scheme.clone();
        async move {
            let v = eligibility(app, DossierBuilder::new(app).scheme(&scheme).applicant(&a)).await;
            (outcome_of(&v, "ess_status"), code_of(&v, "ess_status"))
        }
    };
    let pair = |o: &str, c: &str| (o.to_string(), c.to_string());

    // A two-year approval ending today is valid today; one that ended yesterday is not.
    let ends_today = app
        .register_applicant_with(|o| {
            sas(o);
            o["esus"] = json!({"kind": "approval", "starts_on": days(-730), "ends_on": days(0)});
        })
        .await;
    let stored = app.instructor().get(&format!("/api/v1/organisations/{}", ends_today.organisation_id)).await;
    assert_eq!(
        stored.ok(200)["esus"],
        json!({"kind": "approval", "starts_on": days(-730), "ends_on": days(0)})
    );
    assert_eq!(judged(ends_today).await, pair("pass", "ess_status.esus_valid"));
    let ended = app
        .register_applicant_with(|o| {
            sas(o);
            o["esus"] = json!({"kind": "approval", "starts_on": days(-731), "ends_on": days(-1)});
        })
        .await;
    assert_eq!(judged(ended).await, pair("fail", "ess_status.esus_expired"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM organisations WHERE esus_starts_on IS NOT NULL AND esus_ends_on IS NOT NULL AND esus_basis IS NULL"),
        2
    );

    // By right: the instructor confirms the declared basis.
    let by_right = app
        .register_applicant_with(|o| {
            sas(o);
            o["esus"] = json!({"kind": "by_right", "basis": "insertion_enterprise"});
        })
        .await;
    assert_eq!(judged(by_right).await, pair("needs_review", "ess_status.esus_by_right"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM organisations WHERE esus_basis = 'insertion_enterprise' AND esus_starts_on IS NULL"),
        1
    );

    // An association may hold it too (and passes as an association).
    let association = app
        .register_applicant_with(|o| {
            o["esus"] = json!({"kind": "approval", "starts_on": days(-100), "ends_on": days(1000)})
        })
        .await;
    assert_eq!(judged(association).await, pair("pass", "ess_status.accepted_family"));

    // A SCOP registered as an SAS: statutes to check, not a fail.
    let scop = app
        .register_applicant_with(|o| {
            sas(o);
            o["ess_statutes"] = json!("cooperative");
        })
        .await;
    assert_eq!(judged(scop).await, pair("needs_review", "ess_status.statutes_to_check"));
    // An SAS declaring ESS statutes without approval: the DI-ESS template requires the approval.
    let ess_company = app
        .register_applicant_with(|o| {
            sas(o);
            o["ess_statutes"] = json!("ess_company");
        })
        .await;
    assert_eq!(judged(ess_company).await, pair("fail", "ess_status.esus_missing"));

    // What the API refuses: an approval over five years, dates out of order, statutes on an
    // association, an approval on a body outside the ESS families.
    let applicant = app.applicant_with_siret(&crate::helpers::new_siret());
    let refused = |adjust: &dyn Fn(&mut Value)| {
        let mut body = crate::helpers::organisation_body(&crate::helpers::new_siret());
        adjust(&mut body);
        body
    };
    let fields_of = |res: &crate::helpers::Resp| -> Vec<(String, String)> {
        res.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
            .collect()
    };
    let too_long = refused(&|o| {
        o["esus"] = json!({"kind": "approval", "starts_on": "2024-01-10", "ends_on": "2029-01-11"})
    });
    let res = app
        .applicant_with_siret(too_long["siret"].as_str().unwrap())
        .post("/api/v1/organisations", &too_long)
        .await;
    res.problem(422);
    assert_eq!(fields_of(&res), vec![pair("esus.ends_on", "out_of_range")]);
    let statutes = refused(&|o| o["ess_statutes"] = json!("cooperative"));
    let res = app
        .applicant_with_siret(statutes["siret"].as_str().unwrap())
        .post("/api/v1/organisations", &statutes)
        .await;
    res.problem(422);
    assert_eq!(fields_of(&res), vec![pair("ess_statutes", "not_applicable")]);
    let public = refused(&|o| {
        o["legal_form"] = json!("7210");
        o["rna"] = Value::Null;
        o["esus"] = json!({"kind": "by_right", "basis": "esat"});
    });
    let res = app
        .applicant_with_siret(public["siret"].as_str().unwrap())
        .post("/api/v1/organisations", &public)
        .await;
    res.problem(422);
    assert_eq!(fields_of(&res), vec![pair("esus", "not_applicable")]);
    let unknown = refused(&|o| o["esus"] = json!({"kind": "by_right", "basis": "anything"}));
    let res = app
        .applicant_with_siret(unknown["siret"].as_str().unwrap())
        .post("/api/v1/organisations", &unknown)
        .await;
    // A value outside the basis list is a shape error, named.
    assert_eq!(res.problem(400)["errors"][0]["field"], "esus");
    drop(applicant);
    // Nothing refused was stored.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM organisations"), 6);
}

/// A new enterprise declares a business plan: the revenue criteria answer needs_review with a
/// code that says why, whatever its figures; the same figures closed would pass.
async fn forecast_accounts_go_to_the_instructor(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let forecast = app
        .register_applicant_with(|o| {
            o["accounts"]["kind"] = json!("forecast");
            o["accounts"]["year"] = json!(year + 1);
        })
        .await;
    let stored = app.instructor().get(&format!("/api/v1/organisations/{}", forecast.organisation_id)).await;
    assert_eq!(
        (&stored.ok(200)["accounts"]["kind"], &stored.body["accounts"]["year"]),
        (&json!("forecast"), &json!(year + 1))
    );
    let v = eligibility(&app, DossierBuilder::new(&app).scheme(&scheme).applicant(&forecast)).await;
    assert_eq!(
        (outcome_of(&v, "market_activity"), code_of(&v, "market_activity")),
        ("needs_review".to_string(), "market_activity.forecast_accounts".to_string())
    );
    assert_eq!(code_of(&v, "own_revenue_share"), "own_revenue_share.forecast_accounts");
    assert_eq!(v["report"]["overall"], "needs_review");
    let closed = app.register_applicant().await;
    let v = eligibility(&app, DossierBuilder::new(&app).scheme(&scheme).applicant(&closed)).await;
    assert_eq!(
        (outcome_of(&v, "market_activity"), outcome_of(&v, "own_revenue_share")),
        ("pass".into(), "pass".into())
    );
    // Closed accounts are of a past year; a forecast's are not.
    let path = format!("/api/v1/organisations/{}", forecast.organisation_id);
    let tag = app.applicant(&forecast).get(&path).await.header("etag").map(str::to_string);
    let closed_next_year = json!({"accounts": {"kind": "closed", "year": year + 1, "operating_revenue_cents": 1, "sales_revenue_cents": 1, "operating_costs_cents": 1}});
    let res = app.applicant(&forecast).patch(&path, &closed_next_year, tag.as_deref()).await;
    let errors = res.problem(422)["errors"].clone();
    assert_eq!(errors[0]["field"], "accounts.year", "{errors}");
}

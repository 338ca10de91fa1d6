//! The organisation as of submission (each submission keeps a copy, which instruction
//! evaluates; staff see what changed since) and the organisation's history (every edit, who,
//! when, each field before and after), on both backends.

use std::time::Duration;

use chrono::{DateTime, Utc};
use essor::auth::Role;
use essor::domain::lifecycle::DossierStatus::{Draft, Submitted, UnderReview};
use serde_json::{json, Value};

use crate::builders::{etag, Dossier, DossierBuilder};
use crate::helpers::{
    both_backends, siret_from, spawn_app, Applicant, Backend, Client, TestApp, OTHER_TERRITORY, TERRITORY,
};
use crate::imports::{file, import, row};

both_backends!(
    an_edit_after_submission_changes_nothing_in_instruction,
    a_dossier_never_submitted_follows_the_organisation_as_it_is_today,
    a_resubmission_keeps_a_new_copy,
    every_edit_is_one_entry_of_the_history_registration_included,
    an_import_registers_the_organisations_it_creates,
    only_staff_see_changes_and_only_the_organisation_sees_its_history,
    what_is_kept_cannot_be_rewritten_even_by_sql,
);

fn outcome_of(view: &Value, criterion: &str) -> String {
    let criteria = view["report"]["criteria"].as_array().expect("criteria");
    let found = criteria.iter().find(|c| c["criterion"] == criterion).expect("criterion");
    found["outcome"].as_str().unwrap().to_string()
}

/// A figure of a criterion of an eligibility report.
fn figure(report: &Value, criterion: &str, name: &str) -> Value {
    let criteria = report["criteria"].as_array().expect("criteria");
    let found = criteria.iter().find(|c| c["criterion"] == criterion).expect("criterion");
    let figures = found["figures"].as_array().expect("figures");
    figures.iter().find(|f| f["name"] == name).map(|f| f["value"].clone()).unwrap_or(Value::Null)
}

fn organisation_path(applicant: &Applicant) -> String {
    format!("/api/v1/organisations/{}", applicant.organisation_id)
}

fn history_path(applicant: &Applicant) -> String {
    format!("/api/v1/organisations/{}/history", applicant.organisation_id)
}

/// Another person acting for the applicant's organisation, with a subject the test knows.
fn colleague<'a>(app: &'a TestApp, applicant: &Applicant, sub: &str) -> Client<'a> {
    let claims =
        app.keys.claims(sub, Role::Applicant, TERRITORY, Some(&applicant.siret), Duration::from_secs(600));
    app.bearer(app.mint(&claims))
}

fn time(value: &Value) -> DateTime<Utc> {
    value.as_str().expect("a timestamp").parse().expect("RFC 3339")
}

fn submissions_of(app: &TestApp, dossier: &Dossier) -> i64 {
    app.count(&format!("SELECT COUNT(*) AS n FROM dossier_submissions WHERE dossier_id = '{}'", dossier.id))
}

fn history_entries_of(app: &TestApp, applicant: &Applicant) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM organisation_history WHERE organisation_id = '{}'",
        applicant.organisation_id
    ))
}

async fn an_edit_after_submission_changes_nothing_in_instruction(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let instructor = app.instructor();
    let d = DossierBuilder::new(&app).scheme(&scheme).instructor(&instructor).in_status(UnderReview).await;
    let submitted_at = d.body["submitted_at"].clone();
    let evaluated = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(outcome_of(&evaluated, "employment"), "pass");
    assert_eq!(figure(&evaluated["report"], "employment", "salaried_staff_fte"), 450, "4.5 FTE");
    assert_eq!(evaluated["organisation_submitted_at"], submitted_at);

    // During review, a colleague of the applicant declares no salaried staff any more.
    let marie = colleague(&app, &d.applicant, "marie@ateliers");
    let (start, org) = (Utc::now(), organisation_path(&d.applicant));
    let edited = marie.patch(&org, &json!({"salaried_staff_fte": 0}), Some("\"v1\"")).await;
    assert_eq!(edited.ok(200)["salaried_staff_fte"], 0.0);
    assert_eq!(edited.header("etag"), Some("\"v2\""));
    let end = Utc::now();

    // The instructor's evaluation is the same, on the staff submitted.
    let again = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(again["report"], evaluated["report"]);
    assert_eq!(again["organisation_submitted_at"], submitted_at);
    // ... and the edit shows, field by field, to staff.
    let changes = instructor.get(&d.path_to("organisation-changes")).await.ok(200).clone();
    assert_eq!(
        changes,
        json!({
            "dossier_id": d.id,
            "submitted_at": submitted_at,
            "organisation_version": 1,
            "changes": [{"field": "salaried_staff_fte", "before": 4.5, "after": 0.0}],
        })
    );
    // ... and in the organisation's history: who, when, what.
    let history = marie.get(&history_path(&d.applicant)).await.ok(200).clone();
    let entries = history.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{history}");
    let edit = &entries[1];
    assert_eq!(
        (&edit["seq"], &edit["actor"], &edit["actor_role"], &edit["changes"]),
        (
            &json!(2),
            &json!("marie@ateliers"),
            &json!("applicant"),
            &json!([{"field": "salaried_staff_fte", "before": 4.5, "after": 0.0}])
        )
    );
    assert!((start..=end).contains(&time(&edit["at"])), "{edit}");
    assert_eq!(edit["at"], edited.body["updated_at"]);

    // A snapshot recorded now holds the staff submitted.
    let snapshot = instructor.post_empty(&d.path_to("eligibility")).await.ok(201).clone();
    assert_eq!(figure(&snapshot["report"], "employment", "salaried_staff_fte"), 450);
    // The decision judges the copy too: no staff today would need a written justification.
    let year = chrono::Datelike::year(&Utc::now().date_naive());
    let envelope = json!({"scheme_id": scheme, "year": year, "amount_cents": 500_000_00});
    app.finance().post("/api/v1/envelopes", &envelope).await.ok(201);
    let approval = json!({
        "granted_cents": 60_000_00,
        "decided_on": Utc::now().date_naive(),
        "decision_reference": "DEL-2026-114",
    });
    let approved =
        instructor.post_once(&d.path_to("approve"), &approval, &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(approved.ok(200)["status"], "approved", "{}", approved.text);
    let decided = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(figure(&decided["latest_snapshot"]["report"], "employment", "salaried_staff_fte"), 450);
    assert_eq!(decided["latest_snapshot"]["overall"], "pass");

    // A new draft of the same organisation is judged on it as it is today.
    let draft = DossierBuilder::new(&app).scheme(&scheme).applicant(&d.applicant).draft().await;
    let today = instructor.get(&draft.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(outcome_of(&today, "employment"), "fail");
    assert_eq!(figure(&today["report"], "employment", "salaried_staff_fte"), 0);
    assert!(today["organisation_submitted_at"].is_null());

    // Stored: one copy, with the staff submitted; two history entries.
    assert_eq!(submissions_of(&app, &d), 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossier_submissions WHERE dossier_id = '{}' AND seq = 1 \
             AND organisation_version = 1 AND organisation LIKE '%\"salaried_staff_fte\":4.5%'",
            d.id
        )),
        1
    );
    assert_eq!(history_entries_of(&app, &d.applicant), 2);
}

async fn a_dossier_never_submitted_follows_the_organisation_as_it_is_today(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(Draft).await;
    let (applicant, instructor) = (app.applicant(&d.applicant), app.instructor());
    let evaluated = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(outcome_of(&evaluated, "employment"), "pass");
    assert!(evaluated["organisation_submitted_at"].is_null());
    // No copy to compare with: 409, saying why.
    let res = instructor.get(&d.path_to("organisation-changes")).await;
    assert_eq!(res.problem(409)["code"], "not_submitted");
    assert_eq!(res.body["type"], "urn:essor:problem:not-submitted");

    applicant
        .patch(&organisation_path(&d.applicant), &json!({"salaried_staff_fte": 0}), Some("\"v1\""))
        .await
        .ok(200);
    let today = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(outcome_of(&today, "employment"), "fail");
    assert_eq!(figure(&today["report"], "employment", "salaried_staff_fte"), 0);
    // The applicant's own self-check says the same.
    let own = applicant.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(own["report"], today["report"]);
    assert_eq!(submissions_of(&app, &d), 0);
}

async fn a_resubmission_keeps_a_new_copy(backend: Backend) {
    let app = spawn_app(backend).await;
    let instructor = app.instructor();
    let d = DossierBuilder::new(&app).instructor(&instructor).in_status(UnderReview).await;
    let (applicant, org) = (app.applicant(&d.applicant), organisation_path(&d.applicant));
    let first_submitted_at = d.body["submitted_at"].clone();
    let asked = instructor
        .act(&d.id, "request-changes", Some(json!({"comment": "Mettre à jour vos effectifs"})))
        .await
        .ok(200)
        .clone();

    // Back with its applicant, the dossier follows the organisation as it is today.
    applicant.patch(&org, &json!({"salaried_staff_fte": 0}), Some("\"v1\"")).await.ok(200);
    let meanwhile = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(outcome_of(&meanwhile, "employment"), "fail");
    assert!(meanwhile["organisation_submitted_at"].is_null());
    // What changed is still measured against the first submission.
    let changes = instructor.get(&d.path_to("organisation-changes")).await.ok(200).clone();
    assert_eq!(
        (&changes["submitted_at"], &changes["organisation_version"]),
        (&first_submitted_at, &json!(1))
    );
    assert_eq!(changes["changes"], json!([{"field": "salaried_staff_fte", "before": 4.5, "after": 0.0}]));

    // The resubmission keeps a new copy: nothing changed since it.
    let again = applicant.act(&d.id, "submit", Some(json!({"comment": "Effectifs à jour"}))).await;
    assert_eq!(again.ok(200)["status"], "submitted");
    assert_eq!(again.body["submitted_at"], first_submitted_at, "the dossier's submitted_at is the first");
    let changes = instructor.get(&d.path_to("organisation-changes")).await.ok(200).clone();
    assert_eq!((&changes["organisation_version"], &changes["changes"]), (&json!(2), &json!([])));
    let resubmitted_at = changes["submitted_at"].clone();
    assert!(time(&resubmitted_at) > time(&first_submitted_at), "{changes}");
    assert!(time(&resubmitted_at) > time(&asked["updated_at"]), "{changes}");
    let evaluated = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(outcome_of(&evaluated, "employment"), "fail");
    assert_eq!(evaluated["organisation_submitted_at"], resubmitted_at);

    // An edit after the resubmission is measured against it, and changes nothing.
    applicant.patch(&org, &json!({"salaried_staff_fte": 3}), Some("\"v2\"")).await.ok(200);
    let after = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(after["report"], evaluated["report"]);
    let changes = instructor.get(&d.path_to("organisation-changes")).await.ok(200).clone();
    assert_eq!(changes["changes"], json!([{"field": "salaried_staff_fte", "before": 0.0, "after": 3.0}]));

    assert_eq!(submissions_of(&app, &d), 2);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossier_submissions WHERE dossier_id = '{}' AND seq = 2 \
             AND organisation_version = 2 AND organisation LIKE '%\"salaried_staff_fte\":0.0%'",
            d.id
        )),
        1
    );
}

async fn every_edit_is_one_entry_of_the_history_registration_included(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.register_applicant().await;
    let (applicant, org, history) = (app.applicant(&a), organisation_path(&a), history_path(&a));
    let registered = applicant.get(&org).await.ok(200).clone();

    // The registration: every declared field, from null (esus is not declared).
    let entries = applicant.get(&history).await.ok(200).clone();
    assert_eq!(entries.as_array().unwrap().len(), 1, "{entries}");
    let first = &entries[0];
    assert_eq!((&first["seq"], &first["actor_role"]), (&json!(1), &json!("applicant")));
    assert!(first["actor"].as_str().unwrap().starts_with("applicant-"));
    assert_eq!(first["at"], registered["created_at"]);
    let created = |field: &str, after: Value| json!({"field": field, "before": null, "after": after});
    assert_eq!(
        first["changes"],
        json!([
            created("accounts.kind", json!("closed")),
            created("accounts.operating_costs_cents", json!(32_000_000)),
            created("accounts.operating_revenue_cents", json!(30_000_000)),
            created("accounts.sales_revenue_cents", json!(21_000_000)),
            created("accounts.year", json!(2025)),
            created("address.city", json!("Rouen")),
            created("address.commune_code", json!("76540")),
            created("address.line", json!("12 rue de la République")),
            created("address.postal_code", json!("76000")),
            created(
                "de_minimis_aids",
                json!([{"grantor": "Région Normandie", "granted_on": "2025-03-01", "amount_cents": 1_500_000}])
            ),
            created("legal_form", json!("9220")),
            created("market_activity", json!("Vente de meubles réemployés")),
            created("name", json!("Les Ateliers Solidaires")),
            created("rna", json!("W763001234")),
            created("salaried_staff_fte", json!(4.5)),
            created("siret", json!(a.siret)),
        ])
    );

    // An update: exactly the fields it changed, nested ones by their path, lists whole.
    let mut accounts = registered["accounts"].clone();
    accounts["operating_revenue_cents"] = json!(25_000_000);
    let mut address = registered["address"].clone();
    address["commune_code"] = json!("76451");
    let patch = json!({"accounts": accounts, "address": address, "de_minimis_aids": [], "name": "Les Ateliers Solidaires"});
    applicant.patch(&org, &patch, Some("\"v1\"")).await.ok(200);
    // An update that changes nothing is still a new version, and an entry without changes.
    let unchanged = applicant.patch(&org, &json!({"name": "Les Ateliers Solidaires"}), Some("\"v2\"")).await;
    assert_eq!(unchanged.ok(200)["version"], 3);
    // Refused updates record nothing.
    applicant.patch(&org, &json!({"salaried_staff_fte": 5}), Some("\"v1\"")).await.problem(412);
    applicant.patch(&org, &json!({"salaried_staff_fte": -1}), Some("\"v3\"")).await.problem(422);
    // A cleared object: each of its fields, to null.
    let cleared =
        applicant.patch(&org, &json!({"accounts": null, "rna": null}), Some("\"v3\"")).await.ok(200).clone();

    let entries = app.instructor().get(&history).await.ok(200).clone();
    let entries = entries.as_array().unwrap();
    let seqs: Vec<i64> = entries.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4], "one entry per edit, each the version it made");
    assert_eq!(
        entries[1]["changes"],
        json!([
            {"field": "accounts.operating_revenue_cents", "before": 30_000_000, "after": 25_000_000},
            {"field": "address.commune_code", "before": "76540", "after": "76451"},
            {"field": "de_minimis_aids",
             "before": [{"grantor": "Région Normandie", "granted_on": "2025-03-01", "amount_cents": 1_500_000}],
             "after": []},
        ])
    );
    assert_eq!(entries[2]["changes"], json!([]));
    assert_eq!(
        entries[3]["changes"],
        json!([
            {"field": "accounts.kind", "before": "closed", "after": null},
            {"field": "accounts.operating_costs_cents", "before": 32_000_000, "after": null},
            {"field": "accounts.operating_revenue_cents", "before": 25_000_000, "after": null},
            {"field": "accounts.sales_revenue_cents", "before": 21_000_000, "after": null},
            {"field": "accounts.year", "before": 2025, "after": null},
            {"field": "rna", "before": "W763001234", "after": null},
        ])
    );
    assert_eq!(entries[3]["at"], cleared["updated_at"]);
    assert_eq!(cleared["version"], 4);
    let times: Vec<DateTime<Utc>> = entries.iter().map(|e| time(&e["at"])).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert!(entries.iter().all(|e| e["actor"] == first["actor"] && e["actor_role"] == "applicant"));
    assert_eq!(history_entries_of(&app, &a), 4);
}

async fn an_import_registers_the_organisations_it_creates(backend: Backend) {
    let app = spawn_app(backend).await;
    app.open_scheme("DI-ESS").await;
    let siret = siret_from(4_123_456_780_001);
    let csv = file(&[row(&siret, "2021-11-02", "DEL-2021-88", "12000", "DI-ESS")]);
    let finance = app.client_for(Role::Finance, TERRITORY, None);
    import(&finance, &app, &csv, false).await.ok(200);
    let listed = finance.get(&format!("/api/v1/organisations?siret={siret}")).await.ok(200).clone();
    let id = listed["items"][0]["id"].as_str().unwrap().to_string();
    let history = format!("/api/v1/organisations/{id}/history");

    let entries = finance.get(&history).await.ok(200).clone();
    assert_eq!(entries.as_array().unwrap().len(), 1, "{entries}");
    let registration = &entries[0];
    assert_eq!((&registration["seq"], &registration["actor_role"]), (&json!(1), &json!("finance")));
    assert!(registration["actor"].as_str().unwrap().starts_with("finance-"));
    let fields: Vec<&str> =
        registration["changes"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(
        fields,
        vec![
            "address.city",
            "address.commune_code",
            "address.line",
            "address.postal_code",
            "legal_form",
            "name",
            "salaried_staff_fte",
            "siret"
        ]
    );
    assert!(registration["changes"].as_array().unwrap().contains(&json!(
        {"field": "legal_form", "before": null, "after": "0000"}
    )));

    // Its applicant completes it: the placeholders, before and after.
    let applicant = app.applicant_with_siret(&siret);
    let mut whole = crate::helpers::organisation_body(&siret);
    whole.as_object_mut().unwrap().remove("siret");
    applicant.patch(&format!("/api/v1/organisations/{id}"), &whole, Some("\"v1\"")).await.ok(200);
    let entries = applicant.get(&history).await.ok(200).clone();
    let completed = &entries[1];
    assert_eq!((&completed["seq"], &completed["actor_role"]), (&json!(2), &json!("applicant")));
    let changes = completed["changes"].as_array().unwrap();
    assert!(
        changes.contains(&json!({"field": "legal_form", "before": "0000", "after": "9220"})),
        "{completed}"
    );
    assert!(changes.contains(&json!({"field": "address.commune_code", "before": "00000", "after": "76540"})));
    assert!(changes.contains(&json!({"field": "salaried_staff_fte", "before": 0.0, "after": 4.5})));
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM organisation_history WHERE organisation_id = '{id}'")),
        2
    );
}

async fn only_staff_see_changes_and_only_the_organisation_sees_its_history(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(Submitted).await;
    let other = app.register_applicant().await;
    let history = history_path(&d.applicant);
    let changes = d.path_to("organisation-changes");

    // The history: staff of the territory and the organisation's own applicants.
    for reader in [app.instructor(), app.finance(), app.admin(), app.applicant(&d.applicant)] {
        assert_eq!(reader.get(&history).await.ok(200).as_array().unwrap().len(), 1);
    }
    let own = app.applicant(&other).get(&history_path(&other)).await.ok(200).clone();
    assert_eq!(own.as_array().unwrap().len(), 1);
    // Another organisation's applicant, another territory's staff: no such organisation.
    let res = app.applicant(&other).get(&history).await;
    assert_eq!(res.problem(404)["detail"], "Cette organisation n'existe pas.");
    app.client_for(Role::Instructor, OTHER_TERRITORY, None).get(&history).await.problem(404);
    app.client_for(Role::Applicant, OTHER_TERRITORY, Some(&d.applicant.siret))
        .get(&history)
        .await
        .problem(404);
    app.instructor()
        .get(&format!("/api/v1/organisations/{}/history", uuid::Uuid::new_v4()))
        .await
        .problem(404);
    app.instructor().get("/api/v1/organisations/not-a-uuid/history").await.problem(404);
    app.anonymous().get(&history).await.problem(401);

    // What changed since submission: staff only; applicants get 403 whoever's dossier it is.
    for reader in [app.instructor(), app.finance(), app.admin()] {
        assert_eq!(reader.get(&changes).await.ok(200)["changes"], json!([]));
    }
    app.applicant(&d.applicant).get(&changes).await.problem(403);
    app.applicant(&other).get(&changes).await.problem(403);
    app.client_for(Role::Instructor, OTHER_TERRITORY, None).get(&changes).await.problem(404);
    app.instructor()
        .get(&format!("/api/v1/dossiers/{}/organisation-changes", uuid::Uuid::new_v4()))
        .await
        .problem(404);
    app.anonymous().get(&changes).await.problem(401);
    // Nobody writes through these paths.
    let res = app.applicant(&d.applicant).post(&history, &json!({})).await;
    res.problem(405);
    assert_eq!(res.header("allow"), Some("GET, HEAD"));
    let res = app.instructor().patch(&changes, &json!({}), Some(&etag(&d.body))).await;
    res.problem(405);
    assert_eq!(res.header("allow"), Some("GET, HEAD"));
}

async fn what_is_kept_cannot_be_rewritten_even_by_sql(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(Submitted).await;
    let organisation = &d.applicant.organisation_id;
    app.applicant(&d.applicant)
        .patch(&organisation_path(&d.applicant), &json!({"salaried_staff_fte": 0}), Some("\"v1\""))
        .await
        .ok(200);
    assert_eq!((submissions_of(&app, &d), history_entries_of(&app, &d.applicant)), (1, 2));
    for statement in [
        format!("DELETE FROM organisation_history WHERE organisation_id = '{organisation}'"),
        "UPDATE organisation_history SET changes = '[]'".to_string(),
        format!("DELETE FROM dossier_submissions WHERE dossier_id = '{}'", d.id),
        "UPDATE dossier_submissions SET organisation = '{}'".to_string(),
    ] {
        assert!(app.try_execute(&statement).is_err(), "{statement}");
    }
    assert_eq!((submissions_of(&app, &d), history_entries_of(&app, &d.applicant)), (1, 2));
    let changes = app.instructor().get(&d.path_to("organisation-changes")).await.ok(200).clone();
    assert_eq!(changes["changes"], json!([{"field": "salaried_staff_fte", "before": 4.5, "after": 0.0}]));
    let history = app.instructor().get(&history_path(&d.applicant)).await.ok(200).clone();
    assert_eq!(history[1]["changes"], changes["changes"]);
}

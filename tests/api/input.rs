//! Text that is not text: a NUL or another control character in any string of a body is a 422
//! naming the field, on both backends (PostgreSQL cannot store a NUL), and nothing is written.

use serde_json::json;

use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, organisation_body, spawn_app, Backend};
use essor::domain::lifecycle::DossierStatus::Submitted;

both_backends!(control_characters_are_refused_naming_the_field, line_breaks_only_where_a_field_has_lines);

#[track_caller]
fn refused(res: &crate::helpers::Resp, field: &str) {
    let problem = res.problem(422);
    let error = problem["errors"].as_array().unwrap().iter().find(|e| e["field"] == field);
    let error = error.unwrap_or_else(|| panic!("no error for {field}: {}", res.text));
    assert_eq!(error["code"], "control_character", "{}", res.text);
}

async fn control_characters_are_refused_naming_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin();
    refused(
        &admin.post("/api/v1/schemes", &json!({"code": "NUL-1", "name": "Aide\u{0}immobilière"})).await,
        "name",
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes"), 0);

    // Nested fields are named by their path.
    let siret = crate::helpers::new_siret();
    let applicant = app.applicant_with_siret(&siret);
    let mut org = organisation_body(&siret);
    org["address"]["city"] = json!("Rouen\u{0}");
    refused(&applicant.post("/api/v1/organisations", &org).await, "address.city");
    let mut org = organisation_body(&siret);
    org["de_minimis_aids"][0]["grantor"] = json!("Région\u{1b}[31m");
    refused(&applicant.post("/api/v1/organisations", &org).await, "de_minimis_aids[0].grantor");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM organisations"), 0);

    // A dossier's title and a transition's comment.
    let d = DossierBuilder::new(&app).in_status(Submitted).await;
    let owner = app.applicant(&d.applicant);
    refused(&owner.patch(&d.path(), &json!({"title": "Travaux\u{0}"}), Some(&d.etag())).await, "title");
    let instructor = app.instructor();
    refused(
        &instructor.act(&d.id, "request-changes", Some(json!({"comment": "Pièce\u{0} manquante"}))).await,
        "comment",
    );
    let now = instructor.get(&d.path()).await.ok(200).clone();
    assert_eq!(now["status"], "submitted");
    assert_eq!(now["title"], d.body["title"]);
}

async fn line_breaks_only_where_a_field_has_lines(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).draft().await;
    let owner = app.applicant(&d.applicant);
    refused(&owner.patch(&d.path(), &json!({"title": "Ligne 1\nLigne 2"}), Some(&d.etag())).await, "title");
    let multi = json!({"description": "Première ligne.\nDeuxième ligne,\tavec une tabulation."});
    let edited = owner.patch(&d.path(), &multi, Some(&d.etag())).await;
    assert_eq!(edited.ok(200)["description"], multi["description"]);
}

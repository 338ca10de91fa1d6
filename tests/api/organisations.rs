use serde_json::json;

use crate::helpers::{both_backends, new_siret, organisation_body, spawn_app, Backend, OTHER_TERRITORY};
use essor::auth::Role;

both_backends!(
    organisations_register_read_and_patch,
    organisation_validation_per_field,
    organisations_are_private
);

async fn organisations_register_read_and_patch(backend: Backend) {
    let app = spawn_app(backend).await;
    let siret = new_siret();
    let applicant = app.applicant_with_siret(&siret);
    let res = applicant.post("/api/v1/organisations", &organisation_body(&siret)).await;
    let org = res.ok(201).clone();
    let id = org["id"].as_str().unwrap();
    assert_eq!(org["siren"], &siret[..9]);
    assert_eq!(org["legal_family"], "association");
    assert_eq!(org["de_minimis_aids"][0]["amount_cents"], 1_500_000);
    assert_eq!(res.header("etag"), Some("\"v1\""));

    // Same SIRET again: 409.
    applicant.post("/api/v1/organisations", &organisation_body(&siret)).await.problem(409);
    // Another applicant cannot register someone else's SIRET.
    let other = app.applicant_with_siret(&new_siret());
    let res = other.post("/api/v1/organisations", &organisation_body(&new_siret())).await;
    assert_eq!(res.problem(422)["errors"][0]["code"], "not_yours");

    // Read by the applicant and by staff.
    let path = format!("/api/v1/organisations/{id}");
    let got = applicant.get(&path).await;
    assert_eq!(got.ok(200), &org);
    app.instructor().get(&path).await.ok(200);
    let list = app.instructor().get("/api/v1/organisations").await;
    assert_eq!(list.ok(200)["total"], 1);

    // PATCH needs If-Match: 428 without, 412 stale, 200 fresh.
    applicant.patch(&path, &json!({"salaried_staff_fte": 6.0}), None).await.problem(428);
    applicant.patch(&path, &json!({"salaried_staff_fte": 6.0}), Some("\"v9\"")).await.problem(412);
    let res = applicant.patch(&path, &json!({"salaried_staff_fte": 6.0, "rna": null}), Some("\"v1\"")).await;
    assert_eq!(res.ok(200)["salaried_staff_fte"], 6.0);
    assert!(res.body["rna"].is_null());
    assert_eq!(res.header("etag"), Some("\"v2\""));
    // The SIRET is not editable.
    let res = applicant.patch(&path, &json!({"siret": new_siret()}), Some("\"v2\"")).await;
    assert_eq!(res.problem(400)["errors"][0]["field"], "siret");
    // A required field cannot be cleared.
    let res = applicant.patch(&path, &json!({"name": null}), Some("\"v2\"")).await;
    assert_eq!(res.problem(422)["errors"][0]["field"], "name");
    // Staff do not edit applicants' declarations.
    app.instructor().patch(&path, &json!({"name": "x"}), Some("\"v2\"")).await.problem(403);
    let stored = applicant.get(&path).await;
    assert_eq!(stored.ok(200)["version"], 2);
    assert_eq!(stored.body["name"], "Les Ateliers Solidaires");
}

async fn organisation_validation_per_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let siret = new_siret();
    let applicant = app.applicant_with_siret(&siret);
    let mut body = organisation_body(&siret);
    let mut bad_checksum = siret.clone();
    let last = bad_checksum.pop().unwrap().to_digit(10).unwrap();
    bad_checksum.push(char::from_digit((last + 1) % 10, 10).unwrap());
    body["siret"] = json!(bad_checksum);
    body["address"]["commune_code"] = json!("99999");
    body["salaried_staff_fte"] = json!(-1);
    body["name"] = json!("x".repeat(201));
    body["accounts"]["sales_revenue_cents"] = json!(40_000_000);
    body["de_minimis_aids"][0]["amount_cents"] = json!(-5);
    body["de_minimis_aids"][0]["granted_on"] = json!("2099-01-01");
    let res = applicant.post("/api/v1/organisations", &body).await;
    res.problem(422);
    let errors = res.body["errors"].as_array().unwrap();
    let code_of = |field: &str| {
        errors.iter().find(|e| e["field"] == field).map(|e| e["code"].as_str().unwrap().to_string())
    };
    assert_eq!(code_of("siret").as_deref(), Some("siret_checksum"));
    assert!(code_of("address.commune_code").is_some());
    assert_eq!(code_of("salaried_staff_fte").as_deref(), Some("out_of_range"));
    assert_eq!(code_of("name").as_deref(), Some("too_long"));
    assert_eq!(code_of("accounts.sales_revenue_cents").as_deref(), Some("exceeds_total"));
    assert_eq!(code_of("de_minimis_aids[0].amount_cents").as_deref(), Some("out_of_range"));
    assert_eq!(code_of("de_minimis_aids[0].granted_on").as_deref(), Some("out_of_range"));
    // Corsican communes are valid.
    let mut corsica = organisation_body(&siret);
    corsica["address"]["commune_code"] = json!("2A004");
    corsica["address"]["postal_code"] = json!("20000");
    applicant.post("/api/v1/organisations", &corsica).await.ok(201);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM organisations"), 1);
}

async fn organisations_are_private(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.register_applicant().await;
    let b = app.register_applicant().await;
    let a_path = format!("/api/v1/organisations/{}", a.organisation_id);
    // B cannot read, list or edit A.
    let b_client = app.applicant(&b);
    b_client.get(&a_path).await.problem(404);
    let list = b_client.get("/api/v1/organisations").await;
    let items = list.ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], b.organisation_id.as_str());
    b_client.patch(&a_path, &json!({"name": "Pwned"}), Some("\"v1\"")).await.problem(404);
    // Another territory's staff see nothing.
    let rennes = app.client_for(Role::Instructor, OTHER_TERRITORY, None);
    rennes.get(&a_path).await.problem(404);
    assert_eq!(rennes.get("/api/v1/organisations").await.ok(200)["total"], 0);
}

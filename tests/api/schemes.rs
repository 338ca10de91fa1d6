use serde_json::json;

use crate::helpers::{both_backends, new_siret, rules_parameters, spawn_app, Backend};

both_backends!(
    schemes_are_created_listed_and_read,
    scheme_validation_names_each_field,
    rules_versions_are_typed_and_validated
);

async fn schemes_are_created_listed_and_read(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin();
    let res = admin
        .post(
            "/api/v1/schemes",
            &json!({"code": "DL-ESS", "name": "Dynamique Location ESS", "description": "Loyer"}),
        )
        .await;
    let created = res.ok(201).clone();
    let id = created["id"].as_str().unwrap();
    assert_eq!(res.header("location"), Some(format!("/api/v1/schemes/{id}").as_str()));
    assert_eq!(created["code"], "DL-ESS");
    assert_eq!(created["description"], "Loyer");
    app.create_scheme("DI-ESS").await;

    // Same code again: 409, and only two rows.
    let dup = admin.post("/api/v1/schemes", &json!({"code": "DL-ESS", "name": "Again"})).await;
    dup.problem(409);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes"), 2);

    // Every role of the territory can read them.
    for reader in [app.instructor(), app.finance(), app.applicant_with_siret(&new_siret()), admin.clone()] {
        let list = reader.get("/api/v1/schemes").await;
        let codes: Vec<&str> =
            list.ok(200).as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
        assert_eq!(codes, vec!["DI-ESS", "DL-ESS"]);
        let one = reader.get(&format!("/api/v1/schemes/{id}")).await;
        assert_eq!(one.ok(200), &created);
    }
}

async fn scheme_validation_names_each_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin();
    let res = admin
        .post("/api/v1/schemes", &json!({"code": "di ess", "name": "  ", "description": "x".repeat(4001)}))
        .await;
    res.problem(422);
    let mut fields = res.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["code", "description", "name"]);
    let missing = admin.post("/api/v1/schemes", &json!({"name": "x"})).await;
    missing.problem(400);
    assert!(missing.body["detail"].as_str().unwrap().contains("code"), "{}", missing.text);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes"), 0);
}

async fn rules_versions_are_typed_and_validated(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.create_scheme("DI-ESS").await;
    let params = rules_parameters("DI-ESS");

    let first = app.add_rules(&scheme, "2026-01-01", params.clone()).await;
    let body = first.ok(201).clone();
    assert_eq!(body["effective_from"], "2026-01-01");
    assert_eq!(body["parameters"], params);
    let second = app.add_rules(&scheme, "2027-01-01", params.clone()).await;
    second.ok(201);

    // Same date again: 409, versions are never edited.
    app.add_rules(&scheme, "2026-01-01", params.clone()).await.problem(409);

    // Newest first.
    let list = app.instructor().get(&format!("/api/v1/schemes/{scheme}/rules")).await;
    let dates: Vec<&str> =
        list.ok(200).as_array().unwrap().iter().map(|v| v["effective_from"].as_str().unwrap()).collect();
    assert_eq!(dates, vec!["2027-01-01", "2026-01-01"]);

    // Invalid parameters: each field named.
    let mut bad = params.clone();
    bad["own_revenue"]["min_own_revenue_share_bp"] = json!(12_000);
    bad["territory"]["commune_codes"] = json!(["76540", "ABCDE"]);
    let res = app.add_rules(&scheme, "2028-01-01", bad).await;
    res.problem(422);
    let fields = res.error_fields();
    assert!(fields.contains(&"parameters.own_revenue.min_own_revenue_share_bp".to_string()), "{fields:?}");
    assert!(fields.contains(&"parameters.territory.commune_codes[1]".to_string()), "{fields:?}");

    // An unknown parameter is refused, not ignored.
    let mut unknown = params.clone();
    unknown["employment"]["bonus"] = json!(1);
    let res = app.add_rules(&scheme, "2028-01-01", unknown).await;
    res.problem(400);
    assert_eq!(res.error_fields(), vec!["parameters.employment.bonus"]);

    // A date out of range.
    let res = app.add_rules(&scheme, "1999-12-31", params.clone()).await;
    res.problem(422);
    assert_eq!(res.error_fields(), vec!["effective_from"]);

    // Non-admins may not add rules.
    let res = app
        .instructor()
        .post(
            &format!("/api/v1/schemes/{scheme}/rules"),
            &json!({"effective_from": "2029-01-01", "parameters": params}),
        )
        .await;
    res.problem(403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM rules_versions"), 2);
}

both_backends!(templates_create_a_scheme_with_default_rules);

async fn templates_create_a_scheme_with_default_rules(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({
        "code": "DL-ESS",
        "name": "Dynamique Location ESS",
        "from_template": {"template": "DL-ESS", "effective_from": "2027-01-01", "commune_codes": ["76540", "76451"]}
    });
    let admin = app.admin();
    let res = admin.post("/api/v1/schemes", &body).await;
    let scheme = res.ok(201).clone();
    assert_eq!(scheme["template"], "DL-ESS");
    assert!(scheme["description"].as_str().unwrap().contains("loc"), "{}", res.text);
    let rules = admin.get(&format!("/api/v1/schemes/{}/rules", scheme["id"].as_str().unwrap())).await;
    let versions = rules.ok(200).as_array().unwrap().clone();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["effective_from"], "2027-01-01");
    assert_eq!(versions[0]["parameters"]["max_grant"]["kind"], "rent");
    assert_eq!(versions[0]["parameters"]["territory"]["commune_codes"], json!(["76540", "76451"]));
    assert_eq!(versions[0]["parameters"]["de_minimis"]["ceiling_cents"], 300_000_00);
    assert!(versions[0]["comment"].as_str().unwrap().contains("template"));

    // Bad commune codes are reported under the field sent; nothing is created.
    let bad = json!({
        "code": "DI-ESS", "name": "DI",
        "from_template": {"template": "DI-ESS", "effective_from": "2027-01-01", "commune_codes": ["7654"]}
    });
    let res = admin.post("/api/v1/schemes", &bad).await;
    res.problem(422);
    assert_eq!(res.error_fields(), vec!["from_template.commune_codes[0]"]);
    let unknown = json!({
        "code": "XX", "name": "X",
        "from_template": {"template": "XX-ESS", "effective_from": "2027-01-01", "commune_codes": ["76540"]}
    });
    admin.post("/api/v1/schemes", &unknown).await.problem(400);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes"), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM rules_versions"), 1);
}

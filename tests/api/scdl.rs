//! The SCDL "subventions" 2.1.1 open-data file: its columns, order and formats, from real grants.

use essor::domain::lifecycle::DossierStatus::UnderReview;
use serde_json::json;

use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, siret_from, spawn_app, Backend, TestApp, OTHER_TERRITORY};

both_backends!(the_open_data_file_is_the_standard_one, open_data_needs_the_territory_siret);

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// An approved grant of `cents` in a fresh DI-ESS scheme with this year's envelope.
pub async fn granted(app: &TestApp, scheme: &str, cents: i64) -> crate::builders::Dossier {
    let d = DossierBuilder::new(app).scheme(scheme).in_status(UnderReview).await;
    let body = json!({"granted_cents": cents, "decided_on": today().to_string(), "decision_reference": "DEL-2026-114"});
    app.instructor().post_once(&d.path_to("approve"), &body, &uuid::Uuid::new_v4().to_string()).await.ok(200);
    crate::conventions::sign_convention(app, &d).await;
    d
}

/// The records of a CSV text, header included.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_string).collect())
        .collect()
}

async fn the_open_data_file_is_the_standard_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let year = chrono::Datelike::year(&today());
    app.finance()
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": year, "amount_cents": 500_000_00}))
        .await
        .ok(201);
    let paid_twice = granted(&app, &scheme, 60_000_00).await;
    let not_paid = granted(&app, &scheme, 45_000_00).await;
    // Two payments for the first grant.
    for cents in [20_000_00, 10_000_00] {
        let request =
            json!({"kind": "installment", "amount_cents": cents, "certified_on": today().to_string()});
        let created = app
            .instructor()
            .post_once(&paid_twice.path_to("disbursements"), &request, &uuid::Uuid::new_v4().to_string())
            .await;
        let id = created.ok(201)["id"].as_str().unwrap().to_string();
        let pay = json!({"paid_on": today().to_string(), "payment_reference": "MDT-1"});
        app.finance()
            .post_once(&format!("/api/v1/disbursements/{id}/pay"), &pay, &uuid::Uuid::new_v4().to_string())
            .await
            .ok(200);
    }

    let path = format!("/api/v1/exports/scdl-subventions?year={year}");
    app.applicant(&paid_twice.applicant).get(&path).await.problem(403);
    let res = app.finance().get(&path).await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(res
        .header("content-disposition")
        .is_some_and(|d| d.contains(&format!("subventions-rouen-{year}.csv"))));
    let rows = csv_rows(&res.text);
    // The header is the schema's fields, in its order.
    let schema_path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/standards/scdl-subventions-2.1.1.schema.json");
    if let Ok(schema) = std::fs::read_to_string(schema_path) {
        let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
        let fields: Vec<&str> =
            schema["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(rows[0], fields);
    }
    assert_eq!(rows[0], essor::domain::open_data::SCDL_COLUMNS);
    assert_eq!(rows.len(), 3, "a header and one row per grant of the year");
    let by_id = |d: &crate::builders::Dossier| {
        let siret = &d.applicant.siret;
        rows.iter().find(|r| &r[5] == siret).cloned().unwrap_or_else(|| panic!("no row for {siret}"))
    };
    let first = by_id(&paid_twice);
    let today = today().to_string();
    assert_eq!(first[0], "Métropole Rouen Normandie");
    assert_eq!(first[1], siret_from(2000437420001));
    assert_eq!((first[2].as_str(), first[3].as_str()), (today.as_str(), "DEL-2026-114"));
    assert_eq!(
        (first[6].as_str(), first[8].as_str(), first[9].as_str()),
        ("W763001234", "60000.00", "aide en numéraire")
    );
    assert_eq!((first[10].as_str(), first[11].as_str()), ("échelonné", today.as_str()));
    assert_eq!(
        (first[13].as_str(), first[14].as_str(), first[15].as_str()),
        ("non", "1.00", "Scheme DI-ESS")
    );
    let second = by_id(&not_paid);
    assert_eq!(
        (second[8].as_str(), second[10].as_str(), second[11].as_str()),
        ("45000.00", "unique", today.as_str())
    );
    // Another year has none.
    let other = app.finance().get(&format!("/api/v1/exports/scdl-subventions?year={}", year - 1)).await;
    assert_eq!(csv_rows(&other.text).len(), 1, "the header alone");
    app.finance().get("/api/v1/exports/scdl-subventions?year=1999").await.problem(400);
}

async fn open_data_needs_the_territory_siret(backend: Backend) {
    let app = spawn_app(backend).await;
    let finance = app.client_for(essor::auth::Role::Finance, OTHER_TERRITORY, None);
    let res = finance.get("/api/v1/exports/scdl-subventions?year=2026").await;
    let problem = res.problem(409);
    assert_eq!(problem["code"], "territory_siret_missing");
    assert!(problem["detail"].as_str().unwrap().contains("essor territory siret"), "{}", res.text);
}

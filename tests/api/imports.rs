//! Imports of grants decided before Essor (`POST /imports/scdl-subventions`), on both backends:
//! all or nothing, once per row, counted in the exports and in de minimis, read-only.

use essor::domain::lifecycle::DossierStatus::UnderReview;
use serde_json::{json, Value};

use crate::builders::DossierBuilder;
use crate::helpers::{
    both_backends, siret_from, spawn_app, Applicant, Backend, Client, Resp, TestApp, TERRITORY,
};

both_backends!(
    a_valid_file_imports_once_and_every_export_counts_it,
    de_minimis_counts_imported_grants,
    a_file_with_errors_lists_each_with_its_line_and_writes_nothing,
    imports_are_for_finance_and_admin_of_a_territory_with_a_siret,
    imported_grants_are_read_only,
    a_large_file_imports_in_batches,
    a_year_exported_imported_and_exported_again_reads_the_same,
);

const PATH: &str = "/api/v1/imports/scdl-subventions";
const HEADER: &str =
    "nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,\
    rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,\
    pourcentageSubvention,dispositifAide";

/// The test territory's SIRET (as `spawn_app` registers it).
fn rouen() -> String {
    siret_from(2000437420001)
}

/// One SCDL row granted by Rouen.
pub(crate) fn row(beneficiary: &str, on: &str, reference: &str, amount: &str, scheme: &str) -> String {
    format!(
        "Métropole Rouen Normandie,{},{on},{reference},\"Atelier {beneficiary}, SCOP\",{beneficiary},,\
         Travaux d'aménagement du local,{amount},aide en numéraire,unique,{on},,non,1.00,{scheme}",
        rouen()
    )
}

pub(crate) fn file(rows: &[String]) -> String {
    let mut text = HEADER.to_string();
    for r in rows {
        text.push_str("\r\n");
        text.push_str(r);
    }
    text.push_str("\r\n");
    text
}

pub(crate) async fn import(client: &Client<'_>, app: &TestApp, csv: &str, dry_run: bool) -> Resp {
    let path = if dry_run { format!("{PATH}?dry_run=true") } else { PATH.to_string() };
    let req =
        client.request(reqwest::Method::POST, &path).header("Content-Type", "text/csv").body(csv.to_string());
    app.send(req).await
}

fn imported_dossiers(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM dossiers WHERE imported")
}

fn organisations(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM organisations")
}

fn report(rows: usize, imported: usize, already_known: usize) -> Value {
    json!({"rows": rows, "imported": imported, "already_known": already_known})
}

async fn a_valid_file_imports_once_and_every_export_counts_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let di = app.open_scheme("DI-ESS").await;
    let dl = app.create_scheme("DL-ESS").await;
    let known = app.register_applicant().await;
    let (new_a, new_b) = (siret_from(4_123_456_780_001), siret_from(5_123_456_780_001));
    let rows = vec![
        row(&known.siret, "2021-03-15", "DEL-2021-12", "47800.20", "DI-ESS"),
        row(&new_a, "2021-11-02", "DEL-2021-88", "12000", "DI-ESS"),
        // By the scheme's name, whatever its case.
        row(&new_a, "2022-02-01", "DEL-2022-03", "5000.5", "scheme dl-ess"),
        row(&new_b, "2022-06-30", "", "99786.57", "DL-ESS"),
    ];
    let csv = file(&rows);
    let finance = app.finance();
    let before = organisations(&app);

    // A dry run checks, counts and writes nothing.
    assert_eq!(*import(&finance, &app, &csv, true).await.ok(200), report(4, 0, 0));
    assert_eq!((imported_dossiers(&app), organisations(&app)), (0, before));

    assert_eq!(*import(&finance, &app, &csv, false).await.ok(200), report(4, 4, 0));
    assert_eq!(imported_dossiers(&app), 4);
    // The two unknown beneficiaries became organisations, marked imported; the known one is
    // used as it is.
    assert_eq!(organisations(&app), before + 2);
    let listed = app.instructor().get(&format!("/api/v1/organisations?siret={new_a}")).await.ok(200).clone();
    let created = &listed["items"][0];
    assert_eq!(
        (&created["imported"], &created["name"], &created["legal_form"]),
        (&json!(true), &json!(format!("Atelier {new_a}, SCOP")), &json!("0000"))
    );
    let own = app.instructor().get(&format!("/api/v1/organisations/{}", known.organisation_id)).await;
    assert_eq!(own.ok(200)["imported"], false);

    // Each grant is a closed dossier, granted and paid the amount on the convention's date.
    let dossiers =
        app.instructor().get(&format!("/api/v1/dossiers?organisation_id={}", known.organisation_id)).await;
    let grant = dossiers.ok(200)["items"][0].clone();
    assert_eq!(grant["status"], "closed");
    assert_eq!(grant["imported"], true);
    assert_eq!(grant["granted_cents"], 4_780_020);
    assert_eq!(grant["paid_cents"], 4_780_020);
    assert_eq!(grant["decided_on"], "2021-03-15");
    assert_eq!(grant["convention_signed_on"], "2021-03-15");
    assert_eq!(grant["decision_reference"], "DEL-2021-12");
    assert_eq!(grant["year"], 2021);
    assert_eq!(grant["title"], "Travaux d'aménagement du local");
    assert_eq!(grant["scheme_id"], di.as_str());
    assert_eq!(grant["allowed_transitions"], json!([]));
    let history =
        app.instructor().get(&format!("/api/v1/dossiers/{}/history", grant["id"].as_str().unwrap())).await;
    let steps = history.ok(200).as_array().unwrap().clone();
    assert_eq!((steps.len(), &steps[0]["to_status"]), (1, &json!("closed")));
    // The applicant sees its grant.
    let seen =
        app.applicant(&known).get(&format!("/api/v1/dossiers/{}", grant["id"].as_str().unwrap())).await;
    assert_eq!(seen.ok(200)["imported"], true);

    // Annual totals count them like any grant.
    let totals = app.finance().get("/api/v1/exports/annual-totals?year=2021").await.ok(200).clone();
    let di_row =
        totals["schemes"].as_array().unwrap().iter().find(|r| r["scheme_id"] == di.as_str()).unwrap().clone();
    assert_eq!(
        (di_row["grants"].as_i64(), di_row["committed_cents"].as_i64()),
        (Some(2), Some(4_780_020 + 12_000_00))
    );
    assert_eq!(di_row["beneficiaries"], 2);
    assert_eq!(di_row["dossiers_by_status"]["closed"], 2);
    assert_eq!(totals["total"]["grants"], 2);
    let totals = app.finance().get("/api/v1/exports/annual-totals?year=2022").await.ok(200).clone();
    let dl_row =
        totals["schemes"].as_array().unwrap().iter().find(|r| r["scheme_id"] == dl.as_str()).unwrap().clone();
    assert_eq!(
        (dl_row["grants"].as_i64(), dl_row["committed_cents"].as_i64()),
        (Some(2), Some(5_000_50 + 9_978_657))
    );
    let period = app.finance().get("/api/v1/exports/period-totals?from=2021&to=2022").await.ok(200).clone();
    assert_eq!(period["total"]["grants"], 4);
    assert_eq!(period["total"]["granted_cents"], 4_780_020 + 12_000_00 + 5_000_50 + 9_978_657);
    assert_eq!(period["total"]["beneficiaries"], 3);

    // The grants list names them, paid in full (JSON and CSV).
    let grants = app.finance().get("/api/v1/exports/grants?year=2022").await.ok(200).clone();
    let items = grants["grants"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["decision_reference"], "DEL-2022-03");
    assert_eq!(
        (items[0]["granted_cents"].as_i64(), items[0]["remaining_cents"].as_i64()),
        (Some(5_000_50), Some(0))
    );
    assert_eq!(items[1]["decision_reference"], Value::Null);
    assert_eq!(items[1]["siret"], new_b.as_str());
    assert_eq!(items[1]["status"], "closed");
    let csv_export = app.finance().get("/api/v1/exports/grants?year=2022&format=csv").await;
    assert!(
        csv_export.text.contains(&format!(",{new_b},DL-ESS,,2022-06-30,2022-06-30,9978657,9978657,0,closed")),
        "{}",
        csv_export.text
    );

    // Again: nothing new. With one more row (and one repeated in the file): only that one.
    assert_eq!(*import(&app.admin(), &app, &csv, false).await.ok(200), report(4, 0, 4));
    assert_eq!(imported_dossiers(&app), 4);
    let mut more = rows.clone();
    more.push(row(&new_b, "2022-07-01", "DEL-2022-40", "1000", "DI-ESS"));
    more.push(row(&new_b, "2022-07-01", "DEL-2022-40", "1000", "DI-ESS"));
    assert_eq!(*import(&finance, &app, &file(&more), true).await.ok(200), report(6, 0, 5));
    assert_eq!(*import(&finance, &app, &file(&more), false).await.ok(200), report(6, 1, 5));
    assert_eq!((imported_dossiers(&app), organisations(&app)), (5, before + 2));
    // The same decision for another amount is another grant.
    let other_amount = vec![row(&new_b, "2022-07-01", "DEL-2022-40", "1000.01", "DI-ESS")];
    assert_eq!(*import(&finance, &app, &file(&other_amount), false).await.ok(200), report(1, 1, 0));
}

async fn de_minimis_counts_imported_grants(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let today = chrono::Utc::now().date_naive();
    let year = chrono::Datelike::year(&today);
    app.finance()
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": year, "amount_cents": 500_000_00}))
        .await
        .ok(201);
    // The applicant declares no aid; another establishment of its undertaking (same SIREN) got
    // 240 000,01 € last year, before Essor.
    let siret = siret_from(9_876_543_200_001);
    let mut body = crate::helpers::organisation_body(&siret);
    body["de_minimis_aids"] = json!([]);
    let created = app.applicant_with_siret(&siret).post("/api/v1/organisations", &body).await;
    let applicant = Applicant {
        token: app.token_for(essor::auth::Role::Applicant, TERRITORY, Some(&siret)),
        organisation_id: created.ok(201)["id"].as_str().unwrap().to_string(),
        siret: siret.clone(),
    };
    let sister = siret_from(9_876_543_200_002);
    assert_eq!(sister[..9], siret[..9]);
    let last_year = (today - chrono::Duration::days(365)).to_string();
    let csv = file(&[row(&sister, &last_year, "DEL-ANCIEN-1", "240000.01", "DI-ESS")]);
    assert_eq!(*import(&app.finance(), &app, &csv, false).await.ok(200), report(1, 1, 0));

    // 240 000,01 € imported + 60 000 € = one cent over the 300 000 € ceiling.
    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).in_status(UnderReview).await;
    let instructor = app.instructor();
    let approval = |cents: i64| json!({"granted_cents": cents, "decided_on": today.to_string(), "decision_reference": "DEL-2026-1"});
    let key = || uuid::Uuid::new_v4().to_string();
    let blocked = instructor.post_once(&d.path_to("approve"), &approval(60_000_00), &key()).await;
    let problem = blocked.problem(409);
    assert_eq!(
        (problem["code"].as_str(), problem["criterion"].as_str()),
        (Some("approval_blocked"), Some("de_minimis"))
    );
    // Exactly at the ceiling passes.
    instructor.post_once(&d.path_to("approve"), &approval(60_000_00 - 1), &key()).await.ok(200);
    crate::conventions::sign_convention(&app, &d).await;
}

async fn a_file_with_errors_lists_each_with_its_line_and_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.open_scheme("DI-ESS").await;
    let good = siret_from(4_123_456_780_001);
    let rows = vec![
        row(&good, "2021-03-15", "DEL-1", "1000", "DI-ESS"),
        // Line 3: a SIRET whose check digit is wrong, an amount finer than a cent.
        row("41234567000010", "2021-03-15", "DEL-2", "10.001", "DI-ESS"),
        // Line 4: another grantor's grant, an unknown scheme.
        row(&good, "2021-03-15", "DEL-3", "1000", "XX").replace(&rouen(), "35600000000048"),
        // Line 5: a date that is no date.
        row(&good, "15/03/2021", "DEL-4", "1000", "DI-ESS"),
        // Line 6: a row of 2 fields.
        "a,b".to_string(),
    ];
    let before = organisations(&app);
    for dry_run in [true, false] {
        let res = import(&app.finance(), &app, &file(&rows), dry_run).await;
        let problem = res.problem(422).clone();
        let errors: Vec<(i64, &str, &str)> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            errors,
            vec![
                (3, "idBeneficiaire", "siret_checksum"),
                (3, "montant", "too_precise"),
                (4, "idAttribuant", "other_attributor"),
                (4, "dispositifAide", "unknown_scheme"),
                (5, "dateConvention", "date_format"),
                (5, "datesPeriodeVersement", "date_format"),
                (6, "(row)", "field_count"),
            ],
            "{problem}"
        );
        assert!(problem["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(problem["detail"].as_str().unwrap().contains("7 erreurs"), "{problem}");
        assert_eq!((imported_dossiers(&app), organisations(&app)), (0, before));
    }

    // A header that is not SCDL's: line 1, the column named.
    let bad_header = file(&rows[..1]).replacen("montant", "montant_eur", 1);
    let res = import(&app.finance(), &app, &bad_header, false).await;
    let problem = res.problem(422);
    assert_eq!(
        problem["errors"][0],
        json!({"line": 1, "field": "montant", "code": "header_mismatch", "message": problem["errors"][0]["message"]})
    );
    // Not CSV: 415; a query it does not know: 400.
    let as_json = app.finance().post(PATH, &json!({"rows": []})).await;
    as_json.problem(415);
    let res = app
        .send(
            app.finance()
                .request(reqwest::Method::POST, &format!("{PATH}?dry_run=maybe"))
                .header("Content-Type", "text/csv")
                .body(file(&rows[..1])),
        )
        .await;
    res.problem(400);
    assert_eq!(imported_dossiers(&app), 0);
}

async fn imports_are_for_finance_and_admin_of_a_territory_with_a_siret(backend: Backend) {
    let app = spawn_app(backend).await;
    app.open_scheme("DI-ESS").await;
    let csv = file(&[row(&siret_from(4_123_456_780_001), "2021-03-15", "DEL-1", "1000", "DI-ESS")]);
    let applicant = app.register_applicant().await;
    import(&app.instructor(), &app, &csv, false).await.problem(403);
    import(&app.applicant(&applicant), &app, &csv, false).await.problem(403);
    // Forbidden whatever the body.
    import(&app.instructor(), &app, "not a file", false).await.problem(403);
    import(&app.anonymous(), &app, &csv, false).await.problem(401);
    assert_eq!(*import(&app.finance(), &app, &csv, true).await.ok(200), report(1, 0, 0));
    assert_eq!(*import(&app.admin(), &app, &csv, true).await.ok(200), report(1, 0, 0));
    assert_eq!(imported_dossiers(&app), 0);

    // Rennes has no SIRET: it must set it first.
    let rennes = app.client_for(essor::auth::Role::Finance, crate::helpers::OTHER_TERRITORY, None);
    let refused = import(&rennes, &app, &csv, false).await;
    let problem = refused.problem(409);
    assert_eq!(problem["code"], "territory_siret_missing");
    assert!(problem["detail"].as_str().unwrap().contains("SIRET"));
}

async fn imported_grants_are_read_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let today = chrono::Utc::now().date_naive().to_string();
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let envelope = app
        .finance()
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": year, "amount_cents": 500_000_00}))
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let siret = siret_from(4_123_456_780_001);
    let csv = file(&[row(&siret, "2021-03-15", "DEL-1", "1000", "DI-ESS")]);
    import(&app.finance(), &app, &csv, false).await.ok(200);
    let instructor = app.instructor();
    let listed = instructor.get("/api/v1/dossiers?status=closed").await.ok(200).clone();
    let id = listed["items"][0]["id"].as_str().unwrap().to_string();
    let path = |sub: &str| format!("/api/v1/dossiers/{id}/{sub}");
    let key = || uuid::Uuid::new_v4().to_string();
    let read_only = |res: Resp| {
        let problem = res.problem(409).clone();
        assert_eq!(problem["code"], "imported_read_only", "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("lecture seule"), "{problem}");
    };

    // Transitions, decisions, payment requests, snapshots, assessments, reservations, edits.
    read_only(instructor.act(&id, "review", None).await);
    read_only(instructor.act(&id, "reject", Some(json!({"comment": "motif"}))).await);
    let approval = json!({"granted_cents": 500_00, "decided_on": today, "decision_reference": "DEL-1"});
    read_only(instructor.post_once(&path("approve"), &approval, &key()).await);
    let amendment = json!({"granted_cents": 500_00, "decided_on": today, "decision_reference": "AV-1", "comment": "Avenant au coût réel"});
    read_only(instructor.post_once(&path("amend"), &amendment, &key()).await);
    read_only(
        instructor
            .post_once(&path("cancel"), &json!({"comment": "Abandon", "decided_on": today}), &key())
            .await,
    );
    let request = json!({"kind": "balance", "amount_cents": 100, "certified_on": today});
    read_only(instructor.post_once(&path("disbursements"), &request, &key()).await);
    read_only(instructor.post_empty(&path("eligibility")).await);
    let assessment =
        json!({"scores": [{"criterion": "social_utility", "score": 3}], "recommendation": "favourable"});
    read_only(instructor.put(&path("assessment"), &assessment, Some("\"v1\"")).await);
    let reservation = json!({"dossier_id": id, "amount_cents": 100, "comment": "Projet identifié"});
    read_only(
        app.finance()
            .post_once(&format!("/api/v1/envelopes/{envelope}/reservations"), &reservation, &key())
            .await,
    );
    let applicant = app.applicant_with_siret(&siret);
    read_only(
        applicant.patch(&format!("/api/v1/dossiers/{id}"), &json!({"title": "Autre"}), Some("\"v1\"")).await,
    );
    read_only(applicant.act(&id, "withdraw", None).await);

    // Nothing changed: still closed, version 1, one history step, no snapshot.
    let after = instructor.get(&format!("/api/v1/dossiers/{id}")).await.ok(200).clone();
    assert_eq!((after["status"].as_str(), after["version"].as_i64()), (Some("closed"), Some(1)));
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM dossier_history WHERE dossier_id = '{id}'")), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM eligibility_snapshots"), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM reservations"), 0);
}

/// 1 201 rows to 1 201 beneficiaries: written in batches (500 rows a statement), each once.
async fn a_large_file_imports_in_batches(backend: Backend) {
    let app = spawn_app(backend).await;
    app.open_scheme("DI-ESS").await;
    let rows: Vec<String> = (0..1201u64)
        .map(|i| {
            row(&siret_from(6_000_000_000_000 + i), "2023-05-04", &format!("DEL-{i}"), "100.01", "DI-ESS")
        })
        .collect();
    let csv = file(&rows);
    assert_eq!(*import(&app.admin(), &app, &csv, false).await.ok(200), report(1201, 1201, 0));
    assert_eq!(imported_dossiers(&app), 1201);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM organisations WHERE imported"), 1201);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dossier_history"), 1201);
    // Each organisation created is registered in its history, by the importer.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM organisation_history WHERE seq = 1 AND actor_role = 'admin'"),
        1201
    );
    let totals = app.finance().get("/api/v1/exports/annual-totals?year=2023").await.ok(200).clone();
    assert_eq!(
        (totals["total"]["grants"].as_i64(), totals["total"]["committed_cents"].as_i64()),
        (Some(1201), Some(1201 * 10_001))
    );
    assert_eq!(*import(&app.admin(), &app, &csv, false).await.ok(200), report(1201, 0, 1201));
    assert_eq!(imported_dossiers(&app), 1201);
}

async fn scdl_export(app: &TestApp, year: i32) -> Vec<Vec<String>> {
    let res = app.finance().get(&format!("/api/v1/exports/scdl-subventions?year={year}")).await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    crate::scdl::csv_rows(&res.text)
}

/// Export a year from one territory, import the file into a fresh one with the same identity
/// and schemes, export again: the same header and the same rows, for grants decided in Essor
/// (paid in two installments, or not yet paid) and for a grant itself imported with terms the
/// file chose (nature, payment conditions and period, idRAE, notification, share, long objet).
async fn a_year_exported_imported_and_exported_again_reads_the_same(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let today = chrono::Utc::now().date_naive();
    let year = chrono::Datelike::year(&today);
    app.finance()
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": year, "amount_cents": 500_000_00}))
        .await
        .ok(201);
    let paid_twice = crate::scdl::granted(&app, &scheme, 60_000_00).await;
    crate::scdl::granted(&app, &scheme, 45_000_00).await;
    for cents in [20_000_00, 10_000_00] {
        let request =
            json!({"kind": "installment", "amount_cents": cents, "certified_on": today.to_string()});
        let key = uuid::Uuid::new_v4().to_string();
        let created = app.instructor().post_once(&paid_twice.path_to("disbursements"), &request, &key).await;
        let id = created.ok(201)["id"].as_str().unwrap().to_string();
        let pay = json!({"paid_on": today.to_string(), "payment_reference": "MDT-1"});
        let key = uuid::Uuid::new_v4().to_string();
        app.finance().post_once(&format!("/api/v1/disbursements/{id}/pay"), &pay, &key).await.ok(200);
    }
    let long_object = format!("Aménagement solidaire {}", "du local partagé ".repeat(13)).trim().to_string();
    assert!(long_object.chars().count() > 200 && long_object.chars().count() <= 256);
    let own_terms = format!(
        "Métropole Rouen Normandie,{},{today},DEL-RT-2,Ressourcerie du Plateau,{},W763009876,{long_object},\
         12345.67,aide en nature,trois versements,{}/{today},AB12,oui,0.45,Scheme DI-ESS",
        rouen(),
        siret_from(6_123_456_780_001),
        today - chrono::Days::new(30),
    );
    assert_eq!(*import(&app.finance(), &app, &file(&[own_terms]), false).await.ok(200), report(1, 1, 0));

    let first = scdl_export(&app, year).await;
    assert_eq!(first.len(), 4, "a header and three grants: {first:?}");
    let imported_row = first.iter().find(|r| r[3] == "DEL-RT-2").expect("the imported grant");
    assert_eq!(imported_row[7], long_object, "the whole objet, not the dossier's shortened title");
    assert_eq!(
        imported_row[9..15].to_vec(),
        [
            "aide en nature",
            "trois versements",
            &format!("{}/{today}", today - chrono::Days::new(30)),
            "AB12",
            "oui",
            "0.45"
        ]
    );

    let csv = first
        .iter()
        .map(|r| {
            let mut writer = csv::Writer::from_writer(vec![]);
            writer.write_record(r).unwrap();
            String::from_utf8(writer.into_inner().unwrap()).unwrap().trim_end().to_string()
        })
        .collect::<Vec<_>>();
    let elsewhere = spawn_app(backend).await;
    elsewhere.open_scheme("DI-ESS").await;
    let answer = import(&elsewhere.finance(), &elsewhere, &file(&csv[1..]), false).await;
    assert_eq!(*answer.ok(200), report(3, 3, 0));
    let second = scdl_export(&elsewhere, year).await;
    assert_eq!(second[0], first[0], "the same header");
    let sorted = |rows: &[Vec<String>]| {
        let mut rows = rows[1..].to_vec();
        rows.sort();
        rows
    };
    assert_eq!(sorted(&second), sorted(&first), "the same rows");
}

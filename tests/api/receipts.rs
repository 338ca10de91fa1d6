//! Acknowledgements of receipt (CRPA L112-3): one per complete submission, numbered per
//! territory and year without gaps, with the silence date, and a PDF letter read back with
//! poppler's `pdftotext`; the dossier's silence date and the list of dossiers by it; the service
//! in charge the territory sets.

use chrono::{Datelike, Months, NaiveDate, Utc};
use chrono_tz::Europe::Paris;
use essor::domain::lifecycle::DossierStatus;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::builders::DossierBuilder;
use essor::auth::Role;

use crate::helpers::{both_backends, spawn_app, Backend, Client, TestApp, OTHER_TERRITORY};

/// Today in Paris, as receipts date a submission.
fn today() -> NaiveDate {
    Utc::now().with_timezone(&Paris).date_naive()
}

fn date(value: &Value) -> NaiveDate {
    value.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("a date: {value}"))
}

/// The receipts of a dossier, as `who` reads them.
async fn receipts(who: &Client<'_>, dossier_id: &str) -> Vec<Value> {
    who.get(&format!("/api/v1/dossiers/{dossier_id}/receipts"))
        .await
        .ok(200)
        .as_array()
        .expect("a list")
        .clone()
}

/// The bytes of a receipt's letter.
async fn letter(
    who: &Client<'_>,
    receipt: &Value,
) -> (reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let href = receipt["letter"]["href"].as_str().expect("href");
    let resp = who.request(reqwest::Method::GET, href).send().await.expect("sent");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.bytes().await.expect("bytes").to_vec())
}

/// What poppler's `pdftotext` reads in a PDF (the tool CI installs: a missing one fails).
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, bytes).expect("write the PDF");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext read the letter: {}", String::from_utf8_lossy(&out.stderr));
    // Spaces of every width (the figures' narrow no-break ones) as plain spaces.
    String::from_utf8(out.stdout).expect("UTF-8").replace(['\u{202f}', '\u{a0}'], " ")
}

async fn a_submission_issues_a_numbered_receipt_with_its_silence_date_and_letter(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(DossierStatus::Submitted).await;
    let applicant = app.applicant(&d.applicant);
    let list = receipts(&applicant, &d.id).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let r = &list[0];
    let (received, silence) = (today(), today().checked_add_months(Months::new(2)).unwrap());
    assert_eq!(r["number"], format!("AR-{}-000001", received.year()));
    assert_eq!(
        (r["year"].as_i64(), r["sequence"].as_i64(), r["round"].as_i64()),
        (Some(received.year().into()), Some(1), Some(1))
    );
    assert_eq!(date(&r["received_on"]), received);
    assert_eq!(date(&r["implicit_decision_on"]), silence);
    assert_eq!(r["appeal_months"], 2);
    assert_eq!(r["dossier_id"], d.id.as_str());
    assert_eq!(r["territory_name"], "Métropole Rouen Normandie");
    assert_eq!(r["applicant"]["siret"], d.applicant.siret.as_str());
    assert_eq!(r["requested_cents"], d.body["requested_cents"]);
    // The dossier shows the same silence date.
    let dossier = applicant.get(&d.path()).await.ok(200).clone();
    assert_eq!(date(&dossier["implicit_decision_on"]), silence);

    // The letter: the bytes its SHA-256 names, a PDF that says what the receipt says.
    let (status, headers, bytes) = letter(&applicant, r).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["etag"].to_str().unwrap(), format!("\"{}\"", r["letter"]["sha256"].as_str().unwrap()));
    assert_eq!(format!("{:x}", Sha256::digest(&bytes)), r["letter"]["sha256"].as_str().unwrap());
    assert_eq!(bytes.len() as i64, r["letter"]["size"].as_i64().unwrap());
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert!(r["letter"]["template_version"].as_str().unwrap().starts_with("receipt@"));
    let text = pdf_text(&bytes);
    let french = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    for expected in [
        format!("AR-{}-000001", received.year()),
        french(received),
        french(silence),
        d.applicant.siret.clone(),
        "L. 231-4".to_string(),
        "L. 112-3".to_string(),
    ] {
        assert!(text.contains(&expected), "the letter says {expected:?}:\n{text}");
    }
    let name = r["applicant"]["name"].as_str().unwrap();
    assert!(text.contains(name), "the letter names the applicant {name:?}:\n{text}");
    assert!(text.to_lowercase().contains("tribunal administratif"), "appeal mentions:\n{text}");
    // Stored once, as made: reading it again gives the same bytes.
    assert_eq!(letter(&applicant, r).await.2, bytes);
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM receipts WHERE dossier_id = '{}'", d.id)), 1);
}

async fn changes_requested_stop_the_clock_and_the_resubmission_restarts_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(DossierStatus::ChangesRequested).await;
    let applicant = app.applicant(&d.applicant);
    assert_eq!(d.body["implicit_decision_on"], Value::Null, "no silence date while pieces are awaited");
    applicant.act(&d.id, "submit", None).await.ok(200);
    let list = receipts(&applicant, &d.id).await;
    assert_eq!(list.len(), 2, "one receipt per submission: {list:?}");
    assert_eq!((list[0]["round"].as_i64(), list[1]["round"].as_i64()), (Some(1), Some(2)));
    assert_eq!((list[0]["sequence"].as_i64(), list[1]["sequence"].as_i64()), (Some(1), Some(2)));
    let silence = today().checked_add_months(Months::new(2)).unwrap();
    assert_eq!(date(&list[1]["implicit_decision_on"]), silence);
    let dossier = applicant.get(&d.path()).await.ok(200).clone();
    assert_eq!(date(&dossier["implicit_decision_on"]), silence);
    let text = pdf_text(&letter(&applicant, &list[1]).await.2);
    assert!(text.contains("L. 114-5"), "a resubmission's letter says the delay runs again:\n{text}");
    // A decision ends the silence date.
    let instructor = app.instructor();
    instructor.act(&d.id, "review", None).await.ok(200);
    let rejected =
        instructor.act(&d.id, "reject", Some(json!({"comment": "Hors périmètre"}))).await.ok(200).clone();
    assert_eq!(rejected["implicit_decision_on"], Value::Null);
}

async fn numbers_follow_each_other_per_territory_without_gaps(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    // Drafts first, then every submission at once: each gets its own number, none is skipped.
    let mut drafts = Vec::new();
    for _ in 0..6 {
        drafts.push(DossierBuilder::new(&app).scheme(&scheme).in_status(DossierStatus::Draft).await);
    }
    let submits =
        drafts.iter().map(|d| async { app.applicant(&d.applicant).act(&d.id, "submit", None).await });
    for resp in futures_util::future::join_all(submits).await {
        resp.ok(200);
    }
    let mut numbers = Vec::new();
    for d in &drafts {
        numbers.extend(
            receipts(&app.applicant(&d.applicant), &d.id)
                .await
                .iter()
                .map(|r| r["sequence"].as_i64().unwrap()),
        );
    }
    numbers.sort();
    assert_eq!(numbers, (1..=6).collect::<Vec<i64>>());
    assert_eq!(app.count("SELECT COUNT(DISTINCT number) AS n FROM receipts"), 6);
}

async fn the_receipts_are_their_applicants_and_staffs_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(DossierStatus::Submitted).await;
    let own = receipts(&app.applicant(&d.applicant), &d.id).await;
    let stranger = app.register_applicant().await;
    let other = app.applicant(&stranger);
    other.get(&d.path_to("receipts")).await.problem(404);
    let (status, _, _) = letter(&other, &own[0]).await;
    assert_eq!(status, 404, "another organisation cannot read the letter");
    assert_eq!(receipts(&app.instructor(), &d.id).await.len(), 1);
    let rennes = app.client_for(Role::Instructor, OTHER_TERRITORY, None);
    rennes.get(&d.path_to("receipts")).await.problem(404);
    // A receipt id of another dossier, or not an id at all.
    let e = DossierBuilder::new(&app).in_status(DossierStatus::Submitted).await;
    let staff = app.instructor();
    let wrong = format!("/api/v1/dossiers/{}/receipts/{}/pdf", e.id, own[0]["id"].as_str().unwrap());
    staff.get(&wrong).await.problem(404);
    staff.get(&format!("/api/v1/dossiers/{}/receipts/nope/pdf", e.id)).await.problem(404);
    app.anonymous().get(&d.path_to("receipts")).await.problem(401);
}

async fn instructors_list_the_dossiers_about_to_be_implicitly_rejected(backend: Backend) {
    let app = spawn_app(backend).await;
    let waiting = DossierBuilder::new(&app).in_status(DossierStatus::UnderReview).await;
    let _draft = DossierBuilder::new(&app).in_status(DossierStatus::Draft).await;
    let _withdrawn = DossierBuilder::new(&app).in_status(DossierStatus::Withdrawn).await;
    let _dismissed = DossierBuilder::new(&app).in_status(DossierStatus::Dismissed).await;
    let silence = today().checked_add_months(Months::new(2)).unwrap();
    let staff = app.instructor();
    let listed = |before: NaiveDate| {
        let staff = staff.clone();
        async move {
            let page = staff
                .get(&format!("/api/v1/dossiers?implicit_decision_before={before}"))
                .await
                .ok(200)
                .clone();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(silence.succ_opt().unwrap()).await, vec![waiting.id.clone()]);
    assert!(listed(silence).await.is_empty(), "strictly before");
    staff.get("/api/v1/dossiers?implicit_decision_before=tomorrow").await.problem(400);
    staff.get("/api/v1/dossiers?implicit_decision_before=-5000-01-01").await.problem(400);
}

async fn the_admin_sets_the_service_in_charge_that_later_receipts_state(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = DossierBuilder::new(&app).in_status(DossierStatus::Submitted).await;
    let admin = app.admin();
    let read = admin.get("/api/v1/territory").await;
    let etag = read.header("etag").expect("an ETag").to_string();
    assert_eq!(read.body["administrative_court"], Value::Null);
    let service = json!({
        "service_name": "Direction de l'économie sociale et solidaire",
        "service_address": "Le 108, 108 allée François Mitterrand, 76006 Rouen Cedex",
        "service_contact": "ess@metropole-rouen-normandie.fr",
        "administrative_court": "Tribunal administratif de Rouen, 53 avenue Gustave Flaubert, 76000 Rouen",
        "signatory_title": "Le Président, par délégation",
    });
    admin.patch("/api/v1/territory", &service, None).await.problem(428);
    app.instructor().patch("/api/v1/territory", &service, Some(&etag)).await.problem(403);
    let bad = admin.patch("/api/v1/territory", &json!({"service_name": "a\u{7}b"}), Some(&etag)).await;
    bad.problem(422);
    assert_eq!(bad.error_fields(), vec!["service_name"]);
    let set = admin.patch("/api/v1/territory", &service, Some(&etag)).await;
    set.ok(200);
    assert_eq!(set.body["administrative_court"], service["administrative_court"]);
    admin.patch("/api/v1/territory", &json!({"service_contact": null}), Some(&etag)).await.problem(412);

    let second = DossierBuilder::new(&app).in_status(DossierStatus::Submitted).await;
    let staff = app.instructor();
    let new = &receipts(&staff, &second.id).await[0];
    assert_eq!(new["service"]["administrative_court"], service["administrative_court"]);
    assert_eq!(new["service"]["name"], service["service_name"]);
    let text = pdf_text(&letter(&staff, new).await.2);
    assert!(text.contains("Tribunal administratif de Rouen"), "{text}");
    // The first receipt says what it said.
    let old = &receipts(&staff, &first.id).await[0];
    assert_eq!(old["service"]["administrative_court"], Value::Null);
}

async fn receipts_are_never_rewritten(backend: Backend) {
    let app: TestApp = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).in_status(DossierStatus::Submitted).await;
    assert!(app.try_execute("UPDATE receipts SET number = 99").is_err(), "UPDATE refused");
    assert!(
        app.try_execute(&format!("DELETE FROM receipts WHERE dossier_id = '{}'", d.id)).is_err(),
        "DELETE refused"
    );
    assert!(app.try_execute("UPDATE generated_documents SET size = 1").is_err(), "UPDATE refused");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM receipts WHERE number = 1"), 1);
}

both_backends!(
    a_submission_issues_a_numbered_receipt_with_its_silence_date_and_letter,
    changes_requested_stop_the_clock_and_the_resubmission_restarts_it,
    numbers_follow_each_other_per_territory_without_gaps,
    the_receipts_are_their_applicants_and_staffs_only,
    instructors_list_the_dossiers_about_to_be_implicitly_rejected,
    the_admin_sets_the_service_in_charge_that_later_receipts_state,
    receipts_are_never_rewritten,
);

//! The end of the retention period (issue 14): `essor purge --before YEAR [--dry-run]` removes
//! the documents and erases the personal fields of dossiers over before that year, and keeps
//! every amount and identifier that public accounts and open data need. On both backends and
//! both document storages.

use std::time::{Duration, SystemTime};

use essor::cli::purge::{purge, PurgeOptions, PurgeReport};
use essor::db::document_store::StorageSettings;
use essor::domain::lifecycle::DossierStatus::UnderReview;
use essor::domain::retention::IDEMPOTENCY_KEY_RETENTION_DAYS;
use serde_json::{json, Value};

use crate::builders::{etag, Dossier, DossierBuilder};
use crate::documents::{all_storages, download, pdf, spawn, upload, upload_required, DocApp};
use crate::helpers::{both_backends, grid_scores, spawn_app, test_settings, Backend, Client, TestApp};

all_storages!(a_purge_erases_people_and_keeps_the_public_record);
both_backends!(a_purge_keeps_each_idempotency_key_for_its_retention);

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

fn this_year() -> i32 {
    chrono::Datelike::year(&chrono::Utc::now().date_naive())
}

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Runs the purge as `essor purge` would, against the app's database and storage.
fn run_purge(t: &DocApp, before: i32, dry_run: bool) -> PurgeReport {
    let mut settings = test_settings(&t.app.db.url, &t.app.secret);
    if let Some(dir) = &t.dir {
        settings.document_storage = StorageSettings::Filesystem(dir.path().to_path_buf());
    }
    purge(&settings, &PurgeOptions { before, territory: None, dry_run }).expect("purge runs")
}

/// Makes every stored file look two hours old, as a document uploaded long ago does.
fn age_stored_files(t: &DocApp) {
    let long_ago = SystemTime::now() - Duration::from_secs(7200);
    for file in t.stored_files() {
        std::fs::File::options().append(true).open(&file).unwrap().set_modified(long_ago).unwrap();
    }
}

/// Makes the idempotency records `condition` selects `days` old.
fn age_idempotency_keys(app: &TestApp, condition: &str, days: i64) {
    let at = (chrono::Utc::now().naive_utc() - chrono::TimeDelta::days(days)).format("%Y-%m-%d %H:%M:%S");
    let sql = format!("UPDATE idempotency_keys SET created_at = '{at}' WHERE {condition}");
    assert!(app.try_execute(&sql).expect("idempotency records aged") > 0, "{sql}");
}

/// How many rows `sql` (a `FROM … WHERE …` clause) counts.
fn count(app: &TestApp, from_where: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) AS n FROM {from_where}"))
}

/// `'a', 'b', …` for an SQL `IN` list.
fn ids(dossiers: &[&Dossier]) -> String {
    dossiers.iter().map(|d| format!("'{}'", d.id)).collect::<Vec<_>>().join(", ")
}

async fn draft_with_documents<'a>(
    t: &'a DocApp,
    scheme: &str,
    instructor: &Client<'a>,
) -> (Dossier, Client<'a>) {
    let d = DossierBuilder::new(&t.app).scheme(scheme).instructor(instructor).draft().await;
    let who = t.app.applicant(&d.applicant);
    upload_required(&who, &t.app, &d.id).await;
    (d, who)
}

async fn a_purge_erases_people_and_keeps_the_public_record(
    backend: crate::helpers::Backend,
    filesystem: bool,
) {
    let t = spawn(backend, filesystem).await;
    let app = &t.app;
    let scheme = t.scheme().await;
    let (instructor, finance) = (app.instructor(), app.finance());
    let year = this_year();
    let envelope = json!({"scheme_id": scheme, "year": year, "amount_cents": 500_000_00});
    finance.post("/api/v1/envelopes", &envelope).await.ok(201);

    // R: rejected after a round of changes, with an extra document of its own, an eligibility
    // record, an assessment and comments naming people.
    let (r, r_applicant) = draft_with_documents(&t, &scheme, &instructor).await;
    upload(&r_applicant, app, &r.id, "bail", "bail-jeanne-martin.pdf", &pdf(350, 7)).await.ok(201);
    r_applicant.act(&r.id, "submit", None).await.ok(200);
    instructor.act(&r.id, "review", None).await.ok(200);
    let changes = json!({"comment": "Le RIB de Mme Jeanne Martin est illisible"});
    instructor.act(&r.id, "request-changes", Some(changes)).await.ok(200);
    r_applicant
        .act(&r.id, "submit", Some(json!({"comment": "RIB remplacé par Jeanne Martin"})))
        .await
        .ok(200);
    let reviewed = instructor.act(&r.id, "review", None).await.ok(200).clone();
    instructor.post(&r.path_to("eligibility"), &json!({})).await.ok(201);
    let assessment = json!({"scores": grid_scores([3; 5]), "recommendation": "reserved", "comments": "Gérante : Mme Martin"});
    instructor.put(&r.path_to("assessment"), &assessment, Some(&etag(&reviewed))).await.ok(200);
    instructor.act(&r.id, "reject", Some(json!({"comment": "Hors périmètre"}))).await.ok(200);

    // W: a withdrawn draft whose one document has the same bytes as a live dossier's.
    let w = DossierBuilder::new(app).scheme(&scheme).draft().await;
    let w_applicant = app.applicant(&w.applicant);
    upload(&w_applicant, app, &w.id, "statuts", "statuts.pdf", &pdf(400, 90)).await.ok(201);
    w_applicant.act(&w.id, "withdraw", None).await.ok(200);

    // L: under review, live: nothing of it may go, not even the content it shares with W and R.
    let (l, l_applicant) = draft_with_documents(&t, &scheme, &instructor).await;
    let shared = upload(&l_applicant, app, &l.id, "bail", "bail.pdf", &pdf(400, 90)).await.ok(201).clone();
    l_applicant.act(&l.id, "submit", None).await.ok(200);
    instructor.act(&l.id, "review", None).await.ok(200);

    // G: granted, paid in full by its balance, closed.
    let (g, g_applicant) = draft_with_documents(&t, &scheme, &instructor).await;
    upload(&g_applicant, app, &g.id, "bail", "bail-g.pdf", &pdf(360, 8)).await.ok(201);
    g_applicant.act(&g.id, "submit", None).await.ok(200);
    instructor.act(&g.id, "review", None).await.ok(200);
    let approval = json!({"granted_cents": 60_000_00, "decided_on": today(), "decision_reference": "DEL-114",
        "convention_signed_on": today(), "justification": "Avis favorable de M. Durand, conforme au règlement"});
    instructor.post_once(&g.path_to("approve"), &approval, &key()).await.ok(200);
    crate::conventions::sign_convention(app, &g).await;
    let balance = json!({"kind": "balance", "amount_cents": 60_000_00, "certified_on": today(),
        "comment": "Travaux réceptionnés par M. Durand"});
    let request = instructor.post_once(&g.path_to("disbursements"), &balance, &key()).await.ok(201).clone();
    let pay = json!({"paid_on": today(), "payment_reference": "MDT-2026-00412"});
    let pay_path = format!("/api/v1/disbursements/{}/pay", request["id"].as_str().unwrap());
    finance.post_once(&pay_path, &pay, &key()).await.ok(200);
    let g_before = instructor.get(&g.path()).await.ok(200).clone();
    assert_eq!(g_before["status"], "closed");

    let scdl_path = format!("/api/v1/exports/scdl-subventions?year={year}");
    let totals_path = format!("/api/v1/exports/annual-totals?year={year}");
    let scdl_before = finance.get(&scdl_path).await.text;
    let totals_before = finance.get(&totals_path).await.ok(200).clone();
    let r_documents = instructor.get(&r.path_to("documents")).await.ok(200).clone();
    let r_document = format!("{}/{}", r.path_to("documents"), r_documents[0]["id"].as_str().unwrap());
    let purged = [&r, &w, &g];
    let documents_before = count(app, "documents");
    assert_eq!(documents_before, 6 + 1 + 6 + 6);
    // The stored answers of the money requests are older than a key's retention, as in a
    // yearly purge (a recent key stays: a_purge_keeps_each_idempotency_key_for_its_retention).
    age_idempotency_keys(app, "1 = 1", IDEMPOTENCY_KEY_RETENTION_DAYS + 1);

    // A dry run counts exactly what a purge would do, and changes nothing.
    let dry = run_purge(&t, year + 1, true);
    assert!(dry.dry_run);
    assert_eq!(
        dry.dossiers.iter().map(|(s, n)| (*s, *n)).collect::<Vec<_>>(),
        [("closed", 1), ("rejected", 1), ("withdrawn", 1)]
    );
    assert_eq!(dry.erased.documents, 13);
    assert_eq!(dry.erased.contents.len(), 2, "only R's and G's own leases: {:?}", dry.erased.contents);
    assert_eq!(dry.files_removed, 0);
    assert!(
        dry.to_string().contains("dossiers would be purged: 3 (closed 1, rejected 1, withdrawn 1)"),
        "{dry}"
    );
    assert_eq!(count(app, "documents"), documents_before);
    assert_eq!(count(app, "dossier_history WHERE actor = 'anonymised'"), 0);
    assert_eq!(count(app, "dossiers WHERE purged_at IS NOT NULL"), 0);
    assert_eq!(download(&instructor, &r_document).await.0, 200);

    if filesystem {
        age_stored_files(&t);
    }
    let done = run_purge(&t, year + 1, false);
    if std::env::var("TEST_LOG").is_ok() {
        eprintln!(
            "$ essor purge --before {} --dry-run\n{dry}\n$ essor purge --before {}\n{done}",
            year + 1,
            year + 1
        );
    }
    assert!(!done.dry_run);
    assert_eq!((&done.dossiers, &done.erased, &done.older), (&dry.dossiers, &dry.erased, &dry.older));
    assert_eq!(done.files_removed, if filesystem { 2 } else { 0 });
    assert!(done.to_string().contains("dossiers purged: 3 (closed 1, rejected 1, withdrawn 1)"), "{done}");

    // Gone: documents, free text, who did what.
    let r_now = instructor.get(&r.path()).await.ok(200).clone();
    assert!(r_now["purged_at"].is_string(), "{r_now}");
    assert_eq!((r_now["status"].as_str(), r_now["description"].as_str()), (Some("rejected"), None));
    assert_eq!(r_now["title"], r.body["title"]);
    let history = instructor.get(&r.path_to("history")).await.ok(200).clone();
    let entries = history.as_array().expect("history list");
    assert!(entries.len() >= 7, "{history}");
    for entry in entries {
        assert_eq!(entry["actor"], "anonymised", "{entry}");
        assert!(
            entry["comment"].is_null() && entry.get("internal_note").is_none_or(Value::is_null),
            "{entry}"
        );
    }
    assert_eq!(instructor.get(&r.path_to("documents")).await.ok(200), &json!([]));
    assert_eq!(instructor.get(&format!("{}?submission=1", r.path_to("documents"))).await.ok(200), &json!([]));
    instructor.get(&r_document).await.problem(404);
    assert_eq!(count(app, &format!("documents WHERE dossier_id IN ({})", ids(&purged))), 0);
    assert_eq!(count(app, &format!("submission_documents WHERE dossier_id IN ({})", ids(&purged))), 0);
    assert_eq!(count(app, "document_blobs"), 6, "L's six contents: five shared with R and G, one with W");
    if filesystem {
        assert_eq!(t.stored_files().len(), 6);
    }
    for (table, column) in [
        ("dossier_history", "actor"),
        ("eligibility_snapshots", "created_by"),
        ("assessments", "instructor"),
        ("disbursements", "requested_by"),
        ("disbursements", "decided_by"),
        ("envelope_movements", "actor"),
        ("dossiers", "created_by"),
    ] {
        let left = count(
            app,
            &format!("{table} WHERE dossier_id IN ({}) AND {column} <> 'anonymised'", ids(&purged))
                .replace("dossiers WHERE dossier_id", "dossiers WHERE id"),
        );
        assert_eq!(left, 0, "{table}.{column}");
    }
    assert_eq!(count(app, &format!("dossier_history WHERE dossier_id IN ({}) AND (comment IS NOT NULL OR internal_note IS NOT NULL)", ids(&purged))), 0);
    assert_eq!(count(app, &format!("assessments WHERE dossier_id = '{}' AND comments IS NULL", r.id)), 1);
    assert_eq!(count(app, &format!("disbursements WHERE dossier_id = '{}' AND comment IS NULL", g.id)), 1);
    // Older records that belong to no dossier lose their actors; stored answers of retried
    // requests go.
    assert_eq!(count(app, "organisation_history WHERE actor <> 'anonymised'"), 0);
    assert_eq!(count(app, "organisations WHERE created_by <> 'anonymised'"), 0);
    assert_eq!(count(app, "idempotency_keys"), 0);
    assert!(done.older.idempotency_records >= 3 && done.older.configuration_records >= 3, "{done}");

    // Kept: every amount, date, reference and identifier; open data and totals read the same.
    let g_now = instructor.get(&g.path()).await.ok(200).clone();
    for field in [
        "status",
        "title",
        "granted_cents",
        "paid_cents",
        "decided_on",
        "decision_reference",
        "convention_signed_on",
        "envelope_id",
        "organisation_id",
        "year",
        "submitted_at",
    ] {
        assert_eq!(g_now[field], g_before[field], "{field}");
    }
    assert_eq!(finance.get(&scdl_path).await.text, scdl_before);
    assert_eq!(finance.get(&totals_path).await.ok(200), &totals_before);
    let payments = finance.get("/api/v1/disbursements?status=paid").await.ok(200).clone();
    assert_eq!(payments["items"][0]["payment_reference"], "MDT-2026-00412", "{payments}");

    // The live dossier is whole: its history, and the content it shares with W.
    assert_eq!(
        count(app, &format!("dossier_history WHERE dossier_id = '{}' AND actor = 'anonymised'", l.id)),
        0
    );
    let shared_path = format!("{}/{}", l.path_to("documents"), shared["id"].as_str().unwrap());
    let (status, _, bytes) = download(&instructor, &shared_path).await;
    assert_eq!((status, bytes == pdf(400, 90)), (200, true));
    assert_eq!(instructor.get(&l.path()).await.ok(200)["purged_at"], Value::Null);

    // A purged dossier is read-only.
    let refused = instructor.post_once(&g.path_to("disbursements"), &balance, &key()).await;
    assert_eq!(refused.problem(409)["code"], "purged_read_only");
    let detail = refused.body["detail"].as_str().unwrap_or_default();
    assert!(detail.ends_with("durée de conservation : il est en lecture seule."), "{detail}");

    // The records stay append-only for anything but erasing.
    for sql in [
        format!("UPDATE dossier_history SET actor = 'someone-else' WHERE dossier_id = '{}'", l.id),
        format!("UPDATE dossier_history SET to_status = 'approved' WHERE dossier_id = '{}'", r.id),
        format!("DELETE FROM dossier_history WHERE dossier_id = '{}'", r.id),
        format!("DELETE FROM submission_documents WHERE dossier_id = '{}'", l.id),
        "UPDATE envelope_movements SET amount_cents = 1".to_string(),
        "UPDATE organisation_history SET changes = '[]'".to_string(),
        "DELETE FROM organisation_history".to_string(),
    ] {
        assert!(app.try_execute(&sql).is_err(), "the database accepted: {sql}");
    }

    // Once is enough: a second purge finds nothing.
    let again = run_purge(&t, year + 1, false);
    assert_eq!((again.dossiers_purged(), again.erased.documents, again.older.idempotency_records), (0, 0, 0));
}

/// Issue 20: `essor purge --before <next year>` deleted every stored answer, so a payment
/// request retried with its key after the purge made a second request. A key answers its
/// retries for its whole retention (30 days), whatever the cut-off; older answers still go.
async fn a_purge_keeps_each_idempotency_key_for_its_retention(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let (instructor, finance) = (app.instructor(), app.finance());
    let envelope = json!({"scheme_id": scheme, "year": this_year(), "amount_cents": 500_000_00});
    finance.post("/api/v1/envelopes", &envelope).await.ok(201);
    let d = DossierBuilder::new(&app).scheme(&scheme).in_status(UnderReview).await;
    let approval =
        json!({"granted_cents": 60_000_00, "decided_on": today(), "decision_reference": "DEL-114"});
    instructor.post_once(&d.path_to("approve"), &approval, &key()).await.ok(200);
    crate::conventions::sign_convention(&app, &d).await;
    let advance =
        json!({"kind": "advance", "amount_cents": 20_000_00, "certified_on": today(), "comment": "Avance"});
    let (k, old_k) = (key(), key());
    let first = instructor.post_once(&d.path_to("disbursements"), &advance, &k).await.ok(201).clone();
    // Another request, whose answer is older than a key's retention.
    let second = json!({"kind": "installment", "amount_cents": 10_000_00, "certified_on": today(), "comment": "Acompte"});
    instructor.post_once(&d.path_to("disbursements"), &second, &old_k).await.ok(201);
    age_idempotency_keys(&app, &format!("idempotency_key = '{old_k}'"), IDEMPOTENCY_KEY_RETENTION_DAYS + 1);
    let keys_before = count(&app, "idempotency_keys");
    assert_eq!(keys_before, 3);

    let settings = test_settings(&app.db.url, &app.secret);
    let options = |dry_run| PurgeOptions { before: this_year() + 1, territory: None, dry_run };
    let dry = purge(&settings, &options(true)).expect("purge runs");
    let done = purge(&settings, &options(false)).expect("purge runs");

    // The retry after the purge is answered by the first answer, and requests nothing more.
    let retry = instructor.post_once(&d.path_to("disbursements"), &advance, &k).await;
    assert_eq!(retry.ok(201), &first);
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(count(&app, &format!("disbursements WHERE dossier_id = '{}'", d.id)), 2);
    let dossier = instructor.get(&d.path()).await.ok(200).clone();
    assert_eq!(dossier["pending_disbursement_cents"], 30_000_00, "{dossier}");

    // Only the answer older than the retention went, and the dry run said so.
    assert_eq!(done.older.idempotency_records, 1, "{done}");
    assert_eq!(dry.older.idempotency_records, 1, "{dry}");
    assert_eq!(count(&app, &format!("idempotency_keys WHERE idempotency_key = '{old_k}'")), 0);
    assert_eq!(count(&app, "idempotency_keys"), keys_before - 1);
}

//! Committee sessions: the agenda of proposals, its annex, and the deliberation recorded once
//! and whole, with the same money rules as a single approval.

use serde_json::{json, Value};

use crate::builders::Dossier;
use crate::helpers::{both_backends, spawn_app, Backend, Client, TestApp, OTHER_TERRITORY};
use crate::money::{assert_ledger_matches, key, open_envelope, this_year, today, under_review, GRANT};
use essor::auth::Role;

both_backends!(
    a_session_gathers_proposals_and_its_annex_lists_them,
    a_deliberation_decides_every_item_at_once,
    a_deliberation_that_does_not_fit_names_every_item_and_records_nothing,
    a_deliberation_is_checked_whole_before_anything_is_recorded,
    sessions_are_staffs_and_their_territorys,
    a_purge_erases_what_the_agenda_and_the_letters_say_of_people,
);

/// Plans a session sitting today; returns its id.
async fn plan(staff: &Client<'_>) -> String {
    let body = json!({"body": "bureau", "title": "Bureau métropolitain", "sits_on": today()});
    staff.post("/api/v1/sessions", &body).await.ok(201)["id"].as_str().unwrap().to_string()
}

/// Puts `dossier` on the agenda with `proposed_cents`; returns the item.
async fn propose(instructor: &Client<'_>, session: &str, dossier: &Dossier, proposed_cents: i64) -> Value {
    let body = json!({"dossier_id": dossier.id, "proposed_cents": proposed_cents, "recommendation": "favourable",
        "note": "Projet structurant."});
    instructor.post(&format!("/api/v1/sessions/{session}/items"), &body).await.ok(201).clone()
}

/// The session's annex as a PDF: status, ETag, bytes.
async fn pdf(who: &Client<'_>, session: &str) -> (u16, Option<String>, Vec<u8>) {
    let resp = who
        .request(reqwest::Method::GET, &format!("/api/v1/sessions/{session}/annex/pdf"))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let etag = resp.headers().get("etag").map(|v| v.to_str().unwrap().to_string());
    (status, etag, resp.bytes().await.unwrap().to_vec())
}

fn vote(item: &Value, outcome: &str, voted: Option<i64>, reasons: Option<&str>) -> Value {
    let mut v = json!({"item_id": item["id"], "outcome": outcome});
    if let Some(voted) = voted {
        v["voted_cents"] = json!(voted);
    }
    if let Some(reasons) = reasons {
        v["reasons"] = json!(reasons);
    }
    v
}

async fn deliberate(instructor: &Client<'_>, session: &str, items: Vec<Value>) -> crate::helpers::Resp {
    let body = json!({"number": "DEL-2026-B-042", "decided_on": today(), "items": items});
    instructor.post_once(&format!("/api/v1/sessions/{session}/deliberation"), &body, &key()).await
}

async fn a_session_gathers_proposals_and_its_annex_lists_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), 100_000_00).await;
    let instructor = app.instructor();
    let session = plan(&instructor).await;
    let (a, b) = (under_review(&app, &scheme).await, under_review(&app, &scheme).await);
    let first = propose(&instructor, &session, &a, GRANT).await;
    assert_eq!((first["position"].as_i64(), first["outcome"].clone()), (Some(1), Value::Null));
    propose(&instructor, &session, &b, 50_000_00).await;
    // Above the maximum grant, a dossier already on an agenda, one not under review.
    let c = under_review(&app, &scheme).await;
    let above = json!({"dossier_id": c.id, "proposed_cents": GRANT + 1, "recommendation": "favourable"});
    let refused = instructor.post(&format!("/api/v1/sessions/{session}/items"), &above).await;
    refused.problem(422);
    assert_eq!(refused.error_fields(), vec!["proposed_cents"]);
    let twice = json!({"dossier_id": a.id, "proposed_cents": 1_00, "recommendation": "favourable"});
    assert_eq!(
        instructor.post(&format!("/api/v1/sessions/{session}/items"), &twice).await.problem(409)["code"],
        "already_on_agenda"
    );
    // The dossier's history says it is on the agenda.
    let history = instructor.get(&a.path_to("history")).await.ok(200).clone();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert!(last["comment"].as_str().unwrap().contains("Bureau métropolitain"), "{last}");

    let annex = instructor.get(&format!("/api/v1/sessions/{session}/annex")).await.ok(200).clone();
    let lines = annex["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["dossier_id"], a.id.as_str());
    assert_eq!(lines[0]["siret"], a.applicant.siret.as_str());
    assert_eq!(annex["total_proposed_cents"], GRANT + 50_000_00);
    assert_eq!(annex["schemes"][0]["proposed_cents"], GRANT + 50_000_00);
    assert_eq!(annex["schemes"][0]["available_cents"], 100_000_00);
    assert_eq!(annex["schemes"][0]["fits"], false, "110 000 € proposed, 100 000 € available");
    // The same lines in CSV (integer cents) and XLSX (euros as numbers), read back.
    let csv = instructor.get(&format!("/api/v1/sessions/{session}/annex?format=csv")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let mut rows = csv::Reader::from_reader(csv.text.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[..6], ["position", "beneficiary", "siret", "object", "scheme", "proposed_cents"]);
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    assert_eq!((&records[0][2], &records[0][5]), (a.applicant.siret.as_str(), GRANT.to_string().as_str()));
    let xlsx = instructor
        .request(reqwest::Method::GET, &format!("/api/v1/sessions/{session}/annex"))
        .header("Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX workbook");
    let range = book.worksheet_range("annexe").expect("the annex sheet");
    let cells: Vec<Vec<calamine::Data>> = range.rows().map(<[calamine::Data]>::to_vec).collect();
    assert_eq!(cells.len(), 3, "a header and two lines");
    assert_eq!(cells[1][5], calamine::Data::Float(GRANT as f64 / 100.0), "euros as a number");
    assert_eq!(cells[2][1].to_string(), "Les Ateliers Solidaires");
    instructor.get(&format!("/api/v1/sessions/{session}/annex?format=odt")).await.problem(400);
    // Before the vote, the PDF is a draft of the agenda as it stands.
    let (status, etag, draft) = pdf(&instructor, &session).await;
    assert_eq!((status, etag), (200, None));
    let text = crate::receipts::pdf_text(&draft);
    assert!(text.contains("Projet d'annexe"), "{text}");
    assert!(text.contains(&a.applicant.siret), "{text}");

    // Closing the agenda: no more proposals.
    instructor.post_empty(&format!("/api/v1/sessions/{session}/close-agenda")).await.ok(200);
    let late = json!({"dossier_id": c.id, "proposed_cents": 1_00, "recommendation": "favourable"});
    assert_eq!(
        instructor.post(&format!("/api/v1/sessions/{session}/items"), &late).await.problem(409)["code"],
        "session_closed"
    );
    let read = instructor.get(&format!("/api/v1/sessions/{session}")).await.ok(200).clone();
    assert_eq!(read["status"], "agenda_closed");
    let actions: Vec<&str> =
        read["record"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["created", "item_added", "item_added", "agenda_closed"]);
}

async fn a_deliberation_decides_every_item_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 200_000_00).await;
    let instructor = app.instructor();
    let session = plan(&instructor).await;
    let dossiers = [
        under_review(&app, &scheme).await,
        under_review(&app, &scheme).await,
        under_review(&app, &scheme).await,
    ];
    let mut items = Vec::new();
    for d in &dossiers {
        items.push(propose(&instructor, &session, d, GRANT).await);
    }
    let votes = vec![
        vote(&items[0], "approved", Some(GRANT - 10_000_00), None),
        vote(&items[1], "rejected", None, Some("Le projet ne crée pas d'emploi sur le territoire.")),
        vote(&items[2], "deferred", None, Some("Pièces à compléter.")),
    ];
    let recorded = deliberate(&instructor, &session, votes.clone()).await;
    let body = recorded.ok(200).clone();
    let statuses: Vec<&str> =
        body["items"].as_array().unwrap().iter().map(|i| i["dossier_status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["approved", "rejected", "under_review"]);

    let approved = instructor.get(&dossiers[0].path()).await.ok(200).clone();
    assert_eq!(approved["granted_cents"], GRANT - 10_000_00, "the amount voted, lower than proposed");
    assert_eq!(approved["decision_reference"], "DEL-2026-B-042");
    assert_eq!(approved["implicit_decision_on"], Value::Null);
    let envelope_now = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(envelope_now["committed_cents"], GRANT - 10_000_00);
    let history = instructor.get(&dossiers[0].path_to("history")).await.ok(200).clone();
    let granted = history.as_array().unwrap().iter().find(|h| h["to_status"] == "approved").unwrap().clone();
    assert!(
        granted["comment"].as_str().unwrap().contains("accordée par la délibération DEL-2026-B-042"),
        "{granted}"
    );
    let rejected = instructor.get(&dossiers[1].path_to("history")).await.ok(200).clone();
    assert!(rejected
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["to_status"] == "rejected"
            && h["comment"].as_str().unwrap().contains("ne crée pas d'emploi")));

    // The applicants are notified of the grant and the refusal, not of the deferral.
    let notified = |d: &Dossier| d.path_to("notifications");
    let grant = instructor.get(&notified(&dossiers[0])).await.ok(200).clone();
    assert_eq!(
        (grant[0]["kind"].as_str(), grant[0]["deciding_body"].as_str(), grant[0]["granted_cents"].as_i64()),
        (Some("grant"), Some("le Bureau"), Some(GRANT - 10_000_00))
    );
    let refusal = instructor.get(&notified(&dossiers[1])).await.ok(200).clone();
    assert_eq!(refusal[0]["reasons"], json!(["Le projet ne crée pas d'emploi sur le territoire."]));
    assert_eq!(refusal[0]["decision_reference"], "DEL-2026-B-042");
    assert_eq!(instructor.get(&notified(&dossiers[2])).await.ok(200).as_array().unwrap().len(), 0);
    let href = grant[0]["letter"]["href"].as_str().unwrap();
    let letter = instructor.request(reqwest::Method::GET, href).send().await.unwrap().bytes().await.unwrap();
    let text = crate::receipts::pdf_text(&letter).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Par délibération n° DEL-2026-B-042"), "{text}");
    assert!(
        text.contains("le Bureau a décidé de vous attribuer une subvention d'un montant de 50 000,00 €"),
        "{text}"
    );

    let read = instructor.get(&format!("/api/v1/sessions/{session}")).await.ok(200).clone();
    assert_eq!(
        (read["status"].as_str(), read["deliberation_number"].as_str()),
        (Some("decided"), Some("DEL-2026-B-042"))
    );
    assert_eq!(read["items"][0]["outcome"], "approved");
    assert_eq!(read["items"][2]["outcome"], "deferred");
    // The annex it carried, made then and kept: the same bytes every time, its SHA-256 as ETag.
    let (status, etag, kept) = pdf(&instructor, &session).await;
    assert_eq!(status, 200);
    use sha2::Digest;
    assert_eq!(etag, Some(format!("\"{:x}\"", sha2::Sha256::digest(&kept))));
    let text = crate::receipts::pdf_text(&kept);
    for expected in ["DEL-2026-B-042", dossiers[0].applicant.siret.as_str(), "50 000,00 €", "Dans la limite"]
    {
        assert!(text.contains(expected), "the annex says {expected:?}:\n{text}");
    }
    // 180 000 € proposed against the 200 000 € available before the vote (150 000 € after it).
    assert!(!text.contains("Dépasse"), "the envelope as it stood before the vote:\n{text}");
    assert_eq!(pdf(&instructor, &session).await.2, kept);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM generated_documents WHERE kind = 'annex'"), 1);
    // Recorded once: another key is refused, the deferred dossier can go on a later agenda.
    assert_eq!(deliberate(&instructor, &session, votes).await.problem(409)["code"], "session_decided");
    let later = plan(&instructor).await;
    propose(&instructor, &later, &dossiers[2], GRANT).await;
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM session_items WHERE outcome IS NULL"), 1);
}

async fn a_deliberation_that_does_not_fit_names_every_item_and_records_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 100_000_00).await;
    let instructor = app.instructor();
    let session = plan(&instructor).await;
    let mut items = Vec::new();
    for _ in 0..3 {
        let d = under_review(&app, &scheme).await;
        items.push(propose(&instructor, &session, &d, GRANT).await);
    }
    let votes = items.iter().map(|i| vote(i, "approved", Some(GRANT), None)).collect();
    let refused = deliberate(&instructor, &session, votes).await;
    let problem = refused.problem(409);
    assert_eq!(problem["code"], "deliberation_does_not_fit");
    assert_eq!(
        refused.error_fields(),
        vec!["items[1]", "items[2]"],
        "60 000 € fit in 100 000 €, the next two do not"
    );
    assert_eq!(problem["errors"][0]["code"], "envelope_exhausted");
    // Nothing recorded: no commitment, no decided dossier, the session still awaits its vote.
    assert_eq!(assert_ledger_matches(&app, &envelope).await["committed_cents"], 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dossiers WHERE status = 'approved'"), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM session_items WHERE outcome IS NOT NULL"), 0);
    let read = instructor.get(&format!("/api/v1/sessions/{session}")).await.ok(200).clone();
    assert_eq!(read["status"], "planned");
    // With lower amounts it fits, and is recorded.
    let votes = items.iter().map(|i| vote(i, "approved", Some(30_000_00), None)).collect();
    deliberate(&instructor, &session, votes).await.ok(200);
    assert_eq!(assert_ledger_matches(&app, &envelope).await["committed_cents"], 90_000_00);
}

async fn a_deliberation_is_checked_whole_before_anything_is_recorded(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), 500_000_00).await;
    let instructor = app.instructor();
    let session = plan(&instructor).await;
    let (a, b) = (under_review(&app, &scheme).await, under_review(&app, &scheme).await);
    let (ia, ib) =
        (propose(&instructor, &session, &a, GRANT).await, propose(&instructor, &session, &b, GRANT).await);
    // An item missing, one voted twice, a rejection without reasons, an approval above the proposal.
    let missing = deliberate(&instructor, &session, vec![vote(&ia, "approved", Some(GRANT), None)]).await;
    missing.problem(422);
    assert_eq!(missing.error_fields(), vec!["items"]);
    let twice = deliberate(
        &instructor,
        &session,
        vec![
            vote(&ia, "deferred", None, None),
            vote(&ia, "deferred", None, None),
            vote(&ib, "deferred", None, None),
        ],
    )
    .await;
    assert_eq!(twice.error_fields(), vec!["items[1].item_id"]);
    let bad = deliberate(
        &instructor,
        &session,
        vec![vote(&ia, "rejected", None, None), vote(&ib, "approved", Some(GRANT + 1), None)],
    )
    .await;
    bad.problem(422);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["items[0].reasons", "items[1].voted_cents"]);
    let unknown = json!({"item_id": uuid::Uuid::new_v4(), "outcome": "deferred"});
    let stranger = deliberate(
        &instructor,
        &session,
        vec![unknown, vote(&ia, "deferred", None, None), vote(&ib, "deferred", None, None)],
    )
    .await;
    assert_eq!(stranger.error_fields(), vec!["items[0].item_id"]);
    // Without an Idempotency-Key, or by finance: refused before anything.
    let body =
        json!({"number": "DEL-1", "decided_on": today(), "items": [vote(&ia, "deferred", None, None)]});
    instructor.post(&format!("/api/v1/sessions/{session}/deliberation"), &body).await.problem(400);
    app.finance()
        .post_once(&format!("/api/v1/sessions/{session}/deliberation"), &body, &key())
        .await
        .problem(403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM session_items WHERE outcome IS NOT NULL"), 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM dossiers WHERE status <> 'under_review'"), 0);
}

async fn sessions_are_staffs_and_their_territorys(backend: Backend) {
    let app: TestApp = spawn_app(backend).await;
    let instructor = app.instructor();
    let session = plan(&instructor).await;
    let applicant = app.register_applicant().await;
    app.applicant(&applicant).get("/api/v1/sessions").await.problem(403);
    app.applicant(&applicant)
        .post("/api/v1/sessions", &json!({"body": "council", "title": "x", "sits_on": today()}))
        .await
        .problem(403);
    app.finance()
        .post("/api/v1/sessions", &json!({"body": "council", "title": "x", "sits_on": today()}))
        .await
        .problem(403);
    let page = app.finance().get("/api/v1/sessions").await.ok(200).clone();
    assert_eq!(page["total"], 1);
    let rennes = app.client_for(Role::Instructor, OTHER_TERRITORY, None);
    rennes.get(&format!("/api/v1/sessions/{session}")).await.problem(404);
    assert_eq!(rennes.get("/api/v1/sessions").await.ok(200)["total"], 0);
    let bad = instructor
        .post("/api/v1/sessions", &json!({"body": "senate", "title": "x", "sits_on": today()}))
        .await;
    bad.problem(400);
    let empty = instructor
        .post("/api/v1/sessions", &json!({"body": "council", "title": " ", "sits_on": today()}))
        .await;
    empty.problem(422);
    assert_eq!(empty.error_fields(), vec!["title"]);
    let ancient = instructor
        .post("/api/v1/sessions", &json!({"body": "council", "title": "x", "sits_on": "-5000-01-01"}))
        .await;
    ancient.problem(422);
    assert_eq!(ancient.error_fields(), vec!["sits_on"]);
}

async fn a_purge_erases_what_the_agenda_and_the_letters_say_of_people(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), 100_000_00).await;
    let instructor = app.instructor();
    let session = plan(&instructor).await;
    let d = under_review(&app, &scheme).await;
    let item = propose(&instructor, &session, &d, GRANT).await;
    deliberate(&instructor, &session, vec![vote(&item, "rejected", None, Some("Motif nominatif."))])
        .await
        .ok(200);
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM receipts WHERE dossier_id = '{}'", d.id)), 1);
    let settings = crate::helpers::test_settings(&app.db.url, &app.secret);
    let next_year = chrono::Datelike::year(&chrono::Utc::now().date_naive()) + 1;
    let options = essor::cli::purge::PurgeOptions { before: next_year, territory: None, dry_run: false };
    let report = essor::cli::purge::purge(&settings, &options).expect("purge runs");
    assert_eq!(report.erased.letters, 2, "the receipt's letter and the refusal's notification");
    let gone =
        |table: &str| app.count(&format!("SELECT COUNT(*) AS n FROM {table} WHERE dossier_id = '{}'", d.id));
    assert_eq!((gone("receipts"), gone("notifications"), gone("generated_documents")), (0, 0, 0));
    let erased = app.count(&format!(
        "SELECT COUNT(*) AS n FROM session_items WHERE dossier_id = '{}' AND proposed_by = 'anonymised' \
         AND note IS NULL AND reasons IS NULL AND outcome = 'rejected' AND proposed_cents = {GRANT}",
        d.id
    ));
    assert_eq!(erased, 1, "the item keeps its amount and outcome, not who wrote what");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM generated_documents WHERE kind = 'annex'"),
        1,
        "the annex stays"
    );
}

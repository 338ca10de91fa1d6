//! Calls for projects: opened on a scheme with its times and envelope, answered by dossiers
//! submitted while it is open, scored on its own grid and ranked in its session's annex.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde_json::{json, Value};

use crate::builders::{Dossier, DossierBuilder};
use crate::helpers::{both_backends, spawn_app, Backend, Client, TestApp, OTHER_TERRITORY};
use crate::money::{key, open_envelope, this_year, today};
use essor::auth::Role;
use essor::domain::lifecycle::DossierStatus;

both_backends!(
    a_call_takes_dossiers_while_open_and_none_after_it_closes,
    a_calls_session_ranks_its_dossiers_on_the_calls_grid,
    a_calls_grants_are_decided_in_its_budget_year,
);

/// An instant `offset` from now, written as Paris writes it in winter (`+01:00`): the API takes
/// any offset.
fn instant(offset: Duration) -> String {
    (Utc::now() + offset).with_timezone(&FixedOffset::east_opt(3600).unwrap()).to_rfc3339()
}

/// Opens a call on `scheme` for this year's envelope; returns it.
async fn open_call(
    staff: &Client<'_>,
    scheme: &str,
    opens: Duration,
    closes: Duration,
    grid: Option<Value>,
) -> Value {
    let mut body = json!({"scheme_id": scheme, "title": "Appel à projets Tiers-lieux ESS",
        "opens_at": instant(opens), "closes_at": instant(closes), "budget_year": this_year()});
    if let Some(grid) = grid {
        body["assessment_grid"] = grid;
    }
    staff.post("/api/v1/calls", &body).await.ok(201).clone()
}

/// A dossier answering `call`, brought to `status`.
async fn answer(app: &TestApp, scheme: &str, call: &Value, status: DossierStatus) -> Dossier {
    let call_id = call["id"].clone();
    DossierBuilder::new(app).scheme(scheme).with_body(move |b| b["call_id"] = call_id).in_status(status).await
}

async fn a_call_takes_dossiers_while_open_and_none_after_it_closes(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 500_000_00).await;
    let admin = app.admin();
    let call = open_call(&admin, &scheme, Duration::hours(-1), Duration::seconds(4), None).await;
    assert_eq!(call["state"], "open");
    assert_eq!(call["envelope_id"], envelope.as_str());
    assert_eq!(call["budget_year"], this_year());
    assert_eq!(call["assessment_grid"], Value::Null);
    // The times come back in Paris time, the same instants.
    let closes = call["closes_at"].as_str().unwrap();
    assert!(closes.ends_with("+01:00") || closes.ends_with("+02:00"), "{closes}");
    let closes_at: DateTime<Utc> = DateTime::parse_from_rfc3339(closes).unwrap().with_timezone(&Utc);
    assert!((closes_at - Utc::now()).num_seconds() <= 4);

    // Every role of the territory reads the calls; only admin and instructors open them.
    let applicant = app.register_applicant().await;
    let who = app.applicant(&applicant);
    let open = who.get("/api/v1/calls?state=open").await.ok(200).clone();
    assert_eq!(open["total"], 1);
    assert_eq!(open["items"][0]["id"], call["id"]);
    assert_eq!(
        who.get(&format!("/api/v1/calls/{}", call["id"].as_str().unwrap())).await.ok(200)["title"],
        call["title"]
    );
    let body = json!({"scheme_id": scheme, "title": "x", "opens_at": instant(Duration::zero()),
        "closes_at": instant(Duration::days(1)), "budget_year": this_year()});
    who.post("/api/v1/calls", &body).await.problem(403);
    app.finance().post("/api/v1/calls", &body).await.problem(403);
    let rennes = app.client_for(Role::Instructor, OTHER_TERRITORY, None);
    rennes.get(&format!("/api/v1/calls/{}", call["id"].as_str().unwrap())).await.problem(404);
    assert_eq!(rennes.get("/api/v1/calls").await.ok(200)["total"], 0);

    // Bad calls: closing before opening, a year without envelope, a broken grid: all at once.
    let bad = admin
        .post(
            "/api/v1/calls",
            &json!({"scheme_id": scheme, "title": "x", "opens_at": instant(Duration::days(2)),
                "closes_at": instant(Duration::days(1)), "budget_year": this_year(),
                "assessment_grid": [{"code": "Innovation", "label": "Innovation", "weight": 0, "scale_max": 5}]}),
        )
        .await;
    bad.problem(422);
    assert_eq!(
        bad.error_fields(),
        vec!["closes_at", "assessment_grid[0].code", "assessment_grid[0].weight"],
        "{}",
        bad.text
    );
    let no_envelope = admin
        .post(
            "/api/v1/calls",
            &json!({"scheme_id": scheme, "title": "x", "opens_at": instant(Duration::zero()),
            "closes_at": instant(Duration::days(1)), "budget_year": this_year() + 1}),
        )
        .await;
    assert_eq!(no_envelope.problem(422)["errors"][0]["code"], "no_envelope");
    assert_eq!(no_envelope.error_fields(), vec!["budget_year"]);
    assert_eq!(app.count("SELECT count(*) AS n FROM calls"), 1, "nothing kept of the refused calls");

    // A dossier answering the call is submitted while it is open; another waits in draft.
    let early = answer(&app, &scheme, &call, DossierStatus::Submitted).await;
    assert_eq!(early.body["call_id"], call["id"]);
    let late = answer(&app, &scheme, &call, DossierStatus::Draft).await;
    // A call of another scheme is not the dossier's to answer.
    let other_scheme = app.open_scheme("DL-ESS").await;
    let mut wrong = crate::helpers::dossier_body(&other_scheme);
    wrong["call_id"] = call["id"].clone();
    let refused = app.applicant(&late.applicant).post("/api/v1/dossiers", &wrong).await;
    assert_eq!(refused.problem(422)["errors"][0]["code"], "not_applicable");
    assert_eq!(refused.error_fields(), vec!["call_id"]);

    // Past its closing, submission is refused with a code, and the draft stays as it was.
    let wait = closes_at - Utc::now() + Duration::milliseconds(300);
    if let Ok(wait) = wait.to_std() {
        tokio::time::sleep(wait).await;
    }
    let after = app.applicant(&late.applicant).act(&late.id, "submit", None).await;
    assert_eq!(after.problem(409)["code"], "call_closed");
    assert!(after.body["detail"].as_str().unwrap().contains("heure de Paris"), "{}", after.text);
    let read = app.applicant(&late.applicant).get(&late.path()).await.ok(200).clone();
    assert_eq!((read["status"].as_str(), read["version"].as_i64()), (Some("draft"), Some(late.version)));
    assert_eq!(app.count(&format!("SELECT count(*) AS n FROM receipts WHERE dossier_id = '{}'", late.id)), 0);
    // A closed call takes no new dossier either, and lists as closed.
    let mut body = crate::helpers::dossier_body(&scheme);
    body["call_id"] = call["id"].clone();
    assert_eq!(
        app.applicant(&late.applicant).post("/api/v1/dossiers", &body).await.problem(409)["code"],
        "call_closed"
    );
    let closed = who.get("/api/v1/calls?state=closed").await.ok(200).clone();
    assert_eq!((closed["total"].as_i64(), closed["items"][0]["state"].as_str()), (Some(1), Some("closed")));
    assert_eq!(who.get("/api/v1/calls?state=open").await.ok(200)["total"], 0);

    // A call not open yet takes drafts, not submissions.
    let upcoming = open_call(&admin, &scheme, Duration::days(1), Duration::days(30), None).await;
    assert_eq!(upcoming["state"], "upcoming");
    let drafted = answer(&app, &scheme, &upcoming, DossierStatus::Draft).await;
    let before = app.applicant(&drafted.applicant).act(&drafted.id, "submit", None).await;
    assert_eq!(before.problem(409)["code"], "call_not_open");
    assert_eq!(who.get("/api/v1/calls?state=upcoming").await.ok(200)["total"], 1);
}

/// A grid of the call's own, unlike the DI-ESS template's.
fn call_grid() -> Value {
    json!([
        {"code": "innovation", "label": "Innovation sociale", "weight": 60, "scale_max": 10},
        {"code": "jobs", "label": "Emplois créés", "weight": 40, "scale_max": 5}
    ])
}

/// Scores `dossier` on the call's grid as `instructor`; returns the assessment.
async fn assess(instructor: &Client<'_>, dossier: &Dossier, innovation: u32, jobs: u32) -> Value {
    let read = instructor.get(&dossier.path()).await.ok(200).clone();
    let tag = crate::builders::etag(&read);
    let body = json!({"scores": [{"criterion": "innovation", "score": innovation}, {"criterion": "jobs", "score": jobs}],
        "recommendation": "favourable"});
    instructor.put(&dossier.path_to("assessment"), &body, Some(&tag)).await.ok(200).clone()
}

async fn a_calls_session_ranks_its_dossiers_on_the_calls_grid(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 500_000_00).await;
    let instructor = app.instructor();
    let call =
        open_call(&instructor, &scheme, Duration::hours(-1), Duration::days(10), Some(call_grid())).await;
    assert_eq!(call["assessment_grid"][1]["code"], "jobs");
    let low = answer(&app, &scheme, &call, DossierStatus::UnderReview).await;
    let high = answer(&app, &scheme, &call, DossierStatus::UnderReview).await;
    let outsider = DossierBuilder::new(&app).scheme(&scheme).in_status(DossierStatus::UnderReview).await;

    // Scored on the call's grid: the template's criteria are unknown to it.
    let read = instructor.get(&low.path()).await.ok(200).clone();
    let template_scores =
        json!({"scores": [{"criterion": "social_utility", "score": 5}], "recommendation": "favourable"});
    let refused = instructor
        .put(&low.path_to("assessment"), &template_scores, Some(&crate::builders::etag(&read)))
        .await;
    refused.problem(422);
    assert!(refused.error_fields().contains(&"scores[0].criterion".to_string()), "{}", refused.text);
    // 2/10 × 60 + 1/5 × 40 = 20; 10/10 × 60 + 4/5 × 40 = 92.
    assert_eq!(assess(&instructor, &low, 2, 1).await["weighted_total"], 20.0);
    assert_eq!(assess(&instructor, &high, 10, 4).await["weighted_total"], 92.0);

    // The call's session takes the call's dossiers only.
    let session = instructor
        .post(
            "/api/v1/sessions",
            &json!({"body": "bureau", "title": "Bureau — appel à projets", "sits_on": today(),
            "call_id": call["id"]}),
        )
        .await
        .ok(201)
        .clone();
    assert_eq!(session["call_id"], call["id"]);
    let sid = session["id"].as_str().unwrap();
    let unknown_call = instructor
        .post(
            "/api/v1/sessions",
            &json!({"body": "bureau", "title": "x", "sits_on": today(), "call_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(unknown_call.problem(422)["errors"][0]["field"], "call_id");
    let propose = |dossier: &Dossier, cents: i64| json!({"dossier_id": dossier.id, "proposed_cents": cents, "recommendation": "favourable"});
    let items = format!("/api/v1/sessions/{sid}/items");
    let first = instructor.post(&items, &propose(&low, 20_000_00)).await.ok(201).clone();
    let second = instructor.post(&items, &propose(&high, 40_000_00)).await.ok(201).clone();
    let stranger = instructor.post(&items, &propose(&outsider, 10_000_00)).await;
    assert_eq!(stranger.problem(422)["errors"][0]["code"], "not_in_call");
    assert_eq!(stranger.error_fields(), vec!["dossier_id"]);

    // The call's dossiers, listed by their call.
    let listed = instructor
        .get(&format!("/api/v1/dossiers?call_id={}", call["id"].as_str().unwrap()))
        .await
        .ok(200)
        .clone();
    let mut ids: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut expected = vec![low.id.as_str(), high.id.as_str()];
    expected.sort_unstable();
    assert_eq!((ids, listed["total"].as_i64()), (expected, Some(2)));
    // The annex ranks them by weighted total, the highest first, whatever the agenda's order.
    let annex = instructor.get(&format!("/api/v1/sessions/{sid}/annex")).await.ok(200).clone();
    assert_eq!(annex["call_id"], call["id"]);
    let lines = annex["lines"].as_array().unwrap();
    let ranked: Vec<(&str, i64, f64, i64)> = lines
        .iter()
        .map(|l| {
            (
                l["dossier_id"].as_str().unwrap(),
                l["rank"].as_i64().unwrap(),
                l["weighted_total"].as_f64().unwrap(),
                l["position"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ranked, vec![(high.id.as_str(), 1, 92.0, 2), (low.id.as_str(), 2, 20.0, 1)]);
    let csv = instructor.get(&format!("/api/v1/sessions/{sid}/annex?format=csv")).await;
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[10..], ["weighted_total", "rank"]);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!((&records[0][9], &records[0][10], &records[0][11]), (high.id.as_str(), "92.00", "1"));
    assert_eq!((&records[1][10], &records[1][11]), ("20.00", "2"));
    // And so does its PDF, with the score.
    let pdf = instructor
        .request(reqwest::Method::GET, &format!("/api/v1/sessions/{sid}/annex/pdf"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = crate::receipts::pdf_text(&pdf);
    assert!(text.contains("classés selon la note pondérée"), "{text}");
    assert!(text.contains("92,00"), "{text}");

    // The deliberation grants both from the call's envelope.
    let vote = |item: &Value, cents: i64| json!({"item_id": item["id"], "outcome": "approved", "voted_cents": cents});
    let body = json!({"number": "DEL-AAP-01", "decided_on": today(), "items": [vote(&first, 20_000_00), vote(&second, 40_000_00)]});
    instructor.post_once(&format!("/api/v1/sessions/{sid}/deliberation"), &body, &key()).await.ok(200);
    for dossier in [&low, &high] {
        let read = instructor.get(&dossier.path()).await.ok(200).clone();
        assert_eq!(
            (read["status"].as_str(), read["envelope_id"].as_str()),
            (Some("approved"), Some(envelope.as_str()))
        );
    }
    let figures = app.finance().get(&format!("/api/v1/envelopes/{envelope}")).await.ok(200).clone();
    assert_eq!(figures["committed_cents"], 60_000_00);
}

async fn a_calls_grants_are_decided_in_its_budget_year(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let last_year = open_envelope(&app, &scheme, this_year() - 1, 500_000_00).await;
    let this_years = open_envelope(&app, &scheme, this_year(), 500_000_00).await;
    let instructor = app.instructor();
    let call = open_call(&instructor, &scheme, Duration::hours(-1), Duration::days(10), None).await;
    let dossier = answer(&app, &scheme, &call, DossierStatus::UnderReview).await;
    // Dated last year, the grant would draw on last year's envelope: refused, nothing committed.
    let mut body = crate::money::approval(10_000_00);
    body["decided_on"] = json!(format!("{}-12-31", this_year() - 1));
    let refused = instructor.post_once(&dossier.path_to("approve"), &body, &key()).await;
    assert_eq!(refused.problem(409)["code"], "outside_call_year", "{}", refused.text);
    let read = app.finance().get(&format!("/api/v1/envelopes/{last_year}")).await.ok(200).clone();
    assert_eq!(read["committed_cents"], 0);
    assert_eq!(instructor.get(&dossier.path()).await.ok(200)["status"], "under_review");
    // Dated in the call's year, it is committed against the call's envelope.
    crate::money::approve(&instructor, &dossier, 10_000_00).await.ok(200);
    let read = app.finance().get(&format!("/api/v1/envelopes/{this_years}")).await.ok(200).clone();
    assert_eq!(read["committed_cents"], 10_000_00);
    app.assert_money_invariants();
}

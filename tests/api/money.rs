//! Money: envelopes, decisions, disbursements, the ledger and idempotency, on both backends.
//! After every scenario the envelope's figures are checked against the sums of its ledger.

use essor::domain::lifecycle::DossierStatus::UnderReview;
use serde_json::{json, Value};

use crate::builders::{Dossier, DossierBuilder};
use crate::helpers::{both_backends, spawn_app, Backend, Client, TestApp};

both_backends!(
    envelopes_are_opened_once_per_scheme_and_year,
    approval_commits_against_the_envelope_of_the_decision_year,
    money_requests_act_once_per_idempotency_key,
    the_idempotency_key_is_what_its_documented_pattern_says,
    concurrent_approvals_never_exceed_the_envelope,
    concurrent_approvals_through_two_instances_never_exceed_the_envelope,
    disbursements_never_exceed_the_grant_and_the_balance_closes,
    amendments_and_cancellation_move_exactly_the_difference,
    reservations_earmark_money_for_one_dossier,
    de_minimis_blocks_a_grant_crossing_the_ceiling_on_the_decision_date,
    de_minimis_counts_the_grants_to_every_establishment_of_the_undertaking,
);

/// Rouen's 2022 envelopes: 500 000 € for DI-ESS, 50 000 € for DL-ESS.
const DI_ESS_2022: i64 = 500_000_00;
/// The default dossier's maximum grant: 30 % of 200 000 € of works.
pub(crate) const GRANT: i64 = 60_000_00;

pub(crate) fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

pub(crate) fn this_year() -> i64 {
    chrono::Datelike::year(&chrono::Utc::now().date_naive()).into()
}

pub(crate) fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Opens an envelope as finance; returns its id.
pub(crate) async fn open_envelope(app: &TestApp, scheme: &str, year: i64, amount_cents: i64) -> String {
    let res = app
        .finance()
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": year, "amount_cents": amount_cents}))
        .await;
    res.ok(201)["id"].as_str().expect("id").to_string()
}

pub(crate) fn approval(granted_cents: i64) -> Value {
    json!({"granted_cents": granted_cents, "decided_on": today(), "decision_reference": "DEL-2026-114"})
}

pub(crate) async fn approve(
    instructor: &Client<'_>,
    dossier: &Dossier,
    granted_cents: i64,
) -> crate::helpers::Resp {
    instructor.post_once(&dossier.path_to("approve"), &approval(granted_cents), &key()).await
}

/// A dossier under review in `scheme`, by a fresh applicant.
pub(crate) async fn under_review(app: &TestApp, scheme: &str) -> Dossier {
    DossierBuilder::new(app).scheme(scheme).in_status(UnderReview).await
}

/// The envelope as read, and the same figures summed from its ledger in the database.
pub(crate) async fn assert_ledger_matches(app: &TestApp, envelope: &str) -> Value {
    let read = app.finance().get(&format!("/api/v1/envelopes/{envelope}")).await.ok(200).clone();
    let sum = |kinds: &str| {
        app.count(&format!(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) AS n FROM envelope_movements \
             WHERE envelope_id = '{envelope}' AND kind IN ({kinds})"
        ))
    };
    assert_eq!(read["reserved_cents"], sum("'reservation', 'reservation_release'"), "reserved = ledger");
    assert_eq!(read["committed_cents"], sum("'commitment', 'amendment', 'release'"), "committed = ledger");
    assert_eq!(read["disbursed_cents"], sum("'payment'"), "disbursed = ledger");
    let (amount, reserved, committed) = (
        read["amount_cents"].as_i64().unwrap(),
        read["reserved_cents"].as_i64().unwrap(),
        read["committed_cents"].as_i64().unwrap(),
    );
    assert_eq!(read["available_cents"], amount - reserved - committed);
    assert!(reserved + committed <= amount, "never above the envelope: {read}");
    read
}

async fn envelopes_are_opened_once_per_scheme_and_year(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let finance = app.finance();
    let body = json!({"scheme_id": scheme, "year": 2022, "amount_cents": DI_ESS_2022, "label": "BP 2022"});
    let created = finance.post("/api/v1/envelopes", &body).await;
    let envelope = created.ok(201).clone();
    assert_eq!(envelope["available_cents"], DI_ESS_2022);
    assert_eq!(envelope["committed_cents"], 0);
    assert!(created.header("location").is_some_and(|l| l.ends_with(envelope["id"].as_str().unwrap())));
    let again = app.admin().post("/api/v1/envelopes", &body).await;
    assert_eq!(again.problem(409)["code"], "envelope_exists");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM envelopes"), 1);

    // Who may: finance and admin write, staff read, applicants nothing.
    let applicant = app.register_applicant().await;
    app.instructor()
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": 2023, "amount_cents": 1}))
        .await
        .problem(403);
    app.applicant(&applicant).get("/api/v1/envelopes").await.problem(403);
    let path = format!("/api/v1/envelopes/{}", envelope["id"].as_str().unwrap());
    let read = app.instructor().get(&path).await;
    assert_eq!(read.ok(200)["amount_cents"], DI_ESS_2022);
    let tag = read.header("etag").unwrap().to_string();
    let listed = app.instructor().get(&format!("/api/v1/envelopes?year=2022&scheme_id={scheme}")).await;
    assert_eq!(listed.ok(200).as_array().unwrap().len(), 1);
    assert_eq!(
        app.instructor().get("/api/v1/envelopes?year=2023").await.ok(200).as_array().unwrap().len(),
        0
    );

    // Bad input names the field.
    let bad = finance
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": 1999, "amount_cents": -5}))
        .await;
    bad.problem(422);
    assert_eq!(bad.error_fields(), ["year", "amount_cents"]);
    // The bounds the OpenAPI document publishes (0 to 100 000 000 000 cents) are the ones applied.
    let documented_max = 100_000_000_000_i64;
    let over = json!({"scheme_id": scheme, "year": 2031, "amount_cents": documented_max + 1});
    let over = finance.post("/api/v1/envelopes", &over).await;
    assert_eq!(over.problem(422)["errors"][0]["code"], "out_of_range");
    assert_eq!(over.error_fields(), ["amount_cents"]);
    let patch_over = finance.patch(&path, &json!({"amount_cents": documented_max + 1}), Some(&tag)).await;
    assert_eq!(patch_over.problem(422)["errors"][0]["field"], "amount_cents");
    let at_max = json!({"scheme_id": scheme, "year": 2031, "amount_cents": documented_max});
    assert_eq!(finance.post("/api/v1/envelopes", &at_max).await.ok(201)["amount_cents"], documented_max);

    // The amount changes with If-Match, never below reserved + committed.
    finance.patch(&path, &json!({"amount_cents": 400_000_00}), None).await.problem(428);
    let changed = finance.patch(&path, &json!({"amount_cents": 400_000_00}), Some(&tag)).await;
    assert_eq!(changed.ok(200)["amount_cents"], 400_000_00);
    finance.patch(&path, &json!({"amount_cents": 1}), Some(&tag)).await.problem(412);
    let d = under_review(&app, &scheme).await;
    let this = open_envelope(&app, &scheme, this_year(), 100_000_00).await;
    approve(&app.instructor(), &d, GRANT).await.ok(200);
    let this_path = format!("/api/v1/envelopes/{this}");
    let tag = finance.get(&this_path).await.header("etag").unwrap().to_string();
    let below = finance.patch(&this_path, &json!({"amount_cents": GRANT - 1}), Some(&tag)).await;
    let problem = below.problem(409);
    assert_eq!(problem["code"], "envelope_below_commitments");
    assert_eq!(problem["committed_cents"], GRANT);
    assert_eq!(
        finance.patch(&this_path, &json!({"amount_cents": GRANT}), Some(&tag)).await.ok(200)
            ["available_cents"],
        0
    );
    assert_ledger_matches(&app, &this).await;
}

async fn approval_commits_against_the_envelope_of_the_decision_year(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let instructor = app.instructor();
    let d = under_review(&app, &scheme).await;

    // No envelope for the decision's year: nothing happens.
    open_envelope(&app, &scheme, 2022, DI_ESS_2022).await;
    let none = approve(&instructor, &d, GRANT).await;
    assert_eq!(none.problem(409)["code"], "no_envelope");
    assert_eq!(instructor.get(&d.path()).await.ok(200)["status"], "under_review");

    let envelope = open_envelope(&app, &scheme, this_year(), 100_000_00).await;
    // Never above the maximum grant; the applicant and finance may not decide.
    let above = approve(&instructor, &d, GRANT + 1).await;
    above.problem(422);
    assert_eq!(above.error_fields(), ["granted_cents"]);
    app.finance().post_once(&d.path_to("approve"), &approval(GRANT), &key()).await.problem(403);
    app.applicant(&d.applicant).post_once(&d.path_to("approve"), &approval(GRANT), &key()).await.problem(403);
    let future = json!({"granted_cents": GRANT, "decided_on": "2100-01-01", "decision_reference": "X"});
    assert_eq!(
        instructor.post_once(&d.path_to("approve"), &future, &key()).await.error_fields(),
        ["decided_on"]
    );

    let approved = approve(&instructor, &d, GRANT).await;
    let body = approved.ok(200).clone();
    assert_eq!(body["status"], "approved");
    assert_eq!(body["granted_cents"], GRANT);
    assert_eq!(body["decided_on"], today());
    assert_eq!(body["envelope_id"], envelope.as_str());
    assert_eq!(body["allowed_transitions"], json!(["amend", "cancel"]));
    assert_eq!(approved.header("etag"), Some(format!("\"v{}\"", body["version"]).as_str()));
    let figures = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(figures["committed_cents"], GRANT);
    assert_eq!(figures["available_cents"], 100_000_00 - GRANT);

    // The ledger and the history say who, when, what.
    let ledger = app.finance().get(&format!("/api/v1/envelopes/{envelope}/movements")).await.ok(200).clone();
    assert_eq!(ledger["total"], 1);
    assert_eq!(ledger["items"][0]["kind"], "commitment");
    assert_eq!(ledger["items"][0]["amount_cents"], GRANT);
    assert_eq!(ledger["items"][0]["reference"], "DEL-2026-114");
    let history = instructor.get(&d.path_to("history")).await.ok(200).clone();
    // The decision's step (its notification, and its convention where one is due, follow it).
    let last =
        history.as_array().unwrap().iter().find(|h| h["from_status"] == "under_review").unwrap().clone();
    assert_eq!(last["to_status"], "approved");
    // Written from the catalogue in French, with French figures, and stored as written.
    let (y, m, d_) = (&today()[0..4], &today()[5..7], &today()[8..10]);
    assert_eq!(
        last["comment"],
        format!(
            "Subvention de 60\u{202F}000,00\u{A0}€ accordée par la décision DEL-2026-114 du {d_}/{m}/{y}, \
             prise par délégation de l'assemblée."
        ),
        "{last}"
    );

    // The decision's eligibility snapshot was recorded.
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM eligibility_snapshots WHERE dossier_id = '{}'", d.id)),
        1
    );

    // A second approval is a transition that is not allowed; the envelope is full for a third.
    let twice = approve(&instructor, &d, GRANT).await;
    assert_eq!(twice.problem(409)["current_status"], "approved");
    let other = under_review(&app, &scheme).await;
    let exhausted = approve(&instructor, &other, GRANT).await;
    let problem = exhausted.problem(409);
    assert_eq!(problem["code"], "envelope_exhausted");
    assert_eq!(problem["available_cents"], 100_000_00 - GRANT);
    assert_eq!(instructor.get(&other.path()).await.ok(200)["status"], "under_review");
    assert_ledger_matches(&app, &envelope).await;
}

async fn money_requests_act_once_per_idempotency_key(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), DI_ESS_2022).await;
    let instructor = app.instructor();
    let d = under_review(&app, &scheme).await;
    let path = d.path_to("approve");

    let missing = instructor.post(&path, &approval(GRANT)).await;
    assert_eq!(missing.problem(400)["errors"][0]["field"], "Idempotency-Key");

    // The first answer is lost on the way: the retry gets it again, and nothing acts twice.
    let k = key();
    let first = instructor.post_once(&path, &approval(GRANT), &k).await;
    assert_eq!(first.ok(200)["status"], "approved");
    assert_eq!(first.header("idempotent-replayed"), None);
    let retry = instructor.post_once(&path, &approval(GRANT), &k).await;
    assert_eq!(retry.ok(200), first.ok(200));
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));
    assert_eq!(retry.header("etag"), first.header("etag"));
    let movements = format!("SELECT COUNT(*) AS n FROM envelope_movements WHERE envelope_id = '{envelope}'");
    assert_eq!(app.count(&movements), 1);

    // The same key for another request is refused, and changes nothing.
    let other = instructor.post_once(&path, &approval(GRANT - 1), &k).await;
    assert_eq!(other.problem(422)["code"], "idempotency_key_reused");
    // Keys belong to their caller: another instructor's same key is a new request.
    let colleague = app.instructor();
    assert_eq!(
        colleague.post_once(&path, &approval(GRANT), &k).await.problem(409)["current_status"],
        "approved"
    );
    assert_eq!(app.count(&movements), 1);

    // The same request sent twice at once acts once: each answer is the first one, replayed,
    // or (PostgreSQL, while the first is running) 409 idempotency_key_in_flight.
    let d3 = under_review(&app, &scheme).await;
    let k3 = key();
    let body = approval(GRANT);
    let approve_path = d3.path_to("approve");
    let (a, b) = futures_util::join!(
        instructor.post_once(&approve_path, &body, &k3),
        instructor.post_once(&approve_path, &body, &k3)
    );
    for answer in [&a, &b] {
        let status = answer.status.as_u16();
        assert!(
            status == 200 || (status == 409 && answer.body["code"] == "idempotency_key_in_flight"),
            "{status}: {}",
            answer.text
        );
    }
    assert!(a.status.as_u16() == 200 || b.status.as_u16() == 200);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM envelope_movements WHERE dossier_id = '{}'", d3.id)),
        1
    );

    // A refused request leaves no key behind: fixed, it can be sent again with the same key.
    let d2 = under_review(&app, &scheme).await;
    let k2 = key();
    let too_much = instructor.post_once(&d2.path_to("approve"), &approval(GRANT + 1), &k2).await;
    too_much.problem(422);
    assert_eq!(
        instructor.post_once(&d2.path_to("approve"), &approval(GRANT), &k2).await.ok(200)["status"],
        "approved"
    );
    assert_ledger_matches(&app, &envelope).await;
    app.assert_money_invariants();
}

/// Issue 20: the documented `Idempotency-Key` pattern allowed values the server refused (`"`,
/// `""`: it stripped every quote, then found nothing). Each value the served document's pattern
/// allows is accepted, each it refuses is a 400 naming the header; a quoted key and the same key
/// bare are one key.
async fn the_idempotency_key_is_what_its_documented_pattern_says(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc = app.anonymous().get("/api-docs/openapi.json").await.ok(200).clone();
    let parameters = doc["paths"]["/api/v1/dossiers/{id}/approve"]["post"]["parameters"].as_array().unwrap();
    let header = parameters.iter().find(|p| p["name"] == "Idempotency-Key").expect("documented");
    let pattern = regex::Regex::new(header["schema"]["pattern"].as_str().unwrap()).unwrap();
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), DI_ESS_2022).await;
    let instructor = app.instructor();
    let d = under_review(&app, &scheme).await;
    // A body refused for itself (422) once the key is taken: nothing acts, whatever the key.
    let refused_body = approval(0);
    let (long, too_long) = ("k".repeat(255), "k".repeat(256));
    for value in ["\"", "\"\"", "\"\"\"", "a\"b", "\"k-1\"", "~", &long, &too_long, "a b"] {
        let res = instructor.post_once(&d.path_to("approve"), &refused_body, value).await;
        if pattern.is_match(value) {
            assert_eq!(res.problem(422).clone()["errors"][0]["field"], "granted_cents", "{value:?}");
        } else {
            assert_eq!(res.problem(400).clone()["errors"][0]["field"], "Idempotency-Key", "{value:?}");
        }
    }
    // The draft's structured-field form and the bare key are the same key.
    let first = instructor.post_once(&d.path_to("approve"), &approval(GRANT), "\"k-2\"").await;
    assert_eq!(first.ok(200)["status"], "approved");
    let retry = instructor.post_once(&d.path_to("approve"), &approval(GRANT), "k-2").await;
    assert_eq!((retry.ok(200), retry.header("idempotent-replayed")), (first.ok(200), Some("true")));
}

/// `n` dossiers under review race for an envelope that fits exactly `fits` grants.
async fn race_for_the_envelope(app: &TestApp, second: Option<&crate::helpers::SecondInstance>) {
    let (n, fits) = (50, 7);
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(app, &scheme, this_year(), fits * GRANT).await;
    let mut dossiers = Vec::new();
    for _ in 0..n {
        dossiers.push(under_review(app, &scheme).await);
    }
    let instructor = app.instructor();
    let answers = futures_util::future::join_all(dossiers.iter().enumerate().map(|(i, d)| {
        let caller = match second {
            Some(instance) if i % 2 == 1 => instructor.on(instance),
            _ => instructor.clone(),
        };
        async move { approve(&caller, d, GRANT).await }
    }))
    .await;
    let approved = answers.iter().filter(|r| r.status.as_u16() == 200).count();
    let exhausted =
        answers.iter().filter(|r| r.status.as_u16() == 409 && r.body["code"] == "envelope_exhausted").count();
    assert_eq!(
        (approved, exhausted),
        (fits as usize, (n - fits) as usize),
        "every answer is one or the other"
    );
    let figures = assert_ledger_matches(app, &envelope).await;
    assert_eq!(figures["committed_cents"], fits * GRANT);
    assert_eq!(figures["available_cents"], 0);
    let granted = app.count(&format!(
        "SELECT CAST(COALESCE(SUM(granted_cents), 0) AS BIGINT) AS n FROM dossiers WHERE status = 'approved' AND envelope_id = '{envelope}'"
    ));
    assert_eq!(granted, fits * GRANT, "committed = the sum of the grants approved");
    let report = app.assert_money_invariants();
    assert_eq!((report.envelopes, report.dossiers), (1, n as usize), "{report}");
}

async fn concurrent_approvals_never_exceed_the_envelope(backend: Backend) {
    let app = spawn_app(backend).await;
    race_for_the_envelope(&app, None).await;
}

async fn concurrent_approvals_through_two_instances_never_exceed_the_envelope(backend: Backend) {
    let app = spawn_app(backend).await;
    let second = app.second_instance();
    race_for_the_envelope(&app, Some(&second)).await;
}

async fn disbursements_never_exceed_the_grant_and_the_balance_closes(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), DI_ESS_2022).await;
    let instructor = app.instructor();
    let finance = app.finance();
    let d = under_review(&app, &scheme).await;
    let path = d.path_to("disbursements");
    let request =
        |kind: &str, cents: i64| json!({"kind": kind, "amount_cents": cents, "certified_on": today()});
    let refused = instructor.post_once(&path, &request("advance", 1), &key()).await;
    assert_eq!(refused.problem(409)["code"], "not_approved");
    approve(&instructor, &d, GRANT).await.ok(200);
    crate::conventions::sign_convention(&app, &d).await;

    // Three concurrent requests of 25 000 € against a 60 000 € grant: two fit.
    let body = request("installment", 25_000_00);
    let answers = futures_util::future::join_all((0..3).map(|_| {
        let (instructor, path, body) = (&instructor, &path, &body);
        async move { instructor.post_once(path, body, &key()).await }
    }))
    .await;
    let created: Vec<&Value> = answers.iter().filter(|r| r.status.as_u16() == 201).map(|r| &r.body).collect();
    assert_eq!(created.len(), 2);
    let over = answers.iter().find(|r| r.status.as_u16() == 409).expect("one refused");
    assert_eq!(over.body["code"], "above_grant");
    assert_eq!(over.body["available_cents"], 10_000_00);
    let dossier = instructor.get(&d.path()).await.ok(200).clone();
    assert_eq!(
        (dossier["pending_disbursement_cents"].as_i64(), dossier["paid_cents"].as_i64()),
        (Some(50_000_00), Some(0))
    );

    // Finance pays one, refuses the other (its amount can be requested again).
    let (first, second) = (created[0]["id"].as_str().unwrap(), created[1]["id"].as_str().unwrap());
    let pay = json!({"paid_on": today(), "payment_reference": "MDT-2026-00412"});
    instructor.post_once(&format!("/api/v1/disbursements/{first}/pay"), &pay, &key()).await.problem(403);
    let paid = finance.post_once(&format!("/api/v1/disbursements/{first}/pay"), &pay, &key()).await;
    assert_eq!(paid.ok(200)["status"], "paid");
    let again = finance.post_once(&format!("/api/v1/disbursements/{first}/pay"), &pay, &key()).await;
    assert_eq!(again.problem(409)["code"], "not_requested");
    // Two finance officers pay the same request at once: it is paid once.
    let third = instructor.post_once(&path, &request("installment", 5_000_00), &key()).await.ok(201).clone();
    let pay_third = format!("/api/v1/disbursements/{}/pay", third["id"].as_str().unwrap());
    let (other_officer, pay_once) = (app.finance(), &pay);
    let (k1, k2) = (key(), key());
    let (x, y) = futures_util::join!(
        finance.post_once(&pay_third, pay_once, &k1),
        other_officer.post_once(&pay_third, pay_once, &k2)
    );
    let mut statuses = [x.status.as_u16(), y.status.as_u16()];
    statuses.sort();
    assert!(statuses == [200, 409] || statuses == [200, 412], "{statuses:?}: {} / {}", x.text, y.text);
    let paid_third = app.count(&format!("SELECT COUNT(*) AS n FROM envelope_movements WHERE kind = 'payment' AND amount_cents = 500000 AND envelope_id = '{envelope}'"));
    assert_eq!(paid_third, 1);
    let refuse = json!({"comment": "Facture illisible"});
    assert_eq!(
        finance.post_once(&format!("/api/v1/disbursements/{second}/refuse"), &refuse, &key()).await.ok(200)
            ["status"],
        "refused"
    );
    let work_list = finance.get("/api/v1/disbursements?status=paid").await.ok(200).clone();
    assert_eq!(work_list["total"], 2);
    let figures = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(figures["disbursed_cents"], 30_000_00);

    // The balance of 20 000 €: paid, it closes the dossier and releases the 10 000 € not spent.
    let balance = instructor.post_once(&path, &request("balance", 20_000_00), &key()).await.ok(201).clone();
    let more = instructor.post_once(&path, &request("installment", 1), &key()).await;
    assert_eq!(more.problem(409)["code"], "balance_requested");
    let balance_id = balance["id"].as_str().unwrap();
    finance.post_once(&format!("/api/v1/disbursements/{balance_id}/pay"), &pay, &key()).await.ok(200);
    let closed = instructor.get(&d.path()).await.ok(200).clone();
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["granted_cents"], 50_000_00);
    assert_eq!(closed["paid_cents"], 50_000_00);
    let figures = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(figures["committed_cents"], 50_000_00, "the unspent 10 000 € went back");
    assert_eq!(figures["disbursed_cents"], 50_000_00);
    let listed = instructor.get(&path).await.ok(200).clone();
    let statuses: Vec<&str> =
        listed.as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "paid").count(), 3);
    assert_eq!(statuses.iter().filter(|s| **s == "refused").count(), 1);
    // The applicant sees its payments.
    assert_eq!(app.applicant(&d.applicant).get(&path).await.ok(200).as_array().unwrap().len(), 4);
    // After the concurrent requests and payments, every money invariant holds (`essor check`).
    app.assert_money_invariants();
}

async fn amendments_and_cancellation_move_exactly_the_difference(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 100_000_00).await;
    let instructor = app.instructor();
    let finance = app.finance();
    let d = under_review(&app, &scheme).await;
    approve(&instructor, &d, 50_000_00).await.ok(200);
    crate::conventions::sign_convention(&app, &d).await;

    let amend = |cents: i64| json!({"granted_cents": cents, "decided_on": today(), "decision_reference": "AV-1", "comment": "Avenant au coût réel des travaux"});
    let raised = instructor.post_once(&d.path_to("amend"), &amend(GRANT), &key()).await;
    assert_eq!(raised.ok(200)["granted_cents"], GRANT);
    assert_eq!(assert_ledger_matches(&app, &envelope).await["committed_cents"], GRANT);
    let above = instructor.post_once(&d.path_to("amend"), &amend(GRANT + 1), &key()).await;
    assert_eq!(above.error_fields(), ["granted_cents"]);
    // The amendment (avenant) is signed before the next payment.
    crate::conventions::sign_convention(&app, &d).await;

    // Paid 20 000 €: the grant cannot go below it.
    let request = json!({"kind": "advance", "amount_cents": 20_000_00, "certified_on": today()});
    let advance = instructor.post_once(&d.path_to("disbursements"), &request, &key()).await.ok(201).clone();
    let pay = json!({"paid_on": today(), "payment_reference": "MDT-1"});
    finance
        .post_once(&format!("/api/v1/disbursements/{}/pay", advance["id"].as_str().unwrap()), &pay, &key())
        .await
        .ok(200);
    let below = instructor.post_once(&d.path_to("amend"), &amend(20_000_00 - 1), &key()).await;
    let problem = below.problem(409);
    assert_eq!(problem["code"], "below_disbursed");
    assert_eq!(problem["paid_cents"], 20_000_00);
    let lowered = instructor.post_once(&d.path_to("amend"), &amend(30_000_00), &key()).await;
    assert_eq!(lowered.ok(200)["granted_cents"], 30_000_00);
    assert_eq!(assert_ledger_matches(&app, &envelope).await["committed_cents"], 30_000_00);

    // Cancelled: the unpaid 10 000 € go back, the 20 000 € paid stay.
    let cancel = json!({"comment": "Projet abandonné par la structure", "decided_on": today()});
    let cancelled = instructor.post_once(&d.path_to("cancel"), &cancel, &key()).await;
    let body = cancelled.ok(200).clone();
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["granted_cents"], 20_000_00);
    let figures = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(figures["committed_cents"], 20_000_00);
    assert_eq!(figures["disbursed_cents"], 20_000_00);
    assert_eq!(figures["available_cents"], 80_000_00);
    let kinds = app.count(&format!(
        "SELECT COUNT(*) AS n FROM envelope_movements WHERE envelope_id = '{envelope}' AND kind = 'release' AND amount_cents = -1000000"
    ));
    assert_eq!(kinds, 1, "one release of exactly the unpaid remainder");
    app.assert_money_invariants();
}

async fn reservations_earmark_money_for_one_dossier(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 100_000_00).await;
    let finance = app.finance();
    let instructor = app.instructor();
    let earmarked = under_review(&app, &scheme).await;
    let other = under_review(&app, &scheme).await;
    let path = format!("/api/v1/envelopes/{envelope}/reservations");
    let reserve = |d: &Dossier, cents: i64| json!({"dossier_id": d.id, "amount_cents": cents, "comment": "Projet identifié au BP"});

    let reservation = finance.post_once(&path, &reserve(&earmarked, 50_000_00), &key()).await.ok(201).clone();
    assert_eq!(reservation["status"], "active");
    let twice = finance.post_once(&path, &reserve(&earmarked, 1), &key()).await;
    assert_eq!(twice.problem(409)["code"], "reservation_exists");
    let figures = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(
        (figures["reserved_cents"].as_i64(), figures["available_cents"].as_i64()),
        (Some(50_000_00), Some(50_000_00))
    );

    // Reserved money is not available to another dossier.
    let blocked = approve(&instructor, &other, GRANT).await;
    assert_eq!(blocked.problem(409)["code"], "envelope_exhausted");
    // The earmarked dossier's approval uses its reservation first.
    approve(&instructor, &earmarked, GRANT).await.ok(200);
    crate::conventions::sign_convention(&app, &earmarked).await;
    let figures = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(
        (figures["reserved_cents"].as_i64(), figures["committed_cents"].as_i64()),
        (Some(0), Some(GRANT))
    );
    let rid = reservation["id"].as_str().unwrap();
    let consumed = finance.request(reqwest::Method::DELETE, &format!("{path}/{rid}"));
    assert_eq!(app.send(consumed).await.status.as_u16(), 409, "a consumed reservation is not deleted");

    // Deleting a reservation frees it.
    let third = under_review(&app, &scheme).await;
    let r2 = finance.post_once(&path, &reserve(&third, 40_000_00), &key()).await.ok(201).clone();
    assert_eq!(assert_ledger_matches(&app, &envelope).await["available_cents"], 0);
    let delete = finance.request(reqwest::Method::DELETE, &format!("{path}/{}", r2["id"].as_str().unwrap()));
    assert_eq!(app.send(delete).await.status.as_u16(), 204);
    assert_eq!(assert_ledger_matches(&app, &envelope).await["available_cents"], 40_000_00);
    approve(&instructor, &other, 40_000_00).await.ok(200);
    crate::conventions::sign_convention(&app, &other).await;
    assert_eq!(assert_ledger_matches(&app, &envelope).await["available_cents"], 0);
    app.assert_money_invariants();
}

async fn de_minimis_blocks_a_grant_crossing_the_ceiling_on_the_decision_date(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), DI_ESS_2022).await;
    let instructor = app.instructor();
    let today = chrono::Utc::now().date_naive();
    let with_aids = |declared: Vec<(chrono::NaiveDate, i64)>| {
        move |org: &mut Value| {
            org["de_minimis_aids"] = declared
                .iter()
                .map(|(on, cents)| json!({"grantor": "Région", "granted_on": on.to_string(), "amount_cents": cents}))
                .collect();
        }
    };
    let dossier_of = |declared: Vec<(chrono::NaiveDate, i64)>| {
        let app = &app;
        let scheme = scheme.clone();
        async move {
            let applicant = app.register_applicant_with(with_aids(declared)).await;
            DossierBuilder::new(app).scheme(&scheme).applicant(&applicant).in_status(UnderReview).await
        }
    };
    let ceiling = 300_000_00;
    let last_year = today - chrono::Duration::days(365);

    // 240 001 € declared + 60 000 € = one cent over the ceiling: blocked, justification or not.
    let over = dossier_of(vec![(last_year, ceiling - GRANT + 1)]).await;
    let mut body = approval(GRANT);
    body["justification"] = json!("Le conseil a délibéré en connaissance de cause, voir rapport.");
    let blocked = instructor.post_once(&over.path_to("approve"), &body, &key()).await;
    let problem = blocked.problem(409);
    assert_eq!(
        (problem["code"].as_str(), problem["criterion"].as_str()),
        (Some("approval_blocked"), Some("de_minimis"))
    );
    assert_eq!(instructor.get(&over.path()).await.ok(200)["status"], "under_review");
    // A smaller grant that fits is approved.
    approve(&instructor, &over, GRANT - 1).await.ok(200);
    crate::conventions::sign_convention(&app, &over).await;

    // Exactly at the ceiling passes.
    let at = dossier_of(vec![(last_year, ceiling - GRANT)]).await;
    approve(&instructor, &at, GRANT).await.ok(200);
    crate::conventions::sign_convention(&app, &at).await;

    // An aid older than 3 years before the decision is not counted.
    let old = dossier_of(vec![(today - chrono::Duration::days(3 * 366 + 2), ceiling)]).await;
    approve(&instructor, &old, GRANT).await.ok(200);
    crate::conventions::sign_convention(&app, &old).await;
}

/// Two establishments (SIRETs) of one undertaking (SIREN): a grant to the first counts in the
/// second's de minimis check on the decision date.
async fn de_minimis_counts_the_grants_to_every_establishment_of_the_undertaking(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    open_envelope(&app, &scheme, this_year(), DI_ESS_2022).await;
    let instructor = app.instructor();
    let last_year = (chrono::Utc::now().date_naive() - chrono::Duration::days(365)).to_string();
    let establishment = |stem: u64, declared: i64| {
        let app = &app;
        let last_year = last_year.clone();
        async move {
            let siret = crate::helpers::siret_from(stem);
            let mut body = crate::helpers::organisation_body(&siret);
            body["de_minimis_aids"] =
                json!([{"grantor": "Région", "granted_on": last_year, "amount_cents": declared}]);
            let created = app.applicant_with_siret(&siret).post("/api/v1/organisations", &body).await;
            let token = app.token_for(essor::auth::Role::Applicant, crate::helpers::TERRITORY, Some(&siret));
            let organisation_id = created.ok(201)["id"].as_str().unwrap().to_string();
            crate::helpers::Applicant { siret, token, organisation_id }
        }
    };
    // SIREN 987654320, establishments 00011 and 00029: the same undertaking.
    let first = establishment(9_876_543_200_001, 0).await;
    let second = establishment(9_876_543_200_002, 300_000_00 - 2 * GRANT + 1).await;
    assert_eq!(first.siret[..9], second.siret[..9]);
    let to_first = DossierBuilder::new(&app).scheme(&scheme).applicant(&first).in_status(UnderReview).await;
    approve(&instructor, &to_first, GRANT).await.ok(200);
    crate::conventions::sign_convention(&app, &to_first).await;
    // 180 000,01 € declared + 60 000 € granted to the first establishment + 60 000 € = over.
    let to_second = DossierBuilder::new(&app).scheme(&scheme).applicant(&second).in_status(UnderReview).await;
    let blocked = approve(&instructor, &to_second, GRANT).await;
    assert_eq!(blocked.problem(409)["criterion"], "de_minimis");
    // One cent less fits exactly at the ceiling.
    approve(&instructor, &to_second, GRANT - 1).await.ok(200);
    crate::conventions::sign_convention(&app, &to_second).await;
}

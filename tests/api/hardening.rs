//! Issue 20, what an attack on money found: concurrent amendments and payments, a busy
//! database, reservations that outlived their dossier, writes to a purged dossier, and money
//! dates before the acts they follow. Each scenario failed before its fix.

use essor::cli::purge::{purge, PurgeOptions};
use essor::domain::lifecycle::DossierStatus::Submitted;
use serde_json::{json, Value};

use crate::builders::{Dossier, DossierBuilder};
use crate::helpers::{both_backends, spawn_app, spawn_app_with, test_settings, Backend, Resp, TestApp};
use crate::money::{
    approval, approve, assert_ledger_matches, key, open_envelope, this_year, today, under_review, GRANT,
};

both_backends!(
    amendments_and_payments_at_once_never_fail,
    a_locked_database_answers_503_with_retry_after_and_writes_nothing,
    a_dossier_that_can_no_longer_be_granted_gives_its_reservation_back,
    a_reservation_racing_a_decision_never_outlives_it,
    a_purged_dossier_is_never_written_to,
    money_dates_follow_the_acts,
);

fn days_ago(days: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(days)).to_string()
}

fn reservation(d: &Dossier, cents: i64) -> Value {
    json!({"dossier_id": d.id, "amount_cents": cents, "comment": "Projet identifié au budget primitif"})
}

/// The reservations of a dossier by status, from the database.
fn reservations(app: &TestApp, dossier: &str, status: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM reservations WHERE dossier_id = '{dossier}' AND status = '{status}'"
    ))
}

/// Item 1: `amend` locked the envelope then the dossier, `pay` the dossier then the envelope;
/// on PostgreSQL 7 runs in 15 answered 500 "deadlock detected". Twenty pairs at once, each an
/// amendment and a payment of one grant: every one is done, and the books agree.
async fn amendments_and_payments_at_once_never_fail(backend: Backend) {
    let app = spawn_app(backend).await;
    let pairs = 20;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), pairs * GRANT).await;
    let (instructor, finance) = (app.instructor(), app.finance());
    let mut grants = Vec::new();
    for _ in 0..pairs {
        let d = under_review(&app, &scheme).await;
        approve(&instructor, &d, GRANT).await.ok(200);
        crate::conventions::sign_convention(&app, &d).await;
        let request = json!({"kind": "advance", "amount_cents": 10_000_00, "certified_on": today()});
        let requested = instructor.post_once(&d.path_to("disbursements"), &request, &key()).await;
        let disbursement = requested.ok(201)["id"].as_str().unwrap().to_string();
        grants.push((d, disbursement));
    }
    let amend = json!({"granted_cents": 50_000_00, "decided_on": today(), "decision_reference": "AV-2026-01",
        "comment": "Avenant : travaux revus à la baisse."});
    let pay = json!({"paid_on": today(), "payment_reference": "MDT-2026-777"});
    let answers: Vec<(Resp, Resp)> =
        futures_util::future::join_all(grants.iter().map(|(d, disbursement)| {
            let (instructor, finance, amend, pay) = (&instructor, &finance, &amend, &pay);
            async move {
                let (amend_path, pay_path) =
                    (d.path_to("amend"), format!("/api/v1/disbursements/{disbursement}/pay"));
                let (amend_key, pay_key) = (key(), key());
                futures_util::join!(
                    instructor.post_once(&amend_path, amend, &amend_key),
                    finance.post_once(&pay_path, pay, &pay_key),
                )
            }
        }))
        .await;
    let mut statuses = std::collections::BTreeMap::new();
    for (amended, paid) in &answers {
        *statuses.entry(("amend", amended.status.as_u16())).or_insert(0) += 1;
        *statuses.entry(("pay", paid.status.as_u16())).or_insert(0) += 1;
    }
    eprintln!("{backend:?}: {pairs} amend+pay pairs at once answered {statuses:?}");
    for (amended, paid) in &answers {
        assert_eq!(amended.status.as_u16(), 200, "amend: {}", amended.text);
        assert_eq!(paid.status.as_u16(), 200, "pay: {}", paid.text);
    }
    for (d, _) in &grants {
        let now = instructor.get(&d.path()).await.ok(200).clone();
        assert_eq!(
            (now["granted_cents"].as_i64(), now["paid_cents"].as_i64()),
            (Some(50_000_00), Some(10_000_00))
        );
    }
    let figures = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(figures["committed_cents"], pairs * 50_000_00);
    assert_eq!(figures["disbursed_cents"], pairs * 10_000_00);
    app.assert_money_invariants();
}

/// Holds the database's write lock (SQLite) or the dossier's row lock (PostgreSQL) from outside
/// Essor, as a long import or a forgotten session would.
enum Holder {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

impl Holder {
    fn hold(app: &TestApp, backend: Backend, dossier: &str) -> Holder {
        use diesel::connection::SimpleConnection;
        use diesel::Connection;
        match backend {
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&app.db.url).unwrap();
                conn.batch_execute("BEGIN IMMEDIATE").unwrap();
                Holder::Sqlite(conn)
            }
            Backend::Postgres => {
                let mut conn = diesel::PgConnection::establish(&app.db.url).unwrap();
                conn.batch_execute(&format!(
                    "BEGIN; SELECT id FROM dossiers WHERE id = '{dossier}' FOR UPDATE"
                ))
                .unwrap();
                Holder::Pg(conn)
            }
        }
    }

    fn release(self) {
        use diesel::connection::SimpleConnection;
        match self {
            Holder::Sqlite(mut conn) => conn.batch_execute("COMMIT").unwrap(),
            Holder::Pg(mut conn) => conn.batch_execute("COMMIT").unwrap(),
        }
    }
}

/// Item 2: on SQLite a writer behind a long import got 500 "database is locked" after the busy
/// timeout; on PostgreSQL it waited without end. Now both wait `ESSOR_DB_LOCK_TIMEOUT_MS`, then
/// answer 503 with `Retry-After`, nothing written; the same request once the lock is gone is done.
async fn a_locked_database_answers_503_with_retry_after_and_writes_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.lock_timeout_ms = 300).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let d = DossierBuilder::new(&app).scheme(&scheme).in_status(Submitted).await;
    let history =
        || app.count(&format!("SELECT COUNT(*) AS n FROM dossier_history WHERE dossier_id = '{}'", d.id));
    let before = history();
    let instructor = app.instructor();

    let holder = Holder::hold(&app, backend, &d.id);
    let started = std::time::Instant::now();
    let busy = instructor.act(&d.id, "review", None).await;
    let waited = started.elapsed();
    let problem = busy.problem(503).clone();
    assert_eq!(problem["type"], "urn:essor:problem:contention");
    assert_eq!(busy.header("retry-after"), Some("1"));
    assert!(
        !busy.text.contains("locked") && !busy.text.contains("lock timeout"),
        "no database message: {}",
        busy.text
    );
    assert!(waited >= std::time::Duration::from_millis(250), "it waited for the lock: {waited:?}");
    holder.release();
    assert_eq!(history(), before, "nothing written");
    assert_eq!(instructor.get(&d.path()).await.ok(200)["status"], "submitted");

    let done = instructor.act(&d.id, "review", None).await;
    assert_eq!(done.ok(200)["status"], "under_review");
    assert_eq!(history(), before + 1);
}

/// Item 8: after reject, dismiss, withdraw or cancel the earmark stayed reserved (150 000
/// cents seen), and approving in another year's envelope left the other year's earmark. Each
/// is now given back in the transaction that made it useless, with its ledger movement.
async fn a_dossier_that_can_no_longer_be_granted_gives_its_reservation_back(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let year = this_year();
    let envelope = open_envelope(&app, &scheme, year, 500_000_00).await;
    let next_year = open_envelope(&app, &scheme, year + 1, 500_000_00).await;
    let (finance, instructor) = (app.finance(), app.instructor());
    let path = |e: &str| format!("/api/v1/envelopes/{e}/reservations");
    let reason = json!({"comment": "Le projet ne relève pas du dispositif."});

    let rejected = under_review(&app, &scheme).await;
    let dismissed = under_review(&app, &scheme).await;
    let withdrawn = DossierBuilder::new(&app).scheme(&scheme).in_status(Submitted).await;
    let granted = under_review(&app, &scheme).await;
    for d in [&rejected, &dismissed, &withdrawn, &granted] {
        finance.post_once(&path(&envelope), &reservation(d, 150_000_00 / 3), &key()).await.ok(201);
    }
    // The granted one also holds next year's earmark; it is approved in this year's envelope.
    finance.post_once(&path(&next_year), &reservation(&granted, 20_000_00), &key()).await.ok(201);
    assert_eq!(assert_ledger_matches(&app, &envelope).await["reserved_cents"], 4 * 50_000_00);

    instructor.act(&rejected.id, "reject", Some(reason.clone())).await.ok(200);
    instructor.act(&dismissed.id, "dismiss", Some(reason.clone())).await.ok(200);
    app.applicant(&withdrawn.applicant).act(&withdrawn.id, "withdraw", None).await.ok(200);
    approve(&instructor, &granted, GRANT).await.ok(200);
    crate::conventions::sign_convention(&app, &granted).await;

    for d in [&rejected, &dismissed, &withdrawn] {
        assert_eq!(
            (reservations(&app, &d.id, "active"), reservations(&app, &d.id, "released")),
            (0, 1),
            "{}",
            d.id
        );
        let history = instructor.get(&d.path_to("history")).await.ok(200).clone();
        let text = history.to_string();
        let (fr, _) = essor::domain::lang::cents_text(50_000_00);
        assert!(text.contains(&format!("Réservation de {fr} levée")), "{text}");
    }
    assert_eq!(
        (reservations(&app, &granted.id, "consumed"), reservations(&app, &granted.id, "released")),
        (1, 1)
    );
    let this = assert_ledger_matches(&app, &envelope).await;
    assert_eq!((this["reserved_cents"].as_i64(), this["committed_cents"].as_i64()), (Some(0), Some(GRANT)));
    let next = assert_ledger_matches(&app, &next_year).await;
    assert_eq!(next["reserved_cents"], 0, "next year's earmark went back: {next}");
    let releases = app.count(&format!(
        "SELECT COUNT(*) AS n FROM envelope_movements WHERE kind = 'reservation_release' AND dossier_id IN \
         ('{}', '{}', '{}', '{}')",
        rejected.id, dismissed.id, withdrawn.id, granted.id
    ));
    assert_eq!(releases, 5, "one ledger movement per earmark given back");

    // No reservation for a dossier that can no longer be granted.
    let refused = finance.post_once(&path(&envelope), &reservation(&rejected, 1_000_00), &key()).await;
    assert_eq!(refused.problem(409)["code"], "not_grantable");
    let refused = finance.post_once(&path(&envelope), &reservation(&granted, 1_000_00), &key()).await;
    assert_eq!(refused.problem(409)["code"], "not_grantable");
    assert_eq!(assert_ledger_matches(&app, &envelope).await["reserved_cents"], 0);
    app.assert_money_invariants();
}

/// Item 8, the race: on PostgreSQL a reservation racing an approval left 3 000 € reserved on an
/// approved dossier (the status was read before, not checked in the statement). Rounds of a
/// reservation and an approval sent at once: never an earmark on a decided dossier.
async fn a_reservation_racing_a_decision_never_outlives_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 5_000_000_00).await;
    let (finance, instructor) = (app.finance(), app.instructor());
    let path = format!("/api/v1/envelopes/{envelope}/reservations");
    let rounds = 12;
    let mut reserved_first = 0;
    for _ in 0..rounds {
        let d = under_review(&app, &scheme).await;
        let (earmark, decision, approve_path) =
            (reservation(&d, 3_000_00), approval(GRANT), d.path_to("approve"));
        let (k1, k2) = (key(), key());
        let (reserved, approved) = futures_util::join!(
            finance.post_once(&path, &earmark, &k1),
            instructor.post_once(&approve_path, &decision, &k2),
        );
        assert_eq!(approved.status.as_u16(), 200, "the approval is done either way: {}", approved.text);
        match reserved.status.as_u16() {
            201 => reserved_first += 1,
            409 => assert_eq!(reserved.body["code"], "not_grantable", "{}", reserved.text),
            other => panic!("reservation answered {other}: {}", reserved.text),
        }
        assert_eq!(reservations(&app, &d.id, "active"), 0, "no earmark on an approved dossier");
    }
    let figures = assert_ledger_matches(&app, &envelope).await;
    assert_eq!(figures["reserved_cents"], 0);
    assert_eq!(figures["committed_cents"], rounds * GRANT);
    eprintln!("reservation first in {reserved_first} of {rounds} rounds");
    app.assert_money_invariants();
}

/// Item 7: `DELETE /envelopes/{id}/reservations/{rid}` on a purged dossier answered 204 and
/// wrote a history step with an actor. Now 409 `purged_read_only`, and nothing moves.
async fn a_purged_dossier_is_never_written_to(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 500_000_00).await;
    let (finance, instructor) = (app.finance(), app.instructor());
    let path = format!("/api/v1/envelopes/{envelope}/reservations");
    let d = under_review(&app, &scheme).await;
    let made = finance.post_once(&path, &reservation(&d, 30_000_00), &key()).await.ok(201).clone();
    instructor
        .act(&d.id, "reject", Some(json!({"comment": "Hors du périmètre du dispositif."})))
        .await
        .ok(200);
    let year = i32::try_from(this_year()).unwrap();
    let settings = test_settings(&app.db.url, &app.secret);
    purge(&settings, &PurgeOptions { before: year + 1, territory: None, dry_run: false })
        .expect("purge runs");
    // A reservation left active by the defect, as stored before the fix.
    app.try_execute(&format!(
        "UPDATE reservations SET status = 'active', closed_by = NULL, closed_at = NULL WHERE id = '{}'",
        made["id"].as_str().unwrap()
    ))
    .expect("reservations are not append-only");
    app.try_execute(&format!("UPDATE envelopes SET reserved_cents = 3000000 WHERE id = '{envelope}'"))
        .unwrap();
    let state = || {
        (
            app.count(&format!("SELECT COUNT(*) AS n FROM dossier_history WHERE dossier_id = '{}'", d.id)),
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM envelope_movements WHERE envelope_id = '{envelope}'"
            )),
            reservations(&app, &d.id, "active"),
        )
    };
    let before = state();
    let delete =
        finance.request(reqwest::Method::DELETE, &format!("{path}/{}", made["id"].as_str().unwrap()));
    let refused = app.send(delete).await;
    assert_eq!(refused.problem(409)["code"], "purged_read_only");
    assert_eq!(state(), before, "nothing written");
    let again = finance.post_once(&path, &reservation(&d, 1_000_00), &key()).await;
    assert_eq!(again.problem(409)["code"], "purged_read_only");
    assert_eq!(state(), before);
}

/// Item 9: a payment dated 2000-01-03 for a grant decided today was accepted, and year 2000's
/// totals showed money disbursed with nothing committed. Decision ≤ certification ≤ payment,
/// and an amendment or a cancellation is decided on or after the grant.
async fn money_dates_follow_the_acts(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let envelope = open_envelope(&app, &scheme, this_year(), 500_000_00).await;
    let (instructor, finance) = (app.instructor(), app.finance());
    let d = under_review(&app, &scheme).await;
    approve(&instructor, &d, GRANT).await.ok(200);
    crate::conventions::sign_convention(&app, &d).await;
    let field_error = |r: &Resp, field: &str| -> String {
        let problem = r.problem(422);
        let errors = problem["errors"].as_array().expect("errors");
        let error =
            errors.iter().find(|e| e["field"] == field).unwrap_or_else(|| panic!("{field} in {problem}"));
        error["code"].as_str().unwrap().to_string()
    };

    let request = |on: &str| json!({"kind": "advance", "amount_cents": 10_000_00, "certified_on": on});
    let early = instructor.post_once(&d.path_to("disbursements"), &request("2000-01-03"), &key()).await;
    assert_eq!(field_error(&early, "certified_on"), "before_decision");
    assert!(early.body["errors"][0]["message"].as_str().unwrap().contains("décision"), "{}", early.text);
    let yesterday = days_ago(1);
    let early = instructor.post_once(&d.path_to("disbursements"), &request(&yesterday), &key()).await;
    assert_eq!(field_error(&early, "certified_on"), "before_decision");
    let requested = instructor.post_once(&d.path_to("disbursements"), &request(&today()), &key()).await;
    let disbursement = requested.ok(201)["id"].as_str().unwrap().to_string();

    let pay = |on: &str| json!({"paid_on": on, "payment_reference": "MDT-2026-001"});
    let pay_path = format!("/api/v1/disbursements/{disbursement}/pay");
    let early = finance.post_once(&pay_path, &pay("2000-01-03"), &key()).await;
    assert_eq!(field_error(&early, "paid_on"), "before_certification");

    let amend = json!({"granted_cents": 50_000_00, "decided_on": yesterday, "decision_reference": "AV-1",
        "comment": "Avenant antidaté."});
    assert_eq!(
        field_error(&instructor.post_once(&d.path_to("amend"), &amend, &key()).await, "decided_on"),
        "before_decision"
    );
    let cancel = json!({"comment": "Annulation antidatée.", "decided_on": "2000-01-03"});
    assert_eq!(
        field_error(&instructor.post_once(&d.path_to("cancel"), &cancel, &key()).await, "decided_on"),
        "before_decision"
    );

    // Nothing of it was written: year 2000 has no money, the grant is as approved.
    let totals = finance.get("/api/v1/exports/annual-totals?year=2000").await;
    assert!(!totals.text.contains("\"disbursed_cents\":1000000"), "{}", totals.text);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM envelope_movements WHERE kind = 'payment'"), 0);
    let now = instructor.get(&d.path()).await.ok(200).clone();
    assert_eq!((now["status"].as_str(), now["granted_cents"].as_i64()), (Some("approved"), Some(GRANT)));

    // On the day of the acts, all is accepted.
    finance.post_once(&pay_path, &pay(&today()), &key()).await.ok(200);
    let amend_today = json!({"granted_cents": 50_000_00, "decided_on": today(), "decision_reference": "AV-2",
        "comment": "Avenant du jour."});
    instructor.post_once(&d.path_to("amend"), &amend_today, &key()).await.ok(200);
    assert_ledger_matches(&app, &envelope).await;
    app.assert_money_invariants();
}

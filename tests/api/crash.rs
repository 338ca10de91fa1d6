//! Crash proof under write load: the real `essor` binary is killed with SIGKILL and restarted,
//! several rounds, while clients submit dossiers, approve them, request and pay disbursements
//! (money requests with an `Idempotency-Key`), retrying every request that got no answer with
//! the same key. While the server is down after each kill, the stored state is checked: every
//! acknowledged (2xx) write is there, no retry made a duplicate, the money invariants hold,
//! every dossier's status is its last history entry's, every envelope equals its ledger, and
//! SQLite's `PRAGMA integrity_check` says ok.
//!
//! `scripts/crash-test` runs the same scenario longer (`ESSOR_CRASH_ROUNDS`,
//! `ESSOR_CRASH_DOSSIERS`).

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};
use essor::domain::lifecycle::DossierStatus::UnderReview;
use serde_json::{json, Value};

use crate::builders::{Dossier, DossierBuilder};
use crate::helpers::{both_backends, spawn_app, Backend, Client, TestApp, AUDIENCE, ISSUER};

both_backends!(acknowledged_writes_survive_sigkill_and_retries_duplicate_nothing);

const GRANT: i64 = 60_000_00;
const ADVANCE: i64 = 20_000_00;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// The `essor serve` process, on a fixed port so that clients find it again after a restart.
struct Server {
    child: Option<Child>,
    url: String,
    secret: String,
    port: u16,
}

impl Server {
    fn start(&mut self) -> Duration {
        let started = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_essor"))
            .arg("serve")
            .env("DATABASE_URL", &self.url)
            .env("ESSOR_BIND", format!("127.0.0.1:{}", self.port))
            .env("ESSOR_JWT_SECRET", &self.secret)
            .env("ESSOR_JWT_ISSUER", ISSUER)
            .env("ESSOR_JWT_AUDIENCE", AUDIENCE)
            .env_remove("ESSOR_JWT_PUBLIC_KEY_FILE")
            .env("ESSOR_DB_POOL_SIZE", "4")
            .env("ESSOR_WORKERS", "2")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("essor serve starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if ready(self.port) {
                return started.elapsed();
            }
            assert!(Instant::now() < deadline, "essor did not become ready within 30 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL, and the process reaped.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `GET /health/ready` answers 200, asked with std alone (blocking, short).
fn ready(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = "GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

/// What the clients were told was done (2xx), by kind.
#[derive(Default)]
struct Acknowledged {
    submitted: BTreeSet<String>,
    approved: BTreeSet<String>,
    requested: BTreeSet<String>,
    paid: BTreeSet<String>,
    /// Requests sent again after no answer (or a 503, or a retry still in flight).
    retries: usize,
}

/// Sends until a definitive answer (anything but no answer, a 503, or 409
/// `idempotency_key_in_flight`), the same request each time.
async fn until_answered(
    client: &Client<'_>,
    path: &str,
    body: &Value,
    key: Option<&str>,
    acked: &Mutex<Acknowledged>,
) -> (u16, Value) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut req = client.request(reqwest::Method::POST, path).json(body).timeout(Duration::from_secs(10));
        if let Some(key) = key {
            req = req.header("Idempotency-Key", key);
        }
        if let Ok(res) = req.send().await {
            let status = res.status().as_u16();
            if let Ok(text) = res.text().await {
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let in_flight = status == 409 && body["code"] == "idempotency_key_in_flight";
                if status != 503 && !in_flight {
                    assert!(status < 500, "POST {path} answered {status}: {text}");
                    return (status, body);
                }
            }
        }
        assert!(Instant::now() < deadline, "POST {path} got no answer for 60 s");
        acked.lock().unwrap().retries += 1;
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// One applicant's work: submit its draft. One instructor's and finance's: approve a dossier
/// under review, request an advance, pay it.
async fn submit(client: Client<'_>, id: String, acked: Arc<Mutex<Acknowledged>>) {
    let path = format!("/api/v1/dossiers/{id}/submit");
    let (status, body) = until_answered(&client, &path, &json!({}), None, &acked).await;
    match status {
        200 => {}
        // Submitted by a request whose answer was lost: the retry finds it done.
        409 if body["current_status"] == "submitted" => {}
        other => panic!("submit {id}: {other} {body}"),
    }
    acked.lock().unwrap().submitted.insert(id);
}

async fn decide_and_pay(
    instructor: Client<'_>,
    finance: Client<'_>,
    id: String,
    acked: Arc<Mutex<Acknowledged>>,
) {
    let approval = json!({"granted_cents": GRANT, "decided_on": today(), "decision_reference": "DEL-CRASH"});
    let path = format!("/api/v1/dossiers/{id}/approve");
    let (status, body) =
        until_answered(&instructor, &path, &approval, Some(&format!("approve-{id}")), &acked).await;
    assert_eq!(status, 200, "approve {id}: {body}");
    acked.lock().unwrap().approved.insert(id.clone());
    // Its convention signed by both parties (a retry of a signature that was recorded: 409).
    let signed_on = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).date_naive().to_string();
    for party in ["beneficiary", "territory"] {
        let path = format!("/api/v1/dossiers/{id}/convention/sign");
        let sign = json!({"party": party, "signed_on": signed_on});
        let (status, body) = until_answered(&instructor, &path, &sign, None, &acked).await;
        assert!(
            status == 200 || (status == 409 && body["code"] == "already_signed"),
            "sign {id}: {status} {body}"
        );
    }

    let request = json!({"kind": "advance", "amount_cents": ADVANCE, "certified_on": today()});
    let path = format!("/api/v1/dossiers/{id}/disbursements");
    let (status, body) =
        until_answered(&instructor, &path, &request, Some(&format!("request-{id}")), &acked).await;
    assert_eq!(status, 201, "request {id}: {body}");
    let disbursement = body["id"].as_str().expect("disbursement id").to_string();
    acked.lock().unwrap().requested.insert(disbursement.clone());

    let pay = json!({"paid_on": today(), "payment_reference": format!("MDT-{}", &id[..8])});
    let path = format!("/api/v1/disbursements/{disbursement}/pay");
    let (status, body) = until_answered(&finance, &path, &pay, Some(&format!("pay-{id}")), &acked).await;
    assert_eq!(status, 200, "pay {disbursement}: {body}");
    acked.lock().unwrap().paid.insert(disbursement);
}

fn scalar(conn: &mut essor::db::DbConnection, sql: &str) -> i64 {
    use diesel::sql_types::BigInt;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let rows: Vec<N> = diesel::sql_query(sql).load(conn).unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows[0].n
}

fn quoted(ids: &BTreeSet<String>) -> String {
    if ids.is_empty() {
        return "''".into();
    }
    ids.iter().map(|id| format!("'{id}'")).collect::<Vec<_>>().join(", ")
}

/// The stored state, checked with the server down; returns the counts it saw.
fn check_stored_state(
    url: &str,
    backend: Backend,
    acked: &Acknowledged,
    drafts: &BTreeSet<String>,
) -> String {
    let mut conn = essor::db::DbConnection::establish(url).expect("the database opens");
    let mut count = |sql: &str| scalar(&mut conn, sql);
    let present = [
        (
            "submitted",
            &acked.submitted,
            "SELECT COUNT(*) AS n FROM dossiers WHERE status <> 'draft' AND id IN",
        ),
        (
            "approved",
            &acked.approved,
            "SELECT COUNT(*) AS n FROM dossiers WHERE granted_cents = 6000000 AND id IN",
        ),
        ("requested", &acked.requested, "SELECT COUNT(*) AS n FROM disbursements WHERE id IN"),
        ("paid", &acked.paid, "SELECT COUNT(*) AS n FROM disbursements WHERE status = 'paid' AND id IN"),
    ];
    for (what, ids, sql) in present {
        let found = count(&format!("{sql} ({})", quoted(ids)));
        assert_eq!(found, ids.len() as i64, "acknowledged {what} writes missing");
    }
    let violations = [
        (
            "an approval committed twice",
            "SELECT COUNT(*) AS n FROM (SELECT dossier_id FROM envelope_movements WHERE kind = 'commitment' \
             GROUP BY dossier_id HAVING COUNT(*) > 1) AS x",
        ),
        (
            "an approval recorded twice in a history",
            "SELECT COUNT(*) AS n FROM (SELECT dossier_id FROM dossier_history \
             WHERE from_status = 'under_review' AND to_status = 'approved' \
             GROUP BY dossier_id HAVING COUNT(*) > 1) AS x",
        ),
        (
            "a disbursement requested twice",
            "SELECT COUNT(*) AS n FROM (SELECT dossier_id FROM disbursements GROUP BY dossier_id \
             HAVING COUNT(*) > 1) AS x",
        ),
        (
            "a payment paid twice",
            "SELECT COUNT(*) AS n FROM (SELECT dossier_id FROM envelope_movements WHERE kind = 'payment' \
             GROUP BY dossier_id HAVING COUNT(*) > 1) AS x",
        ),
        (
            "committed above the envelope",
            "SELECT COUNT(*) AS n FROM envelopes WHERE reserved_cents + committed_cents > amount_cents \
             OR disbursed_cents > committed_cents",
        ),
        (
            "paid above granted",
            "SELECT COUNT(*) AS n FROM dossiers \
             WHERE paid_cents + pending_disbursement_cents > COALESCE(granted_cents, 0)",
        ),
        (
            "a dossier's paid figure not its payments'",
            "SELECT COUNT(*) AS n FROM dossiers d WHERE d.paid_cents <> (SELECT COALESCE(SUM(amount_cents), 0) \
             FROM disbursements p WHERE p.dossier_id = d.id AND p.status = 'paid')",
        ),
        (
            "a status not the last history entry's",
            "SELECT COUNT(*) AS n FROM dossiers d WHERE d.status <> (SELECT h.to_status FROM dossier_history h \
             WHERE h.dossier_id = d.id ORDER BY h.seq DESC LIMIT 1)",
        ),
        (
            "an envelope that is not its ledger",
            "SELECT COUNT(*) AS n FROM envelopes e WHERE \
             e.committed_cents <> (SELECT COALESCE(SUM(amount_cents), 0) FROM envelope_movements m \
               WHERE m.envelope_id = e.id AND m.kind IN ('commitment', 'amendment', 'release')) \
             OR e.reserved_cents <> (SELECT COALESCE(SUM(amount_cents), 0) FROM envelope_movements m \
               WHERE m.envelope_id = e.id AND m.kind IN ('reservation', 'reservation_release')) \
             OR e.disbursed_cents <> (SELECT COALESCE(SUM(amount_cents), 0) FROM envelope_movements m \
               WHERE m.envelope_id = e.id AND m.kind = 'payment')",
        ),
    ];
    for (what, sql) in violations {
        assert_eq!(count(sql), 0, "{what}");
    }
    let submitted_twice = count(&format!(
        "SELECT COUNT(*) AS n FROM (SELECT dossier_id FROM dossier_history WHERE from_status = 'draft' \
         AND to_status = 'submitted' AND dossier_id IN ({}) GROUP BY dossier_id HAVING COUNT(*) > 1) AS x",
        quoted(drafts)
    ));
    assert_eq!(submitted_twice, 0, "a draft submitted twice");
    if backend == Backend::Sqlite {
        #[derive(diesel::QueryableByName)]
        struct Integrity {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let rows: Vec<Integrity> =
            diesel::sql_query("PRAGMA integrity_check").load(&mut conn).expect("integrity_check");
        assert_eq!(rows.iter().map(|r| r.integrity_check.as_str()).collect::<Vec<_>>(), ["ok"]);
    }
    let mut count = |sql: &str| scalar(&mut conn, sql);
    format!(
        "stored: {} submissions in the histories, {} approved, {} disbursements ({} paid), {} ledger rows, {} idempotency keys",
        count("SELECT COUNT(*) AS n FROM dossier_history WHERE to_status = 'submitted'"),
        count("SELECT COUNT(*) AS n FROM dossiers WHERE granted_cents IS NOT NULL"),
        count("SELECT COUNT(*) AS n FROM disbursements"),
        count("SELECT COUNT(*) AS n FROM disbursements WHERE status = 'paid'"),
        count("SELECT COUNT(*) AS n FROM envelope_movements"),
        count("SELECT COUNT(*) AS n FROM idempotency_keys"),
    )
}

async fn acknowledged_writes_survive_sigkill_and_retries_duplicate_nothing(backend: Backend) {
    let rounds = setting("ESSOR_CRASH_ROUNDS", 3);
    let dossiers = setting("ESSOR_CRASH_DOSSIERS", 6);
    let app: TestApp = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let envelope = json!({"scheme_id": scheme, "year": year, "amount_cents": GRANT * dossiers as i64});
    app.finance().post("/api/v1/envelopes", &envelope).await.ok(201);
    let mut under_review: Vec<Dossier> = Vec::new();
    let mut drafts: Vec<Dossier> = Vec::new();
    for _ in 0..dossiers {
        under_review.push(DossierBuilder::new(&app).scheme(&scheme).in_status(UnderReview).await);
        drafts.push(DossierBuilder::new(&app).scheme(&scheme).draft().await);
    }

    let draft_ids: BTreeSet<String> = drafts.iter().map(|d| d.id.clone()).collect();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let address = format!("http://127.0.0.1:{port}");
    let mut server = Server { child: None, url: app.db.url.clone(), secret: app.secret.clone(), port };
    server.start();

    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let (instructor, finance) = (app.instructor(), app.finance());
    let mut work = Vec::new();
    for (d, draft) in under_review.iter().zip(&drafts) {
        work.push(futures_util::FutureExt::boxed_local(decide_and_pay(
            instructor.at(&address),
            finance.at(&address),
            d.id.clone(),
            acked.clone(),
        )));
        work.push(futures_util::FutureExt::boxed_local(submit(
            app.applicant(&draft.applicant).at(&address),
            draft.id.clone(),
            acked.clone(),
        )));
    }
    let clients = futures_util::future::join_all(work);
    let killer = async {
        let mut restarts = Vec::new();
        for round in 0..rounds {
            tokio::time::sleep(Duration::from_millis(120 + 70 * (round as u64 % 3))).await;
            server.kill();
            let seen = {
                let acked = acked.lock().unwrap();
                let counts = format!(
                    "acknowledged: {} submitted, {} approved, {} requested, {} paid; {} retries",
                    acked.submitted.len(),
                    acked.approved.len(),
                    acked.requested.len(),
                    acked.paid.len(),
                    acked.retries
                );
                format!("{counts}; {}", check_stored_state(&server.url, backend, &acked, &draft_ids))
            };
            println!("{backend:?} round {}: killed; {seen}", round + 1);
            // Whatever a SIGKILL interrupted, no money is half moved (`essor check`).
            app.assert_money_invariants();
            restarts.push(server.start());
        }
        restarts
    };
    let (_, restarts) = futures_util::join!(clients, killer);
    server.kill();
    let acked = acked.lock().unwrap();
    let last = check_stored_state(&server.url, backend, &acked, &draft_ids);
    println!(
        "{backend:?} after {rounds} SIGKILLs (restarts took {restarts:?}): acknowledged {} submitted, {} approved, \
         {} requested, {} paid; {} retries; {last}",
        acked.submitted.len(),
        acked.approved.len(),
        acked.requested.len(),
        acked.paid.len(),
        acked.retries
    );
    assert_eq!(acked.submitted.len(), dossiers);
    assert_eq!(acked.paid.len(), dossiers);
    let report = app.assert_money_invariants();
    assert_eq!((report.envelopes, report.dossiers), (1, 2 * dossiers), "{report}");
}

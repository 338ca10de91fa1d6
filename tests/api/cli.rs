//! The `essor` binary as an operator uses it, and start-up behaviour.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, siret_from, spawn_app, spawn_app_with, Backend, TestApp, TERRITORY};
use essor::auth::Role;
use essor::cli::check::Invariant;
use essor::domain::lifecycle::DossierStatus::UnderReview;
use serde_json::json;

fn essor() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_essor"));
    for var in [
        "ESSOR_BIND",
        "DATABASE_URL",
        "ESSOR_JWT_SECRET",
        "ESSOR_JWT_PUBLIC_KEY_FILE",
        "ESSOR_JWT_ISSUER",
        "ESSOR_JWT_AUDIENCE",
        "ESSOR_JWT_JWKS_URL",
        "ESSOR_CORS_ORIGINS",
        "ESSOR_METRICS_BIND",
        "ESSOR_METRICS_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn help_lists_the_commands() {
    let out = essor().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for command in ["serve", "migrate", "openapi", "territory", "token", "health", "purge", "check"] {
        assert!(text.contains(command), "{command} missing from --help:\n{text}");
    }
}

#[test]
fn openapi_command_prints_the_committed_document() {
    let out = essor().arg("openapi").output().unwrap();
    assert!(out.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
}

/// `essor purge` as an operator runs it: a dry run reports, nonsense is refused before anything
/// is touched. (What a purge erases and keeps: tests/api/purge.rs.)
#[test]
fn purge_reports_and_refuses_nonsense() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let added =
        essor().env("DATABASE_URL", &db).args(["territory", "add", "rouen", "Rouen"]).output().unwrap();
    assert!(added.status.success());
    let dry =
        essor().env("DATABASE_URL", &db).args(["purge", "--before", "2020", "--dry-run"]).output().unwrap();
    let out = String::from_utf8(dry.stdout).unwrap();
    assert!(dry.status.success(), "{out}{}", String::from_utf8_lossy(&dry.stderr));
    assert!(
        out.contains("before 2020-01-01 00:00 UTC, territories: rouen (dry run: nothing changed)"),
        "{out}"
    );
    assert!(out.contains("dossiers would be purged: 0\n"), "{out}");
    for (args, says) in [
        (&["purge", "--before", "1999"][..], "--before must be a year from 2000"),
        (&["purge", "--before", "2020", "--territory", "nowhere"][..], "no territory nowhere"),
        (&["purge", "--dry-run"][..], "--before <YEAR>"),
    ] {
        let refused = essor().env("DATABASE_URL", &db).args(args).output().unwrap();
        let err = String::from_utf8(refused.stderr).unwrap();
        assert!(!refused.status.success() && err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn unknown_database_scheme_stops_start_up_with_a_clear_message() {
    let out = essor().env("DATABASE_URL", "mysql://localhost/essor").arg("serve").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("DATABASE_URL") && err.contains("postgres://"), "{err}");
}

#[test]
fn development_secret_is_refused_off_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let out = essor()
        .env("ESSOR_BIND", "0.0.0.0:0")
        .env("DATABASE_URL", dir.path().join("e.db"))
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("ESSOR_JWT_SECRET"), "{err}");
    let short = essor()
        .env("ESSOR_JWT_SECRET", "short")
        .env("DATABASE_URL", dir.path().join("e.db"))
        .arg("serve")
        .output()
        .unwrap();
    assert!(!short.status.success());
}

/// The README's flow: add a territory, mint a token, serve, call, and stop with SIGTERM.
#[test]
fn serve_token_and_graceful_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("essor.db");
    let port = free_port();
    let with_env = |cmd: &mut Command| {
        cmd.env("DATABASE_URL", &db).env("ESSOR_BIND", format!("127.0.0.1:{port}")).env("ESSOR_WORKERS", "1");
    };
    let mut add = essor();
    with_env(&mut add);
    assert!(add.args(["territory", "add", "rouen", "Métropole Rouen Normandie"]).status().unwrap().success());
    let mut again = essor();
    with_env(&mut again);
    let dup = again.args(["territory", "add", "rouen", "Again"]).output().unwrap();
    assert!(!dup.status.success() && String::from_utf8_lossy(&dup.stderr).contains("already exists"));
    let mut token = essor();
    with_env(&mut token);
    let out =
        token.args(["token", "--role", "admin", "--territory", "rouen", "--ttl", "10m"]).output().unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();

    let mut serve = essor();
    with_env(&mut serve);
    let mut child = serve.arg("serve").stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while http_get(&format!("{base}/health/ready"), None).map(|(s, _)| s) != Some(200) {
        assert!(Instant::now() < deadline, "the server did not become ready");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = http_get(&format!("{base}/api/v1/territory"), Some(&token)).unwrap();
    assert_eq!(status, 200, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["code"], "rouen", "{body}");
    let (status, _) = http_get(&format!("{base}/api/v1/territory"), None).unwrap();
    assert_eq!(status, 401);
    // The container's health check: the binary asks its own address.
    let mut health = essor();
    with_env(&mut health);
    let out = health.arg("health").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("/health/ready: 200"));
    // SIGTERM: actix drains and exits with status 0.
    let pid = child.id().to_string();
    // The shell's own `kill`: a minimal Debian may have no procps.
    assert!(Command::new("sh").args(["-c", &format!("kill -TERM {pid}")]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(35);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "no exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    let mut health = essor();
    with_env(&mut health);
    assert!(!health.arg("health").output().unwrap().status.success(), "a stopped server is not healthy");
    let mut log = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut log).unwrap();
    assert!(log.contains("DEVELOPMENT secret"), "the development secret is announced loudly:\n{log}");
    assert!(log.contains("request_id"), "request logs carry a request id:\n{log}");
}

/// A plain HTTP/1.0 GET over TCP (the blocking test has no async client): (status, body).
fn http_get(url: &str, token: Option<&str>) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest.split_once('/')?;
    let mut stream = std::net::TcpStream::connect(host).ok()?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(stream, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n{auth}\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

both_backends!(external_identity_provider_keys_are_accepted);

async fn external_identity_provider_keys_are_accepted(backend: Backend) {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    for (alg, private, public) in [
        (jsonwebtoken::Algorithm::EdDSA, "idp-test-ed25519.key.pem", "idp-test-ed25519.pub.pem"),
        (jsonwebtoken::Algorithm::RS256, "idp-test-rsa.key.pem", "idp-test-rsa.pub.pem"),
    ] {
        let app = spawn_app_with(backend, |s| {
            s.jwt.public_key_file = Some(format!("{fixtures}/{public}").into());
        })
        .await;
        let pem = std::fs::read(format!("{fixtures}/{private}")).unwrap();
        let key = match alg {
            jsonwebtoken::Algorithm::EdDSA => jsonwebtoken::EncodingKey::from_ed_pem(&pem).unwrap(),
            _ => jsonwebtoken::EncodingKey::from_rsa_pem(&pem).unwrap(),
        };
        let claims = app.keys.claims("idp-user", Role::Instructor, TERRITORY, None, Duration::from_secs(300));
        let token = jsonwebtoken::encode(&jsonwebtoken::Header::new(alg), &claims, &key).unwrap();
        let res = app.bearer(token).get("/api/v1/territory").await;
        assert_eq!(res.ok(200)["code"], TERRITORY, "{alg:?}");
        // The configured HS256 secret still works alongside.
        app.instructor().get("/api/v1/territory").await.ok(200);
        // Same key, wrong audience: refused.
        let mut wrong = claims.clone();
        wrong.aud = "elsewhere".into();
        let token = jsonwebtoken::encode(&jsonwebtoken::Header::new(alg), &wrong, &key).unwrap();
        app.bearer(token).get("/api/v1/territory").await.problem(401);
    }
}

both_backends!(essor_check_names_each_broken_money_invariant);

/// `essor check` as the binary runs it on the app's database: (exit code, stdout, stderr).
fn run_check(app: &TestApp) -> (i32, String, String) {
    let out = essor().env("DATABASE_URL", &app.db.url).arg("check").output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

/// Issue 20, item 11: `essor check` verifies every money invariant on the configured database.
/// Money moved every way the API allows (a reservation used by its approval, one still earmarking,
/// payments, a balance that closes, an amendment, a cancellation, an imported grant) passes; each
/// invariant broken behind the API's back is one line naming its ids and figures, and exit 1.
async fn essor_check_names_each_broken_money_invariant(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let (instructor, finance) = (app.instructor(), app.finance());
    let today = chrono::Utc::now().date_naive().to_string();
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let envelope = finance
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": year, "amount_cents": 500_000_00}))
        .await
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let key = || uuid::Uuid::new_v4().to_string();
    let reservations = format!("/api/v1/envelopes/{envelope}/reservations");
    let reserve =
        |id: &str| json!({"dossier_id": id, "amount_cents": 40_000_00, "comment": "Projet identifié au BP"});
    let approval =
        |cents: i64| json!({"granted_cents": cents, "decided_on": today, "decision_reference": "DEL-1"});
    let pay = json!({"paid_on": today, "payment_reference": "MDT-1"});
    let disburse =
        |kind: &str, cents: i64| json!({"kind": kind, "amount_cents": cents, "certified_on": today});

    // Paid: reserved, approved (the reservation used), an advance and the balance paid: closed.
    let paid = DossierBuilder::new(&app).scheme(&scheme).in_status(UnderReview).await;
    finance.post_once(&reservations, &reserve(&paid.id), &key()).await.ok(201);
    instructor.post_once(&paid.path_to("approve"), &approval(60_000_00), &key()).await.ok(200);
    crate::conventions::sign_convention(&app, &paid).await;
    for (kind, cents) in [("advance", 20_000_00), ("balance", 30_000_00)] {
        let request =
            instructor.post_once(&paid.path_to("disbursements"), &disburse(kind, cents), &key()).await;
        let pay_path = format!("/api/v1/disbursements/{}/pay", request.ok(201)["id"].as_str().unwrap());
        finance.post_once(&pay_path, &pay, &key()).await.ok(200);
    }
    // Earmarked: still under review, its reservation active.
    let earmarked = DossierBuilder::new(&app).scheme(&scheme).in_status(UnderReview).await;
    finance.post_once(&reservations, &reserve(&earmarked.id), &key()).await.ok(201);
    // Cancelled after an amendment, with a payment request pending then refused.
    let cancelled = DossierBuilder::new(&app).scheme(&scheme).in_status(UnderReview).await;
    instructor.post_once(&cancelled.path_to("approve"), &approval(60_000_00), &key()).await.ok(200);
    crate::conventions::sign_convention(&app, &cancelled).await;
    let amend = json!({"granted_cents": 50_000_00, "decided_on": today, "decision_reference": "AV-1", "comment": "Avenant"});
    instructor.post_once(&cancelled.path_to("amend"), &amend, &key()).await.ok(200);
    crate::conventions::sign_convention(&app, &cancelled).await;
    let request = instructor
        .post_once(&cancelled.path_to("disbursements"), &disburse("advance", 5_000_00), &key())
        .await;
    let refuse_path = format!("/api/v1/disbursements/{}/refuse", request.ok(201)["id"].as_str().unwrap());
    finance.post_once(&refuse_path, &json!({"comment": "Facture illisible"}), &key()).await.ok(200);
    let cancel = json!({"comment": "Projet abandonné", "decided_on": today});
    instructor.post_once(&cancelled.path_to("cancel"), &cancel, &key()).await.ok(200);
    // Imported: a grant decided before Essor, paid outside it.
    let csv = crate::imports::file(&[crate::imports::row(
        &siret_from(4_123_456_780_001),
        "2021-03-15",
        "DEL-2021-12",
        "47800.20",
        "DI-ESS",
    )]);
    crate::imports::import(&finance, &app, &csv, false).await.ok(200);

    let report = app.assert_money_invariants();
    assert_eq!((report.envelopes, report.dossiers, report.reservations), (1, 4, 2), "{report}");
    let (code, out, err) = run_check(&app);
    assert_eq!(code, 0, "{out}{err}");
    let summary = format!(
        "essor check: 0 violations (1 envelope, {} ledger rows, 2 reservations, 4 dossiers checked)\n",
        report.ledger_rows
    );
    assert_eq!(out, summary);
    if std::env::var("TEST_LOG").is_ok() {
        eprintln!("$ essor check\n{out}");
    }

    // Broken behind the API's back: an envelope's figure moved without its ledger, a dossier
    // moved without its history (its reservation now earmarks for a rejected dossier), and a
    // ledger row with no payment (the ledger is append-only: inserting is what it allows).
    for sql in [
        format!("UPDATE envelopes SET reserved_cents = reserved_cents + 100 WHERE id = '{envelope}'"),
        format!("UPDATE dossiers SET status = 'rejected' WHERE id = '{}'", earmarked.id),
        format!(
            "INSERT INTO envelope_movements (id, envelope_id, kind, dossier_id, amount_cents, at, actor) \
             VALUES ('{}', '{envelope}', 'payment', '{}', 1, '{today} 00:00:00', 'someone')",
            uuid::Uuid::new_v4(),
            paid.id
        ),
    ] {
        app.try_execute(&sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let settings = crate::helpers::test_settings(&app.db.url, &app.secret);
    let report = essor::cli::check::check(&settings).expect("essor check runs");
    let found: Vec<(Invariant, Option<&str>, Option<&str>)> =
        report.violations.iter().map(|v| (v.invariant, v.id("envelope"), v.id("dossier"))).collect();
    let (env, paid_id, earmarked_id) =
        (Some(envelope.as_str()), Some(paid.id.as_str()), Some(earmarked.id.as_str()));
    assert_eq!(
        found,
        [
            (Invariant::EnvelopeLedger, env, None),
            (Invariant::EnvelopeLedger, env, None),
            (Invariant::EnvelopeReservations, env, None),
            (Invariant::DossierPayments, None, paid_id),
            (Invariant::ReservationGrantable, env, earmarked_id),
            (Invariant::DossierHistory, None, earmarked_id),
        ],
        "{report}"
    );
    let (code, out, err) = run_check(&app);
    assert_eq!(code, 1, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    assert_eq!(lines, report.to_string().lines().collect::<Vec<_>>());
    assert!(
        lines[0].starts_with(&format!(
            "violation envelope_ledger envelope={envelope}: reserved_cents=4000100 ledger_reserved_cents=4000000 ("
        )),
        "{out}"
    );
    assert!(lines[4].starts_with("violation reservation_grantable reservation="), "{out}");
    assert!(
        lines[4]
            .contains(&format!("dossier={}: amount_cents=4000000 dossier_status=rejected (", earmarked.id)),
        "{out}"
    );
    assert!(lines[5].contains("status=rejected last_entry_to=under_review"), "{out}");
    assert!(lines[6].starts_with("essor check: 6 violations (1 envelope,"), "{out}");
    assert!(err.contains("6 invariant violation(s) found"), "{err}");
    if std::env::var("TEST_LOG").is_ok() {
        eprintln!("$ essor check\n{out}$ echo $?\n{code}");
    }
}

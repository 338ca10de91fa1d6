//! Logs carry no personal data and no secret (issue 14): the real `essor` binary serves a whole
//! flow at `RUST_LOG=debug`, in both log formats, every request with a user agent and a
//! forwarded address that name a person; then its log is searched for every name, free text,
//! file name, subject, token, address and agent the flow sent. The log must still say what
//! happened: one access line per request, with the route's template and its status.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use essor::auth::Role;
use serde_json::{json, Value};

use crate::documents::{multipart, pdf};
use crate::helpers::{
    both_backends, siret_from, spawn_app, Backend, Client, Resp, TestApp, AUDIENCE, ISSUER, TERRITORY,
};

both_backends!(a_whole_flow_logs_no_personal_data_and_no_token);

const USER_AGENT: &str = "Mozilla/5.0 (poste-de-Jeanne-Martin)";
const FORWARDED_FOR: &str = "203.0.113.77";

/// `essor serve` with its stderr in a file, killed on drop.
struct Logged {
    child: Child,
    address: String,
    log: tempfile::NamedTempFile,
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(app: &TestApp, format: &str) -> Logged {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = tempfile::NamedTempFile::new().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_essor"))
        .arg("serve")
        .env("DATABASE_URL", &app.db.url)
        .env("ESSOR_BIND", format!("127.0.0.1:{port}"))
        .env("ESSOR_JWT_SECRET", &app.secret)
        .env("ESSOR_JWT_ISSUER", ISSUER)
        .env("ESSOR_JWT_AUDIENCE", AUDIENCE)
        .env_remove("ESSOR_JWT_PUBLIC_KEY_FILE")
        .env_remove("ESSOR_JWT_JWKS_URL")
        .env("RUST_LOG", "debug")
        .env("ESSOR_LOG_FORMAT", format)
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn()
        .expect("essor serve starts");
    let address = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "essor did not listen within 30 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    Logged { child, address, log }
}

/// A request as a person's browser sends it: with its user agent and, behind a proxy, its
/// address.
async fn send(app: &TestApp, req: reqwest::RequestBuilder) -> Resp {
    app.send(req.header("User-Agent", USER_AGENT).header("X-Forwarded-For", FORWARDED_FOR)).await
}

async fn post(app: &TestApp, who: &Client<'_>, path: &str, body: Value) -> Resp {
    let req =
        who.request(reqwest::Method::POST, path).header("Idempotency-Key", uuid::Uuid::new_v4().to_string());
    send(app, req.json(&body)).await
}

async fn get(app: &TestApp, who: &Client<'_>, path: &str) -> Resp {
    send(app, who.request(reqwest::Method::GET, path)).await
}

/// A token for a person named by their e-mail address, as identity providers' subjects often are.
fn token(app: &TestApp, sub: &str, role: Role, organisation: Option<&str>) -> String {
    app.mint(&app.keys.claims(sub, role, TERRITORY, organisation, Duration::from_secs(600)))
}

/// The flow, from the organisation's registration to the payment; returns how many requests
/// it made.
async fn whole_flow(app: &TestApp, server: &Logged, code: &str, siret: &str, tokens: &[String; 4]) -> usize {
    let [applicant, instructor, finance, admin] = tokens.clone().map(|t| app.bearer(t).at(&server.address));
    let mut requests = 1;
    let mut ok = |res: Resp, status: u16| -> Value {
        requests += 1;
        res.ok(status).clone()
    };

    let scheme = json!({"code": code, "name": "Dynamique Immobilier ESS",
        "from_template": {"template": "DI-ESS", "effective_from": "2020-01-01", "commune_codes": ["76540"]}});
    let scheme_id =
        ok(post(app, &admin, "/api/v1/schemes", scheme).await, 201)["id"].as_str().unwrap().to_string();
    let organisation = json!({"siret": siret, "name": "Atelier de Jeanne Martin", "legal_form": "9220",
        "address": {"line": "12 rue des Lilas", "postal_code": "76000", "city": "Rouen", "commune_code": "76540"},
        "market_activity": "Couture solidaire", "salaried_staff_fte": 2,
        "accounts": {"year": 2025, "operating_revenue_cents": 30_000_000, "sales_revenue_cents": 21_000_000,
                     "operating_costs_cents": 32_000_000},
        "de_minimis_aids": []});
    ok(post(app, &applicant, "/api/v1/organisations", organisation.clone()).await, 201);
    let dossier = json!({"scheme_id": scheme_id, "title": "Atelier de couture", "project_kind": "works",
        "eligible_expenses_cents": 20_000_000, "premises_address": "12 rue des Lilas",
        "premises_commune_code": "76540", "requested_cents": 6_000_000, "planned_start_on": "2027-03-01",
        "jobs_created_fte": 1, "jobs_kept_fte": 2, "description": "Contact : Jeanne Martin, 06 12 34 56 78"});
    let id =
        ok(post(app, &applicant, "/api/v1/dossiers", dossier).await, 201)["id"].as_str().unwrap().to_string();
    let path = |sub: &str| format!("/api/v1/dossiers/{id}/{sub}");
    for (i, code) in ["statuts", "comptes", "devis", "rib", "attestation_de_minimis"].iter().enumerate() {
        let (content_type, body) = multipart(
            code,
            &format!("{code}-jeanne-martin.pdf"),
            Some("application/pdf"),
            &pdf(300, i as u8),
        );
        let req =
            applicant.request(reqwest::Method::POST, &path("documents")).header("Content-Type", content_type);
        ok(send(app, req.body(body)).await, 201);
    }
    ok(post(app, &applicant, &path("submit"), json!({"comment": "Envoyé par Jeanne Martin"})).await, 200);
    ok(post(app, &instructor, &path("review"), json!({})).await, 200);
    let changes =
        json!({"comment": "Mme Martin, merci de joindre le bail", "internal_note": "Appeler Mme Martin"});
    ok(post(app, &instructor, &path("request-changes"), changes).await, 200);
    ok(post(app, &applicant, &path("submit"), json!({})).await, 200);
    let reviewed = ok(post(app, &instructor, &path("review"), json!({})).await, 200);
    // An answer that quotes what was sent (an unknown criterion of the grid, named after a
    // person): the client reads it, the log does not.
    let scores = json!({"scores": [{"criterion": "mme_martin", "score": 1}], "recommendation": "reserved"});
    let tag = format!("\"v{}\"", reviewed["version"]);
    let req = instructor.request(reqwest::Method::PUT, &path("assessment")).header("If-Match", tag);
    let refused = send(app, req.json(&scores)).await;
    assert!(refused.problem(422).to_string().contains("mme_martin"), "{}", refused.text);
    ok(post(app, &instructor, &path("eligibility"), json!({})).await, 201);
    let envelope = json!({"scheme_id": scheme_id, "year": chrono::Datelike::year(&chrono::Utc::now()),
        "amount_cents": 50_000_000});
    ok(post(app, &finance, "/api/v1/envelopes", envelope).await, 201);
    let today = chrono::Utc::now().date_naive().to_string();
    let approval = json!({"granted_cents": 6_000_000, "decided_on": today, "decision_reference": "DEL-114"});
    ok(post(app, &instructor, &path("approve"), approval).await, 200);
    let signed_on = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).date_naive().to_string();
    for party in ["beneficiary", "territory"] {
        let sign = json!({"party": party, "signed_on": signed_on});
        ok(post(app, &instructor, &path("convention/sign"), sign).await, 200);
    }
    let request = json!({"kind": "balance", "amount_cents": 6_000_000, "certified_on": today,
        "comment": "Travaux vus par Jeanne Martin"});
    let disbursement = ok(post(app, &instructor, &path("disbursements"), request).await, 201);
    let pay = json!({"paid_on": today, "payment_reference": "MDT-1"});
    let pay_path = format!("/api/v1/disbursements/{}/pay", disbursement["id"].as_str().unwrap());
    ok(post(app, &finance, &pay_path, pay).await, 200);
    ok(get(app, &instructor, &path("history")).await, 200);

    // Refusals quote what was sent, to its sender only: a bad value, a malformed body, a token
    // that is not one.
    let mut bad = organisation;
    bad["siret"] = json!("Jeanne Martin");
    requests += 1;
    assert_eq!(post(app, &applicant, "/api/v1/organisations", bad).await.status.as_u16(), 422);
    let req = applicant
        .request(reqwest::Method::POST, "/api/v1/dossiers")
        .header("Content-Type", "application/json");
    requests += 1;
    assert_eq!(send(app, req.body("{\"title\": \"Jeanne Martin\",")).await.status.as_u16(), 400);
    requests += 1;
    assert_eq!(
        get(app, &instructor, "/api/v1/dossiers?per_page=5&q=Jeanne+Martin").await.status.as_u16(),
        400
    );
    let forged = format!("{}x", tokens[0]);
    requests += 1;
    assert_eq!(
        get(app, &app.bearer(forged).at(&server.address), "/api/v1/dossiers").await.status.as_u16(),
        401
    );
    requests
}

async fn a_whole_flow_logs_no_personal_data_and_no_token(backend: Backend) {
    let app = spawn_app(backend).await;
    for (round, format) in ["text", "json"].iter().enumerate() {
        let server = serve(&app, format);
        let siret = siret_from(7_328_293_200_007 + round as u64 * 1_000_000);
        let subs = [
            "jeanne.martin@exemple.fr",
            "paul.durand@rouen.fr",
            "claire.petit@rouen.fr",
            "luc.bernard@rouen.fr",
        ];
        let tokens = [
            token(&app, subs[0], Role::Applicant, Some(&siret)),
            token(&app, subs[1], Role::Instructor, None),
            token(&app, subs[2], Role::Finance, None),
            token(&app, subs[3], Role::Admin, None),
        ];
        let mut server = server;
        let requests = whole_flow(&app, &server, &format!("DI-{round}"), &siret, &tokens).await;
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        let text = std::fs::read_to_string(server.log.path()).unwrap();
        if std::env::var("TEST_LOG").is_ok() {
            eprintln!("{text}");
        }
        assert!(!text.contains('\u{1b}'), "{format}: colour codes in a log written to a file");

        // What must be there: an access line per request, by route template and status.
        let access = text.lines().filter(|l| l.contains("HTTP request") && l.contains("close")).count();
        assert!(access >= requests, "{format}: {access} access lines for {requests} requests:\n{text}");
        for expected in ["/api/v1/dossiers/{id}/submit", "/api/v1/disbursements/{id}/pay", "422", "401"] {
            assert!(text.contains(expected), "{format}: no {expected} in the log:\n{text}");
        }
        // What must not.
        let mut forbidden: Vec<String> = [
            "Jeanne",
            "Martin",
            "Lilas",
            "06 12 34 56 78",
            "jeanne-martin",
            "Durand",
            "Petit",
            "Bernard",
            "mme_martin",
            "exemple.fr",
            "rouen.fr",
            FORWARDED_FOR,
            "poste-de",
            "Mozilla",
            siret.as_str(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for token in &tokens {
            forbidden.push(token.clone());
            forbidden.extend(token.split('.').map(str::to_string));
        }
        for word in &forbidden {
            assert!(!text.contains(word.as_str()), "{format}: the log holds {word:?}:\n{text}");
        }
    }
}

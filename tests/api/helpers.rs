//! `spawn_app` and typed request helpers.
//!
//! PostgreSQL: each test creates database `essor_test_<uuid>` on the server named by
//! TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and drops it at the
//! end. If that server is unreachable the PostgreSQL variant is skipped with a message, unless
//! ESSOR_TEST_REQUIRE_POSTGRES=1 (as in CI), where it fails.

use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use essor::auth::{Claims, Role, TokenKeys};
use essor::config::{JwtSettings, Settings};
use essor::domain::Code;
use essor::startup::Application;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::Value;

pub const ISSUER: &str = "essor-test";
pub const AUDIENCE: &str = "essor-test-api";
pub const TERRITORY: &str = "rouen";
pub const OTHER_TERRITORY: &str = "rennes";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates `mod NAME { sqlite(), postgres() }` running `NAME(Backend)` on each backend.
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if crate::helpers::postgres_available() {
                    super::$name(crate::helpers::Backend::Postgres).await
                }
            }
        }
    )+};
}
pub(crate) use both_backends;

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Whether PostgreSQL tests can run; panics when CI requires them and they cannot.
pub fn postgres_available() -> bool {
    match PgConnection::establish(&admin_url()) {
        Ok(_) => true,
        Err(e) => {
            if std::env::var("ESSOR_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("PostgreSQL is required (ESSOR_TEST_REQUIRE_POSTGRES=1) but unreachable: {e}");
            }
            eprintln!("SKIPPED: PostgreSQL unreachable at TEST_DATABASE_URL ({e})");
            false
        }
    }
}

/// The URL of database `name` on the server of `admin_url`.
fn database_url(admin: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin).expect("TEST_DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

pub struct TestDatabase {
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = dir.path().join("essor.db").display().to_string();
                Self { url, pg_name: None, _dir: Some(dir) }
            }
            Backend::Postgres => {
                let name = format!("essor_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(&admin_url()).expect("PostgreSQL reachable");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                Self { url: database_url(&admin_url(), &name), pg_name: Some(name), _dir: None }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if let Ok(mut admin) = PgConnection::establish(&admin_url()) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub keys: TokenKeys,
    pub secret: String,
    /// `http://127.0.0.1:PORT` of the separate metrics listener, when one is configured.
    pub metrics_address: Option<String>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    pub db: TestDatabase,
}

/// A second instance of the same application over the same database and keys, as when
/// scaling out behind a load balancer.
pub struct SecondInstance {
    pub address: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for SecondInstance {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    pub fn second_instance(&self) -> SecondInstance {
        self.second_instance_with(|_| {})
    }

    /// Like [`TestApp::second_instance`], with its settings first changed by `adjust`.
    pub fn second_instance_with(&self, adjust: impl FnOnce(&mut Settings)) -> SecondInstance {
        let mut settings = test_settings(&self.db.url, &self.secret);
        adjust(&mut settings);
        let app = Application::build(&settings).expect("second instance starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        SecondInstance { address, server: tokio::spawn(app.run_until_stopped()) }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub fn test_settings(database_url: &str, secret: &str) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database_url: database_url.into(),
        jwt: JwtSettings {
            secret: Some(secret.into()),
            issuer: ISSUER.into(),
            audience: AUDIENCE.into(),
            public_key_file: None,
            jwks_url: None,
            jwks_refresh_secs: 300,
            jwks_min_fetch_interval_secs: 30,
        },
        max_body_bytes: 64 * 1024,
        pool_size: 4,
        lock_timeout_ms: essor::db::DEFAULT_LOCK_TIMEOUT_MS,
        workers: Some(1),
        body_timeout_secs: 30,
        max_document_bytes: essor::config::DEFAULT_MAX_DOCUMENT_BYTES,
        document_storage: essor::db::document_store::StorageSettings::Database,
        cors_origins: Vec::new(),
        metrics_bind: None,
        metrics_token: None,
        templates_dir: None,
    }
}

/// Starts Essor on a fresh database, with territories `rouen` and `rennes` registered.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Like [`spawn_app`], with the settings first changed by `adjust`.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        essor::telemetry::init();
    }
    let db = TestDatabase::create(backend);
    let secret = format!("test-secret-{}", uuid::Uuid::new_v4());
    let mut settings = test_settings(&db.url, &secret);
    adjust(&mut settings);
    let app = Application::build(&settings).expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app.metrics_port().map(|port| format!("http://127.0.0.1:{port}"));
    let server = tokio::spawn(app.run_until_stopped());
    essor::cli::add_territory(
        &db.url,
        TERRITORY,
        "Métropole Rouen Normandie",
        Some(&siret_from(2000437420001)),
    )
    .expect("add territory");
    essor::cli::add_territory(&db.url, OTHER_TERRITORY, "Rennes Métropole", None).expect("add territory");
    let keys = TokenKeys::new(ISSUER, AUDIENCE, Some(secret.as_bytes()), None).expect("keys");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    TestApp { address, client, keys, secret, metrics_address, server, db }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts an RFC 9457 problem with this status, and returns its body.
    #[track_caller]
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.text);
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "{}", self.text);
        assert_eq!(self.body["status"], status, "{}", self.text);
        assert!(self.body["type"].as_str().is_some_and(|t| t.starts_with("urn:essor:problem:")));
        assert!(self.body["title"].is_string(), "{}", self.text);
        assert!(self.body["detail"].is_string(), "{}", self.text);
        // Every problem carries a code of the one enumeration the document publishes.
        let code = self.body["code"].as_str().and_then(essor::domain::ProblemCode::parse);
        assert!(code.is_some(), "a problem without a known code: {}", self.text);
        // And every field error a code of the field codes' enumeration.
        for error in self.body["errors"].as_array().into_iter().flatten() {
            let code = error["code"].as_str().and_then(essor::domain::FieldCode::parse);
            assert!(code.is_some(), "a field error without a known code: {error} in {}", self.text);
        }
        &self.body
    }

    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "status; body: {}", self.text);
        &self.body
    }

    /// The fields named in a validation problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errs| errs.iter().filter_map(|e| e["field"].as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn mint(&self, claims: &Claims) -> String {
        self.keys.mint(claims).expect("mint")
    }

    /// A raw token for a fresh subject (each call is a different person).
    pub fn token_for(&self, role: Role, territory: &str, organisation: Option<&str>) -> String {
        let sub = format!("{}-{}", role.as_str(), uuid::Uuid::new_v4().simple());
        self.mint(&self.keys.claims(&sub, role, territory, organisation, Duration::from_secs(600)))
    }

    /// A client for a fresh person with `role` in `territory` (each call is a different person).
    pub fn client_for(&self, role: Role, territory: &str, organisation: Option<&str>) -> Client<'_> {
        self.bearer(self.token_for(role, territory, organisation))
    }

    /// An administrator of the test territory.
    pub fn admin(&self) -> Client<'_> {
        self.client_for(Role::Admin, TERRITORY, None)
    }

    /// An instructor of the test territory; each call is a different instructor.
    pub fn instructor(&self) -> Client<'_> {
        self.client_for(Role::Instructor, TERRITORY, None)
    }

    /// A finance officer of the test territory.
    pub fn finance(&self) -> Client<'_> {
        self.client_for(Role::Finance, TERRITORY, None)
    }

    /// A registered applicant, with its own token.
    pub fn applicant(&self, applicant: &Applicant) -> Client<'_> {
        self.bearer(applicant.token.clone())
    }

    /// An applicant of the test territory acting for `siret`, registered or not.
    pub fn applicant_with_siret(&self, siret: &str) -> Client<'_> {
        self.client_for(Role::Applicant, TERRITORY, Some(siret))
    }

    /// No `Authorization` header at all.
    pub fn anonymous(&self) -> Client<'_> {
        self.bearer(String::new())
    }

    /// `Authorization: Bearer <token>` with any token, however odd (empty means no header).
    pub fn bearer(&self, token: impl Into<String>) -> Client<'_> {
        Client { app: self, address: &self.address, token: token.into() }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let res = req.send().await.expect("request sent");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, headers, body, text }
    }

    /// A raw SQL count on the app's database, to check stored state.
    pub fn count(&self, sql: &str) -> i64 {
        use diesel::sql_types::BigInt;
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let pool = essor::db::build_pool(&self.db.url, 1).expect("pool");
        let mut conn = pool.get().expect("conn");
        let rows: Vec<Count> = diesel::sql_query(sql).load(&mut *conn).expect("count query");
        rows[0].n
    }
}

/// Someone calling the API: one bearer token (or none), against one instance.
#[derive(Clone)]
pub struct Client<'a> {
    app: &'a TestApp,
    address: &'a str,
    token: String,
}

impl<'a> Client<'a> {
    /// The same person, calling another instance of the application.
    pub fn on<'b>(&self, instance: &'b SecondInstance) -> Client<'b>
    where
        'a: 'b,
    {
        Client { app: self.app, address: &instance.address, token: self.token.clone() }
    }

    /// The same person, calling the server listening at `address` (`http://127.0.0.1:PORT`).
    pub fn at<'b>(&self, address: &'b str) -> Client<'b>
    where
        'a: 'b,
    {
        Client { app: self.app, address, token: self.token.clone() }
    }

    /// A request to build by hand (odd methods, headers or bodies), for [`TestApp::send`].
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let req = self.app.client.request(method, format!("{}{}", self.address, path));
        if self.token.is_empty() {
            req
        } else {
            req.bearer_auth(&self.token)
        }
    }

    fn if_match(req: reqwest::RequestBuilder, if_match: Option<&str>) -> reqwest::RequestBuilder {
        match if_match {
            Some(tag) => req.header("If-Match", tag),
            None => req,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.app.send(self.request(reqwest::Method::GET, path)).await
    }

    /// GET with this `Accept-Language`.
    pub async fn get_in(&self, path: &str, accept_language: &str) -> Resp {
        self.app
            .send(self.request(reqwest::Method::GET, path).header("Accept-Language", accept_language))
            .await
    }

    /// POST with this `Accept-Language`.
    pub async fn post_in(&self, path: &str, body: &Value, accept_language: &str) -> Resp {
        let req = self.request(reqwest::Method::POST, path).header("Accept-Language", accept_language);
        self.app.send(req.json(body)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.app.send(self.request(reqwest::Method::POST, path).json(body)).await
    }

    /// A money POST: with an `Idempotency-Key`.
    pub async fn post_once(&self, path: &str, body: &Value, key: &str) -> Resp {
        self.app
            .send(self.request(reqwest::Method::POST, path).header("Idempotency-Key", key).json(body))
            .await
    }

    /// POST without a body.
    pub async fn post_empty(&self, path: &str) -> Resp {
        self.app.send(self.request(reqwest::Method::POST, path)).await
    }

    pub async fn put(&self, path: &str, body: &Value, if_match: Option<&str>) -> Resp {
        let req = self.request(reqwest::Method::PUT, path).json(body);
        self.app.send(Self::if_match(req, if_match)).await
    }

    pub async fn patch(&self, path: &str, body: &Value, if_match: Option<&str>) -> Resp {
        let req = self.request(reqwest::Method::PATCH, path).json(body);
        self.app.send(Self::if_match(req, if_match)).await
    }

    /// POST /dossiers/{id}/{action}, with a JSON body or none.
    pub async fn act(&self, dossier_id: &str, action: &str, body: Option<Value>) -> Resp {
        let path = format!("/api/v1/dossiers/{dossier_id}/{action}");
        match body {
            Some(body) => self.post(&path, &body).await,
            None => self.post_empty(&path).await,
        }
    }
}

/// The Luhn check digit that completes `body` (ASCII digits).
fn luhn_digit(body: &str) -> u32 {
    (0..10)
        .find(|check| {
            let sum: u32 = format!("{body}{check}")
                .chars()
                .rev()
                .enumerate()
                .map(|(i, c)| {
                    let d = c.to_digit(10).expect("digit");
                    if i % 2 == 1 {
                        let dd = d * 2;
                        if dd > 9 {
                            dd - 9
                        } else {
                            dd
                        }
                    } else {
                        d
                    }
                })
                .sum();
            sum.is_multiple_of(10)
        })
        .expect("one check digit always fits")
}

/// A valid SIRET from a 13-digit stem: its first 8 digits with their SIREN check digit, then
/// digits 10 to 13 as the establishment number with the SIRET's own check digit (the stem's 9th
/// digit is where the SIREN's check digit goes).
pub fn siret_from(stem: u64) -> String {
    let stem = format!("{:013}", stem % 10_000_000_000_000);
    let siren = format!("{}{}", &stem[..8], luhn_digit(&stem[..8]));
    let body = format!("{siren}{}", &stem[9..]);
    format!("{body}{}", luhn_digit(&body))
}

/// A fresh valid SIRET.
pub fn new_siret() -> String {
    siret_from(u64::from(uuid::Uuid::new_v4().as_u128() as u32) * 1000 + 123)
}

/// Rules parameters for a scheme (the template over Rouen's communes), its document types
/// listed but none required: the tests of other areas submit without uploading. The documents'
/// own tests (`documents.rs`) use [`template_parameters`], which requires them.
pub fn rules_parameters(template: &str) -> Value {
    let mut params = template_parameters(template);
    for doc in params["documents"].as_array_mut().expect("documents") {
        doc["required_for"] = serde_json::json!([]);
    }
    params
}

/// The template's rules parameters as they are (over Rouen's communes).
pub fn template_parameters(template: &str) -> Value {
    let communes = vec!["76540".to_string(), "76451".to_string(), "76681".to_string()];
    serde_json::to_value(essor::domain::rules::template(template, communes).expect("template"))
        .expect("serialise")
}

impl TestApp {
    /// Creates a scheme as admin and returns its id.
    pub async fn create_scheme(&self, code: &str) -> String {
        let res = self
            .admin()
            .post("/api/v1/schemes", &serde_json::json!({"code": code, "name": format!("Scheme {code}")}))
            .await;
        res.ok(201)["id"].as_str().expect("id").to_string()
    }

    /// Adds a rules version to a scheme as admin.
    pub async fn add_rules(&self, scheme_id: &str, effective_from: &str, parameters: Value) -> Resp {
        self.admin()
            .post(
                &format!("/api/v1/schemes/{scheme_id}/rules"),
                &serde_json::json!({"effective_from": effective_from, "parameters": parameters}),
            )
            .await
    }
}

/// A complete organisation body for `siret` (an association in Rouen).
pub fn organisation_body(siret: &str) -> Value {
    serde_json::json!({
        "siret": siret,
        "name": "Les Ateliers Solidaires",
        "legal_form": "9220",
        "rna": "W763001234",
        "address": {"line": "12 rue de la République", "postal_code": "76000", "city": "Rouen", "commune_code": "76540"},
        "market_activity": "Vente de meubles réemployés",
        "salaried_staff_fte": 4.5,
        "accounts": {"year": 2025, "operating_revenue_cents": 30_000_000, "sales_revenue_cents": 21_000_000, "operating_costs_cents": 32_000_000},
        "de_minimis_aids": [{"grantor": "Région Normandie", "granted_on": "2025-03-01", "amount_cents": 1_500_000}]
    })
}

/// A complete DI-ESS works dossier body.
pub fn dossier_body(scheme_id: &str) -> Value {
    serde_json::json!({
        "scheme_id": scheme_id,
        "title": "Rénovation de l'atelier de réemploi",
        "project_kind": "works",
        "eligible_expenses_cents": 20_000_000,
        "premises_address": "3 quai de Paris, 76000 Rouen",
        "premises_commune_code": "76540",
        "requested_cents": 6_000_000,
        "planned_start_on": "2027-03-01",
        "jobs_created_fte": 2.0,
        "jobs_kept_fte": 5.5,
        "description": "Mise aux normes et extension de l'atelier."
    })
}

/// An applicant with its organisation registered.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub siret: String,
    pub token: String,
    pub organisation_id: String,
}

impl TestApp {
    pub async fn register_applicant(&self) -> Applicant {
        self.register_applicant_with(|_| {}).await
    }

    /// Registers an applicant whose organisation body is first changed by `adjust`.
    pub async fn register_applicant_with(&self, adjust: impl FnOnce(&mut Value)) -> Applicant {
        let siret = new_siret();
        let token = self.token_for(Role::Applicant, TERRITORY, Some(&siret));
        let mut body = organisation_body(&siret);
        adjust(&mut body);
        let res = self.bearer(token.clone()).post("/api/v1/organisations", &body).await;
        let organisation_id = res.ok(201)["id"].as_str().expect("id").to_string();
        Applicant { siret, token, organisation_id }
    }

    /// A DI-ESS scheme with rules in force since 2020.
    pub async fn open_scheme(&self, code: &str) -> String {
        let id = self.create_scheme(code).await;
        self.add_rules(&id, "2020-01-01", rules_parameters("DI-ESS")).await.ok(201);
        id
    }
}

impl TestApp {
    /// `essor check` on the app's database (the library function the command calls): panics
    /// listing every violation of the money invariants; returns the report otherwise.
    #[track_caller]
    pub fn assert_money_invariants(&self) -> essor::cli::check::CheckReport {
        let settings = test_settings(&self.db.url, &self.secret);
        let report = essor::cli::check::check(&settings).expect("essor check runs");
        assert!(report.violations.is_empty(), "the money invariants do not hold:\n{report}");
        report
    }

    /// Runs a statement directly on the database (to prove what the database itself refuses).
    pub fn try_execute(&self, sql: &str) -> Result<usize, diesel::result::Error> {
        let pool = essor::db::build_pool(&self.db.url, 1).expect("pool");
        let mut conn = pool.get().expect("conn");
        diesel::sql_query(sql).execute(&mut *conn)
    }
}

/// Scores for the DI-ESS template's assessment grid, its five criteria in order.
pub fn grid_scores(values: [u32; 5]) -> Value {
    let codes = [
        "jobs_created_or_kept",
        "social_utility",
        "environmental_impact",
        "territorial_anchoring",
        "financial_soundness",
    ];
    Value::Array(
        codes.iter().zip(values).map(|(c, s)| serde_json::json!({"criterion": c, "score": s})).collect(),
    )
}

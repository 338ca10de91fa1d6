//! The database failing underneath the service: PostgreSQL connections killed between and
//! during requests, a database that is unreachable. Never a 500, never a database message to
//! the client, and recovery without a restart.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use futures_util::FutureExt;
use serde_json::json;

use crate::helpers::{postgres_available, spawn_app, Backend, Resp, TestApp};

/// Terminates every backend of the app's database but the caller's own; returns how many.
fn terminate_other_backends(conn: &mut PgConnection) -> usize {
    diesel::sql_query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(conn)
    .unwrap()
}

/// How many of the app's backends wait on a lock.
fn backends_waiting_on_a_lock(conn: &mut PgConnection) -> i64 {
    use diesel::sql_types::BigInt;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let rows: Vec<Count> = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'",
    )
    .load(conn)
    .unwrap();
    rows[0].n
}

/// A 503 problem with `Retry-After` and no word of the database's own message.
#[track_caller]
fn unavailable_without_internals(res: &Resp) {
    let body = res.problem(503);
    assert_eq!(body["type"], "urn:essor:problem:unavailable", "{}", res.text);
    assert!(res.header("retry-after").is_some_and(|v| v.parse::<u32>().is_ok()), "Retry-After: {res:?}");
    for word in ["terminating", "administrator", "server", "closed", "transaction manager", "pool"] {
        assert!(!res.text.to_lowercase().contains(word), "{word:?} leaked: {}", res.text);
    }
}

/// Every response is 200, or at most one is a 503 with `Retry-After`; none is a 500.
#[track_caller]
fn served_after_the_loss(responses: &[Resp]) {
    let mut unavailable = 0;
    for res in responses {
        match res.status.as_u16() {
            200 => {}
            503 => {
                unavailable_without_internals(res);
                unavailable += 1;
            }
            other => panic!("{other} after the connections were lost: {}", res.text),
        }
    }
    assert!(unavailable <= 1, "{unavailable} responses were 503 after the connections were lost");
}

async fn warm_up(app: &TestApp) {
    // Concurrent requests open several pooled connections (the pool holds 4).
    let admin = app.admin();
    let responses = futures_util::future::join_all((0..8).map(|_| admin.get("/api/v1/territory"))).await;
    for res in responses {
        res.ok(200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminated_pg_connections_are_replaced_not_reused() {
    if !postgres_available() {
        return;
    }
    let app = spawn_app(Backend::Postgres).await;
    let mut killer = PgConnection::establish(&app.db.url).unwrap();
    let admin = app.admin();
    for round in 0..3 {
        warm_up(&app).await;
        assert!(terminate_other_backends(&mut killer) > 0, "round {round}: the app held no connection");
        let mut responses = Vec::new();
        for _ in 0..6 {
            responses.push(admin.get("/api/v1/territory").await);
        }
        served_after_the_loss(&responses);
        warm_up(&app).await;
        assert!(terminate_other_backends(&mut killer) > 0);
        let concurrent = futures_util::future::join_all((0..8).map(|_| admin.get("/api/v1/territory"))).await;
        served_after_the_loss(&concurrent);
        // Writes too (a transaction on a fresh connection).
        let code = format!("S{round}");
        admin.post("/api/v1/schemes", &json!({"code": code, "name": "Scheme"})).await.ok(201);
    }
    app.anonymous().get("/health/ready").await.ok(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pg_connection_lost_mid_request_is_a_503_with_retry_after() {
    if !postgres_available() {
        return;
    }
    let app = spawn_app(Backend::Postgres).await;
    let mut locker = PgConnection::establish(&app.db.url).unwrap();
    let admin = app.admin();
    let scheme_id = app.create_scheme("BEFORE").await;

    // A read, then a write (inside a transaction), each blocked on a lock the test holds, and
    // its backend terminated while it waits.
    let during = json!({"code": "DURING", "name": "Scheme"});
    let cases = [
        ("territories", admin.get("/api/v1/territory").boxed_local()),
        ("schemes", admin.post("/api/v1/schemes", &during).boxed_local()),
    ];
    for (table, request) in cases {
        locker.batch_execute(&format!("BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;")).unwrap();
        let kill = async {
            let deadline = Instant::now() + Duration::from_secs(20);
            while backends_waiting_on_a_lock(&mut locker) == 0 {
                assert!(Instant::now() < deadline, "the request never waited on the lock");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            terminate_other_backends(&mut locker)
        };
        let (res, killed) = tokio::join!(request, kill);
        assert!(killed > 0);
        unavailable_without_internals(&res);
        locker.batch_execute("ROLLBACK;").unwrap();

        // The next requests are served: the broken connection was not put back to use.
        let mut after = Vec::new();
        for _ in 0..4 {
            after.push(admin.get("/api/v1/territory").await);
            after.push(admin.get(&format!("/api/v1/schemes/{scheme_id}")).await);
        }
        for res in &after {
            res.ok(200);
        }
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM schemes WHERE code = 'DURING'"),
        0,
        "nothing half-written"
    );
    admin.post("/api/v1/schemes", &json!({"code": "AFTER", "name": "Scheme"})).await.ok(201);
}

async fn ready_on_pool(
    pool: essor::db::DbPool,
) -> (u16, actix_web::http::header::HeaderMap, serde_json::Value) {
    let state = essor::state::AppState::new(pool);
    let app = actix_web::test::init_service(
        actix_web::App::new().app_data(actix_web::web::Data::new(state)).service(essor::api::health::ready),
    )
    .await;
    let req = actix_web::test::TestRequest::get().uri("/health/ready").to_request();
    let res = actix_web::test::call_service(&app, req).await;
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    let body = actix_web::test::read_body(res).await;
    (status, headers, serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_during_an_outage_answers_within_a_second_with_retry_after() {
    let pool = essor::db::build_pool("postgres://postgres@127.0.0.1:1/none", 2).expect("lazy pool");
    for _ in 0..2 {
        let started = Instant::now();
        let (status, headers, body) = ready_on_pool(pool.clone()).await;
        let took = started.elapsed();
        assert_eq!(status, 503, "{body}");
        assert!(took <= Duration::from_secs(1), "readiness took {took:?} during an outage");
        assert_eq!(headers.get("content-type").unwrap(), "application/problem+json");
        assert!(headers.get("retry-after").is_some(), "{headers:?}");
        let detail = body["detail"].as_str().unwrap();
        for word in ["127.0.0.1", "refused", "connect", "timed out", "pool"] {
            assert!(!detail.to_lowercase().contains(word), "{word:?} in {detail:?}");
        }
    }
}

/// A path in the current directory, removed (with its empty parents) on drop.
struct FileAtUrlPath {
    file: std::path::PathBuf,
}

impl Drop for FileAtUrlPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.file);
        let mut dir = self.file.parent();
        while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::remove_dir(d);
            dir = d.parent();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_url_is_never_opened_as_a_sqlite_file() {
    // SQLite would take "postgres://postgres@127.0.0.1:1/<name>" for a relative file path:
    // put an (empty, hence valid) SQLite file there, in the current directory.
    let name = format!("essor_not_a_file_{}", uuid::Uuid::new_v4().simple());
    let url = format!("postgres://postgres@127.0.0.1:1/{name}");
    let file = std::path::PathBuf::from(&url);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, b"").unwrap();
    let _cleanup = FileAtUrlPath { file: file.clone() };
    assert!(file.exists());

    let pool = essor::db::build_pool(&url, 1).expect("lazy pool");
    let (status, _, body) = ready_on_pool(pool.clone()).await;
    assert_eq!(status, 503, "readiness on an unreachable PostgreSQL: {body}");
    // The pool's connections fail with PostgreSQL's own error (which r2d2 logs), not with a
    // failed guess at the backend, and never open the file.
    use diesel::r2d2::ManageConnection;
    let error = match essor::db::DbManager::new(&url).unwrap().connect() {
        Ok(_) => panic!("a connection was opened on {url}"),
        Err(e) => e.to_string(),
    };
    assert!(!error.contains("multiconnection"), "{error}");
    assert!(error.contains("127.0.0.1") && error.contains("port 1"), "PostgreSQL's error: {error}");
}

//! Migrations when several instances start at once on a fresh database (a rolling deploy, a
//! scaled-out start): each instance starts, and each migration is applied exactly once.

use std::sync::{Arc, Barrier};

use diesel::RunQueryDsl;

use crate::helpers::{both_backends, test_settings, Backend, TestDatabase};

both_backends!(three_instances_start_at_once_on_a_fresh_database);

/// How many migrations the embedded set holds (the same names for both backends).
fn migration_count() -> usize {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("up.sql").exists())
        .count()
}

async fn three_instances_start_at_once_on_a_fresh_database(backend: Backend) {
    const INSTANCES: usize = 3;
    for round in 0..2 {
        let db = TestDatabase::create(backend);
        let secret = "s".repeat(40);
        let barrier = Arc::new(Barrier::new(INSTANCES));
        let starts: Vec<_> = (0..INSTANCES)
            .map(|_| {
                let (settings, barrier) = (test_settings(&db.url, &secret), barrier.clone());
                // spawn_blocking threads see the runtime, which the server needs to be built.
                tokio::task::spawn_blocking(move || {
                    barrier.wait();
                    essor::startup::Application::build(&settings).map_err(|e| e.to_string())
                })
            })
            .collect();
        let mut servers = Vec::new();
        for start in starts {
            let app =
                start.await.unwrap().unwrap_or_else(|e| panic!("round {round}: an instance failed: {e}"));
            let address = format!("http://127.0.0.1:{}/health/ready", app.port());
            servers.push((address, tokio::spawn(app.run_until_stopped())));
        }
        for (address, _) in &servers {
            let res = reqwest::get(address).await.unwrap();
            assert_eq!(res.status(), 200, "round {round}: {address}");
        }
        for (_, server) in servers {
            server.abort();
        }
        // Each migration was applied once, and a later run has nothing left to do.
        let applied = applied_migrations(&db.url);
        assert_eq!(applied, migration_count() as i64, "round {round}");
        assert_eq!(essor::db::run_migrations(&db.url).unwrap(), Vec::<String>::new());
    }

    // The same with the migrations runner alone (the `migrate` command of three deployers).
    let db = TestDatabase::create(backend);
    let barrier = Arc::new(Barrier::new(INSTANCES));
    let runs: Vec<_> = (0..INSTANCES)
        .map(|_| {
            let (url, barrier) = (db.url.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                essor::db::run_migrations(&url).map_err(|e| e.to_string())
            })
        })
        .collect();
    let mut applied: Vec<String> = Vec::new();
    for run in runs {
        applied.extend(run.join().unwrap().unwrap_or_else(|e| panic!("a migrations run failed: {e}")));
    }
    let mut unique = applied.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), applied.len(), "a migration was applied twice: {applied:?}");
    assert_eq!(applied.len(), migration_count(), "{applied:?}");
}

fn applied_migrations(url: &str) -> i64 {
    use diesel::sql_types::BigInt;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let pool = essor::db::build_pool(url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let rows: Vec<Count> =
        diesel::sql_query("SELECT COUNT(*) AS n FROM __diesel_schema_migrations").load(&mut *conn).unwrap();
    rows[0].n
}

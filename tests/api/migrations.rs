//! Migrations when several instances start at once on a fresh database (a rolling deploy, a
//! scaled-out start): each instance starts, and each migration is applied exactly once.

use std::sync::{Arc, Barrier};

use diesel::RunQueryDsl;

use crate::helpers::{both_backends, test_settings, Backend, TestDatabase};

both_backends!(
    three_instances_start_at_once_on_a_fresh_database,
    the_rules_config_migration_upgrades_a_database_in_use,
);

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

/// Reverts the last migration applied to the database at `url`, with the backend's `down.sql`;
/// returns its name.
fn revert_last_migration(backend: Backend, url: &str) -> String {
    use diesel::Connection;
    use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
    const PG: EmbeddedMigrations = embed_migrations!("migrations/postgres");
    const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
    let reverted = match backend {
        Backend::Postgres => {
            diesel::PgConnection::establish(url).unwrap().revert_last_migration(PG).map(|v| v.to_string())
        }
        Backend::Sqlite => diesel::SqliteConnection::establish(url)
            .unwrap()
            .revert_last_migration(SQLITE)
            .map(|v| v.to_string()),
    };
    reverted.unwrap_or_else(|e| panic!("reverting the last migration: {e}"))
}

/// `2026-11-22-000010_rules_config` on a database that already holds dossiers, snapshots and
/// assessments (reverted with its `down.sql`, then applied again while the server runs): the
/// rows keep reading and judging as before, a rules version stored before the migration judges
/// as it did, and the new project kinds and columns are accepted (on SQLite, the widened
/// `project_kind` check was edited in place).
async fn the_rules_config_migration_upgrades_a_database_in_use(backend: Backend) {
    use crate::builders::DossierBuilder;
    use essor::domain::lifecycle::DossierStatus::UnderReview;
    use serde_json::json;

    let app = crate::helpers::spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let instructor = app.instructor();
    let d = DossierBuilder::new(&app).scheme(&scheme).instructor(&instructor).in_status(UnderReview).await;
    instructor.post(&d.path_to("eligibility"), &json!({})).await.ok(201);
    let before = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(before["report"]["max_grant_cents"], 60_000_00);

    // The rules version exactly as versions were stored before: no mode, no scope, no bonus.
    let communes = vec!["76540".to_string(), "76451".to_string(), "76681".to_string()];
    let mut old = serde_json::to_value(essor::domain::rules::template("DI-ESS", communes).unwrap()).unwrap();
    for section in ["employment", "market_activity", "own_revenue", "ess_status", "territory", "de_minimis"] {
        old[section].as_object_mut().unwrap().remove("mode");
    }
    old["territory"].as_object_mut().unwrap().remove("applies_to");
    old.as_object_mut().unwrap().remove("bonuses");
    old.as_object_mut().unwrap().remove("documents");
    old.as_object_mut().unwrap().remove("convention");
    old["employment"]["min_salaried_staff_fte"] = json!(0.0);
    app.try_execute(&format!("UPDATE rules_versions SET parameters = '{old}' WHERE scheme_id = '{scheme}'"))
        .expect("store the old document");

    // The export indexes, the documents, the list indexes, the retention triggers, the receipts,
    // the sessions, the notifications, the conventions and the calls came after it: reverted
    // first, applied again with it.
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261207000019");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261207000018");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261207000017");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261207000016");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261207000015");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261122000014");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261122000013");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261122000012");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261122000011");
    assert_eq!(revert_last_migration(backend, &app.db.url), "20261122000010");
    assert!(app.try_execute("UPDATE dossiers SET total_budget_cents = 1").is_err(), "column dropped");
    let applied = essor::db::run_migrations(&app.db.url).expect("migrate again");
    assert_eq!(applied.len(), 10, "{applied:?}");

    // A server started now sees the same dossier, judged the same, by the old document.
    let fresh = app.second_instance();
    let staff = app.instructor();
    let after = staff.on(&fresh).get(&d.path_to("eligibility")).await.ok(200).clone();
    assert_eq!(after["report"], before["report"]);
    assert_eq!(after["latest_snapshot"], before["latest_snapshot"]);
    let version =
        app.admin().on(&fresh).get(&format!("/api/v1/schemes/{scheme}/rules")).await.ok(200).clone();
    assert_eq!(version[0]["parameters"]["employment"]["mode"], "required");
    assert_eq!(version[0]["parameters"]["bonuses"]["items"], json!([]));
    // A version stored before conventions reads as the law's rule: above 23 000 €.
    assert_eq!(version[0]["parameters"]["convention"]["required"], "above_threshold");
    assert_eq!(version[0]["parameters"]["convention"]["threshold_cents"], 2_300_000);
    assert_eq!(staff.on(&fresh).get(&d.path_to("assessments")).await.ok(200)["assessments"], json!([]));

    // The new kinds are accepted, and a kind that does not exist is still refused by the database.
    let applicant = app.applicant(&d.applicant);
    let study = json!({"scheme_id": scheme, "title": "Étude de faisabilité", "project_kind": "study",
                       "total_budget_cents": 12_000_00, "premises_district_code": "QN07601M"});
    let created = applicant.on(&fresh).post("/api/v1/dossiers", &study).await.ok(201).clone();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND project_kind = 'study' \
             AND total_budget_cents = 1200000 AND premises_district_code = 'QN07601M'",
            created["id"].as_str().unwrap()
        )),
        1
    );
    assert!(app.try_execute("UPDATE dossiers SET project_kind = 'lease'").is_err());
    assert!(app.try_execute("UPDATE dossiers SET premises_district_code = 'qn 1'").is_err());
    assert!(app.try_execute("UPDATE dossiers SET total_budget_cents = -1").is_err());
}

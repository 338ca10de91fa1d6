use crate::helpers::{both_backends, spawn_app, Backend};

both_backends!(liveness_and_readiness_answer_200);

async fn liveness_and_readiness_answer_200(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ["/health/live", "/health/ready"] {
        let res = app.anonymous().get(path).await;
        assert_eq!(res.ok(200)["status"], "ok", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_is_503_problem_while_the_database_is_unreachable() {
    // A PostgreSQL URL on a port where nothing listens: the server starts (migrations are
    // skipped by building the pool directly) and readiness must say 503, not hang or 500.
    let settings = crate::helpers::test_settings("postgres://postgres@127.0.0.1:1/none", &"s".repeat(40));
    let pool = essor::db::build_pool(&settings.database_url, 1).expect("lazy pool");
    let state = essor::state::AppState::new(pool);
    let app = actix_web::test::init_service(
        actix_web::App::new().app_data(actix_web::web::Data::new(state)).service(essor::api::health::ready),
    )
    .await;
    let req = actix_web::test::TestRequest::get().uri("/health/ready").to_request();
    let res = actix_web::test::call_service(&app, req).await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
    let body: serde_json::Value = actix_web::test::read_body_json(res).await;
    assert_eq!(body["status"], 503);
    assert!(!body["detail"].as_str().unwrap().contains("127.0.0.1:1"), "no internals: {body}");
}

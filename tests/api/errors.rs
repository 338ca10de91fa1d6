use reqwest::Method;
use serde_json::json;

use crate::helpers::{both_backends, spawn_app, Backend};

both_backends!(actix_errors_are_problems);

async fn actix_errors_are_problems(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin();

    // Unknown route: 404, with the request id the logs carry.
    let res = admin.get("/api/v1/nothing-here").await;
    res.problem(404);
    assert!(
        res.header("x-request-id").is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()),
        "{:?}",
        res.headers
    );
    app.anonymous().get("/").await.problem(404);

    // Known route, wrong method: 405 with Allow.
    let res = app.send(admin.request(Method::DELETE, "/api/v1/schemes")).await;
    res.problem(405);
    assert_eq!(res.header("allow"), Some("GET, POST, HEAD"));

    // Malformed JSON: 400 naming the body.
    let res = app
        .send(
            admin
                .request(Method::POST, "/api/v1/schemes")
                .header("content-type", "application/json")
                .body("{\"code\": \"DI-ESS\","),
        )
        .await;
    assert_eq!(res.problem(400)["errors"][0]["code"], "malformed_json");

    // Wrong type: 400 naming the field.
    let res = admin.post("/api/v1/schemes", &json!({"code": 12, "name": "x"})).await;
    res.problem(400);
    assert_eq!(res.error_fields(), vec!["code"]);

    // Unknown field: 400 naming it (no mass assignment).
    let res =
        admin.post("/api/v1/schemes", &json!({"code": "DI-ESS", "name": "x", "territory": "rennes"})).await;
    res.problem(400);
    assert_eq!(res.error_fields(), vec!["territory"]);

    // Wrong content type: 415.
    let res = app
        .send(admin.request(Method::POST, "/api/v1/schemes").header("content-type", "text/plain").body("{}"))
        .await;
    res.problem(415);

    // Body too large: 413 (the test app's limit is 64 KiB).
    let huge = json!({"code": "DI-ESS", "name": "x", "description": "é".repeat(70_000)});
    admin.post("/api/v1/schemes", &huge).await.problem(413);

    // A malformed id names nothing: 404.
    admin.get("/api/v1/schemes/not-a-uuid").await.problem(404);

    // Nothing was written by any of these.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes"), 0);

    // No problem leaks internals.
    let res = admin.get("/api/v1/schemes/00000000-0000-0000-0000-000000000000").await;
    res.problem(404);
    for word in ["diesel", "sqlite", "postgres", "panicked", "SELECT"] {
        assert!(!res.text.to_lowercase().contains(&word.to_lowercase()), "{word} in {}", res.text);
    }
}

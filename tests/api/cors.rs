//! Browser clients from another origin (CORS): only the configured origins, exactly.

use reqwest::Method;

use crate::helpers::{both_backends, spawn_app, spawn_app_with, Backend, Resp, TestApp};

both_backends!(
    an_allowed_origin_gets_its_preflight_and_its_answers_headers,
    another_origin_is_refused,
    no_origin_is_allowed_by_default
);

const APP: &str = "https://demarches.example.fr";
const OTHER: &str = "https://evil.example.com";

async fn app_with_cors(backend: Backend) -> TestApp {
    spawn_app_with(backend, |s| {
        s.cors_origins = vec![APP.into(), "http://localhost:5173".into()];
    })
    .await
}

async fn preflight(app: &TestApp, origin: &str, method: &str, headers: &str) -> Resp {
    let req = app
        .client
        .request(Method::OPTIONS, app.url("/api/v1/dossiers/00000000-0000-0000-0000-000000000000"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", headers);
    app.send(req).await
}

/// The header's comma-separated values, lowercased and sorted.
fn listed(res: &Resp, name: &str) -> Vec<String> {
    let mut values: Vec<String> = res
        .header(name)
        .unwrap_or_default()
        .split(',')
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
    values.sort();
    values
}

async fn an_allowed_origin_gets_its_preflight_and_its_answers_headers(backend: Backend) {
    let app = app_with_cors(backend).await;

    let res = preflight(&app, APP, "PATCH", "authorization, content-type, if-match, idempotency-key").await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    assert_eq!(res.header("access-control-allow-origin"), Some(APP));
    assert_eq!(
        listed(&res, "access-control-allow-headers"),
        ["accept", "authorization", "content-type", "idempotency-key", "if-match"]
    );
    assert_eq!(listed(&res, "access-control-allow-methods"), ["delete", "get", "patch", "post", "put"]);
    assert_eq!(res.header("access-control-max-age"), Some("3600"));
    assert!(res.header("access-control-allow-credentials").is_none());
    assert!(listed(&res, "vary").contains(&"origin".to_string()), "{:?}", res.headers);

    // The actual request: the answer names the origin and exposes what the client reads.
    let token = app.token_for(essor::auth::Role::Admin, crate::helpers::TERRITORY, None);
    let req = app.client.get(app.url("/api/v1/territory")).bearer_auth(&token).header("Origin", APP);
    let res = app.send(req).await;
    assert_eq!(res.ok(200)["code"], crate::helpers::TERRITORY);
    assert_eq!(res.header("access-control-allow-origin"), Some(APP));
    assert_eq!(
        listed(&res, "access-control-expose-headers"),
        ["etag", "idempotent-replayed", "location", "x-request-id"]
    );
    assert!(res.header("x-request-id").is_some());

    // A problem is readable by the page too (the client shows its detail).
    let req = app.client.get(app.url("/api/v1/territory")).header("Origin", APP);
    let res = app.send(req).await;
    res.problem(401);
    assert_eq!(res.header("access-control-allow-origin"), Some(APP));

    // The second configured origin, and only as configured.
    let res = preflight(&app, "http://localhost:5173", "POST", "content-type").await;
    assert_eq!(res.header("access-control-allow-origin"), Some("http://localhost:5173"));
}

async fn another_origin_is_refused(backend: Backend) {
    let app = app_with_cors(backend).await;
    for origin in [OTHER, "https://demarches.example.fr.evil.com", "http://demarches.example.fr", "null"] {
        // The preflight is refused: the browser never sends the request.
        let res = preflight(&app, origin, "POST", "authorization, content-type").await;
        res.problem(400);
        assert!(res.header("access-control-allow-origin").is_none(), "{origin}");
        assert!(res.header("access-control-allow-methods").is_none(), "{origin}");

        // A simple request is answered (as to any client) but with no CORS header, so the
        // browser keeps the answer from the other origin's page.
        let res = app.send(app.client.get(app.url("/health/live")).header("Origin", origin)).await;
        assert_eq!(res.status.as_u16(), 200);
        assert!(res.header("access-control-allow-origin").is_none(), "{origin}");
    }
    // A header outside the list is refused even for the allowed origin.
    let res = preflight(&app, APP, "POST", "x-custom").await;
    res.problem(400);
    assert!(res.header("access-control-allow-origin").is_none());
}

async fn no_origin_is_allowed_by_default(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = preflight(&app, APP, "GET", "authorization").await;
    assert!(res.header("access-control-allow-origin").is_none());
    // Without CORS an OPTIONS request is like any method the route does not answer.
    res.problem(405);
    let res = app.send(app.client.get(app.url("/health/live")).header("Origin", APP)).await;
    assert_eq!(res.status.as_u16(), 200);
    assert!(res.header("access-control-allow-origin").is_none());
}

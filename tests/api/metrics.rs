//! `GET /metrics` (Prometheus): never public by default, on its own listener or behind a
//! token; route templates in labels, never ids; the pool; money operations and refusals.

use essor::config::Secret;
use essor::domain::lifecycle::DossierStatus::UnderReview;
use serde_json::json;

use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, spawn_app, spawn_app_with, Backend, TestApp};

both_backends!(
    metrics_are_not_served_by_default,
    metrics_on_their_own_listener_count_routes_pool_and_money,
    metrics_on_the_main_listener_need_the_token
);

const TOKEN: &str = "metrics-token-for-the-tests-0123456789abcdef";

/// The value of the series named exactly `series` (name and labels), if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map(|v| v.trim().parse().expect("a number"))
}

async fn scrape(app: &TestApp, base: &str, token: Option<&str>) -> (u16, String, Option<String>) {
    let mut req = app.client.get(format!("{base}/metrics"));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let res = app.send(req).await;
    (res.status.as_u16(), res.text.clone(), res.header("content-type").map(str::to_string))
}

async fn metrics_are_not_served_by_default(backend: Backend) {
    let app = spawn_app(backend).await;
    assert!(app.metrics_address.is_none());
    let res = app.send(app.client.get(app.url("/metrics"))).await;
    res.problem(404);
    let res = app.send(app.client.get(app.url("/metrics")).bearer_auth(TOKEN)).await;
    res.problem(404);
}

async fn metrics_on_their_own_listener_count_routes_pool_and_money(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.metrics_bind = Some("127.0.0.1:0".into())).await;
    let metrics = app.metrics_address.clone().expect("a metrics listener");
    // Not on the API's listener.
    app.send(app.client.get(app.url("/metrics"))).await.problem(404);

    let scheme = app.open_scheme("DI-ESS").await;
    let instructor = app.instructor();
    let dossier = DossierBuilder::new(&app).scheme(&scheme).in_status(UnderReview).await;
    let today = chrono::Utc::now().date_naive();
    let approval = json!({"granted_cents": 60_000_00, "decided_on": today.to_string(),
        "decision_reference": "DEL-2026-114"});
    let path = dossier.path_to("approve");
    let approve = |key: &'static str| {
        let (instructor, path, approval) = (&instructor, &path, &approval);
        async move { instructor.post_once(path, approval, key).await }
    };
    // Refused: no envelope for the year yet.
    assert_eq!(approve("k-1").await.problem(409)["code"], "no_envelope");
    let year = chrono::Datelike::year(&today);
    app.finance()
        .post("/api/v1/envelopes", &json!({"scheme_id": scheme, "year": year, "amount_cents": 100_000_00}))
        .await
        .ok(201);
    approve("k-2").await.ok(200);
    // A retry answered from the idempotency store moves no money: not counted again.
    let replay = approve("k-2").await;
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    app.finance().post_once(&dossier.path_to("approve"), &approval, "k-3").await.problem(403);
    // Two different ids, one template.
    let missing = "/api/v1/dossiers/4f1c2b9e-0000-4000-8000-000000000001";
    instructor.get(missing).await.problem(404);
    instructor.get("/api/v1/dossiers/4f1c2b9e-0000-4000-8000-000000000002").await.problem(404);
    app.send(app.client.get(app.url("/no/such/path/123"))).await.problem(404);

    let (status, text, content_type) = scrape(&app, &metrics, None).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(content_type.as_deref(), Some("text/plain; version=0.0.4; charset=utf-8"));
    let series = |s: &str| value(&text, s).unwrap_or_else(|| panic!("no series {s} in:\n{text}"));
    assert_eq!(
        series(r#"essor_http_requests_total{method="GET",route="/api/v1/dossiers/{id}",status="404"}"#),
        2.0
    );
    assert_eq!(
        series(
            r#"essor_http_request_duration_seconds_count{method="GET",route="/api/v1/dossiers/{id}",status="404"}"#
        ),
        2.0
    );
    assert!(text.contains(
        r#"essor_http_request_duration_seconds_bucket{method="GET",route="/api/v1/dossiers/{id}",status="404",le="0.005"}"#
    ));
    // This path and /metrics, asked of the API's listener above.
    assert_eq!(series(r#"essor_http_requests_total{method="GET",route="unmatched",status="404"}"#), 2.0);
    assert_eq!(
        series(
            r#"essor_http_requests_total{method="POST",route="/api/v1/dossiers/{id}/approve",status="200"}"#
        ),
        2.0
    );
    // No id, no raw path in any label.
    assert!(!text.contains("4f1c2b9e") && !text.contains("/no/such/path"), "{text}");
    assert!(!text.contains(&dossier.id), "{text}");

    // Money: one approval done (the replay is not another), refusals by reason.
    assert_eq!(series(r#"essor_money_operations_total{operation="approval"}"#), 1.0);
    assert_eq!(series(r#"essor_money_refusals_total{operation="approval",reason="no_envelope"}"#), 1.0);
    assert_eq!(series(r#"essor_money_refusals_total{operation="approval",reason="forbidden"}"#), 1.0);

    // The pool: its size, and connections opened for the requests above.
    assert_eq!(series("essor_db_pool_max_connections"), 4.0);
    let open = series("essor_db_pool_connections");
    let idle = series("essor_db_pool_idle_connections");
    assert!((1.0..=4.0).contains(&open) && idle <= open, "{open} {idle}");
    assert_eq!(series("essor_db_pool_waiting_requests"), 0.0);
}

async fn metrics_on_the_main_listener_need_the_token(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.metrics_token = Some(Secret(TOKEN.into()))).await;
    assert!(app.metrics_address.is_none());
    app.send(app.client.get(app.url("/health/live"))).await;

    let res = app.send(app.client.get(app.url("/metrics"))).await;
    res.problem(401);
    let res = app.send(app.client.get(app.url("/metrics")).bearer_auth(format!("{TOKEN}x"))).await;
    res.problem(401);
    // An API token is not the metrics token.
    let api_token = app.token_for(essor::auth::Role::Admin, crate::helpers::TERRITORY, None);
    app.send(app.client.get(app.url("/metrics")).bearer_auth(api_token)).await.problem(401);

    let base = app.address.clone();
    let (status, text, _) = scrape(&app, &base, Some(TOKEN)).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        value(&text, r#"essor_http_requests_total{method="GET",route="/health/live",status="200"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(&text, r#"essor_http_requests_total{method="GET",route="/metrics",status="401"}"#),
        Some(3.0)
    );
}

//! Prometheus metrics (the `prometheus` crate): requests by route template, method and status,
//! their latency, the database pool, and money operations with their refusals by reason.
//!
//! Labels hold route templates (`/api/v1/dossiers/{id}`), never a raw path: ids would make the
//! series unbounded, and they are the applicants' business. Each application has its own
//! registry (tests run many in one process).

use std::future::Future;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::config::Secret;
use crate::db::DbPool;
use crate::domain::Code;
use crate::error::ApiError;
use crate::text;

/// The route label of requests that matched no route.
const UNMATCHED: &str = "unmatched";

/// Every metric Essor exports, in one registry.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
    /// Requests waiting for a database connection now (raised and lowered around checkout).
    pub pool_waiting: IntGauge,
    money: IntCounterVec,
    money_refusals: IntCounterVec,
}

fn registered<T: prometheus::core::Collector + Clone + 'static>(registry: &Registry, metric: T) -> T {
    registry.register(Box::new(metric.clone())).expect("metric names are unique");
    metric
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let labels = ["method", "route", "status"];
        let requests = registered(
            &registry,
            IntCounterVec::new(
                Opts::new(
                    "essor_http_requests_total",
                    "HTTP requests answered, by route template and status",
                ),
                &labels,
            )
            .expect("valid metric"),
        );
        let latency = registered(
            &registry,
            HistogramVec::new(
                HistogramOpts::new(
                    "essor_http_request_duration_seconds",
                    "Time to answer HTTP requests, by route template and status",
                )
                .buckets(vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0]),
                &labels,
            )
            .expect("valid metric"),
        );
        let gauge =
            |name: &str, help: &str| registered(&registry, IntGauge::new(name, help).expect("valid metric"));
        let pool_connections =
            gauge("essor_db_pool_connections", "Database connections open (idle and in use)");
        let pool_idle = gauge("essor_db_pool_idle_connections", "Database connections open and idle");
        let pool_max = gauge("essor_db_pool_max_connections", "Largest number of database connections");
        let pool_waiting =
            gauge("essor_db_pool_waiting_requests", "Requests waiting for a database connection");
        let money = registered(
            &registry,
            IntCounterVec::new(
                Opts::new(
                    "essor_money_operations_total",
                    "Money operations done (approvals, amendments, cancellations, payments), retries \
                     answered from the idempotency store excluded",
                ),
                &["operation"],
            )
            .expect("valid metric"),
        );
        let money_refusals = registered(
            &registry,
            IntCounterVec::new(
                Opts::new(
                    "essor_money_refusals_total",
                    "Money operations refused, by reason (the problem's code, e.g. envelope_exhausted)",
                ),
                &["operation", "reason"],
            )
            .expect("valid metric"),
        );
        Self {
            registry,
            requests,
            latency,
            pool_connections,
            pool_idle,
            pool_max,
            pool_waiting,
            money,
            money_refusals,
        }
    }

    /// Records one answered request.
    pub fn observe(&self, answer: &Answer<'_>, elapsed: Duration) {
        let method = method_label(answer.method);
        let route = answer.route.unwrap_or(UNMATCHED);
        let status = answer.status.as_str();
        let labels = [method, route, status];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(elapsed.as_secs_f64());
        if let Some(operation) = money_operation(answer.method, answer.route) {
            if answer.status.is_success() {
                if !answer.replayed {
                    self.money.with_label_values(&[operation]).inc();
                }
            } else {
                let reason = answer
                    .error
                    .map(|e| e.code().as_str().to_string())
                    .unwrap_or_else(|| format!("http_{}", answer.status.as_u16()));
                self.money_refusals.with_label_values(&[operation, reason.as_str()]).inc();
            }
        }
    }

    /// The Prometheus text exposition of every metric, the pool's gauges read now.
    pub fn render(&self, pool: &DbPool) -> String {
        let state = pool.state();
        self.pool_connections.set(i64::from(state.connections));
        self.pool_idle.set(i64::from(state.idle_connections));
        self.pool_max.set(i64::from(pool.max_size()));
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out).expect("metrics encode");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}

/// What the metrics need of an answered request.
pub struct Answer<'a> {
    pub method: &'a Method,
    /// The route template that matched, if any.
    pub route: Option<&'a str>,
    pub status: StatusCode,
    /// The error the handler returned, when it is one of Essor's.
    pub error: Option<&'a ApiError>,
    /// Answered from the idempotency store (`Idempotent-Replayed: true`).
    pub replayed: bool,
}

/// Standard methods by name; anything else is `other` (a client must not create series).
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ];
    KNOWN.iter().find(|m| *m == method).map(Method::as_str).unwrap_or("other")
}

/// The money operation a route is, if it is one.
fn money_operation(method: &Method, route: Option<&str>) -> Option<&'static str> {
    if method != Method::POST {
        return None;
    }
    match route? {
        "/api/v1/dossiers/{id}/approve" => Some("approval"),
        "/api/v1/dossiers/{id}/amend" => Some("amendment"),
        "/api/v1/dossiers/{id}/cancel" => Some("cancellation"),
        "/api/v1/disbursements/{id}/pay" => Some("payment"),
        _ => None,
    }
}

/// What the tracking middleware answers: the inner service's response, once recorded.
pub type Tracked<B> = std::pin::Pin<Box<dyn Future<Output = Result<ServiceResponse<B>, actix_web::Error>>>>;

/// The middleware (for `App::wrap_fn`) that records every request the application answers.
pub fn track<S, B>(metrics: web::Data<Metrics>) -> impl Fn(ServiceRequest, &S) -> Tracked<B> + Clone + 'static
where
    S: actix_web::dev::Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    move |req: ServiceRequest, srv: &S| {
        let started = Instant::now();
        let method = req.method().clone();
        let metrics = metrics.clone();
        let fut = srv.call(req);
        Box::pin(async move {
            let res = fut.await;
            match &res {
                Ok(res) => {
                    let route = res.request().match_pattern();
                    let replayed =
                        res.headers().get("idempotent-replayed").is_some_and(|v| v.as_bytes() == b"true");
                    let answer = Answer {
                        method: &method,
                        route: route.as_deref(),
                        status: res.status(),
                        error: res.response().error().and_then(|e| e.as_error::<ApiError>()),
                        replayed,
                    };
                    metrics.observe(&answer, started.elapsed());
                }
                Err(e) => {
                    let answer = Answer {
                        method: &method,
                        route: None,
                        status: e.as_response_error().status_code(),
                        error: e.as_error::<ApiError>(),
                        replayed: false,
                    };
                    metrics.observe(&answer, started.elapsed());
                }
            }
            res
        })
    }
}

/// Where `GET /metrics` is served, and whether it needs a token.
#[derive(Clone)]
pub struct Scrape {
    pub token: Option<Secret>,
}

/// `GET /metrics`: the Prometheus text format; with a token configured, only for
/// `Authorization: Bearer <token>`.
pub async fn scrape(
    req: HttpRequest,
    metrics: web::Data<Metrics>,
    state: web::Data<crate::state::AppState>,
    scrape: web::Data<Scrape>,
) -> Result<HttpResponse, ApiError> {
    if let Some(Secret(token)) = &scrape.token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
            .map(|(_, t)| t.trim())
            .unwrap_or("");
        if !constant_time_eq(given.as_bytes(), token.as_bytes()) {
            return Err(ApiError::Unauthorized(text!(
                "requests-metrics-require-header-authorization-bearer"
            )));
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(metrics.render(&state.pool)))
}

/// Compares without stopping at the first difference (the token's length is not secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProblemCode;

    #[test]
    fn labels_are_templates_and_known_methods() {
        let m = Metrics::new();
        let ok = Answer {
            method: &Method::GET,
            route: Some("/api/v1/dossiers/{id}"),
            status: StatusCode::OK,
            error: None,
            replayed: false,
        };
        m.observe(&ok, Duration::from_millis(3));
        let odd = Method::from_bytes(b"BREW").unwrap();
        m.observe(
            &Answer {
                method: &odd,
                route: None,
                status: StatusCode::NOT_FOUND,
                error: None,
                replayed: false,
            },
            Duration::from_millis(1),
        );
        let mut out = Vec::new();
        TextEncoder::new().encode(&m.registry.gather(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(
                r#"essor_http_requests_total{method="GET",route="/api/v1/dossiers/{id}",status="200"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"essor_http_requests_total{method="other",route="unmatched",status="404"} 1"#)
        );
        assert!(!text.contains("BREW"));
    }

    #[test]
    fn money_refusals_carry_the_problem_code() {
        let m = Metrics::new();
        let refused = ApiError::refused(
            ProblemCode::EnvelopeExhausted,
            crate::text!("code-envelope_exhausted"),
            Default::default(),
        );
        let route = Some("/api/v1/dossiers/{id}/approve");
        m.observe(
            &Answer {
                method: &Method::POST,
                route,
                status: StatusCode::CONFLICT,
                error: Some(&refused),
                replayed: false,
            },
            Duration::ZERO,
        );
        for replayed in [false, true] {
            let answer =
                Answer { method: &Method::POST, route, status: StatusCode::OK, error: None, replayed };
            m.observe(&answer, Duration::ZERO);
        }
        assert_eq!(m.money_refusals.with_label_values(&["approval", "envelope_exhausted"]).get(), 1);
        assert_eq!(m.money.with_label_values(&["approval"]).get(), 1);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}

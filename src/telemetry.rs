//! Logging: `RUST_LOG` filters (default `info`), `ESSOR_LOG_FORMAT=json` for structured logs.
//! Each request's span is logged when it closes: method, route template, status, latency and
//! request id (an access log whose lines match the request's other events). Logs carry no
//! personal data and no secret: no client address, user agent, query string, token, subject,
//! body or error text a person could have typed (see README, "Personal data").

use std::io::IsTerminal;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::HttpMessage;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("ESSOR_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    // Colours only for a person at a terminal: a file or a journal gets plain text.
    let builder = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_span_events(FmtSpan::CLOSE);
    // A second init (tests start many apps in one process) is harmless and ignored.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

/// The access log's span. tracing-actix-web's default one records the client's address, its
/// user agent, the path with its query string and, on errors, the error's `Debug` text (which
/// may quote what the client sent): personal data, all of it. This one records the route's
/// template (`/api/v1/dossiers/{id}`), never the path as sent.
pub struct AccessLog;

impl RootSpanBuilder for AccessLog {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern().unwrap_or_else(|| "(no route)".to_string());
        let request_id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.status_code = tracing::field::Empty,
            request_id = %request_id,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("http.status_code", status.as_u16());
    }
}

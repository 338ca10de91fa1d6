//! Logging: `RUST_LOG` filters (default `info`), `ESSOR_LOG_FORMAT=json` for structured logs.
//! Each request's span is logged when it closes: method, route, status, latency and request id
//! (an access log whose lines match the request's other events).

use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("ESSOR_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr).with_span_events(FmtSpan::CLOSE);
    // A second init (tests start many apps in one process) is harmless and ignored.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

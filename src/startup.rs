//! The application builder: binds, builds the pool, and returns a server that tests start too.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::dev::Service;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{header, Method};
use actix_web::middleware::{Compress, Condition, DefaultHeaders};
use actix_web::HttpMessage;
use actix_web::{web, App, HttpServer};
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::extract::{BodyLimit, UploadLimit, MIN_FILE_TIMEOUT};
use crate::api::{self, KnownRoutes};
use crate::auth::jwks::{self, Jwks};
use crate::auth::TokenKeys;
use crate::config::Settings;
use crate::db;
use crate::metrics::{self, Metrics, Scrape};
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Database(#[from] db::DbSetupError),
    #[error(transparent)]
    Keys(#[from] crate::auth::KeyError),
    #[error("cannot open the document storage: {0}")]
    Documents(String),
    #[error("a letter template is refused: {0}")]
    Templates(#[from] crate::letters::TemplateError),
    #[error("cannot listen on {addr}: {cause}")]
    Bind { addr: String, cause: std::io::Error },
    #[error(transparent)]
    Jwks(#[from] jwks::JwksError),
}

pub struct Application {
    port: u16,
    server: Server,
    /// The separate metrics listener (ESSOR_METRICS_BIND), when configured.
    metrics: Option<(u16, Server)>,
}

/// Builds the token keys from the settings (reading the public key file if one is named).
pub fn token_keys(settings: &Settings) -> Result<TokenKeys, StartupError> {
    let pem = match &settings.jwt.public_key_file {
        None => None,
        Some(path) => Some(std::fs::read(path).map_err(|e| crate::auth::KeyError::Read {
            path: path.display().to_string(),
            cause: e.to_string(),
        })?),
    };
    let path = settings.jwt.public_key_file.as_ref().map(|p| p.display().to_string());
    Ok(TokenKeys::new(
        &settings.jwt.issuer,
        &settings.jwt.audience,
        settings.hs256_secret().map(str::as_bytes),
        path.as_deref().zip(pem.as_deref()),
    )?)
}

impl Application {
    /// Runs the migrations, builds the pool and binds; the server runs once awaited.
    pub fn build(settings: &Settings) -> Result<Self, StartupError> {
        settings.check()?;
        if settings.uses_development_secret() {
            tracing::warn!(
                "!!! ESSOR_JWT_SECRET is not set: using the built-in DEVELOPMENT secret. Anyone \
                 can mint tokens for this server. Set ESSOR_JWT_SECRET before any real use. !!!"
            );
        }
        let mut keys = token_keys(settings)?;
        if let Some(url) = &settings.jwt.jwks_url {
            let jwks = Arc::new(Jwks::new(
                url,
                std::time::Duration::from_secs(settings.jwt.jwks_min_fetch_interval_secs),
            )?);
            fetch_at_start(&jwks);
            jwks::spawn_refresh(
                Arc::downgrade(&jwks),
                std::time::Duration::from_secs(settings.jwt.jwks_refresh_secs),
            );
            keys = keys.with_jwks(jwks);
        }
        let keys = Arc::new(keys);
        let applied = db::run_migrations(&settings.database_url)?;
        if !applied.is_empty() {
            tracing::info!(migrations = ?applied, "applied database migrations");
        }
        let pool = db::build_pool_with(&settings.database_url, settings.pool_size, settings.lock_timeout_ms)?;
        let documents = db::document_store::open(&settings.document_storage)
            .map_err(|e| StartupError::Documents(e.to_string()))?;
        collect_document_garbage(&pool, documents.as_ref());
        // Every template is checked now: a bad one stops the start, not a letter when it is due.
        let letters = Arc::new(crate::letters::Templates::load(settings.templates_dir.as_deref())?);
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|cause| StartupError::Bind { addr: settings.bind.clone(), cause })?;
        let port = listener
            .local_addr()
            .map_err(|cause| StartupError::Bind { addr: settings.bind.clone(), cause })?;
        let metrics = web::Data::new(Metrics::new());
        let state = AppState::with_waiting_gauge(pool, documents, metrics.pool_waiting.clone(), letters);
        let metrics_server = match &settings.metrics_bind {
            None => None,
            Some(bind) => Some(metrics_listener(bind, state.clone(), metrics.clone(), settings)?),
        };
        let server = run(listener, state, keys, metrics, settings)?;
        tracing::info!(address = %port, backend = ?db::Backend::from_url(&settings.database_url)?, "Essor listening");
        Ok(Self { port: port.port(), server, metrics: metrics_server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the separate metrics listener, when one is configured.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// Serves until SIGINT/SIGTERM, then drains in-flight requests (actix's graceful stop).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        match self.metrics {
            None => self.server.await,
            Some((_, metrics)) => {
                let (api, metrics) = futures_util::future::join(self.server, metrics).await;
                api.and(metrics)
            }
        }
    }
}

/// Start-up removes the document files no row names (left by an upload whose transaction
/// failed while the process died): only those older than an hour, since another instance may be
/// between its file and its row. A failure is logged, never fatal.
fn collect_document_garbage(pool: &db::DbPool, store: &dyn db::document_store::DocumentStore) {
    let removed = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
        store.collect_garbage(&mut conn, db::document_store::GC_GRACE).map_err(|e| e.to_string())
    });
    match removed {
        Ok(0) => {}
        Ok(n) => tracing::info!(removed = n, "removed orphan document files"),
        Err(e) => tracing::warn!(error = %e, "document garbage collection failed"),
    }
}

/// The first fetch of the JWKS, before serving. It runs on a thread of its own (start-up is
/// synchronous, and may run inside an async runtime); if it fails, Essor starts anyway and
/// fetches again in the background and on the first token with an unknown `kid`.
fn fetch_at_start(jwks: &Arc<Jwks>) {
    let jwks = Arc::clone(jwks);
    let fetched = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        runtime.map(|rt| rt.block_on(jwks.refresh()).is_ok())
    })
    .join();
    if !matches!(fetched, Ok(Ok(true))) {
        tracing::error!(
            "the JWKS could not be fetched at start: tokens of its keys are refused until a later fetch succeeds"
        );
    }
}

/// CORS for the configured origins only (exact matches, never a wildcard): the headers a
/// browser client sends and the ones it needs to read. Disabled when no origin is configured.
fn cors(origins: &[String]) -> Condition<Cors> {
    let mut cors = Cors::default()
        .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_MATCH,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("idempotent-replayed"),
        ])
        // A request from another origin is served without CORS headers (the browser keeps the
        // answer from the page); only a preflight from it is refused.
        .block_on_origin_mismatch(false)
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    Condition::new(!origins.is_empty(), cors)
}

/// `GET /metrics` alone, on its own address (and with the token, if one is configured).
fn metrics_listener(
    bind: &str,
    state: AppState,
    metrics: web::Data<Metrics>,
    settings: &Settings,
) -> Result<(u16, Server), StartupError> {
    let failed = |cause| StartupError::Bind { addr: bind.to_string(), cause };
    let listener = TcpListener::bind(bind).map_err(failed)?;
    let port = listener.local_addr().map_err(failed)?.port();
    let state = web::Data::new(state);
    let scrape = web::Data::new(Scrape { token: settings.metrics_token.clone() });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(metrics.clone())
            .app_data(scrape.clone())
            .route("/metrics", web::get().to(metrics::scrape))
            .default_service(web::to(api::no_route))
            .wrap(api::problem_safety_net())
    })
    .workers(1)
    .shutdown_timeout(5)
    .listen(listener)
    .map_err(failed)?
    .run();
    tracing::info!(address = %bind, port, "metrics listening");
    Ok((port, server))
}

fn run(
    listener: TcpListener,
    state: AppState,
    keys: Arc<TokenKeys>,
    metrics: web::Data<Metrics>,
    settings: &Settings,
) -> Result<Server, StartupError> {
    let doc = api::openapi();
    let known = web::Data::new(KnownRoutes::from_openapi(&doc));
    let state = web::Data::new(state);
    let keys = web::Data::from(keys);
    let upload = web::Data::new(UploadLimit {
        bytes: settings.max_document_bytes,
        timeout: std::time::Duration::from_secs(settings.body_timeout_secs).max(MIN_FILE_TIMEOUT),
    });
    let limit = web::Data::new(BodyLimit {
        bytes: settings.max_body_bytes,
        timeout: std::time::Duration::from_secs(settings.body_timeout_secs),
    });
    let max_body = settings.max_body_bytes;
    let origins = settings.cors_origins.clone();
    // On the main listener only with a token, and only when no separate listener is set.
    let scrape = match (&settings.metrics_bind, &settings.metrics_token) {
        (None, Some(token)) => Some(web::Data::new(Scrape { token: Some(token.clone()) })),
        _ => None,
    };
    let mut server = HttpServer::new(move || {
        let (mut app, _) = App::new().into_utoipa_app().configure(api::routes).split_for_parts();
        if let Some(scrape) = &scrape {
            app = app.app_data(scrape.clone()).route("/metrics", web::get().to(metrics::scrape));
        }
        app.app_data(state.clone())
            .app_data(metrics.clone())
            .app_data(keys.clone())
            .app_data(known.clone())
            .app_data(limit.clone())
            .app_data(upload.clone())
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(api::query_config())
            .app_data(api::path_config())
            .service(web::redirect("/docs", "/docs/"))
            .service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", doc.clone()))
            .default_service(web::to(api::no_route))
            .wrap(cors(&origins))
            .wrap(api::problem_safety_net())
            .wrap(Compress::default())
            .wrap(api::language::Language)
            .wrap(
                DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "no-referrer")),
            )
            .wrap_fn(|req, srv| {
                // Echo the id that the logs carry, so a client can quote it.
                let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
                    }
                    Ok(res)
                }
            })
            .wrap_fn(metrics::track(metrics.clone()))
            .wrap(TracingLogger::<crate::telemetry::AccessLog>::new())
    })
    .shutdown_timeout(30)
    .listen(listener)
    .map_err(|cause| StartupError::Bind { addr: settings.bind.clone(), cause })?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}

//! Typed settings from the environment. Secrets are never logged.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::db::document_store::StorageSettings;
use crate::db::Backend;

/// Used only when no ESSOR_JWT_SECRET is set, and then only on a loopback address.
pub const DEVELOPMENT_SECRET: &str = "essor-development-secret-never-use-outside-loopback";
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Clone)]
pub struct JwtSettings {
    pub secret: Option<String>,
    pub issuer: String,
    pub audience: String,
    pub public_key_file: Option<PathBuf>,
    /// An identity provider's JWKS endpoint (OpenID Connect `jwks_uri`); its keys sign tokens
    /// accepted too.
    pub jwks_url: Option<String>,
    /// How often the JWKS is fetched again in the background, in seconds.
    pub jwks_refresh_secs: u64,
    /// Shortest time between two fetches of the JWKS prompted by a token with an unknown `kid`.
    pub jwks_min_fetch_interval_secs: u64,
}

impl std::fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtSettings")
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("public_key_file", &self.public_key_file)
            .field("jwks_url", &self.jwks_url)
            .field("jwks_refresh_secs", &self.jwks_refresh_secs)
            .field("jwks_min_fetch_interval_secs", &self.jwks_min_fetch_interval_secs)
            .finish()
    }
}

/// A value that must never reach a log: its `Debug` says only that it is set.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub jwt: JwtSettings,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    pub pool_size: u32,
    /// Longest wait for a lock held by other work, in milliseconds (`ESSOR_DB_LOCK_TIMEOUT_MS`,
    /// 10 000 by default): SQLite's busy timeout, PostgreSQL's `lock_timeout`. Past it the
    /// request is 503 with `Retry-After`, nothing written.
    pub lock_timeout_ms: u32,
    pub workers: Option<usize>,
    /// Longest time a client may take to send a request body, in seconds (408 after it).
    pub body_timeout_secs: u64,
    /// Largest uploaded document, in bytes (`ESSOR_MAX_DOCUMENT_BYTES`, 20 MB by default):
    /// 413 as soon as an upload goes past it.
    pub max_document_bytes: u64,
    /// Where documents' bytes live: `ESSOR_DOCUMENT_STORAGE=database` (the default) or
    /// `filesystem`, in `ESSOR_DOCUMENTS_DIR`.
    pub document_storage: StorageSettings,
    /// Browser origins (`scheme://host[:port]`, exactly) allowed to call the API (CORS); none
    /// by default.
    pub cors_origins: Vec<String>,
    /// A separate address serving `GET /metrics` (Prometheus), e.g. `127.0.0.1:9090`.
    pub metrics_bind: Option<String>,
    /// A bearer token that `GET /metrics` requires (on the main listener when no
    /// `metrics_bind` is set).
    pub metrics_token: Option<Secret>,
    /// A directory of letter templates a territory adapted (`ESSOR_TEMPLATES_DIR`): each one
    /// found there replaces the shipped one, checked at start-up.
    pub templates_dir: Option<PathBuf>,
}

/// 20 MB, the default largest document.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 20 * 1000 * 1000;

fn document_storage() -> Result<StorageSettings, ConfigError> {
    let dir = env("ESSOR_DOCUMENTS_DIR").map(PathBuf::from);
    match env("ESSOR_DOCUMENT_STORAGE").as_deref().map(str::trim) {
        None | Some("database") => Ok(StorageSettings::Database),
        Some("filesystem") => dir.map(StorageSettings::Filesystem).ok_or_else(|| {
            ConfigError::Invalid("ESSOR_DOCUMENT_STORAGE=filesystem needs ESSOR_DOCUMENTS_DIR".into())
        }),
        Some(other) => {
            Err(ConfigError::Invalid(format!("ESSOR_DOCUMENT_STORAGE={other:?}: use database or filesystem")))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_parse<T: std::str::FromStr>(name: &str, default: T) -> Result<T, ConfigError> {
    match env(name) {
        None => Ok(default),
        Some(v) => {
            v.trim().parse().map_err(|_| ConfigError::Invalid(format!("{name}={v:?} is not a valid value")))
        }
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let settings = Settings {
            bind: env("ESSOR_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            database_url: env("DATABASE_URL").unwrap_or_else(|| "essor.db".into()),
            jwt: JwtSettings {
                secret: env("ESSOR_JWT_SECRET"),
                issuer: env("ESSOR_JWT_ISSUER").unwrap_or_else(|| "essor".into()),
                audience: env("ESSOR_JWT_AUDIENCE").unwrap_or_else(|| "essor-api".into()),
                public_key_file: env("ESSOR_JWT_PUBLIC_KEY_FILE").map(PathBuf::from),
                jwks_url: env("ESSOR_JWT_JWKS_URL"),
                jwks_refresh_secs: env_parse("ESSOR_JWT_JWKS_REFRESH_SECS", 300)?,
                jwks_min_fetch_interval_secs: env_parse("ESSOR_JWT_JWKS_MIN_FETCH_INTERVAL_SECS", 30)?,
            },
            max_body_bytes: env_parse("ESSOR_MAX_BODY_BYTES", 256 * 1024)?,
            pool_size: env_parse("ESSOR_DB_POOL_SIZE", 10)?,
            lock_timeout_ms: env_parse("ESSOR_DB_LOCK_TIMEOUT_MS", crate::db::DEFAULT_LOCK_TIMEOUT_MS)?,
            workers: env("ESSOR_WORKERS")
                .map(|v| v.parse())
                .transpose()
                .map_err(|_| ConfigError::Invalid("ESSOR_WORKERS must be a positive integer".into()))?,
            body_timeout_secs: env_parse("ESSOR_BODY_TIMEOUT_SECS", 30)?,
            max_document_bytes: env_parse("ESSOR_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)?,
            document_storage: document_storage()?,
            cors_origins: env("ESSOR_CORS_ORIGINS")
                .map(|v| v.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect())
                .unwrap_or_default(),
            metrics_bind: env("ESSOR_METRICS_BIND"),
            metrics_token: env("ESSOR_METRICS_TOKEN").map(Secret),
            templates_dir: env("ESSOR_TEMPLATES_DIR").map(PathBuf::from),
        };
        settings.check()?;
        Ok(settings)
    }

    /// Refuses settings that would be unsafe or cannot work, with a message that says which.
    pub fn check(&self) -> Result<(), ConfigError> {
        Backend::from_url(&self.database_url).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        if let Some(secret) = &self.jwt.secret {
            if secret.len() < MIN_SECRET_LEN {
                return Err(ConfigError::Invalid(format!(
                    "ESSOR_JWT_SECRET must be at least {MIN_SECRET_LEN} bytes long"
                )));
            }
        }
        if self.uses_development_secret() && !self.bind_is_loopback()? {
            return Err(ConfigError::Invalid(format!(
                "refusing to listen on {} with the development JWT secret: set ESSOR_JWT_SECRET \
                 (or ESSOR_JWT_PUBLIC_KEY_FILE, or ESSOR_JWT_JWKS_URL), or bind to 127.0.0.1",
                self.bind
            )));
        }
        if self.max_body_bytes == 0
            || self.pool_size == 0
            || self.lock_timeout_ms == 0
            || self.body_timeout_secs == 0
            || self.max_document_bytes == 0
        {
            return Err(ConfigError::Invalid(
                "ESSOR_MAX_BODY_BYTES, ESSOR_DB_POOL_SIZE, ESSOR_DB_LOCK_TIMEOUT_MS, ESSOR_BODY_TIMEOUT_SECS and ESSOR_MAX_DOCUMENT_BYTES must be positive"
                    .into(),
            ));
        }
        if let Some(url) = &self.jwt.jwks_url {
            let parsed = url::Url::parse(url)
                .map_err(|_| ConfigError::Invalid(format!("ESSOR_JWT_JWKS_URL={url:?} is not a URL")))?;
            if !matches!(parsed.scheme(), "https" | "http") {
                return Err(ConfigError::Invalid(format!(
                    "ESSOR_JWT_JWKS_URL={url:?} must be an https:// (or http://) URL"
                )));
            }
        }
        if self.jwt.jwks_refresh_secs == 0 || self.jwt.jwks_min_fetch_interval_secs == 0 {
            return Err(ConfigError::Invalid(
                "ESSOR_JWT_JWKS_REFRESH_SECS and ESSOR_JWT_JWKS_MIN_FETCH_INTERVAL_SECS must be positive"
                    .into(),
            ));
        }
        for origin in &self.cors_origins {
            check_origin(origin)?;
        }
        if let Some(bind) = &self.metrics_bind {
            bind.parse::<SocketAddr>().map_err(|_| {
                ConfigError::Invalid(format!("ESSOR_METRICS_BIND={bind:?} is not an address:port"))
            })?;
        }
        if let Some(Secret(token)) = &self.metrics_token {
            if token.len() < MIN_SECRET_LEN || !token.chars().all(|c| c.is_ascii_graphic()) {
                return Err(ConfigError::Invalid(format!(
                    "ESSOR_METRICS_TOKEN must be at least {MIN_SECRET_LEN} printable ASCII characters, without spaces"
                )));
            }
        }
        Ok(())
    }

    /// True when neither a secret nor an external public key is configured.
    pub fn uses_development_secret(&self) -> bool {
        self.jwt.secret.is_none() && !self.has_external_keys()
    }

    /// True when an identity provider's keys are configured (a PEM file or a JWKS endpoint).
    pub fn has_external_keys(&self) -> bool {
        self.jwt.public_key_file.is_some() || self.jwt.jwks_url.is_some()
    }

    /// The HS256 secret in force: the configured one, else the development one when no
    /// external key is configured either.
    pub fn hs256_secret(&self) -> Option<&str> {
        match (&self.jwt.secret, self.has_external_keys()) {
            (Some(s), _) => Some(s.as_str()),
            (None, false) => Some(DEVELOPMENT_SECRET),
            (None, true) => None,
        }
    }

    fn bind_is_loopback(&self) -> Result<bool, ConfigError> {
        let bind = self.bind.trim();
        if let Some(port_sep) = bind.rfind(':') {
            let host = bind[..port_sep].trim_start_matches('[').trim_end_matches(']');
            if host.eq_ignore_ascii_case("localhost") {
                return Ok(true);
            }
        }
        let addr: SocketAddr = bind
            .parse()
            .map_err(|_| ConfigError::Invalid(format!("ESSOR_BIND={bind:?} is not an address:port")))?;
        Ok(addr.ip().is_loopback())
    }
}

/// An origin as browsers send it: `scheme://host[:port]`, nothing more (no path, no trailing
/// slash, no wildcard), http or https.
fn check_origin(origin: &str) -> Result<(), ConfigError> {
    let invalid = || {
        ConfigError::Invalid(format!(
            "ESSOR_CORS_ORIGINS: {origin:?} is not an exact origin such as https://app.example.fr \
             (scheme, host and port only; no wildcard, path or trailing slash)"
        ))
    };
    let url = url::Url::parse(origin).map_err(|_| invalid())?;
    let exact = matches!(url.scheme(), "http" | "https")
        && !origin.contains('*')
        && url.origin().ascii_serialization() == origin;
    if exact {
        Ok(())
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(bind: &str, secret: Option<&str>) -> Settings {
        Settings {
            bind: bind.into(),
            database_url: "essor.db".into(),
            jwt: JwtSettings {
                secret: secret.map(str::to_string),
                issuer: "essor".into(),
                audience: "essor-api".into(),
                public_key_file: None,
                jwks_url: None,
                jwks_refresh_secs: 300,
                jwks_min_fetch_interval_secs: 30,
            },
            max_body_bytes: 1024,
            pool_size: 2,
            lock_timeout_ms: crate::db::DEFAULT_LOCK_TIMEOUT_MS,
            workers: None,
            body_timeout_secs: 30,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            document_storage: StorageSettings::Database,
            cors_origins: Vec::new(),
            metrics_bind: None,
            metrics_token: None,
            templates_dir: None,
        }
    }

    #[test]
    fn development_secret_only_on_loopback() {
        assert!(settings("127.0.0.1:8080", None).check().is_ok());
        assert!(settings("[::1]:8080", None).check().is_ok());
        assert!(settings("localhost:8080", None).check().is_ok());
        assert!(settings("0.0.0.0:8080", None).check().is_err());
        let long = "x".repeat(40);
        assert!(settings("0.0.0.0:8080", Some(&long)).check().is_ok());
        assert!(settings("0.0.0.0:8080", Some("short")).check().is_err());
    }

    #[test]
    fn unknown_database_scheme_is_refused() {
        let mut s = settings("127.0.0.1:8080", None);
        s.database_url = "mysql://localhost/essor".into();
        assert!(s.check().is_err());
    }

    #[test]
    fn secrets_are_not_in_debug_output() {
        let mut s = settings("127.0.0.1:8080", Some("a-very-secret-value-that-is-long-enough"));
        s.metrics_token = Some(Secret("a-metrics-token-that-is-long-enough-too".into()));
        assert!(s.check().is_ok());
        let debug = format!("{s:?}");
        assert!(!debug.contains("a-very-secret") && !debug.contains("a-metrics-token"), "{debug}");
    }

    #[test]
    fn cors_origins_are_exact_origins() {
        let mut s = settings("127.0.0.1:8080", None);
        for good in ["https://app.example.fr", "http://localhost:5173", "https://[::1]:8443"] {
            s.cors_origins = vec![good.into()];
            assert!(s.check().is_ok(), "{good}");
        }
        for bad in [
            "*",
            "https://*.example.fr",
            "https://app.example.fr/",
            "https://app.example.fr/path",
            "app.example.fr",
            "ftp://app.example.fr",
            "https://app.example.fr:443",
            "null",
        ] {
            s.cors_origins = vec![bad.into()];
            assert!(s.check().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_jwks_endpoint_replaces_the_development_secret() {
        let mut s = settings("0.0.0.0:8080", None);
        assert!(s.check().is_err());
        s.jwt.jwks_url = Some("https://idp.example.fr/realms/essor/protocol/openid-connect/certs".into());
        assert!(s.check().is_ok());
        assert_eq!(s.hs256_secret(), None);
        s.jwt.jwks_url = Some("file:///etc/keys.json".into());
        assert!(s.check().is_err());
    }

    #[test]
    fn metrics_settings_are_checked() {
        let mut s = settings("127.0.0.1:8080", None);
        s.metrics_bind = Some("127.0.0.1:9090".into());
        assert!(s.check().is_ok());
        s.metrics_bind = Some("somewhere".into());
        assert!(s.check().is_err());
        s.metrics_bind = None;
        s.metrics_token = Some(Secret("short".into()));
        assert!(s.check().is_err());
    }
}

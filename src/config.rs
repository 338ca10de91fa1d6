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
}

impl std::fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtSettings")
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("public_key_file", &self.public_key_file)
            .finish()
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
    pub workers: Option<usize>,
    /// Longest time a client may take to send a request body, in seconds (408 after it).
    pub body_timeout_secs: u64,
    /// Largest uploaded document, in bytes (`ESSOR_MAX_DOCUMENT_BYTES`, 20 MB by default):
    /// 413 as soon as an upload goes past it.
    pub max_document_bytes: u64,
    /// Where documents' bytes live: `ESSOR_DOCUMENT_STORAGE=database` (the default) or
    /// `filesystem`, in `ESSOR_DOCUMENTS_DIR`.
    pub document_storage: StorageSettings,
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
            },
            max_body_bytes: env_parse("ESSOR_MAX_BODY_BYTES", 256 * 1024)?,
            pool_size: env_parse("ESSOR_DB_POOL_SIZE", 10)?,
            workers: env("ESSOR_WORKERS")
                .map(|v| v.parse())
                .transpose()
                .map_err(|_| ConfigError::Invalid("ESSOR_WORKERS must be a positive integer".into()))?,
            body_timeout_secs: env_parse("ESSOR_BODY_TIMEOUT_SECS", 30)?,
            max_document_bytes: env_parse("ESSOR_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES)?,
            document_storage: document_storage()?,
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
                 (or ESSOR_JWT_PUBLIC_KEY_FILE), or bind to 127.0.0.1",
                self.bind
            )));
        }
        if self.max_body_bytes == 0
            || self.pool_size == 0
            || self.body_timeout_secs == 0
            || self.max_document_bytes == 0
        {
            return Err(ConfigError::Invalid(
                "ESSOR_MAX_BODY_BYTES, ESSOR_DB_POOL_SIZE, ESSOR_BODY_TIMEOUT_SECS and ESSOR_MAX_DOCUMENT_BYTES must be positive"
                    .into(),
            ));
        }
        Ok(())
    }

    /// True when neither a secret nor an external public key is configured.
    pub fn uses_development_secret(&self) -> bool {
        self.jwt.secret.is_none() && self.jwt.public_key_file.is_none()
    }

    /// The HS256 secret in force: the configured one, else the development one when no
    /// external key is configured either.
    pub fn hs256_secret(&self) -> Option<&str> {
        match (&self.jwt.secret, &self.jwt.public_key_file) {
            (Some(s), _) => Some(s.as_str()),
            (None, None) => Some(DEVELOPMENT_SECRET),
            (None, Some(_)) => None,
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
            },
            max_body_bytes: 1024,
            pool_size: 2,
            workers: None,
            body_timeout_secs: 30,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            document_storage: StorageSettings::Database,
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
        let s = settings("127.0.0.1:8080", Some("a-very-secret-value-that-is-long-enough"));
        assert!(!format!("{s:?}").contains("a-very-secret"));
    }
}

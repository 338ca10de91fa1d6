//! An identity provider's signing keys from its JWKS endpoint (RFC 7517; OpenID Connect's
//! `jwks_uri`): fetched at start, again in the background, and on a token whose `kid` is
//! unknown (at most once per `min_fetch_interval`). A failed fetch changes nothing: the last
//! good keys stay in use.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

/// The algorithms a JWKS key may sign tokens with here.
const ACCEPTED: [Algorithm; 3] = [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA];

/// A usable key: its algorithm and the key itself.
#[derive(Clone)]
pub struct JwksKey {
    pub algorithm: Algorithm,
    pub key: DecodingKey,
}

pub struct Jwks {
    url: String,
    client: reqwest::Client,
    keys: RwLock<HashMap<String, JwksKey>>,
    /// When the last fetch started, to space out fetches prompted by unknown `kid`s.
    last_fetch: Mutex<Option<Instant>>,
    min_fetch_interval: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("cannot fetch the JWKS from {url}: {cause}")]
    Fetch { url: String, cause: String },
    #[error("the JWKS from {url} holds no usable key (RS256, ES256 or EdDSA, with a kid)")]
    NoKey { url: String },
}

impl Jwks {
    pub fn new(url: &str, min_fetch_interval: Duration) -> Result<Self, JwksError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            // Fetches are minutes apart, and may come from different runtimes: no pooling.
            .pool_max_idle_per_host(0)
            .user_agent(concat!("essor/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| JwksError::Fetch { url: url.into(), cause: e.to_string() })?;
        Ok(Self {
            url: url.into(),
            client,
            keys: RwLock::new(HashMap::new()),
            last_fetch: Mutex::new(None),
            min_fetch_interval,
        })
    }

    /// The key named `kid`, if the last good set holds it.
    pub fn key(&self, kid: &str) -> Option<JwksKey> {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).get(kid).cloned()
    }

    /// The `kid`s in use now, sorted.
    pub fn kids(&self) -> Vec<String> {
        let mut kids: Vec<String> =
            self.keys.read().unwrap_or_else(|e| e.into_inner()).keys().cloned().collect();
        kids.sort();
        kids
    }

    /// Fetches the set and, if it holds at least one usable key, puts it in use (keys absent
    /// from it are dropped: a rotation). On any failure the keys in use stay.
    pub async fn refresh(&self) -> Result<usize, JwksError> {
        *self.last_fetch.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        let fetched = self.fetch().await;
        match fetched {
            Ok(keys) => {
                let count = keys.len();
                *self.keys.write().unwrap_or_else(|e| e.into_inner()) = keys;
                tracing::info!(url = %self.url, keys = count, "JWKS keys in use");
                Ok(count)
            }
            Err(e) => {
                tracing::warn!(error = %e, kept = self.kids().len(), "JWKS fetch failed; the last good keys stay in use");
                Err(e)
            }
        }
    }

    /// Refreshes for a token with an unknown `kid`, unless a fetch started less than
    /// `min_fetch_interval` ago (a stream of forged `kid`s must not hammer the provider).
    /// True when a fetch was made and succeeded.
    pub async fn refresh_for_unknown_kid(&self) -> bool {
        {
            let mut last = self.last_fetch.lock().unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|at| at.elapsed() < self.min_fetch_interval) {
                return false;
            }
            *last = Some(Instant::now());
        }
        self.refresh().await.is_ok()
    }

    async fn fetch(&self) -> Result<HashMap<String, JwksKey>, JwksError> {
        let failed = |cause: String| JwksError::Fetch { url: self.url.clone(), cause };
        let response = self.client.get(&self.url).send().await.map_err(|e| failed(e.to_string()))?;
        if !response.status().is_success() {
            return Err(failed(format!("status {}", response.status())));
        }
        let body = response.bytes().await.map_err(|e| failed(e.to_string()))?;
        let keys = usable_keys(&body).map_err(failed)?;
        if keys.is_empty() {
            return Err(JwksError::NoKey { url: self.url.clone() });
        }
        Ok(keys)
    }
}

/// The usable keys of a JWKS document, by `kid`. Keys of other kinds (encryption keys,
/// symmetric keys, other curves or algorithms, no `kid`) are skipped, not an error: a provider
/// publishes more than Essor uses.
pub fn usable_keys(body: &[u8]) -> Result<HashMap<String, JwksKey>, String> {
    #[derive(serde::Deserialize)]
    struct Document {
        keys: Vec<serde_json::Value>,
    }
    let document: Document = serde_json::from_slice(body).map_err(|e| format!("not a JWKS document: {e}"))?;
    let mut keys = HashMap::new();
    for value in document.keys {
        let Ok(jwk) = serde_json::from_value::<Jwk>(value) else { continue };
        let Some(kid) = jwk.common.key_id.clone() else { continue };
        if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
            continue;
        }
        let Some(algorithm) = algorithm_of(&jwk) else { continue };
        let Ok(key) = DecodingKey::from_jwk(&jwk) else { continue };
        keys.insert(kid, JwksKey { algorithm, key });
    }
    Ok(keys)
}

/// The algorithm a key signs with: the one it declares (`alg`), which must fit its type, else
/// its type's (RSA: RS256, EC P-256: ES256, OKP Ed25519: EdDSA). None for anything else,
/// symmetric keys first of all.
fn algorithm_of(jwk: &Jwk) -> Option<Algorithm> {
    let by_type = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => Algorithm::ES256,
        AlgorithmParameters::OctetKeyPair(p) if p.curve == EllipticCurve::Ed25519 => Algorithm::EdDSA,
        _ => return None,
    };
    let declared = match jwk.common.key_algorithm {
        None => by_type,
        Some(KeyAlgorithm::RS256) => Algorithm::RS256,
        Some(KeyAlgorithm::ES256) => Algorithm::ES256,
        Some(KeyAlgorithm::EdDSA) => Algorithm::EdDSA,
        Some(_) => return None,
    };
    (declared == by_type && ACCEPTED.contains(&declared)).then_some(declared)
}

/// Refreshes the keys every `every` for as long as `jwks` is in use (the task ends once the
/// application that holds it is gone).
pub fn spawn_refresh(jwks: Weak<Jwks>, every: Duration) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        tracing::warn!("no async runtime: the JWKS will not be refreshed in the background");
        return;
    };
    runtime.spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            let Some(jwks) = jwks.upgrade() else { break };
            let _ = jwks.refresh().await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_signing_keys_of_accepted_kinds_are_kept() {
        let document = serde_json::json!({"keys": [
            // An HMAC key must never be taken from a JWKS (anyone could then sign).
            {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"},
            {"kty": "OKP", "crv": "Ed25519", "kid": "ed", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
            {"kty": "OKP", "crv": "Ed25519", "kid": "ed-enc", "use": "enc", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
            {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
            {"kty": "OKP", "crv": "Ed25519", "kid": "ed-as-rs", "alg": "RS256", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
            {"kty": "XYZ", "kid": "odd"}
        ]});
        let keys = usable_keys(&serde_json::to_vec(&document).unwrap()).unwrap();
        let mut kids: Vec<&String> = keys.keys().collect();
        kids.sort();
        assert_eq!(kids, ["ed"]);
        assert_eq!(keys["ed"].algorithm, Algorithm::EdDSA);
        assert!(usable_keys(b"<html>").is_err());
    }
}

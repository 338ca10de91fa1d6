//! Bearer-token authentication: decoding and checking JWTs, and the extractor that turns a
//! request's token into the domain's [`Caller`]. It needs the token keys, nothing else.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use jsonwebtoken::{decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use futures_util::future::LocalBoxFuture;

pub mod jwks;
use jwks::Jwks;

pub use crate::domain::access::{Caller, Role};
use crate::domain::Text;
use crate::error::ApiError;
use crate::text;

/// The authenticated caller, as handlers take it.
pub type AuthUser = Caller;

/// The claims Essor requires in a token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    /// Code of the caller's territory; every object the caller touches belongs to it.
    pub territory: String,
    /// Applicants: the SIRET of the organisation the identity provider vouches they act for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub iss: String,
    pub aud: Audience,
    pub exp: i64,
    #[serde(default)]
    pub iat: i64,
}

/// The `aud` claim: RFC 7519 allows one string or an array of them. Tokens minted here carry
/// one string; identity providers often send an array. Whether this service is among them
/// is checked by the JWT validation, before the claims are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl From<&str> for Audience {
    fn from(audience: &str) -> Self {
        Audience::One(audience.to_string())
    }
}

impl From<String> for Audience {
    fn from(audience: String) -> Self {
        Audience::One(audience)
    }
}

/// Keys and checks for incoming tokens, and the key that mints them (CLI, tests).
pub struct TokenKeys {
    issuer: String,
    audience: String,
    hs256: Option<(EncodingKey, DecodingKey)>,
    /// An external identity provider's public key (RS256 or EdDSA).
    external: Option<(Algorithm, DecodingKey)>,
    /// An identity provider's keys from its JWKS endpoint, chosen by the token's `kid`.
    jwks: Option<Arc<Jwks>>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the public key file {path}: {cause}")]
    Read { path: String, cause: String },
    #[error("the public key file {0} is neither an RSA nor an Ed25519 public key in PEM")]
    Parse(String),
    #[error("no signing secret is configured (ESSOR_JWT_SECRET); tokens from an external provider cannot be minted here")]
    NoSecret,
}

impl TokenKeys {
    pub fn new(
        issuer: &str,
        audience: &str,
        secret: Option<&[u8]>,
        public_key_pem: Option<(&str, &[u8])>,
    ) -> Result<Self, KeyError> {
        let hs256 = secret.map(|s| (EncodingKey::from_secret(s), DecodingKey::from_secret(s)));
        let external = match public_key_pem {
            None => None,
            Some((path, pem)) => Some(
                DecodingKey::from_rsa_pem(pem)
                    .map(|k| (Algorithm::RS256, k))
                    .or_else(|_| DecodingKey::from_ed_pem(pem).map(|k| (Algorithm::EdDSA, k)))
                    .map_err(|_| KeyError::Parse(path.to_string()))?,
            ),
        };
        Ok(Self { issuer: issuer.into(), audience: audience.into(), hs256, external, jwks: None })
    }

    /// Accepts tokens signed by the keys of `jwks` too.
    pub fn with_jwks(mut self, jwks: Arc<Jwks>) -> Self {
        self.jwks = Some(jwks);
        self
    }

    /// The JWKS keys, when configured.
    pub fn jwks(&self) -> Option<&Arc<Jwks>> {
        self.jwks.as_ref()
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.validate_exp = true;
        // A token is refused before its `nbf` (when it has one), with the same leeway as `exp`.
        v.validate_nbf = true;
        v.leeway = 30;
        v
    }

    /// Checks signature, algorithm, expiry, start of validity, issuer and audience, and that
    /// the identity claims hold no control character.
    /// Uses the JWKS keys already fetched, never the network: see [`TokenKeys::verify`].
    pub fn decode(&self, token: &str) -> Result<Claims, ApiError> {
        let header = decode_header(token).map_err(|_| unauthorized(text!("auth-not-a-jwt")))?;
        let key = self.key_for(&header)?;
        self.check(token, &key, header.alg)
    }

    /// Like [`TokenKeys::decode`], but a token whose `kid` the JWKS does not hold makes Essor
    /// fetch the JWKS again first (a key rotation), at most once per configured interval.
    pub async fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let header = decode_header(token).map_err(|_| unauthorized(text!("auth-not-a-jwt")))?;
        let key = match (self.key_for(&header), &self.jwks, &header.kid) {
            (Err(refused), Some(jwks), Some(kid))
                if header.alg != Algorithm::HS256 && jwks.key(kid).is_none() =>
            {
                if !jwks.refresh_for_unknown_kid().await {
                    return Err(refused);
                }
                self.key_for(&header)?
            }
            (key, _, _) => key?,
        };
        self.check(token, &key, header.alg)
    }

    /// The key for a token's header: the HS256 secret for HS256; else the JWKS key its `kid`
    /// names, if the JWKS holds it; else the PEM key if the algorithm is its own; else refused.
    fn key_for(&self, header: &Header) -> Result<DecodingKey, ApiError> {
        let refused_alg = || unauthorized(text!("auth-algorithm-refused"));
        if header.alg == Algorithm::HS256 {
            return self.hs256.as_ref().map(|(_, key)| key.clone()).ok_or_else(refused_alg);
        }
        let in_jwks = matches!((&self.jwks, &header.kid), (Some(jwks), Some(kid)) if jwks.key(kid).is_some());
        if !in_jwks {
            if let Some((expected, key)) = &self.external {
                if header.alg == *expected {
                    return Ok(key.clone());
                }
            }
        }
        let Some(jwks) = &self.jwks else { return Err(refused_alg()) };
        let kid = header.kid.as_deref().ok_or_else(|| unauthorized(text!("auth-no-kid")))?;
        let key = jwks.key(kid).ok_or_else(|| unauthorized(text!("auth-unknown-kid")))?;
        if key.algorithm != header.alg {
            return Err(refused_alg());
        }
        Ok(key.key)
    }

    fn check(&self, token: &str, key: &DecodingKey, alg: Algorithm) -> Result<Claims, ApiError> {
        let claims =
            decode::<Claims>(token, key, &self.validation(alg)).map(|data| data.claims).map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                let why = match e.kind() {
                    ErrorKind::ExpiredSignature => text!("auth-expired"),
                    ErrorKind::ImmatureSignature => text!("auth-not-yet-valid"),
                    ErrorKind::InvalidIssuer => text!("auth-wrong-issuer"),
                    ErrorKind::InvalidAudience => text!("auth-wrong-audience"),
                    ErrorKind::InvalidSignature => text!("auth-bad-signature"),
                    ErrorKind::MissingRequiredClaim(_) => {
                        text!("auth-missing-claim")
                    }
                    ErrorKind::InvalidClaimFormat(_) | ErrorKind::Json(_) => {
                        text!("auth-malformed-claims")
                    }
                    _ => text!("auth-rejected"),
                };
                unauthorized(why)
            })?;
        // These values reach queries, logs and stored rows: a NUL (which PostgreSQL cannot
        // store in text) or any other control character makes the token invalid.
        let identity = [Some(&claims.sub), Some(&claims.territory), claims.organisation.as_ref()];
        if identity.into_iter().flatten().any(|value| value.chars().any(char::is_control)) {
            return Err(unauthorized(text!("auth-control-character")));
        }
        Ok(claims)
    }

    /// Mints an HS256 token with the configured secret.
    pub fn mint(&self, claims: &Claims) -> Result<String, KeyError> {
        let (key, _) = self.hs256.as_ref().ok_or(KeyError::NoSecret)?;
        encode(&Header::new(Algorithm::HS256), claims, key).map_err(|_| KeyError::NoSecret)
    }

    /// Claims for a token of `ttl` from now, with this service's issuer and audience.
    pub fn claims(
        &self,
        sub: &str,
        role: Role,
        territory: &str,
        organisation: Option<&str>,
        ttl: std::time::Duration,
    ) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: sub.into(),
            role,
            territory: territory.into(),
            organisation: organisation.map(str::to_string),
            iss: self.issuer.clone(),
            aud: Audience::One(self.audience.clone()),
            iat: now,
            exp: now + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2),
        }
    }
}

fn unauthorized(why: Text) -> ApiError {
    ApiError::Unauthorized(text!("auth-invalid-token", why = why))
}

/// The token of the request's one `Authorization: Bearer <token>` header. The scheme name is
/// case-insensitive (RFC 9110 §11.1); two Authorization headers are refused rather than one
/// of them chosen.
fn bearer_token(req: &HttpRequest) -> Result<&str, ApiError> {
    let mut values = req.headers().get_all(header::AUTHORIZATION);
    let value = values.next().ok_or_else(|| {
        ApiError::Unauthorized(text!("requests-authorization-bearer-token-header-required"))
    })?;
    if values.next().is_some() {
        return Err(ApiError::bad_request(text!("requests-send-one-authorization-header-several")));
    }
    value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthorized(text!("requests-authorization-header-bearer-token")))
}

async fn authenticate(req: HttpRequest) -> Result<AuthUser, ApiError> {
    let keys = req
        .app_data::<web::Data<TokenKeys>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("auth", "token keys not configured"))?;
    let token = bearer_token(&req)?;
    let claims = keys.verify(token).await?;
    if claims.territory.trim().is_empty() {
        return Err(ApiError::Unauthorized(text!("requests-invalid-bearer-token-no-territory")));
    }
    Ok(Caller {
        sub: claims.sub,
        role: claims.role,
        territory: claims.territory.into(),
        organisation_siret: claims.organisation,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}

//! Bearer-token authentication: decoding and checking JWTs, the authenticated-caller
//! extractor, and role checks.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use jsonwebtoken::{decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::future::{ready, Ready};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// What a caller may do (DESIGN.md, "Users and what they do").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Instructor,
    Finance,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Instructor => "instructor",
            Role::Finance => "finance",
            Role::Admin => "admin",
        }
    }

    /// Staff see every dossier of their territory; applicants only their own organisation's.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Applicant)
    }
}

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
    pub aud: String,
    pub exp: i64,
    #[serde(default)]
    pub iat: i64,
}

/// The authenticated caller, as handlers see it.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub sub: String,
    pub role: Role,
    pub territory: String,
    pub organisation_siret: Option<String>,
}

impl AuthUser {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::Forbidden(format!(
                "The role '{}' may not do this; it needs: {}.",
                self.role.as_str(),
                names.join(", ")
            )))
        }
    }

    /// The SIRET an applicant acts for (403 if an applicant token names none).
    pub fn applicant_siret(&self) -> Result<&str, ApiError> {
        self.organisation_siret
            .as_deref()
            .ok_or_else(|| ApiError::Forbidden("This applicant token names no organisation.".into()))
    }
}

/// Keys and checks for incoming tokens, and the key that mints them (CLI, tests).
pub struct TokenKeys {
    issuer: String,
    audience: String,
    hs256: Option<(EncodingKey, DecodingKey)>,
    /// An external identity provider's public key (RS256 or EdDSA).
    external: Option<(Algorithm, DecodingKey)>,
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
        Ok(Self { issuer: issuer.into(), audience: audience.into(), hs256, external })
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.leeway = 30;
        v
    }

    /// Checks signature, algorithm, expiry, issuer and audience.
    pub fn decode(&self, token: &str) -> Result<Claims, ApiError> {
        let unauthorized = |why: &str| ApiError::Unauthorized(format!("Invalid bearer token: {why}."));
        let header = decode_header(token).map_err(|_| unauthorized("not a JWT"))?;
        let key = match (header.alg, &self.hs256, &self.external) {
            (Algorithm::HS256, Some((_, key)), _) => key,
            (alg, _, Some((expected, key))) if alg == *expected => key,
            _ => return Err(unauthorized("signed with an algorithm this service does not accept")),
        };
        decode::<Claims>(token, key, &self.validation(header.alg)).map(|data| data.claims).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            let why = match e.kind() {
                ErrorKind::ExpiredSignature => "expired",
                ErrorKind::InvalidIssuer => "wrong issuer",
                ErrorKind::InvalidAudience => "wrong audience",
                ErrorKind::InvalidSignature => "bad signature",
                ErrorKind::MissingRequiredClaim(_) => "a required claim is missing",
                ErrorKind::Json(_) => "claims are missing or malformed",
                _ => "rejected",
            };
            unauthorized(why)
        })
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
            aud: self.audience.clone(),
            iat: now,
            exp: now + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2),
        }
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let keys = &req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("auth", "application state not configured"))?
        .keys;
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized("An Authorization: Bearer <token> header is required.".into())
    })?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::Unauthorized("The Authorization header must be 'Bearer <token>'.".into()))?;
    let claims = keys.decode(token)?;
    if claims.territory.trim().is_empty() {
        return Err(ApiError::Unauthorized("Invalid bearer token: no territory.".into()));
    }
    Ok(AuthUser {
        sub: claims.sub,
        role: claims.role,
        territory: claims.territory,
        organisation_siret: claims.organisation,
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

//! An identity provider's keys from its JWKS endpoint, served here by a local HTTP server:
//! RS256, ES256 and EdDSA keys chosen by `kid`, a rotation picked up on the first token of the
//! new key, unknown `kid`s fetching at most once per interval, the last good keys kept while
//! the endpoint is down, and the background refresh.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::{both_backends, spawn_app_with, Backend, TestApp, AUDIENCE, ISSUER, TERRITORY};

both_backends!(
    jwks_keys_are_chosen_by_kid_rotated_and_kept_while_the_endpoint_is_down,
    jwks_keys_are_refreshed_in_the_background_and_fetched_late_if_down_at_start
);

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A test key: its `kid`, algorithm and private key.
struct Key {
    kid: &'static str,
    alg: Algorithm,
    private: EncodingKey,
}

fn key(kid: &'static str, alg: Algorithm, file: &str) -> Key {
    let pem = std::fs::read(format!("{FIXTURES}/{file}")).unwrap();
    let private = match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem),
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem),
        Algorithm::EdDSA => EncodingKey::from_ed_pem(&pem),
        _ => unreachable!(),
    }
    .unwrap();
    Key { kid, alg, private }
}

/// The public JWKS document of `keys`.
fn jwks(keys: &[&Key]) -> Value {
    let keys = keys
        .iter()
        .map(|k| {
            let mut jwk = Jwk::from_encoding_key(&k.private, k.alg).unwrap();
            jwk.common.key_id = Some(k.kid.to_string());
            jwk
        })
        .collect();
    serde_json::to_value(JwkSet { keys }).unwrap()
}

/// A token signed by `key`, announcing `kid` and `alg` in its header.
fn token_with(key: &Key, kid: Option<&str>, alg: Algorithm) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": "idp-user", "role": "instructor", "territory": TERRITORY, "iss": ISSUER,
        "aud": AUDIENCE, "iat": now, "exp": now + 300});
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&header, &claims, &key.private).unwrap()
}

fn token(key: &Key) -> String {
    token_with(key, Some(key.kid), key.alg)
}

/// What the local identity provider serves, and how often it was asked.
struct Provider {
    document: Value,
    up: bool,
    fetches: usize,
}

struct LocalJwks {
    url: String,
    provider: Arc<Mutex<Provider>>,
    server: actix_web::dev::ServerHandle,
}

impl LocalJwks {
    fn serve(&self, document: Value) {
        self.provider.lock().unwrap().document = document;
    }
    fn set_up(&self, up: bool) {
        self.provider.lock().unwrap().up = up;
    }
    fn fetches(&self) -> usize {
        self.provider.lock().unwrap().fetches
    }
}

impl Drop for LocalJwks {
    fn drop(&mut self) {
        let server = self.server.clone();
        tokio::spawn(async move { server.stop(false).await });
    }
}

async fn jwks_endpoint(provider: web::Data<Mutex<Provider>>) -> HttpResponse {
    let mut provider = provider.lock().unwrap();
    provider.fetches += 1;
    if provider.up {
        HttpResponse::Ok().json(&provider.document)
    } else {
        HttpResponse::ServiceUnavailable().finish()
    }
}

async fn local_jwks(document: Value, up: bool) -> LocalJwks {
    let provider = Arc::new(Mutex::new(Provider { document, up, fetches: 0 }));
    let data = web::Data::from(provider.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).route("/realms/essor/certs", web::get().to(jwks_endpoint))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    LocalJwks { url: format!("http://127.0.0.1:{port}/realms/essor/certs"), provider, server: handle }
}

async fn status(app: &TestApp, token: String) -> u16 {
    let res = app.bearer(token).get("/api/v1/territory").await;
    if res.status.as_u16() == 200 {
        assert_eq!(res.body["code"], TERRITORY);
    } else {
        res.problem(401);
    }
    res.status.as_u16()
}

async fn jwks_keys_are_chosen_by_kid_rotated_and_kept_while_the_endpoint_is_down(backend: Backend) {
    let rsa = key("rsa-2026", Algorithm::RS256, "idp-test-rsa.key.pem");
    let ec = key("ec-2026", Algorithm::ES256, "idp-test-ec256.key.pem");
    let ed = key("ed-2026", Algorithm::EdDSA, "idp-test-ed25519.key.pem");
    let next = key("rsa-2027", Algorithm::RS256, "unknown-rsa.key.pem");
    let idp = local_jwks(jwks(&[&rsa, &ec, &ed]), true).await;
    let app = spawn_app_with(backend, |s| {
        s.jwt.jwks_url = Some(idp.url.clone());
        s.jwt.jwks_refresh_secs = 3600;
        s.jwt.jwks_min_fetch_interval_secs = 3;
    })
    .await;
    // Fetched once, at start.
    assert_eq!(idp.fetches(), 1);

    // Each kind of key, chosen by kid.
    for key in [&rsa, &ec, &ed] {
        assert_eq!(status(&app, token(key)).await, 200, "{}", key.kid);
    }
    // A key signs only with its own algorithm, a token must name its key, and the HS256 secret
    // still works alongside.
    assert_eq!(status(&app, token_with(&ec, Some(rsa.kid), Algorithm::ES256)).await, 401);
    assert_eq!(status(&app, token_with(&rsa, None, Algorithm::RS256)).await, 401);
    assert_eq!(app.instructor().get("/api/v1/territory").await.status.as_u16(), 200);
    // The unknown-kid check above fetched at most once (the interval is 3 s).
    assert!(idp.fetches() <= 2, "{}", idp.fetches());
    tokio::time::sleep(Duration::from_millis(3100)).await;

    // Rotation: the provider publishes a new key and withdraws the old RSA one. The first token
    // of the new key makes Essor fetch the set again.
    idp.serve(jwks(&[&next, &ec, &ed]));
    let before = idp.fetches();
    assert_eq!(status(&app, token(&next)).await, 200);
    assert_eq!(idp.fetches(), before + 1);
    assert_eq!(status(&app, token(&rsa)).await, 401, "a withdrawn key is refused");

    // A burst of unknown kids right after a fetch fetches nothing more.
    let forged = key("forged", Algorithm::RS256, "idp-test-rsa.key.pem");
    for _ in 0..5 {
        assert_eq!(status(&app, token(&forged)).await, 401);
    }
    assert_eq!(idp.fetches(), before + 1, "unknown kids are rate-limited");

    // The endpoint goes down: a fetch fails, and the last good keys stay in use.
    idp.set_up(false);
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(status(&app, token(&forged)).await, 401);
    assert_eq!(idp.fetches(), before + 2, "the unknown kid made a fetch, which failed");
    for key in [&next, &ec, &ed] {
        assert_eq!(status(&app, token(key)).await, 200, "{} after a failed fetch", key.kid);
    }
    // A set with no usable key (the provider misconfigured) changes nothing either.
    idp.set_up(true);
    idp.serve(json!({"keys": [{"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}]}));
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(status(&app, token(&forged)).await, 401);
    assert_eq!(idp.fetches(), before + 3);
    assert_eq!(status(&app, token(&next)).await, 200);
}

async fn jwks_keys_are_refreshed_in_the_background_and_fetched_late_if_down_at_start(backend: Backend) {
    let rsa = key("rsa-2026", Algorithm::RS256, "idp-test-rsa.key.pem");
    let ed = key("ed-2026", Algorithm::EdDSA, "idp-test-ed25519.key.pem");
    let idp = local_jwks(jwks(&[&rsa]), false).await;
    let app = spawn_app_with(backend, |s| {
        s.jwt.jwks_url = Some(idp.url.clone());
        s.jwt.jwks_refresh_secs = 1;
        s.jwt.jwks_min_fetch_interval_secs = 60;
    })
    .await;
    // Down at start: Essor starts anyway, and refuses the provider's tokens meanwhile (an
    // unknown kid fetches at most once a minute here, so only the background fetches).
    assert!(idp.fetches() >= 1);
    assert_eq!(status(&app, token(&rsa)).await, 401);

    // Back up, with a second key: the background refresh picks both up, no token asking.
    idp.serve(jwks(&[&rsa, &ed]));
    idp.set_up(true);
    let back_up = idp.fetches();
    let mut accepted = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if status(&app, token(&ed)).await == 200 {
            accepted = true;
            break;
        }
    }
    assert!(accepted, "the background refresh never brought the keys ({} fetches)", idp.fetches());
    assert!(idp.fetches() > back_up);
    assert_eq!(status(&app, token(&rsa)).await, 200);
}

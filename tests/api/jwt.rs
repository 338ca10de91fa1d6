//! Bearer tokens under attack: every forged, stale, misdirected or odd token is a 401
//! problem (never a 500, never accepted), and the Authorization header is read strictly.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::{both_backends, spawn_app_with, Backend, Resp, TestApp, AUDIENCE, ISSUER, TERRITORY};

both_backends!(
    forged_and_misdirected_tokens_are_401_problems,
    control_characters_in_identity_claims_are_401_problems,
    a_token_valid_only_from_next_year_is_refused_now,
    an_audience_array_that_contains_ours_is_accepted,
    two_authorization_headers_are_refused_and_the_scheme_is_case_insensitive
);

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const PATH: &str = "/api/v1/territory";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Claims an instructor of the test territory would hold, valid for five minutes.
fn good_claims() -> Value {
    json!({"sub": "idp-user", "role": "instructor", "territory": TERRITORY, "iss": ISSUER,
        "aud": AUDIENCE, "iat": now(), "exp": now() + 300})
}

fn with(mut claims: Value, changes: Value) -> Value {
    for (name, value) in changes.as_object().unwrap() {
        claims[name] = value.clone();
    }
    claims
}

fn without(mut claims: Value, name: &str) -> Value {
    claims.as_object_mut().unwrap().remove(name);
    claims
}

/// Signed by the identity provider's RSA key (the one the server is configured with).
fn rs256(claims: &Value) -> String {
    rs256_with(claims, &fixture("idp-test-rsa.key.pem"), None)
}

fn rs256_with(claims: &Value, private_pem: &[u8], kid: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_pem(private_pem).unwrap()).unwrap()
}

/// HS256 with the test app's secret.
fn hs256(app: &TestApp, claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(app.secret.as_bytes()),
    )
    .unwrap()
}

fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn segment(value: &Value) -> String {
    base64_url(&serde_json::to_vec(value).unwrap())
}

/// A 401 problem with the Bearer challenge.
#[track_caller]
fn refused(res: &Resp, what: &str) {
    assert_eq!(res.status.as_u16(), 401, "{what}: {}", res.text);
    res.problem(401);
    assert!(res.header("www-authenticate").is_some_and(|h| h.starts_with("Bearer")), "{what}");
}

/// An app that trusts only an external identity provider's RS256 key (no HS256 secret).
async fn rs256_only_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |s| {
        s.jwt.secret = None;
        s.jwt.public_key_file = Some(format!("{FIXTURES}/idp-test-rsa.pub.pem").into());
    })
    .await
}

async fn forged_and_misdirected_tokens_are_401_problems(backend: Backend) {
    let app = rs256_only_app(backend).await;
    let get = |token: String| {
        let client = app.bearer(token);
        async move { client.get(PATH).await }
    };
    // The control: the identity provider's own token is accepted.
    assert_eq!(get(rs256(&good_claims())).await.ok(200)["code"], TERRITORY);

    // alg "none", without a signature and with a real token's signature.
    let none = json!({"alg": "none", "typ": "JWT"});
    refused(&get(format!("{}.{}.", segment(&none), segment(&good_claims()))).await, "alg none");
    let real_signature = rs256(&good_claims()).rsplit('.').next().unwrap().to_string();
    refused(
        &get(format!("{}.{}.{real_signature}", segment(&none), segment(&good_claims()))).await,
        "alg none with a signature",
    );

    // Algorithm confusion: HS256 "signed" with the RS256 public key as the HMAC secret.
    let public_pem = fixture("idp-test-rsa.pub.pem");
    let confused = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &good_claims(),
        &EncodingKey::from_secret(&public_pem),
    )
    .unwrap();
    refused(&get(confused.clone()).await, "HS256 with the public key as secret");

    // Expired beyond the 30 s leeway; no expiry at all.
    refused(&get(rs256(&with(good_claims(), json!({"exp": now() - 120})))).await, "expired");
    refused(&get(rs256(&without(good_claims(), "exp"))).await, "missing exp");
    // Not valid before next year.
    refused(&get(rs256(&with(good_claims(), json!({"nbf": now() + 365 * 86_400})))).await, "future nbf");

    // Another issuer, another audience (as a string and as an array).
    refused(&get(rs256(&with(good_claims(), json!({"iss": "someone-else"})))).await, "wrong iss");
    refused(&get(rs256(&with(good_claims(), json!({"aud": "another-api"})))).await, "wrong aud");
    refused(&get(rs256(&with(good_claims(), json!({"aud": ["another-api"]})))).await, "wrong aud array");
    refused(&get(rs256(&with(good_claims(), json!({"aud": []})))).await, "empty aud array");

    // A genuine token whose payload was changed afterwards (instructor made admin).
    let genuine = rs256(&good_claims());
    let parts: Vec<&str> = genuine.split('.').collect();
    let tampered =
        format!("{}.{}.{}", parts[0], segment(&with(good_claims(), json!({"role": "admin"}))), parts[2]);
    refused(&get(tampered).await, "tampered payload");

    // A well-formed RS256 token naming a key id no configured key has, signed by that
    // unknown key.
    let unknown = rs256_with(&good_claims(), &fixture("unknown-rsa.key.pem"), Some("unknown-kid"));
    refused(&get(unknown).await, "unknown kid");

    // A token in the query string authenticates nobody.
    let query = format!("{PATH}?access_token={}", rs256(&good_claims()));
    refused(&app.anonymous().get(&query).await, "token in the query string");

    // The algorithm-confusion token is refused also where an HS256 secret is configured
    // beside the RSA key (the secret, not the public key, checks HS256 tokens).
    let both = spawn_app_with(backend, |s| {
        s.jwt.public_key_file = Some(format!("{FIXTURES}/idp-test-rsa.pub.pem").into());
    })
    .await;
    refused(&both.bearer(confused).get(PATH).await, "HS256 with the public key, secret configured");
    both.bearer(rs256(&good_claims())).get(PATH).await.ok(200);
}

async fn control_characters_in_identity_claims_are_401_problems(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let siret = crate::helpers::new_siret();
    let applicant = json!({"sub": "someone", "role": "applicant", "territory": TERRITORY,
        "organisation": siret, "iss": ISSUER, "aud": AUDIENCE, "iat": now(), "exp": now() + 300});
    // The control: the same claims without odd characters are accepted.
    app.bearer(hs256(&app, &applicant)).get(PATH).await.ok(200);
    for odd in ["\u{0000}", "\u{0007}", "\n", "\u{001b}", "\u{007f}", "\u{0085}"] {
        for claim in ["sub", "territory", "organisation"] {
            let value = format!("{}{odd}", applicant[claim].as_str().unwrap());
            let token = hs256(&app, &with(applicant.clone(), json!({ claim: value })));
            let client = app.bearer(token);
            refused(&client.get(PATH).await, &format!("{claim} with {odd:?}"));
            refused(&client.get("/api/v1/dossiers").await, &format!("{claim} with {odd:?}, dossiers"));
            let body = crate::helpers::organisation_body(&siret);
            refused(
                &client.post("/api/v1/organisations", &body).await,
                &format!("{claim} with {odd:?}, POST"),
            );
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM organisations"), 0, "nothing written");
}

async fn a_token_valid_only_from_next_year_is_refused_now(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let next_year = hs256(&app, &with(good_claims(), json!({"nbf": now() + 365 * 86_400})));
    let res = app.bearer(next_year).get(PATH).await;
    refused(&res, "nbf next year");
    assert!(res.body["detail"].as_str().unwrap().contains("pas encore valide"), "{}", res.text);
    // Within the leeway, and in the past, nbf is fine.
    app.bearer(hs256(&app, &with(good_claims(), json!({"nbf": now() + 10})))).get(PATH).await.ok(200);
    app.bearer(hs256(&app, &with(good_claims(), json!({"nbf": now() - 3600})))).get(PATH).await.ok(200);
    // A malformed nbf is no way around it.
    let text = hs256(&app, &with(good_claims(), json!({"nbf": "tomorrow"})));
    refused(&app.bearer(text).get(PATH).await, "nbf as text");
}

async fn an_audience_array_that_contains_ours_is_accepted(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    for aud in [json!([AUDIENCE]), json!(["another-api", AUDIENCE]), json!(AUDIENCE)] {
        let token = hs256(&app, &with(good_claims(), json!({ "aud": aud })));
        assert_eq!(app.bearer(token).get(PATH).await.ok(200)["code"], TERRITORY, "aud {aud}");
    }
    for aud in [json!(["another-api"]), json!([]), json!("another-api"), json!(42), json!([42])] {
        let token = hs256(&app, &with(good_claims(), json!({ "aud": aud })));
        refused(&app.bearer(token).get(PATH).await, &format!("aud {aud}"));
    }
    refused(&app.bearer(hs256(&app, &without(good_claims(), "aud"))).get(PATH).await, "no aud");
    // Minting still writes a plain string.
    let minted = app.token_for(essor::auth::Role::Admin, TERRITORY, None);
    let claims = app.keys.decode(&minted).unwrap();
    assert_eq!(serde_json::to_value(&claims).unwrap()["aud"], AUDIENCE);
}

async fn two_authorization_headers_are_refused_and_the_scheme_is_case_insensitive(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let good = app.token_for(essor::auth::Role::Admin, TERRITORY, None);
    let bad = "not-a-jwt";
    let url = app.url(PATH);
    for (first, second) in [(good.as_str(), bad), (bad, good.as_str()), (good.as_str(), good.as_str())] {
        let req = app
            .client
            .get(&url)
            .header("Authorization", format!("Bearer {first}"))
            .header("Authorization", format!("Bearer {second}"));
        let res = app.send(req).await;
        assert_eq!(res.problem(400)["type"], "urn:essor:problem:bad-request", "{}", res.text);
        assert!(res.body["detail"].as_str().unwrap().contains("Authorization"), "{}", res.text);
    }
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let req = app.client.get(&url).header("Authorization", format!("{scheme} {good}"));
        assert_eq!(app.send(req).await.ok(200)["code"], TERRITORY, "{scheme}");
    }
    for value in
        [format!("Bearer{good}"), format!("Basic {good}"), "Bearer".to_string(), "BEARER  ".to_string()]
    {
        let res = app.send(app.client.get(&url).header("Authorization", value.clone())).await;
        refused(&res, &value);
    }
}

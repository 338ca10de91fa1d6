use std::time::Duration;

use essor::auth::{Role, TokenKeys};
use serde_json::json;

use crate::helpers::{
    both_backends, new_siret, rules_parameters, spawn_app, Backend, AUDIENCE, ISSUER, OTHER_TERRITORY,
    TERRITORY,
};

both_backends!(bad_tokens_get_401_problem, roles_and_territories_are_enforced);

async fn bad_tokens_get_401_problem(backend: Backend) {
    let app = spawn_app(backend).await;
    let path = "/api/v1/territory";

    let missing = app.anonymous().get(path).await;
    missing.problem(401);
    assert!(missing.header("www-authenticate").is_some_and(|h| h.starts_with("Bearer")));

    let not_bearer =
        app.send(app.client.get(app.url(path)).header("Authorization", "Basic Zm9vOmJhcg==")).await;
    not_bearer.problem(401);
    let empty_bearer = app.send(app.client.get(app.url(path)).header("Authorization", "Bearer ")).await;
    empty_bearer.problem(401);

    app.bearer("not-a-jwt").get(path).await.problem(401);

    let expired = {
        let mut claims = app.keys.claims("u", Role::Admin, TERRITORY, None, Duration::from_secs(60));
        claims.exp = chrono::Utc::now().timestamp() - 3600;
        app.mint(&claims)
    };
    let res = app.bearer(expired).get(path).await;
    assert!(res.problem(401)["detail"].as_str().unwrap().contains("expiré"));

    let other_secret =
        TokenKeys::new(ISSUER, AUDIENCE, Some(b"another-secret-that-is-long-enough!!"), None).unwrap();
    let forged = other_secret
        .mint(&other_secret.claims("u", Role::Admin, TERRITORY, None, Duration::from_secs(60)))
        .unwrap();
    let res = app.bearer(forged).get(path).await;
    assert!(res.problem(401)["detail"].as_str().unwrap().contains("signature"));

    let wrong_issuer = TokenKeys::new("someone-else", AUDIENCE, Some(app.secret.as_bytes()), None).unwrap();
    let token = wrong_issuer
        .mint(&wrong_issuer.claims("u", Role::Admin, TERRITORY, None, Duration::from_secs(60)))
        .unwrap();
    assert!(app.bearer(token).get(path).await.problem(401)["detail"].as_str().unwrap().contains("émetteur"));

    let wrong_audience = TokenKeys::new(ISSUER, "another-api", Some(app.secret.as_bytes()), None).unwrap();
    let token = wrong_audience
        .mint(&wrong_audience.claims("u", Role::Admin, TERRITORY, None, Duration::from_secs(60)))
        .unwrap();
    assert!(app.bearer(token).get(path).await.problem(401)["detail"].as_str().unwrap().contains("audience"));

    // A token with an unknown role is not a valid Essor token.
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    let claims = json!({"sub": "u", "role": "superuser", "territory": TERRITORY, "iss": ISSUER, "aud": AUDIENCE,
        "exp": chrono::Utc::now().timestamp() + 600});
    let token = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(app.secret.as_bytes()),
    )
    .unwrap();
    app.bearer(token).get(path).await.problem(401);

    // "none" algorithm tokens are refused.
    let unsigned =
        format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.", base64_url(&serde_json::to_vec(&claims).unwrap()));
    app.bearer(unsigned).get(path).await.problem(401);

    // And a good token works.
    let res = app.admin().get(path).await;
    assert_eq!(res.ok(200)["code"], TERRITORY);
    assert_eq!(res.body["name"], "Métropole Rouen Normandie");
    assert!(res.body["created_at"].as_str().unwrap().ends_with('Z'), "{}", res.text);
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

async fn roles_and_territories_are_enforced(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"code": "DI-ESS", "name": "Dynamique Immobilier ESS"});
    for someone in [app.instructor(), app.finance(), app.applicant_with_siret(&new_siret())] {
        someone.post("/api/v1/schemes", &body).await.problem(403);
    }
    // The role is checked before the body: a malformed body from the wrong role is still 403.
    app.instructor().post("/api/v1/schemes", &json!({"bogus": true})).await.problem(403);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes"), 0, "nothing written on 403");

    let id = app.create_scheme("DI-ESS").await;
    // Rennes' admin sees nothing of Rouen's schemes.
    let rennes_admin = app.client_for(Role::Admin, OTHER_TERRITORY, None);
    rennes_admin.get(&format!("/api/v1/schemes/{id}")).await.problem(404);
    rennes_admin.get(&format!("/api/v1/schemes/{id}/rules")).await.problem(404);
    let rules = json!({"effective_from": "2026-01-01", "parameters": rules_parameters("DI-ESS")});
    rennes_admin.post(&format!("/api/v1/schemes/{id}/rules"), &rules).await.problem(404);
    assert_eq!(rennes_admin.get("/api/v1/schemes").await.ok(200).as_array().unwrap().len(), 0);
    // An unregistered territory cannot create anything.
    let nowhere = app.client_for(Role::Admin, "atlantis", None);
    nowhere.post("/api/v1/schemes", &body).await.problem(403);
    nowhere.get("/api/v1/territory").await.problem(404);
}

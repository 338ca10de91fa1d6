//! Text that is not text: a NUL or another control character in any string of a body is a 422
//! naming the field, on both backends (PostgreSQL cannot store a NUL), and nothing is written.

use serde_json::json;

use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, organisation_body, spawn_app, spawn_app_with, Backend};
use essor::domain::lifecycle::DossierStatus::Submitted;

both_backends!(
    control_characters_are_refused_naming_the_field,
    line_breaks_only_where_a_field_has_lines,
    a_body_that_does_not_arrive_in_time_is_a_408_problem,
);

#[track_caller]
fn refused(res: &crate::helpers::Resp, field: &str) {
    let problem = res.problem(422);
    let error = problem["errors"].as_array().unwrap().iter().find(|e| e["field"] == field);
    let error = error.unwrap_or_else(|| panic!("no error for {field}: {}", res.text));
    assert_eq!(error["code"], "control_character", "{}", res.text);
}

async fn control_characters_are_refused_naming_the_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin();
    refused(
        &admin.post("/api/v1/schemes", &json!({"code": "NUL-1", "name": "Aide\u{0}immobilière"})).await,
        "name",
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes"), 0);

    // Nested fields are named by their path.
    let siret = crate::helpers::new_siret();
    let applicant = app.applicant_with_siret(&siret);
    let mut org = organisation_body(&siret);
    org["address"]["city"] = json!("Rouen\u{0}");
    refused(&applicant.post("/api/v1/organisations", &org).await, "address.city");
    let mut org = organisation_body(&siret);
    org["de_minimis_aids"][0]["grantor"] = json!("Région\u{1b}[31m");
    refused(&applicant.post("/api/v1/organisations", &org).await, "de_minimis_aids[0].grantor");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM organisations"), 0);

    // A dossier's title and a transition's comment.
    let d = DossierBuilder::new(&app).in_status(Submitted).await;
    let owner = app.applicant(&d.applicant);
    refused(&owner.patch(&d.path(), &json!({"title": "Travaux\u{0}"}), Some(&d.etag())).await, "title");
    let instructor = app.instructor();
    refused(
        &instructor.act(&d.id, "request-changes", Some(json!({"comment": "Pièce\u{0} manquante"}))).await,
        "comment",
    );
    let now = instructor.get(&d.path()).await.ok(200).clone();
    assert_eq!(now["status"], "submitted");
    assert_eq!(now["title"], d.body["title"]);
}

async fn line_breaks_only_where_a_field_has_lines(backend: Backend) {
    let app = spawn_app(backend).await;
    let d = DossierBuilder::new(&app).draft().await;
    let owner = app.applicant(&d.applicant);
    refused(&owner.patch(&d.path(), &json!({"title": "Ligne 1\nLigne 2"}), Some(&d.etag())).await, "title");
    let multi = json!({"description": "Première ligne.\nDeuxième ligne,\tavec une tabulation."});
    let edited = owner.patch(&d.path(), &multi, Some(&d.etag())).await;
    assert_eq!(edited.ok(200)["description"], multi["description"]);
}

/// A client that announces a body and stops sending it is answered 408 once the body timeout
/// (here 1 s) is over, and the request changes nothing.
async fn a_body_that_does_not_arrive_in_time_is_a_408_problem(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(backend, |s| s.body_timeout_secs = 1).await;
    let token = app.token_for(essor::auth::Role::Admin, crate::helpers::TERRITORY, None);
    let address = app.address.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connect");
    let head = format!(
        "POST /api/v1/schemes HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"code\": \"SLOW"
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server answered within 10 s");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        text.contains("application/problem+json") && text.contains("urn:essor:problem:request-timeout"),
        "{text}"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(900), "not before the timeout");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM schemes"), 0);
}

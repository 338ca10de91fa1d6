//! The reader's language: French by default, English with `Accept-Language: en`, said in
//! `Content-Language`; codes, fields and problem types the same in both.

use serde_json::{json, Value};

use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, spawn_app, Backend, Resp};
use essor::domain::lifecycle::DossierStatus::Submitted;

both_backends!(
    problems_are_in_french_by_default_and_in_english_on_request,
    the_language_is_negotiated_from_accept_language,
    eligibility_reasons_follow_the_reader,
);

/// The response's `Content-Language`, checked to vary with `Accept-Language`.
#[track_caller]
fn language(res: &Resp) -> &str {
    let vary =
        res.headers.get_all("vary").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    assert!(vary.to_ascii_lowercase().contains("accept-language"), "Vary: {vary:?}");
    res.header("content-language").unwrap_or_else(|| panic!("no Content-Language: {:?}", res.headers))
}

/// A problem without its texts: what must not change with the language.
fn without_texts(problem: &Value) -> Value {
    let mut problem = problem.clone();
    for text in ["title", "detail"] {
        problem[text] = Value::Null;
    }
    if let Some(errors) = problem["errors"].as_array_mut() {
        for error in errors {
            error["message"] = Value::Null;
        }
    }
    problem
}

async fn problems_are_in_french_by_default_and_in_english_on_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin();
    let bad = json!({"code": "di ess", "name": "Dynamique Immobilier ESS"});

    let fr = admin.post("/api/v1/schemes", &bad).await;
    let en = admin.post_in("/api/v1/schemes", &bad, "en").await;
    let (fr_problem, en_problem) = (fr.problem(422).clone(), en.problem(422).clone());
    assert_eq!((language(&fr), language(&en)), ("fr", "en"));
    assert_eq!(without_texts(&fr_problem), without_texts(&en_problem));
    assert_eq!(fr_problem["type"], "urn:essor:problem:validation");
    assert_eq!(fr_problem["errors"][0]["field"], "code");
    assert_eq!(fr_problem["errors"][0]["code"], "invalid_format");
    assert_eq!(fr_problem["title"], "Données invalides");
    assert_eq!(
        fr_problem["errors"][0]["message"],
        "Le code doit comporter de 2 à 20 lettres majuscules, chiffres ou tirets, sans commencer par un tiret."
    );
    assert_eq!(
        fr_problem["detail"],
        "code : Le code doit comporter de 2 à 20 lettres majuscules, chiffres ou tirets, sans commencer par un tiret."
    );
    assert_eq!(en_problem["title"], "Invalid input");
    assert_eq!(
        en_problem["errors"][0]["message"],
        "code must be 2 to 20 capital letters, digits or dashes, not starting with a dash"
    );

    // A SIRET that is not one, as the brief of an applicant's registration says it.
    let applicant = app.applicant_with_siret("123");
    let fr = applicant.post("/api/v1/organisations", &crate::helpers::organisation_body("123")).await;
    let fr_problem = fr.problem(422).clone();
    let siret = fr_problem["errors"].as_array().unwrap().iter().find(|e| e["field"] == "siret").unwrap();
    assert_eq!(siret["code"], "siret_format");
    assert_eq!(siret["message"], "Le SIRET doit comporter 14 chiffres.");

    // Problems raised before any handler: the route table's 404 and 405, authentication.
    let missing = admin.get("/api/v1/nothing-here").await;
    assert_eq!(missing.problem(404)["detail"], "Aucune ressource à l'adresse /api/v1/nothing-here.");
    assert_eq!(language(&missing), "fr");
    let missing = admin.get_in("/api/v1/nothing-here", "en").await;
    assert_eq!(missing.problem(404)["detail"], "No resource at /api/v1/nothing-here.");
    assert_eq!(language(&missing), "en");
    let wrong_method = app
        .send(admin.request(reqwest::Method::DELETE, "/api/v1/schemes").header("Accept-Language", "en"))
        .await;
    assert_eq!(wrong_method.problem(405)["title"], "Method not allowed");
    assert_eq!(wrong_method.header("allow"), Some("GET, POST, HEAD"));
    let anonymous = app
        .send(
            app.anonymous().request(reqwest::Method::GET, "/api/v1/schemes").header("Accept-Language", "en"),
        )
        .await;
    assert_eq!(anonymous.problem(401)["title"], "Authentication required");
    assert_eq!(
        anonymous.header("www-authenticate"),
        Some("Bearer realm=\"essor\""),
        "kept when rendered again"
    );
    let anonymous = app.anonymous().get("/api/v1/schemes").await;
    assert_eq!(anonymous.problem(401)["title"], "Authentification requise");
    // Malformed JSON: serde's own words, in a French sentence.
    let malformed = app
        .send(
            admin
                .request(reqwest::Method::POST, "/api/v1/schemes")
                .header("content-type", "application/json")
                .body("{\"name\": \"x\"}"),
        )
        .await;
    let problem = malformed.problem(400);
    assert_eq!(problem["errors"][0]["code"], "invalid");
    assert_eq!(problem["errors"][0]["message"], "champ `code` manquant");

    // Successful answers say their language too.
    let schemes = admin.get("/api/v1/schemes").await;
    schemes.ok(200);
    assert_eq!(language(&schemes), "fr");
    let health = app.anonymous().get_in("/health/live", "en").await;
    health.ok(200);
    assert_eq!(language(&health), "en");
}

async fn the_language_is_negotiated_from_accept_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin();
    let bad = json!({"code": "di ess", "name": "x"});
    for (accept_language, expected) in [
        ("de", "fr"),
        ("en;q=0.1, fr;q=0.9", "fr"),
        ("fr;q=0.1, en;q=0.9", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR", "fr"),
        ("de, en;q=0.5", "en"),
        ("*", "fr"),
        ("en;q=0", "fr"),
        ("en;q=2", "fr"),
    ] {
        let res = admin.post_in("/api/v1/schemes", &bad, accept_language).await;
        let title = res.problem(422)["title"].clone();
        assert_eq!(language(&res), expected, "{accept_language}");
        let title_in = if expected == "fr" { "Données invalides" } else { "Invalid input" };
        assert_eq!(title, title_in, "{accept_language}");
    }
}

async fn eligibility_reasons_follow_the_reader(backend: Backend) {
    let app = spawn_app(backend).await;
    let scheme = app.open_scheme("DI-ESS").await;
    let applicant = app.register_applicant().await;
    let instructor = app.instructor();
    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).in_status(Submitted).await;
    let own_revenue = |view: &Value| {
        let own = &view["report"]["criteria"][2];
        assert_eq!(own["criterion"], "own_revenue_share");
        own["reason"].as_str().unwrap().to_string()
    };
    let french = "Les produits d'exploitation (300\u{202F}000,00\u{A0}€) couvrent 93,75\u{A0}% des charges \
                  d'exploitation (320\u{202F}000,00\u{A0}€)";
    let english = "Operating revenue (€300,000.00) covers 93.75 % of operating costs (€320,000.00)";

    let fr = instructor.get(&d.path_to("eligibility")).await;
    let fr_view = fr.ok(200).clone();
    assert_eq!(language(&fr), "fr");
    assert!(own_revenue(&fr_view).starts_with(french), "{}", own_revenue(&fr_view));
    let en = instructor.get_in(&d.path_to("eligibility"), "en").await;
    let en_view = en.ok(200).clone();
    assert_eq!(language(&en), "en");
    assert!(own_revenue(&en_view).starts_with(english), "{}", own_revenue(&en_view));
    // Only the reasons differ.
    let mut same = fr_view.clone();
    for (i, criterion) in en_view["report"]["criteria"].as_array().unwrap().iter().enumerate() {
        assert_ne!(same["report"]["criteria"][i]["reason"], criterion["reason"]);
        same["report"]["criteria"][i]["reason"] = criterion["reason"].clone();
    }
    assert_eq!(same, en_view);
    let german = instructor.get_in(&d.path_to("eligibility"), "de").await;
    assert_eq!(language(&german), "fr");
    assert_eq!(german.ok(200)["report"], fr_view["report"]);
    let preferred = instructor.get_in(&d.path_to("eligibility"), "en;q=0.1, fr;q=0.9").await;
    assert_eq!(preferred.ok(200)["report"], fr_view["report"]);

    // A snapshot recorded in English reads in French, and the other way round.
    let recorded = instructor.post_in(&d.path_to("eligibility"), &json!({}), "en").await;
    let snapshot = recorded.ok(201).clone();
    assert_eq!(language(&recorded), "en");
    assert!(own_revenue(&snapshot).starts_with(english), "{snapshot}");
    let read = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    assert!(own_revenue(&read["latest_snapshot"]).starts_with(french), "{read}");
    let mut snapshot_in_french = snapshot.clone();
    snapshot_in_french["report"] = read["latest_snapshot"]["report"].clone();
    assert_eq!(read["latest_snapshot"], snapshot_in_french, "only the reasons differ");
    let read = instructor.get_in(&d.path_to("eligibility"), "en").await.ok(200).clone();
    assert_eq!(read["latest_snapshot"], snapshot);
    // The stored snapshot keeps its codes and figures (and the reasons in English, as always).
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM eligibility_snapshots WHERE report LIKE '%{english}%' \
             AND report LIKE '%own_revenue_share.met%'"
        )),
        1
    );
}

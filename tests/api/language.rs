//! The reader's language: French by default, English with `Accept-Language: en`, said in
//! `Content-Language`; codes, fields and problem types the same in both.

use serde_json::{json, Value};

use crate::builders::DossierBuilder;
use crate::helpers::{both_backends, rules_parameters, spawn_app, Backend, Resp};
use essor::domain::lifecycle::DossierStatus::Submitted;

both_backends!(
    problems_are_in_french_by_default_and_in_english_on_request,
    the_language_is_negotiated_from_accept_language,
    eligibility_reasons_follow_the_reader,
    rules_and_submission_messages_and_the_newer_reasons_in_both_languages,
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

/// The reason of `criterion` in an eligibility view (or snapshot).
fn reason_of(view: &Value, criterion: &str) -> String {
    let found = view["report"]["criteria"].as_array().unwrap().iter().find(|c| c["criterion"] == criterion);
    found.unwrap_or_else(|| panic!("{criterion} in {view}"))["reason"].as_str().unwrap().to_string()
}

/// The messages of rules configuration and of submission in both languages, and the reasons of
/// the codes rules configuration brought (advisory, off, ESUS by right, forecast accounts).
async fn rules_and_submission_messages_and_the_newer_reasons_in_both_languages(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin();
    let instructor = app.instructor();

    // A rules version with a staff minimum out of range: its message in French, then English.
    let scheme = app.create_scheme("LANG").await;
    let mut parameters = rules_parameters("DI-ESS");
    parameters["employment"]["min_salaried_staff_fte"] = json!(-1.5);
    let body = json!({"effective_from": "2020-01-01", "parameters": parameters});
    let path = format!("/api/v1/schemes/{scheme}/rules");
    let (fr, en) = (admin.post(&path, &body).await, admin.post_in(&path, &body, "en").await);
    let (fr_problem, en_problem) = (fr.problem(422).clone(), en.problem(422).clone());
    assert_eq!((language(&fr), language(&en)), ("fr", "en"));
    assert_eq!(without_texts(&fr_problem), without_texts(&en_problem));
    assert_eq!(fr_problem["errors"][0]["field"], "parameters.employment.min_salaried_staff_fte");
    assert_eq!(fr_problem["errors"][0]["code"], "out_of_range");
    assert_eq!(
        fr_problem["errors"][0]["message"],
        "La valeur doit être un nombre fini compris entre 0 et 100000, ou « any » ; reçu : -1.5."
    );
    assert_eq!(
        en_problem["errors"][0]["message"],
        "must be a finite number between 0 and 100000, or \"any\", got -1.5"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM rules_versions WHERE scheme_id = (SELECT id FROM schemes WHERE code = 'LANG')"), 0);

    // Employment advisory, the own-revenue share off.
    let mut parameters = rules_parameters("DI-ESS");
    parameters["employment"]["mode"] = json!("advisory");
    parameters["own_revenue"]["mode"] = json!("off");
    app.add_rules(&scheme, "2020-01-01", parameters).await.ok(201);

    // A commercial company holding the ESUS approval by right, with a business plan.
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let applicant = app
        .register_applicant_with(|o| {
            o["legal_form"] = json!("5710");
            o["rna"] = Value::Null;
            o["esus"] = json!({"kind": "by_right", "basis": "insertion_enterprise"});
            o["salaried_staff_fte"] = json!(0);
            o["accounts"]["kind"] = json!("forecast");
            o["accounts"]["year"] = json!(year + 1);
        })
        .await;

    // Asking more than the eligible expenses: refused at submission, with the amounts.
    let greedy = DossierBuilder::new(&app)
        .scheme(&scheme)
        .applicant(&applicant)
        .with_body(|d| d["requested_cents"] = json!(25_000_000))
        .draft()
        .await;
    let submit = format!("/api/v1/dossiers/{}/submit", greedy.id);
    let client = app.applicant(&applicant);
    let fr = app.send(client.request(reqwest::Method::POST, &submit)).await;
    let en = app.send(client.request(reqwest::Method::POST, &submit).header("Accept-Language", "en")).await;
    let (fr_problem, en_problem) = (fr.problem(422).clone(), en.problem(422).clone());
    assert_eq!((language(&fr), language(&en)), ("fr", "en"));
    assert_eq!(without_texts(&fr_problem), without_texts(&en_problem));
    let exceeds = |problem: &Value| {
        let errors = problem["errors"].as_array().unwrap();
        let found = errors.iter().find(|e| e["field"] == "requested_cents");
        found.unwrap_or_else(|| panic!("{problem}")).clone()
    };
    assert_eq!(exceeds(&fr_problem)["code"], "exceeds_expenses");
    assert_eq!(
        exceeds(&fr_problem)["message"],
        "Le montant demandé (250\u{202F}000,00\u{A0}€) dépasse les dépenses éligibles ou le total des loyers \
         (200\u{202F}000,00\u{A0}€)."
    );
    assert_eq!(
        exceeds(&en_problem)["message"],
        "the amount requested cannot exceed the eligible expenses (or the total rent) (20000000 cents)"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM dossiers WHERE id = '{}' AND status = 'draft'",
            greedy.id
        )),
        1
    );

    let d = DossierBuilder::new(&app).scheme(&scheme).applicant(&applicant).in_status(Submitted).await;
    let fr = instructor.get(&d.path_to("eligibility")).await;
    let fr_view = fr.ok(200).clone();
    let en = instructor.get_in(&d.path_to("eligibility"), "en").await;
    let en_view = en.ok(200).clone();
    assert_eq!((language(&fr), language(&en)), ("fr", "en"));
    let codes = |view: &Value| {
        view["report"]["criteria"].as_array().unwrap().iter().map(|c| c["code"].clone()).collect::<Vec<_>>()
    };
    assert_eq!(codes(&fr_view), codes(&en_view));
    assert_eq!(
        codes(&fr_view)[..4],
        [
            json!("employment.no_salaried_staff"),
            json!("market_activity.forecast_accounts"),
            json!("own_revenue_share.off"),
            json!("ess_status.esus_by_right")
        ]
    );

    assert_eq!(
        reason_of(&fr_view, "employment"),
        "La structure ne déclare aucun salarié (0,00\u{A0}ETP) ; les règles exigent un emploi salarié. \
         Critère indicatif : signalé, sans effet sur le résultat d'ensemble."
    );
    assert_eq!(
        reason_of(&en_view, "employment"),
        "The structure declares no salaried staff (0.00 FTE); the rules require salaried employment. \
         Advisory criterion: reported, not counted in the overall result."
    );
    assert_eq!(
        reason_of(&fr_view, "own_revenue_share"),
        "Non évalué : les règles de ce dispositif désactivent le critère de la part de ressources propres."
    );
    assert_eq!(
        reason_of(&en_view, "own_revenue_share"),
        "Not evaluated: the rules of this scheme turn the own-revenue share criterion off."
    );
    assert_eq!(
        reason_of(&fr_view, "ess_status"),
        "La forme juridique 5710 est celle d'une société commerciale qui déclare détenir l'agrément ESUS \
         de plein droit (code du travail, art. L3332-17-1 II) ; un instructeur doit confirmer le fondement \
         qu'elle déclare."
    );
    assert_eq!(
        reason_of(&en_view, "ess_status"),
        "Legal form 5710 is a commercial company that declares holding the ESUS approval by right (code du \
         travail L3332-17-1 II); an instructor must confirm the basis it declares."
    );
    let market = reason_of(&fr_view, "market_activity");
    assert!(
        market.starts_with(
            "Le chiffre d'affaires prévisionnel (210\u{202F}000,00\u{A0}€) représenterait 70,00\u{A0}% des \
             produits d'exploitation prévisionnels (300\u{202F}000,00\u{A0}€) ; les règles exigent au moins "
        ) && market.ends_with(
            ". Ce sont les chiffres d'un plan d'affaires, non des comptes clos : un instructeur doit les apprécier."
        ),
        "{market}"
    );
    let market = reason_of(&en_view, "market_activity");
    assert!(
        market.starts_with(
            "Forecast sales (€210,000.00) would make 70.00 % of forecast operating revenue (€300,000.00); the \
             rules require at least "
        ) && market.ends_with(
            ". These are a business plan's figures, not closed accounts: an instructor must assess them."
        ),
        "{market}"
    );

    // Recorded, then read in the other language: the mode is read back with the rest.
    let recorded = instructor.post_in(&d.path_to("eligibility"), &json!({}), "en").await;
    let snapshot = recorded.ok(201).clone();
    assert_eq!(snapshot["report"]["criteria"][0]["mode"], "advisory");
    let read = instructor.get(&d.path_to("eligibility")).await.ok(200).clone();
    let latest = &read["latest_snapshot"];
    assert_eq!(latest["report"]["criteria"][0]["mode"], "advisory");
    assert_eq!(latest["report"]["criteria"][2]["mode"], "off");
    assert_eq!(reason_of(latest, "employment"), reason_of(&fr_view, "employment"));
    assert_eq!(reason_of(latest, "own_revenue_share"), reason_of(&fr_view, "own_revenue_share"));
}

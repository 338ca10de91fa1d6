use crate::helpers::{both_backends, spawn_app, Backend};

#[test]
fn committed_openapi_document_matches_the_code() {
    let generated = essor::api::openapi_json();
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
        .unwrap_or_default();
    if generated != committed {
        if std::env::var("ESSOR_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"), &generated)
                .expect("write openapi/openapi.json");
        } else {
            panic!(
                "openapi/openapi.json differs from the code's document. Regenerate it with \
                 `cargo run -- openapi > openapi/openapi.json` (or ESSOR_UPDATE_OPENAPI=1 cargo test)."
            );
        }
    }
}

#[test]
fn every_operation_documents_its_responses_and_security() {
    let doc: serde_json::Value = serde_json::from_str(&essor::api::openapi_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer");
    let responses = &doc["components"]["responses"];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let rs = op["responses"].as_object().unwrap_or_else(|| panic!("{method} {path}: no responses"));
            assert!(!rs.is_empty(), "{method} {path}");
            for (status, r) in rs {
                let described = match r.get("$ref").and_then(|v| v.as_str()) {
                    Some(reference) => {
                        let name = reference.rsplit('/').next().unwrap();
                        responses[name]["description"].as_str().is_some_and(|d| !d.is_empty())
                    }
                    None => r["description"].as_str().is_some_and(|d| !d.is_empty()),
                };
                assert!(described, "{method} {path} {status} has no description");
            }
            if path.starts_with("/api/") {
                assert!(op["security"].is_array(), "{method} {path} has no security");
                assert!(rs.contains_key("401"), "{method} {path} does not document 401");
            }
        }
    }
}

/// The language is documented on every operation (`Accept-Language`, one reusable parameter)
/// and on every response (`Content-Language`, one reusable header).
#[test]
fn every_operation_documents_the_language() {
    let doc: serde_json::Value = serde_json::from_str(&essor::api::openapi_json()).unwrap();
    let components = &doc["components"];
    assert_eq!(components["parameters"]["AcceptLanguage"]["name"], "Accept-Language");
    assert_eq!(components["parameters"]["AcceptLanguage"]["in"], "header");
    assert_eq!(components["headers"]["ContentLanguage"]["schema"]["enum"], serde_json::json!(["fr", "en"]));
    let content_language = serde_json::json!({"$ref": "#/components/headers/ContentLanguage"});
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let parameters = op["parameters"].as_array().unwrap_or_else(|| panic!("{method} {path}"));
            assert!(
                parameters.iter().any(|p| p["$ref"] == "#/components/parameters/AcceptLanguage"),
                "{method} {path} does not document Accept-Language"
            );
            for (status, r) in op["responses"].as_object().unwrap() {
                let response = match r["$ref"].as_str() {
                    Some(reference) => &components["responses"][reference.rsplit('/').next().unwrap()],
                    None => r,
                };
                assert_eq!(
                    response["headers"]["Content-Language"], content_language,
                    "{method} {path} {status} does not document Content-Language"
                );
            }
        }
    }
}

/// Every free-text string a client sends says what the server refuses in it: each string of a
/// request body has a `format`, an `enum` or a `pattern`, and the patterns about control
/// characters are exactly the validators' (`essor::domain::checks`, tested against them).
#[test]
fn every_request_string_documents_what_it_accepts() {
    use essor::domain::checks::{CELL_LINE_PATTERN, LINE_PATTERN, TEXT_PATTERN, TEXT_REQUIRED_PATTERN};
    let doc: serde_json::Value = serde_json::from_str(&essor::api::openapi_json()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let mut pending: Vec<(String, serde_json::Value)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(content) = op["requestBody"]["content"].as_object() {
                for media in content.values() {
                    pending.push((format!("{method} {path}"), media["schema"].clone()));
                }
            }
        }
    }
    let (mut seen, mut checked) = (std::collections::HashSet::new(), 0);
    while let Some((at, schema)) = pending.pop() {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap();
            if seen.insert(name.to_string()) {
                pending.push((name.to_string(), schemas[name].clone()));
            }
            continue;
        }
        let is_string = schema["type"] == "string"
            || schema["type"].as_array().is_some_and(|t| t.iter().any(|t| t == "string"));
        if is_string && schema.get("format").is_none() && schema.get("enum").is_none() {
            let pattern =
                schema["pattern"].as_str().unwrap_or_else(|| panic!("{at}: a string without pattern"));
            if pattern.contains("\\x00") {
                assert!(
                    [LINE_PATTERN, CELL_LINE_PATTERN, TEXT_PATTERN, TEXT_REQUIRED_PATTERN].contains(&pattern),
                    "{at}: {pattern} is not one of the validators' patterns"
                );
            }
            checked += 1;
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (name, property) in properties {
                pending.push((format!("{at}.{name}"), property.clone()));
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for item in schema[key].as_array().into_iter().flatten() {
                pending.push((at.clone(), item.clone()));
            }
        }
        for key in ["items", "additionalProperties"] {
            if schema[key].is_object() {
                pending.push((format!("{at}[]"), schema[key].clone()));
            }
        }
    }
    assert!(checked > 30, "only {checked} strings found");
}

/// The texts Essor writes in CSV files (`check_cell_line`: not starting with a character a
/// spreadsheet runs as a formula) say so in their schema, so that a request the schema accepts
/// is never refused with `formula_prefix`.
#[test]
fn texts_written_in_csv_files_document_the_formula_rule() {
    use essor::domain::checks::CELL_LINE_PATTERN;
    let doc: serde_json::Value = serde_json::from_str(&essor::api::openapi_json()).unwrap();
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("NewOrganisation", "name"),
        ("OrganisationPatch", "name"),
        ("NewDossier", "title"),
        ("DossierPatch", "title"),
        ("ApproveRequest", "decision_reference"),
        ("AmendRequest", "decision_reference"),
        ("NewScheme", "name"),
        ("DeliberationRequest", "number"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["pattern"].as_str(),
            Some(CELL_LINE_PATTERN),
            "{schema}.{field}"
        );
    }
    let cells = doc.to_string().matches("=+@-]").count();
    assert_eq!(cells, 8, "no other field has the rule");
}

/// Issue 21: every problem carries a `code` of one enumeration, published as an enum so that a
/// front end switches on it with types.
#[test]
fn every_problem_code_is_published_as_an_enum() {
    use essor::domain::{Code, ProblemCode};
    let document: serde_json::Value = serde_json::from_str(&essor::api::openapi_json()).unwrap();
    let schemas = &document["components"]["schemas"];
    let published: Vec<&str> = schemas["ProblemCode"]["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let codes: Vec<&str> = ProblemCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(published, codes);
    let problem =
        schemas["Problem"]["allOf"].as_array().unwrap().iter().find(|p| p["properties"].is_object()).unwrap();
    assert!(problem["required"].as_array().unwrap().iter().any(|r| r == "code"), "{problem}");
    assert_eq!(problem["properties"]["code"]["$ref"], "#/components/schemas/ProblemCode");
}

#[test]
fn every_field_code_is_published_as_an_enum() {
    use essor::domain::{Code, FieldCode};
    let document: serde_json::Value = serde_json::from_str(&essor::api::openapi_json()).unwrap();
    let schemas = &document["components"]["schemas"];
    let published: Vec<&str> = schemas["FieldCode"]["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let codes: Vec<&str> = FieldCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(published, codes);
    let field_error = &schemas["FieldError"];
    assert!(field_error["required"].as_array().unwrap().iter().any(|r| r == "code"), "{field_error}");
    assert_eq!(field_error["properties"]["code"]["$ref"], "#/components/schemas/FieldCode");
}

both_backends!(
    served_document_equals_the_committed_one,
    docs_page_references_no_external_host,
    every_documented_operation_is_mounted,
);

/// Every operation of the served document is routed: without a token each answers 401 (the
/// health probes 200), never the 404 or 405 of an unknown route.
async fn every_documented_operation_is_mounted(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc = app.anonymous().get("/api-docs/openapi.json").await.ok(200).clone();
    let mut probed = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        let path: String = template
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    uuid::Uuid::new_v4().to_string()
                } else {
                    segment.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res =
                app.send(app.anonymous().request(method.clone(), &path).json(&serde_json::json!({}))).await;
            let expected = if template.starts_with("/health/") { 200 } else { 401 };
            assert_eq!(res.status.as_u16(), expected, "{method} {template}: {}", res.text);
            probed += 1;
        }
    }
    assert!(probed >= 40, "{probed} operations probed");
}

/// Every service of the route table is an operation of the document, and the other way round
/// (the document is generated from the table; this guards against a handler without
/// `#[utoipa::path]`, which would be mounted but not documented).
#[test]
fn the_route_table_and_the_document_list_the_same_operations() {
    let table = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/api/mod.rs")).unwrap();
    let routes = table.split("pub fn routes").nth(1).unwrap().split("\n}\n").next().unwrap();
    let services = routes.matches(".service(").count() - 1; // the /api/v1 scope itself
    let doc: serde_json::Value = serde_json::from_str(&essor::api::openapi_json()).unwrap();
    let operations: usize =
        doc["paths"].as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum();
    assert_eq!(services, operations, "route table services vs documented operations");
}

async fn served_document_equals_the_committed_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = app.anonymous().get("/api-docs/openapi.json").await;
    let served = res.ok(200).clone();
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(served, committed);
    assert_eq!(served["openapi"], "3.1.0");
}

async fn docs_page_references_no_external_host(backend: Backend) {
    let app = spawn_app(backend).await;
    let browser = app.anonymous();
    let redirect = browser.get("/docs").await;
    assert!(redirect.status.is_redirection(), "{:?}", redirect.status);
    let page = browser.get("/docs/").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"), "{}", page.text);
    // The page and its initializer are what a browser follows: no absolute URL in them.
    for path in ["/docs/", "/docs/swagger-initializer.js"] {
        let res = browser.get(path).await;
        assert_eq!(res.status, 200, "{path}");
        assert!(
            !res.text.contains("http://") && !res.text.contains("https://"),
            "{path} references an external host"
        );
    }
    let init = browser.get("/docs/swagger-initializer.js").await;
    assert!(init.text.contains("\"/api-docs/openapi.json\""), "{}", init.text);
    for asset in ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"] {
        assert_eq!(browser.get(&format!("/docs/{asset}")).await.status, 200, "{asset} is served locally");
    }
}

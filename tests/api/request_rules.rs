//! The lengths the OpenAPI document announces on a request's texts are the ones their rules
//! apply. A schema attribute (`max_length = 200`) and the rule beside it
//! (`custom(function = checks::line::<1, 200>)`, or the domain's check of the whole object) are
//! written apart; this holds them together: for every property of a request schema with a
//! `maxLength`, a body with that many characters there passes the rules of that field, and one
//! character more is refused at that field's path. Run in process, the way each handler checks
//! its body (no server, no database).

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use essor::api::extract::rule_errors;
use essor::domain::dossier::{DossierContent, ProjectKind};
use essor::domain::FieldError;
use essor::error::ApiError;

use crate::helpers::{organisation_body, rules_parameters, siret_from};

/// What the handler does with a body before anything else (its field errors, in a 422).
type Check = fn(Value) -> Vec<FieldError>;

fn body<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the sample body deserialises")
}

/// The declared rules of `T` (`#[derive(Validate)]`, as `api::extract::rule_errors` runs them).
fn declared<T: DeserializeOwned + validator::Validate>(value: Value) -> Vec<FieldError> {
    rule_errors(&body::<T>(value))
}

fn refused(result: Result<(), ApiError>) -> Vec<FieldError> {
    match result {
        Ok(()) => Vec::new(),
        Err(ApiError::Validation { errors, .. }) => errors,
        Err(other) => panic!("not a 422: {other:?}"),
    }
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A decision's reference, checked by the domain (`money::check_decision`) beside the body's rules.
/// A decision's body as its handler checks it: the decision's day and reference, then the rules
/// its type declares.
fn decided<T: DeserializeOwned + validator::Validate>(value: Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let decided_on = value["decided_on"].as_str().unwrap().parse().unwrap();
    let reference = value["decision_reference"].as_str().unwrap();
    essor::domain::money::check_decision(&mut errors, decided_on, reference, None, today());
    errors.extend(declared::<T>(value));
    errors
}

fn base_organisation() -> essor::domain::organisation::Organisation {
    body::<essor::api::organisations::dto::NewOrganisation>(organisation_body(&siret_from(42))).into_domain()
}

/// Each request schema with texts: a body every rule accepts (lists hold one item, so that an
/// item's texts are reached), and how its handler checks it.
fn requests() -> Vec<(&'static str, Value, Check)> {
    use essor::api::{assessments, calls, disbursements, dossiers, envelopes, schemes, sessions, territory};
    let uuid = "00000000-0000-4000-8000-000000000000";
    let mut parameters = rules_parameters("DI-ESS");
    parameters["bonuses"] = json!({"max_extra_bp": 100, "items": [
        {"code": "label", "label": "Label", "extra_bp": 100, "when": {"kind": "instructor_condition"}}]});
    vec![
        ("ApplicantComment", json!({"comment": "Déposé."}), declared::<dossiers::dto::ApplicantComment>),
        (
            "StaffComment",
            json!({"comment": "Pris.", "internal_note": "Note."}),
            declared::<dossiers::dto::StaffComment>,
        ),
        ("Reason", json!({"comment": "Motif.", "internal_note": "Note."}), declared::<dossiers::dto::Reason>),
        (
            "ApproveRequest",
            json!({"granted_cents": 100, "decided_on": "2026-01-05", "decision_reference": "DEL-1",
                   "justification": "Une justification assez longue pour être écrite."}),
            decided::<dossiers::approve::ApproveRequest>,
        ),
        (
            "AmendRequest",
            json!({"granted_cents": 100, "decided_on": "2026-01-05", "decision_reference": "DEL-2",
                   "comment": "Avenant."}),
            decided::<dossiers::amend::AmendRequest>,
        ),
        (
            "CancelRequest",
            json!({"comment": "Annulée.", "decided_on": "2026-01-05"}),
            declared::<dossiers::cancel::CancelRequest>,
        ),
        (
            "NewDisbursement",
            json!({"kind": "advance", "amount_cents": 100, "certified_on": "2026-01-05", "comment": "Fait."}),
            declared::<disbursements::dto::NewDisbursement>,
        ),
        (
            "PayRequest",
            json!({"paid_on": "2026-01-05", "payment_reference": "MDT-1"}),
            declared::<disbursements::dto::PayRequest>,
        ),
        ("RefuseRequest", json!({"comment": "Non."}), declared::<disbursements::dto::RefuseRequest>),
        (
            "NewReservation",
            json!({"dossier_id": uuid, "amount_cents": 100, "comment": "Ligne 65."}),
            declared::<envelopes::dto::NewReservation>,
        ),
        (
            "NewEnvelope",
            json!({"scheme_id": uuid, "year": 2027, "amount_cents": 100, "label": "Budget"}),
            declared::<envelopes::dto::NewEnvelope>,
        ),
        ("EnvelopePatch", json!({"label": "Budget"}), declared::<envelopes::dto::EnvelopePatch>),
        (
            "NewCall",
            json!({"scheme_id": uuid, "title": "Appel", "description": "Tiers-lieux.",
                   "opens_at": "2027-01-10T09:00:00+01:00", "closes_at": "2027-03-31T12:00:00+02:00",
                   "budget_year": 2027,
                   "assessment_grid": [{"code": "innovation", "label": "Innovation", "weight": 50, "scale_max": 5}]}),
            |value| body::<calls::dto::NewCall>(value).check(),
        ),
        (
            "NewSession",
            json!({"body": "bureau", "title": "Bureau", "sits_on": "2026-12-01"}),
            declared::<sessions::dto::NewSession>,
        ),
        (
            "NewItem",
            json!({"dossier_id": uuid, "proposed_cents": 100, "recommendation": "favourable",
                   "conditions": "Sous réserve.", "note": "Note."}),
            declared::<sessions::dto::NewItem>,
        ),
        (
            "DeliberationRequest",
            json!({"number": "DEL-1", "decided_on": "2026-12-01", "items": [{"item_id": uuid, "outcome": "rejected",
                   "reasons": "Motifs.", "justification": "Une justification suffisamment longue pour passer."}]}),
            declared::<dossiers::deliberation::DeliberationRequest>,
        ),
        (
            "TerritoryPatch",
            json!({"service_name": "Service", "service_address": "1 rue", "service_contact": "ess@example.org",
                   "administrative_court": "Tribunal", "signatory_title": "Le Président"}),
            declared::<territory::dto::TerritoryPatch>,
        ),
        (
            "AssessmentInput",
            json!({"scores": [{"criterion": "quality", "score": 1}], "comments": "Bien.",
                   "recommendation": "favourable"}),
            declared::<assessments::dto::AssessmentInput>,
        ),
        (
            "NewScheme",
            json!({"code": "DI-ESS", "name": "Dispositif", "description": "Pour l'ESS."}),
            declared::<schemes::dto::NewScheme>,
        ),
        (
            "NewRulesVersion",
            json!({"effective_from": "2027-01-01", "parameters": parameters, "comment": "Délibération."}),
            |value| refused(body::<schemes::dto::NewRulesVersion>(value).validate()),
        ),
        (
            "NewDossier",
            json!({"scheme_id": uuid, "title": "Atelier", "project_kind": "works",
                   "premises_address": "3 quai de Paris", "description": "Travaux."}),
            |value| {
                let content = body::<dossiers::dto::NewDossier>(value).content();
                content.validate_fields(today()).err().unwrap_or_default()
            },
        ),
        (
            "DossierPatch",
            json!({"title": "Atelier", "premises_address": "3 quai de Paris", "description": "Travaux."}),
            |value| {
                let draft = DossierContent::new("Atelier".into(), ProjectKind::Works);
                let content = body::<dossiers::dto::DossierPatch>(value).apply(draft).expect("a patch");
                content.validate_fields(today()).err().unwrap_or_default()
            },
        ),
        ("NewOrganisation", organisation_body(&siret_from(42)), |value| {
            let organisation = body::<essor::api::organisations::dto::NewOrganisation>(value).into_domain();
            organisation.validate(today()).err().unwrap_or_default()
        }),
        (
            "OrganisationPatch",
            json!({"name": "Les Ateliers", "market_activity": "Meubles",
                   "address": {"line": "12 rue de la République", "postal_code": "76000",
                               "city": "Rouen", "commune_code": "76540"},
                   "de_minimis_aids": [{"grantor": "Région", "granted_on": "2025-03-01", "amount_cents": 100}]}),
            |value| {
                let patch = body::<essor::api::organisations::dto::OrganisationPatch>(value);
                let organisation = patch.apply(base_organisation()).expect("a patch");
                organisation.validate(today()).err().unwrap_or_default()
            },
        ),
    ]
}

/// Properties whose `maxLength` is not a rule of their own, and why.
const NOT_A_LENGTH_RULE: [(&str, &str); 2] = [
    // A code of the rules version's grid, refused as unknown otherwise (`validate_scores`).
    ("AssessmentInput", "scores[].criterion"),
    // A multipart upload's part, a code of the rules version's documents (`upload.rs`).
    ("DocumentUpload", "type"),
];

/// Every property of `schema` (its `$ref`s followed) with a `maxLength`: its path, with `[]`
/// for a list's item, and its length.
fn lengths(doc: &Value, schema: &Value, path: &str, found: &mut Vec<(String, u64, String)>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return lengths(doc, &doc["components"]["schemas"][name], path, found);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in schema[key].as_array().into_iter().flatten() {
            lengths(doc, part, path, found);
        }
    }
    if schema.get("items").is_some() {
        lengths(doc, &schema["items"], &format!("{path}[]"), found);
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
        if let Some(max) = property["maxLength"].as_u64() {
            let pattern = property["pattern"].as_str().unwrap_or_default().to_string();
            found.push((path.clone(), max, pattern));
        }
        lengths(doc, property, &path, found);
    }
}

/// `body` with the text at `path` (`a.b[].c`, a list's first item) set to `text`, and the path
/// its errors are named by (`a.b[0].c`); `None` when the sample has no such place.
fn with_text(body: &Value, path: &str, text: &str) -> Option<(Value, String)> {
    let mut body = body.clone();
    let mut place = &mut body;
    let mut named = String::new();
    for segment in path.split('.') {
        let (name, item) = segment.strip_suffix("[]").map_or((segment, false), |name| (name, true));
        place = place.get_mut(name)?;
        named = if named.is_empty() { name.to_string() } else { format!("{named}.{name}") };
        if item {
            place = place.get_mut(0)?;
            named.push_str("[0]");
        }
    }
    *place = Value::String(text.to_string());
    Some((body, named))
}

#[test]
fn every_documented_length_is_the_one_its_rule_applies() {
    let doc: Value = serde_json::from_str(&essor::api::openapi_json()).unwrap();
    let requests = requests();
    let mut checked = 0;
    let mut schemas: Vec<String> = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            for content in operation["requestBody"]["content"].as_object().into_iter().flatten().map(|c| c.1)
            {
                let schema = &content["schema"];
                let named = schema["$ref"]
                    .as_str()
                    .or_else(|| schema["oneOf"].as_array()?.iter().find_map(|s| s["$ref"].as_str()));
                if let Some(name) = named.map(|r| r.rsplit('/').next().unwrap().to_string()) {
                    if !schemas.contains(&name) {
                        schemas.push(name);
                    }
                }
            }
        }
    }
    for name in &schemas {
        let mut found = Vec::new();
        lengths(&doc, &doc["components"]["schemas"][name.as_str()], "", &mut found);
        found.dedup();
        found.retain(|(path, _, _)| !NOT_A_LENGTH_RULE.contains(&(name.as_str(), path.as_str())));
        if found.is_empty() {
            continue;
        }
        let (_, sample, check) = requests
            .iter()
            .find(|(schema, _, _)| schema == name)
            .unwrap_or_else(|| panic!("{name} documents lengths: add its sample body and check here"));
        assert!(
            check(sample.clone()).is_empty(),
            "{name}: the sample body is refused: {:?}",
            check(sample.clone())
        );
        for (path, max, pattern) in found {
            // A character every pattern of these texts accepts (codes are capitals or lowercase).
            let c = if pattern.starts_with("^[A-Z") { "A" } else { "a" };
            let max = usize::try_from(max).unwrap();
            let at = |text: String| {
                let (body, field) = with_text(sample, &path, &text)
                    .unwrap_or_else(|| panic!("{name}: the sample body has no {path}: add one"));
                check(body)
                    .into_iter()
                    .filter(|e| e.field == field)
                    .map(|e| e.code.to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                at(c.repeat(max)),
                Vec::<String>::new(),
                "{name}.{path}: {max} characters are documented"
            );
            let refused = at(c.repeat(max + 1));
            assert!(!refused.is_empty(), "{name}.{path}: {} characters pass, {max} are documented", max + 1);
            checked += 1;
        }
    }
    assert!(checked >= 56, "{checked} lengths checked, 56 when this test was last changed");
}

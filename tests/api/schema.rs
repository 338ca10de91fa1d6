//! A small JSON Schema 2020-12 validator for the keywords Essor's OpenAPI document uses, to
//! compare what the document says of a body with what the server answers (the contract check,
//! `scripts/contract-check`, does it at scale with schemathesis; these tests pin the cases).
//!
//! Keywords: `$ref` (to `#/components/schemas/…`), `type`, `enum`, `const`, `properties`,
//! `required`, `additionalProperties`, `items`, `minItems`, `maxItems`, `uniqueItems`,
//! `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`, `oneOf`, `anyOf`, `allOf`.
//! Annotations (`format`, `description`, `example`…) are ignored. An unknown keyword panics, so
//! that a document using one is never judged wrongly.

use serde_json::Value;

const ANNOTATIONS: [&str; 9] = [
    "format",
    "description",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Whether `value` is valid against `schema`, whose `$ref`s point into `document`.
pub fn is_valid(document: &Value, schema: &Value, value: &Value) -> bool {
    let Some(schema) = schema.as_object() else {
        return schema.as_bool().unwrap_or_else(|| panic!("not a schema: {schema}"));
    };
    schema.iter().all(|(keyword, expected)| match keyword.as_str() {
        "$ref" => {
            let name = expected.as_str().unwrap().strip_prefix("#/components/schemas/").expect("a local ref");
            is_valid(document, &document["components"]["schemas"][name], value)
        }
        "type" => match expected {
            Value::Array(types) => types.iter().any(|t| has_type(value, t.as_str().unwrap())),
            t => has_type(value, t.as_str().unwrap()),
        },
        "enum" => expected.as_array().unwrap().contains(value),
        "const" => expected == value,
        "properties" => expected.as_object().unwrap().iter().all(|(name, property)| {
            value.get(name).is_none_or(|v| !value.is_object() || is_valid(document, property, v))
        }),
        "required" => {
            !value.is_object()
                || expected.as_array().unwrap().iter().all(|n| value.get(n.as_str().unwrap()).is_some())
        }
        "additionalProperties" => value.as_object().is_none_or(|object| {
            let known = schema.get("properties").and_then(Value::as_object);
            object
                .iter()
                .filter(|(name, _)| known.is_none_or(|k| !k.contains_key(*name)))
                .all(|(_, v)| is_valid(document, expected, v))
        }),
        "items" => value.as_array().is_none_or(|items| items.iter().all(|v| is_valid(document, expected, v))),
        "minItems" => value.as_array().is_none_or(|a| a.len() as u64 >= expected.as_u64().unwrap()),
        "maxItems" => value.as_array().is_none_or(|a| a.len() as u64 <= expected.as_u64().unwrap()),
        "uniqueItems" => value.as_array().is_none_or(|a| {
            !expected.as_bool().unwrap() || a.iter().enumerate().all(|(i, v)| !a[..i].contains(v))
        }),
        "minimum" => value.as_f64().is_none_or(|n| n >= expected.as_f64().unwrap()),
        "maximum" => value.as_f64().is_none_or(|n| n <= expected.as_f64().unwrap()),
        "minLength" => value.as_str().is_none_or(|s| s.chars().count() as u64 >= expected.as_u64().unwrap()),
        "maxLength" => value.as_str().is_none_or(|s| s.chars().count() as u64 <= expected.as_u64().unwrap()),
        "pattern" => {
            value.as_str().is_none_or(|s| regex::Regex::new(expected.as_str().unwrap()).unwrap().is_match(s))
        }
        "oneOf" => expected.as_array().unwrap().iter().filter(|s| is_valid(document, s, value)).count() == 1,
        "anyOf" => expected.as_array().unwrap().iter().any(|s| is_valid(document, s, value)),
        "allOf" => expected.as_array().unwrap().iter().all(|s| is_valid(document, s, value)),
        annotation if ANNOTATIONS.contains(&annotation) => true,
        other => panic!("keyword {other} is not understood by tests/api/schema.rs"),
    })
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => {
            value.as_i64().is_some()
                || value.as_u64().is_some()
                || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        other => panic!("type {other}"),
    }
}

#[test]
fn the_validator_reads_its_keywords() {
    let document = serde_json::json!({"components": {"schemas": {"N": {"type": "integer", "minimum": 1}}}});
    let schema = serde_json::json!({
        "type": "object",
        "required": ["n"],
        "properties": {"n": {"$ref": "#/components/schemas/N"}, "s": {"type": "string", "pattern": "^a+$"}},
        "additionalProperties": false,
        "oneOf": [{"properties": {"n": {"maximum": 5}}}, {"properties": {"n": {"minimum": 3}}}]
    });
    let valid = |v: Value| is_valid(&document, &schema, &v);
    assert!(valid(serde_json::json!({"n": 1, "s": "aa"})));
    assert!(valid(serde_json::json!({"n": 6})));
    assert!(!valid(serde_json::json!({"n": 4})), "both branches: not oneOf");
    assert!(!valid(serde_json::json!({"n": 0})));
    assert!(!valid(serde_json::json!({"n": 1, "s": "b"})));
    assert!(!valid(serde_json::json!({"n": 1, "x": 1})));
    assert!(!valid(serde_json::json!({"s": "a"})));
}

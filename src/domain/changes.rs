//! What changed between two versions of a record, field by field, whatever its fields are: both
//! versions as JSON, objects walked into dotted paths (`address.commune_code`), anything else
//! (numbers, strings, lists such as `de_minimis_aids`) compared whole. A field added to the
//! record is covered without being named here.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One field whose value differs. `null` stands for absent or not declared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Dotted path of the field, e.g. `accounts.operating_revenue_cents`.
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// Every field that differs between `before` and `after`, by field name. An object on one side
/// and `null` (or nothing) on the other is walked too, so each of its fields is one change: a
/// record created (`before` = `null`) lists each field it declares.
pub fn changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut found = Vec::new();
    walk("", before, after, &mut found);
    found.sort_by(|a, b| a.field.cmp(&b.field));
    found
}

/// The changes from `before` (`None`: nothing, a creation) to `after`, serialised as JSON.
pub fn between<T: Serialize>(before: Option<&T>, after: &T) -> serde_json::Result<Vec<FieldChange>> {
    let before = match before {
        Some(before) => serde_json::to_value(before)?,
        None => Value::Null,
    };
    Ok(changes(&before, &serde_json::to_value(after)?))
}

fn walk(path: &str, before: &Value, after: &Value, found: &mut Vec<FieldChange>) {
    if before == after {
        return;
    }
    let nested = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
    let none = Map::new();
    match (fields_of(before, &none), fields_of(after, &none)) {
        (Some(b), Some(a)) if !(b.is_empty() && a.is_empty()) => {
            for (key, value) in b {
                walk(&nested(key), value, a.get(key).unwrap_or(&Value::Null), found);
            }
            for (key, value) in a.iter().filter(|(key, _)| !b.contains_key(*key)) {
                walk(&nested(key), &Value::Null, value, found);
            }
        }
        _ => {
            found.push(FieldChange { field: path.to_string(), before: before.clone(), after: after.clone() })
        }
    }
}

/// The fields of an object; `null` has none (`none`). Anything else is a value compared whole.
fn fields_of<'a>(value: &'a Value, none: &'a Map<String, Value>) -> Option<&'a Map<String, Value>> {
    match value {
        Value::Object(fields) => Some(fields),
        Value::Null => Some(none),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::organisation::tests::association;
    use crate::domain::organisation::DeclaredAid;

    fn change(field: &str, before: Value, after: Value) -> FieldChange {
        FieldChange { field: field.into(), before, after }
    }

    #[test]
    fn nothing_changed_is_no_change() {
        let org = association();
        assert_eq!(between(Some(&org), &org).unwrap(), vec![]);
        assert_eq!(changes(&Value::Null, &Value::Null), vec![]);
    }

    #[test]
    fn nested_fields_are_dotted_paths_and_lists_are_whole() {
        let before = association();
        let mut after = association();
        after.salaried_staff_fte = 0.0;
        after.address.commune_code = "76451".into();
        after.accounts.as_mut().unwrap().operating_revenue_cents = 25_000_000;
        let aid = DeclaredAid {
            grantor: "Région Normandie".into(),
            granted_on: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            amount_cents: 1_500_000,
        };
        after.de_minimis_aids = Some(vec![aid]);
        assert_eq!(
            between(Some(&before), &after).unwrap(),
            vec![
                change("accounts.operating_revenue_cents", json!(30_000_000), json!(25_000_000)),
                change("address.commune_code", json!("76540"), json!("76451")),
                change(
                    "de_minimis_aids",
                    json!([]),
                    json!([{"grantor": "Région Normandie", "granted_on": "2025-03-01", "amount_cents": 1_500_000}])
                ),
                change("salaried_staff_fte", json!(4.5), json!(0.0)),
            ]
        );
    }

    #[test]
    fn an_object_appearing_or_cleared_is_each_of_its_fields() {
        let before = association();
        let mut after = association();
        after.accounts = None;
        after.rna = None;
        assert_eq!(
            between(Some(&before), &after).unwrap(),
            vec![
                change("accounts.kind", json!("closed"), Value::Null),
                change("accounts.operating_costs_cents", json!(32_000_000), Value::Null),
                change("accounts.operating_revenue_cents", json!(30_000_000), Value::Null),
                change("accounts.sales_revenue_cents", json!(20_000_000), Value::Null),
                change("accounts.year", json!(2025), Value::Null),
                change("rna", json!("W763001234"), Value::Null),
            ]
        );
        // And back: the same fields, the other way round.
        let back: Vec<(String, Value)> =
            between(Some(&after), &before).unwrap().into_iter().map(|c| (c.field, c.before)).collect();
        assert_eq!(back.len(), 6);
        assert!(back.iter().all(|(_, before)| before.is_null()));
    }

    #[test]
    fn a_creation_lists_every_declared_field() {
        let created = between(None, &association()).unwrap();
        let fields: Vec<&str> = created.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "accounts.kind",
                "accounts.operating_costs_cents",
                "accounts.operating_revenue_cents",
                "accounts.sales_revenue_cents",
                "accounts.year",
                "address.city",
                "address.commune_code",
                "address.line",
                "address.postal_code",
                "de_minimis_aids",
                "legal_form",
                "market_activity",
                "name",
                "rna",
                "salaried_staff_fte",
                "siret",
            ]
        );
        assert!(created.iter().all(|c| c.before.is_null()));
        // `esus` is not declared: null before and after, no change.
        assert!(!fields.contains(&"esus"));
    }

    #[test]
    fn a_change_of_kind_is_one_change() {
        assert_eq!(
            changes(&json!({"esus": "by_right"}), &json!({"esus": {"from": "2024-01-01"}})),
            vec![change("esus", json!("by_right"), json!({"from": "2024-01-01"}))]
        );
        assert_eq!(
            changes(&json!({"a": {}}), &json!({"a": null})),
            vec![change("a", json!({}), Value::Null)]
        );
        assert_eq!(changes(&json!(1), &json!(2)), vec![change("", json!(1), json!(2))]);
    }
}

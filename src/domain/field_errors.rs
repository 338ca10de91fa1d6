//! From the rules of fields (`validator`'s [`ValidationError`]s: those of `domain::checks`, and
//! those a request's `#[derive(Validate)]` collects) to the [`FieldError`]s of a problem: the
//! field's path as the API names it (`address.city`, `lines[2].amount_cents`), the code of
//! [`FieldCode`] the rule answered, and its sentence from the catalogues (`locales/*/fields.ftl`),
//! chosen by the rule's message key (its code when it has one sentence) with the rule's params.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde_json::Value;
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

use super::code::Code;
use super::lang::Arg;
use super::{FieldCode, FieldError};

/// A rule's failure: `code`, and the key of its sentence (see [`field_error`]).
pub fn fault(code: FieldCode, message: &'static str) -> ValidationError {
    ValidationError::new(code.as_str()).with_message(Cow::Borrowed(message))
}

/// The same failure with a parameter its sentence reads.
pub fn with(mut error: ValidationError, name: &'static str, value: impl serde::Serialize) -> ValidationError {
    error.add_param(Cow::Borrowed(name), &value);
    error
}

/// The field error of `field` for a rule's failure.
pub fn field_error(field: &str, error: &ValidationError) -> FieldError {
    let code = FieldCode::parse(&error.code).unwrap_or(FieldCode::Invalid);
    let int = |name: &str| error.params.get(name).and_then(Value::as_i64).unwrap_or_default();
    let string = |name: &str| error.params.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    let date = |name: &str| string(name).parse::<NaiveDate>().unwrap_or_default();
    let message = match error.message.as_deref().unwrap_or(&error.code) {
        "control_character" => crate::text!("field-control-character", field = field, char = string("char")),
        "required" => crate::text!("field-required", field = field),
        "too_long" => crate::text!("field-too-long", field = field, max = int("max")),
        "formula_prefix" => crate::text!(
            "field-formula-prefix",
            field = field,
            first = string("first"),
            second = string("second"),
            third = string("third"),
            fourth = string("fourth"),
        ),
        "amount" => crate::text!(
            "field-amount-out-of-range",
            field = field,
            max = int("max"),
            max_euros = Arg::cents(int("max")),
        ),
        "fte" => crate::text!("field-fte-out-of-range", field = field, max = Arg::count(int("max"))),
        "commune" => crate::text!("field-commune-code", field = field),
        "district" => crate::text!("field-district-code", field = field),
        "date" => {
            crate::text!("field-date-out-of-range", field = field, min = date("min"), max = date("max"))
        }
        "scheme_code" => crate::text!("field-scheme-code", field = field),
        "rent_months" => crate::text!("dossier-content-rent-months-out-of-range", max = int("max")),
        "siret_checksum" => crate::text!("field-siret-checksum"),
        "siren_checksum" => crate::text!("field-siren-checksum"),
        "siret_format" => crate::text!("field-siret-format"),
        "legal_form" => crate::text!("field-legal-form-format"),
        "postal_code" => crate::text!("field-postal-code-format"),
        "effective_from" => {
            crate::text!(
                "field-effective-from-out-of-range",
                field = field,
                min = date("min"),
                max = date("max")
            )
        }
        _ => crate::text!("field-invalid", field = field),
    };
    FieldError::new(field, code, message)
}

/// Every failure of `errors`, named by its path. Fields come in the order `order` gives (a
/// request's fields as declared; a nested struct's fields by their path, `address.line`), those
/// it does not list after them by name; the items of a list in their order.
pub fn field_errors(errors: &ValidationErrors, order: &[&str]) -> Vec<FieldError> {
    let mut found = Vec::new();
    collect(&mut found, "", errors, order);
    found
}

fn collect(found: &mut Vec<FieldError>, prefix: &str, errors: &ValidationErrors, order: &[&str]) {
    let path = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}.{name}") };
    let mut fields: Vec<(String, &ValidationErrorsKind)> =
        errors.errors().iter().map(|(name, kind)| (path(name), kind)).collect();
    let rank = |path: &str| order.iter().position(|f| *f == path).unwrap_or(order.len());
    fields.sort_by(|(a, _), (b, _)| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    for (path, kind) in fields {
        match kind {
            ValidationErrorsKind::Field(list) => found.extend(list.iter().map(|e| field_error(&path, e))),
            ValidationErrorsKind::Struct(nested) => collect(found, &path, nested, order),
            ValidationErrorsKind::List(items) => {
                for (i, nested) in items {
                    collect(found, &format!("{path}[{i}]"), nested, &[]);
                }
            }
        }
    }
}

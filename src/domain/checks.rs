//! Field checks shared by the domain's validators: each pushes a [`FieldError`] naming the field.

use chrono::NaiveDate;

use super::identifiers::validate_commune_code;
use super::FieldError;

/// Upper bound for any declared amount: 1 000 000 000 € in cents. Anything above is a typo.
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000_000;
/// Upper bound for declared staff or jobs (FTE).
pub const MAX_FTE: f64 = 100_000.0;

/// `value` (trimmed) must have at least `min` characters, and at most `max` in all.
pub fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    let len = value.trim().chars().count();
    if len < min {
        errors.push(FieldError::new(field, "required", format!("{field} is required")));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("{field} must have at most {max} characters"),
        ));
    }
}

pub fn check_amount(errors: &mut Vec<FieldError>, field: &str, cents: i64) {
    if !(0..=MAX_AMOUNT_CENTS).contains(&cents) {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("{field} must be between 0 and {MAX_AMOUNT_CENTS} cents"),
        ));
    }
}

pub fn check_fte(errors: &mut Vec<FieldError>, field: &str, fte: f64) {
    if !fte.is_finite() || !(0.0..=MAX_FTE).contains(&fte) {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("{field} must be between 0 and {MAX_FTE}"),
        ));
    }
}

pub fn check_commune(errors: &mut Vec<FieldError>, field: &str, code: &str) {
    if let Err(code_err) = validate_commune_code(code) {
        errors.push(FieldError::new(
            field,
            code_err,
            format!("{field} must be an INSEE commune code (5 characters, e.g. 76540; Corsica 2A/2B)"),
        ));
    }
}

pub fn check_date(
    errors: &mut Vec<FieldError>,
    field: &str,
    date: NaiveDate,
    min: NaiveDate,
    max: NaiveDate,
) {
    if date < min || date > max {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("{field} must be between {min} and {max}"),
        ));
    }
}

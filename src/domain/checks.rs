//! Field checks shared by the domain's validators: each pushes a [`FieldError`] naming the field.

use chrono::NaiveDate;

use super::identifiers::validate_commune_code;
use super::FieldError;

/// Upper bound for any declared amount: 1 000 000 000 € in cents. Anything above is a typo.
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000_000;
/// Upper bound for declared staff or jobs (FTE).
pub const MAX_FTE: f64 = 100_000.0;

/// Text of several lines: `value` (trimmed) must have at least `min` characters, at most `max` in
/// all, and no control character but tabs and line breaks (a NUL is never text, and PostgreSQL
/// refuses it).
pub fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    check_chars(errors, field, value, |c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'), min, max);
}

/// One line of text (a name, a title, a reference): like [`check_text`], with no tab or line
/// break either.
pub fn check_line(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    check_chars(errors, field, value, char::is_control, min, max);
}

fn check_chars(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    forbidden: impl Fn(char) -> bool,
    min: usize,
    max: usize,
) {
    if let Some(c) = value.chars().find(|c| forbidden(*c)) {
        errors.push(FieldError::new(
            field,
            "control_character",
            format!("{field} must not contain the control character U+{:04X}", u32::from(c)),
        ));
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(check: fn(&mut Vec<FieldError>, &str, &str, usize, usize), value: &str) -> Vec<String> {
        let mut errors = Vec::new();
        check(&mut errors, "f", value, 1, 100);
        errors.into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn control_characters_are_refused_line_breaks_only_in_text() {
        assert_eq!(codes(check_text, "a\u{0}b"), ["control_character"]);
        assert_eq!(codes(check_line, "a\u{0}b"), ["control_character"]);
        assert_eq!(codes(check_text, "a\u{1b}b"), ["control_character"]);
        assert!(codes(check_text, "ligne 1\nligne 2\tfin").is_empty());
        assert_eq!(codes(check_line, "ligne 1\nligne 2"), ["control_character"]);
        assert!(codes(check_line, "Atelier « Réemploi » — 2ᵉ étage").is_empty());
    }
}

//! Field checks shared by the domain's validators: each pushes a [`FieldError`] naming the field.

use chrono::NaiveDate;

use validator::ValidationError;

use super::field_errors::{fault, field_error, with};
use super::identifiers::validate_commune_code;
use super::spreadsheet::{reads_as_formula, FORMULA_PREFIXES};
use super::{FieldCode, FieldError};

/// Upper bound for any declared amount: 1 000 000 000 € in cents. Anything above is a typo.
pub const MAX_AMOUNT_CENTS: i64 = 100_000_000_000;
/// Upper bound for declared staff or jobs (FTE).
pub const MAX_FTE: f64 = 100_000.0;

/// What [`check_line`] accepts with `min = 1`, as the API documents it on every single-line field
/// (a test checks they agree; schema attributes name it `pattern = "{LINE_PATTERN}"`, which the
/// document's `TextPatterns` fills in, and `layering` checks no other file writes it): no control
/// character (Unicode Cc, tab and line breaks included), and one character that is not white space.
pub const LINE_PATTERN: &str = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x1F\x7F-\x9F]*$";
/// What [`check_cell_line`] accepts with `min = 1`: as [`LINE_PATTERN`], and the first character
/// that is not white space is none of `=`, `+`, `-`, `@` (the text is written in CSV files).
pub const CELL_LINE_PATTERN: &str = r"^[\x20\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000=+@-][^\x00-\x1F\x7F-\x9F]*$";
/// What [`check_text`] accepts with `min = 0`: no control character but tab, CR and LF.
pub const TEXT_PATTERN: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$";
/// What [`check_text`] accepts with `min = 1`: as [`TEXT_PATTERN`], and not blank.
pub const TEXT_REQUIRED_PATTERN: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$";

/// Whether `code` is a grid criterion code: `[a-z][a-z0-9]*(_[a-z0-9]+)*`, 1 to 40 bytes.
pub fn is_criterion_code(code: &str) -> bool {
    let b = code.as_bytes();
    if b.is_empty() || b.len() > 40 || !b[0].is_ascii_lowercase() || b[b.len() - 1] == b'_' {
        return false;
    }
    let mut previous_underscore = false;
    for &c in b {
        match c {
            b'a'..=b'z' | b'0'..=b'9' => previous_underscore = false,
            b'_' if !previous_underscore => previous_underscore = true,
            _ => return false,
        }
    }
    true
}

/// Text of several lines: `value` (trimmed) must have at least `min` characters, at most `max` in
/// all, and no control character but tabs and line breaks (a NUL is never text, and PostgreSQL
/// refuses it).
pub fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    push(errors, field, text_rule(value, min, max));
}

/// One line of text (a name, a title, a reference): like [`check_text`], with no tab or line
/// break either.
pub fn check_line(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    push(errors, field, line_rule(value, min, max));
}

/// One line of text that Essor writes in a CSV file (the SCDL open-data file, the grants list):
/// like [`check_line`], and not starting (after any white space) with `=`, `+`, `-` or `@`, which
/// a spreadsheet opening the file would run as a formula ([`super::spreadsheet`]). Refused
/// here rather than altered on the way out, so the file says what was entered.
pub fn check_cell_line(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    push(errors, field, cell_line_rule(value, min, max));
}

fn push(errors: &mut Vec<FieldError>, field: &str, rule: Result<(), ValidationError>) {
    if let Err(error) = rule {
        errors.push(field_error(field, &error));
    }
}

// The rules themselves, as `validator` runs them: `#[validate(custom(function = line::<1, 200>))]`
// on a request's field (1 to 200 characters) says the rule beside the field, and its schema names
// the pattern that describes it (`#[schema(min_length = 1, max_length = 200, pattern =
// "{LINE_PATTERN}")]`). One failure a field: the first rule broken.

/// [`check_line`]'s rule, for `#[validate(custom(function = line::<MIN, MAX>))]`.
pub fn line<const MIN: usize, const MAX: usize>(value: &str) -> Result<(), ValidationError> {
    line_rule(value, MIN, MAX)
}

/// [`check_text`]'s rule, for `#[validate(custom(function = text::<MIN, MAX>))]`.
pub fn text<const MIN: usize, const MAX: usize>(value: &str) -> Result<(), ValidationError> {
    text_rule(value, MIN, MAX)
}

/// [`check_cell_line`]'s rule, for `#[validate(custom(function = cell_line::<MIN, MAX>))]`.
pub fn cell_line<const MIN: usize, const MAX: usize>(value: &str) -> Result<(), ValidationError> {
    cell_line_rule(value, MIN, MAX)
}

pub fn text_rule(value: &str, min: usize, max: usize) -> Result<(), ValidationError> {
    chars_rule(value, |c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'), min, max)
}

pub fn line_rule(value: &str, min: usize, max: usize) -> Result<(), ValidationError> {
    chars_rule(value, char::is_control, min, max)
}

pub fn cell_line_rule(value: &str, min: usize, max: usize) -> Result<(), ValidationError> {
    line_rule(value, min, max)?;
    if reads_as_formula(value) {
        let [a, b, c, d] = FORMULA_PREFIXES;
        let error = fault(FieldCode::FormulaPrefix, "formula_prefix");
        return Err(with(with(with(with(error, "first", a), "second", b), "third", c), "fourth", d));
    }
    Ok(())
}

fn chars_rule(
    value: &str,
    forbidden: impl Fn(char) -> bool,
    min: usize,
    max: usize,
) -> Result<(), ValidationError> {
    if let Some(c) = value.chars().find(|c| forbidden(*c)) {
        let c = u32::from(c);
        return Err(with(
            fault(FieldCode::ControlCharacter, "control_character"),
            "char",
            format!("{c:04X}"),
        ));
    }
    let len = value.trim().chars().count();
    if len < min {
        Err(fault(FieldCode::Required, "required"))
    } else if value.chars().count() > max {
        Err(with(fault(FieldCode::TooLong, "too_long"), "max", max))
    } else {
        Ok(())
    }
}

/// An amount in cents, 0 to [`MAX_AMOUNT_CENTS`]; for `#[validate(custom(function = amount))]`.
pub fn amount(cents: i64) -> Result<(), ValidationError> {
    if (0..=MAX_AMOUNT_CENTS).contains(&cents) {
        Ok(())
    } else {
        Err(with(fault(FieldCode::OutOfRange, "amount"), "max", MAX_AMOUNT_CENTS))
    }
}

pub fn check_amount(errors: &mut Vec<FieldError>, field: &str, cents: i64) {
    push(errors, field, amount(cents));
}

/// Full-time equivalents, 0 to [`MAX_FTE`]; for `#[validate(custom(function = fte))]`.
pub fn fte(fte: f64) -> Result<(), ValidationError> {
    if fte.is_finite() && (0.0..=MAX_FTE).contains(&fte) {
        Ok(())
    } else {
        Err(with(fault(FieldCode::OutOfRange, "fte"), "max", MAX_FTE as i64))
    }
}

/// An INSEE commune code ([`validate_commune_code`]); for `#[validate(custom(function = commune))]`.
pub fn commune(code: &str) -> Result<(), ValidationError> {
    validate_commune_code(code).map_err(|code| fault(code, "commune"))
}

/// What [`is_district_code`] accepts, as the API documents it.
pub const DISTRICT_PATTERN: &str = "^[A-Z0-9]{1,20}$";

/// A district code (e.g. a QPV, "quartier prioritaire de la politique de la ville", such as
/// `QN07601M`): 1 to 20 capital ASCII letters or digits.
pub fn is_district_code(code: &str) -> bool {
    (1..=20).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A district code ([`is_district_code`]); for `#[validate(custom(function = district))]`.
pub fn district(code: &str) -> Result<(), ValidationError> {
    if is_district_code(code) {
        Ok(())
    } else {
        Err(fault(FieldCode::InvalidFormat, "district"))
    }
}

/// A day from `min` to `max`, both included.
pub fn date_rule(date: NaiveDate, min: NaiveDate, max: NaiveDate) -> Result<(), ValidationError> {
    if date < min || date > max {
        Err(with(with(fault(FieldCode::OutOfRange, "date"), "min", min), "max", max))
    } else {
        Ok(())
    }
}

pub fn check_date(
    errors: &mut Vec<FieldError>,
    field: &str,
    date: NaiveDate,
    min: NaiveDate,
    max: NaiveDate,
) {
    push(errors, field, date_rule(date, min, max));
}

/// A scheme's code: 2 to 20 capital letters, digits or dashes, not starting with a dash; for
/// `#[validate(custom(function = scheme_code))]`.
pub fn scheme_code(code: &str) -> Result<(), ValidationError> {
    let ok = (2..=20).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !code.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(fault(FieldCode::InvalidFormat, "scheme_code"))
    }
}

/// The first day of a rules version, 2000-01-01 to 2100-12-31; for
/// `#[validate(custom(function = effective_from))]`.
pub fn effective_from(day: &NaiveDate) -> Result<(), ValidationError> {
    let min = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
    let max = NaiveDate::from_ymd_opt(2100, 12, 31).expect("valid date");
    date_rule(*day, min, max)
        .map_err(|error| ValidationError { message: Some("effective_from".into()), ..error })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(check: fn(&mut Vec<FieldError>, &str, &str, usize, usize), value: &str) -> Vec<String> {
        let mut errors = Vec::new();
        check(&mut errors, "f", value, 1, 100);
        errors.into_iter().map(|e| e.code.to_string()).collect()
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

    #[test]
    fn a_cell_line_refuses_what_a_spreadsheet_runs() {
        let codes = |value: &str, min| {
            let mut errors = Vec::new();
            check_cell_line(&mut errors, "f", value, min, 10);
            errors.into_iter().map(|e| e.code.to_string()).collect::<Vec<_>>()
        };
        for value in ["=1+2", "+33", "-x", "@A1", "  =1", "\u{3000}-1"] {
            assert_eq!(codes(value, 1), ["formula_prefix"], "{value:?}");
        }
        for value in ["3F Habitat", "A=B", "x-1", "'=1"] {
            assert!(codes(value, 1).is_empty(), "{value:?}");
        }
        // One error a field: the line's own first.
        assert_eq!(codes("=\u{0}", 1), ["control_character"]);
        assert_eq!(codes("\t=1", 1), ["control_character"]);
        assert_eq!(codes("=12345678901", 1), ["too_long"]);
        assert_eq!(codes("", 1), ["required"]);
        assert!(codes("", 0).is_empty());
    }

    #[test]
    fn the_documented_text_patterns_are_exactly_the_validators() {
        let cell = regex::Regex::new(CELL_LINE_PATTERN).unwrap();
        let line = regex::Regex::new(LINE_PATTERN).unwrap();
        let text = regex::Regex::new(TEXT_PATTERN).unwrap();
        let required = regex::Regex::new(TEXT_REQUIRED_PATTERN).unwrap();
        let accepts = |check: fn(&mut Vec<FieldError>, &str, &str, usize, usize), value: &str, min| {
            let mut errors = Vec::new();
            check(&mut errors, "f", value, min, usize::MAX);
            errors.is_empty()
        };
        // Every character of the first planes that matters (controls, white space, the rest),
        // alone, around a letter, and around a space.
        let chars = (0u32..0x3100).chain([0xFEFF, 0x1F600]).filter_map(char::from_u32);
        for c in chars {
            for value in
                [c.to_string(), format!("a{c}"), format!("{c}a"), format!(" {c} "), format!("{c}{c}")]
            {
                assert_eq!(line.is_match(&value), accepts(check_line, &value, 1), "line {value:?}");
                assert_eq!(text.is_match(&value), accepts(check_text, &value, 0), "text {value:?}");
                assert_eq!(required.is_match(&value), accepts(check_text, &value, 1), "required {value:?}");
            }
            // A cell line: the character first, after white space, or after a formula prefix.
            for value in [
                c.to_string(),
                format!("a{c}"),
                format!("{c}a"),
                format!(" {c} "),
                format!("{c}{c}"),
                format!("{c}=1"),
                format!("\u{3000}{c}-"),
                format!("@{c}"),
            ] {
                assert_eq!(cell.is_match(&value), accepts(check_cell_line, &value, 1), "cell {value:?}");
            }
        }
        for value in ["", " ", "\t\n", "\u{3000}\u{a0}", "=", " +1", "a-", "\u{a0}\u{2028}@x"] {
            assert_eq!(cell.is_match(value), accepts(check_cell_line, value, 1), "cell {value:?}");
            assert_eq!(line.is_match(value), accepts(check_line, value, 1), "line {value:?}");
            assert_eq!(text.is_match(value), accepts(check_text, value, 0), "text {value:?}");
            assert_eq!(required.is_match(value), accepts(check_text, value, 1), "required {value:?}");
        }
    }

    #[test]
    fn district_codes() {
        let pattern = regex::Regex::new(DISTRICT_PATTERN).unwrap();
        for code in ["QN07601M", "A", "Q1", &"Z".repeat(20)] {
            assert!(is_district_code(code), "{code}");
            assert!(pattern.is_match(code), "{code}");
        }
        for code in ["", "qn07601m", "QN 07601M", "QN-07601M", "É1", &"Z".repeat(21)] {
            assert!(!is_district_code(code), "{code}");
            assert!(!pattern.is_match(code), "{code}");
        }
    }
}

//! Field checks shared by the domain's validators: each pushes a [`FieldError`] naming the field.

use chrono::NaiveDate;

use super::identifiers::validate_commune_code;
use super::lang::{cents_text, date_in, Lang};
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
    check_chars(errors, field, value, |c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'), min, max);
}

/// One line of text (a name, a title, a reference): like [`check_text`], with no tab or line
/// break either.
pub fn check_line(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    check_chars(errors, field, value, char::is_control, min, max);
}

/// One line of text that Essor writes in a CSV file (the SCDL open-data file, the grants list):
/// like [`check_line`], and not starting (after any white space) with `=`, `+`, `-` or `@`, which
/// a spreadsheet opening the file would run as a formula ([`super::spreadsheet`]). Refused
/// here rather than altered on the way out, so the file says what was entered.
pub fn check_cell_line(errors: &mut Vec<FieldError>, field: &str, value: &str, min: usize, max: usize) {
    let before = errors.len();
    check_line(errors, field, value, min, max);
    if errors.len() == before && reads_as_formula(value) {
        let [a, b, c, d] = FORMULA_PREFIXES;
        errors.push(FieldError::bilingual(
            field,
            FieldCode::FormulaPrefix,
            format!(
                "Ce champ ne doit pas commencer par {a}, {b}, {c} ou {d} (espaces exceptés) : un tableur \
                 ouvrant les fichiers CSV qu'Essor écrit l'exécuterait comme une formule."
            ),
            format!(
                "{field} must not start with {a}, {b}, {c} or {d} (after any spaces): a spreadsheet opening \
                 the CSV files Essor writes would run it as a formula"
            ),
        ));
    }
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
        let c = u32::from(c);
        errors.push(FieldError::bilingual(
            field,
            FieldCode::ControlCharacter,
            format!("Ce champ ne doit pas contenir le caractère de contrôle U+{c:04X}."),
            format!("{field} must not contain the control character U+{c:04X}"),
        ));
        return;
    }
    let len = value.trim().chars().count();
    if len < min {
        errors.push(FieldError::bilingual(
            field,
            FieldCode::Required,
            "Ce champ est obligatoire.",
            format!("{field} is required"),
        ));
    } else if value.chars().count() > max {
        errors.push(FieldError::bilingual(
            field,
            FieldCode::TooLong,
            format!("Ce champ doit comporter au plus {max} caractères."),
            format!("{field} must have at most {max} characters"),
        ));
    }
}

pub fn check_amount(errors: &mut Vec<FieldError>, field: &str, cents: i64) {
    if !(0..=MAX_AMOUNT_CENTS).contains(&cents) {
        let (max_fr, _) = cents_text(MAX_AMOUNT_CENTS);
        errors.push(FieldError::bilingual(
            field,
            FieldCode::OutOfRange,
            format!("Ce montant en centimes doit être compris entre 0 et {MAX_AMOUNT_CENTS} ({max_fr})."),
            format!("{field} must be between 0 and {MAX_AMOUNT_CENTS} cents"),
        ));
    }
}

pub fn check_fte(errors: &mut Vec<FieldError>, field: &str, fte: f64) {
    if !fte.is_finite() || !(0.0..=MAX_FTE).contains(&fte) {
        errors.push(FieldError::bilingual(
            field,
            FieldCode::OutOfRange,
            "Ce nombre d'équivalents temps plein doit être compris entre 0 et 100\u{202F}000.",
            format!("{field} must be between 0 and {MAX_FTE}"),
        ));
    }
}

pub fn check_commune(errors: &mut Vec<FieldError>, field: &str, code: &str) {
    if let Err(code_err) = validate_commune_code(code) {
        errors.push(FieldError::bilingual(
            field,
            code_err,
            "Ce champ doit être un code commune INSEE de 5 caractères, par exemple 76540 (2A ou 2B pour la Corse).",
            format!("{field} must be an INSEE commune code (5 characters, e.g. 76540; Corsica 2A/2B)"),
        ));
    }
}

/// What [`is_district_code`] accepts, as the API documents it.
pub const DISTRICT_PATTERN: &str = "^[A-Z0-9]{1,20}$";

/// A district code (e.g. a QPV, "quartier prioritaire de la politique de la ville", such as
/// `QN07601M`): 1 to 20 capital ASCII letters or digits.
pub fn is_district_code(code: &str) -> bool {
    (1..=20).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

pub fn check_district(errors: &mut Vec<FieldError>, field: &str, code: &str) {
    if !is_district_code(code) {
        errors.push(FieldError::bilingual(
            field,
            FieldCode::InvalidFormat,
            "Le code de quartier doit comporter de 1 à 20 lettres majuscules ou chiffres (par exemple QN07601M).",
            format!("{field} must be a district code: 1 to 20 capital letters or digits (e.g. QN07601M)"),
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
        errors.push(FieldError::bilingual(
            field,
            FieldCode::OutOfRange,
            format!(
                "Cette date doit être comprise entre le {} et le {}.",
                date_in(min, Lang::Fr),
                date_in(max, Lang::Fr)
            ),
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

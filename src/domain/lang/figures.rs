//! Figures in a language, written without allocating, the way its catalogue's `figure-*`
//! messages say (separators, where the unit goes, the order of a date's parts).

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::catalogue::figures_of;
use super::Lang;

/// How a language writes figures, read once from its catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Figures {
    /// Between units and hundredths (`,` or `.`).
    pub decimal: char,
    /// Between groups of three digits of an amount (none: not grouped).
    pub money_group: Option<char>,
    /// Between groups of three digits of other figures (counts, percentages, FTE).
    pub number_group: Option<char>,
    /// What comes before and after the figure of an amount, a percentage, FTE.
    pub money: Affixes,
    pub percent: Affixes,
    pub fte: Affixes,
    /// A date: its parts in order, with the text between them.
    pub date: Vec<DatePart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Affixes {
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DatePart {
    Day,
    Month,
    Year,
    Text(String),
}

/// Writes `n` with `separator` between groups of three digits.
fn write_grouped(out: &mut impl fmt::Write, n: u128, separator: Option<char>) -> fmt::Result {
    let mut digits = [0u8; 40];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        out.write_char(char::from(digits[i]))?;
        if i > 0 && i % 3 == 0 {
            if let Some(separator) = separator {
                out.write_char(separator)?;
            }
        }
    }
    Ok(())
}

/// `-` then the affixes around the units (grouped), decimal separator and two hundredths.
fn write_hundredths(
    out: &mut impl fmt::Write,
    value: i64,
    group: Option<char>,
    decimal: char,
    affixes: &Affixes,
) -> fmt::Result {
    let abs = i128::from(value).unsigned_abs();
    if value < 0 {
        out.write_char('-')?;
    }
    out.write_str(&affixes.before)?;
    write_grouped(out, abs / 100, group)?;
    write!(out, "{decimal}{:02}", abs % 100)?;
    out.write_str(&affixes.after)
}

/// An amount in cents: `1 234,56 €` (French), `€1,234.56` (English); `-0,05 €`, `-€0.05`.
pub fn write_cents(out: &mut impl fmt::Write, cents: i64, lang: Lang) -> fmt::Result {
    let f = figures_of(lang);
    write_hundredths(out, cents, f.money_group, f.decimal, &f.money)
}

/// A percentage from basis points: `62,50 %` (no-break space) or `62.50 %`.
pub fn write_bp(out: &mut impl fmt::Write, bp: i64, lang: Lang) -> fmt::Result {
    let f = figures_of(lang);
    write_hundredths(out, bp, f.number_group, f.decimal, &f.percent)
}

/// Full-time equivalents from hundredths: `3,50 ETP` (no-break space) or `3.50 FTE`.
pub fn write_fte(out: &mut impl fmt::Write, hundredths: i64, lang: Lang) -> fmt::Result {
    let f = figures_of(lang);
    write_hundredths(out, hundredths, f.number_group, f.decimal, &f.fte)
}

/// A plain count: `12 345` (French) or `12345` (English).
pub fn write_count(out: &mut impl fmt::Write, n: i64, lang: Lang) -> fmt::Result {
    if n < 0 {
        out.write_char('-')?;
    }
    write_grouped(out, i128::from(n).unsigned_abs(), figures_of(lang).number_group)
}

/// A date: `22/11/2026` (French) or `2026-11-22` (English, ISO 8601).
pub fn write_date(out: &mut impl fmt::Write, date: NaiveDate, lang: Lang) -> fmt::Result {
    for part in &figures_of(lang).date {
        match part {
            DatePart::Day => write!(out, "{:02}", date.day())?,
            DatePart::Month => write!(out, "{:02}", date.month())?,
            DatePart::Year => write!(out, "{:04}", date.year())?,
            DatePart::Text(text) => out.write_str(text)?,
        }
    }
    Ok(())
}

/// An amount in cents, in French and in English.
pub fn cents_text(cents: i64) -> (String, String) {
    let render = |lang| {
        let mut s = String::with_capacity(24);
        let _ = write_cents(&mut s, cents, lang);
        s
    };
    (render(Lang::Fr), render(Lang::En))
}

/// A date in `lang`.
pub fn date_in(date: NaiveDate, lang: Lang) -> String {
    let mut s = String::with_capacity(10);
    let _ = write_date(&mut s, date, lang);
    s
}

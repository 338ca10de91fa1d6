//! The language people read: French by default, English on request (`Accept-Language`).
//!
//! Every sentence for people is a [`Text`] holding both languages, chosen when the response is
//! rendered; codes, field names and problem types never change with the language. Numbers in
//! French follow the usual typography: `800 000,00 €`, `62,50 %`, `3,50 ETP`, `22/11/2026`, with
//! a narrow no-break space (U+202F) between groups of thousands and a no-break space (U+00A0)
//! before `€`, `%` and `ETP`, so that a figure is never split across lines. English keeps
//! `€800,000.00`, `62.50 %`, `3.50 FTE` and ISO dates (`2026-11-22`).

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

/// A language of the texts for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// French: the language of instructors and applicants, and the default.
    #[default]
    Fr,
    En,
}

/// The narrow no-break space between groups of thousands in French.
pub const THOUSANDS_FR: char = '\u{202F}';
/// The no-break space before a unit (`€`, `%`, `ETP`) in French.
pub const UNIT_SPACE_FR: char = '\u{A0}';

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The language tag, as `Content-Language` says it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// The language for an `Accept-Language` header (RFC 9110 §12.5.4): of French and English,
    /// the one with the highest weight (`q`, 1 when absent); a range names a language by its
    /// primary subtag (`fr-FR` is French, `en-GB` English; several ranges of one language count
    /// with the highest of their weights), `*` gives its weight to a language named by no other
    /// range, and `q=0` excludes. A tie goes to the language whose range comes first. French when
    /// the header is absent, empty or malformed, or when it accepts neither language.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        accept_language.and_then(negotiate_header).unwrap_or_default()
    }
}

/// A weight in thousandths (`q=0.5` is 500), or `None` when it is not a qvalue (RFC 9110
/// §12.4.2). Shared by `Accept-Language` and the exports' `Accept`.
pub fn parse_qvalue(q: &str) -> Option<u16> {
    let (int, frac) = q.split_once('.').unwrap_or((q, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths =
        frac.bytes().chain(std::iter::repeat(b'0')).take(3).fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// A language range (RFC 4647 §2.1): `*`, or 1 to 8 letters then `-` and 1 to 8 letters or
/// digits, repeated. Returns its primary subtag (`*` for the wildcard).
fn parse_range(range: &str) -> Option<&str> {
    if range == "*" {
        return Some(range);
    }
    let mut subtags = range.split('-');
    let primary = subtags.next()?;
    let ok = |s: &str, alpha_only: bool| {
        (1..=8).contains(&s.len())
            && s.bytes().all(|b| if alpha_only { b.is_ascii_alphabetic() } else { b.is_ascii_alphanumeric() })
    };
    (ok(primary, true) && subtags.all(|s| ok(s, false))).then_some(primary)
}

/// `None` for a malformed header (or one that names no language we have).
fn negotiate_header(header: &str) -> Option<Lang> {
    // For each language: (weight, position of the element that gave it), and the same for `*`.
    let mut named: [Option<(u16, usize)>; 2] = [None, None];
    let mut wildcard: Option<(u16, usize)> = None;
    let better = |slot: &mut Option<(u16, usize)>, q: u16, at: usize| {
        if slot.is_none_or(|(best, _)| q > best) {
            *slot = Some((q, at));
        }
    };
    for (at, element) in header.split(',').enumerate() {
        let element = element.trim_matches([' ', '\t']);
        if element.is_empty() {
            continue; // RFC 9110 §5.6.1: empty list elements are allowed and ignored.
        }
        let (range, weight) = match element.split_once(';') {
            None => (element, None),
            Some((range, weight)) => {
                (range.trim_end_matches([' ', '\t']), Some(weight.trim_start_matches([' ', '\t'])))
            }
        };
        let q = match weight {
            None => 1000,
            Some(w) => {
                let value = w.strip_prefix("q=").or_else(|| w.strip_prefix("Q="))?;
                parse_qvalue(value)?
            }
        };
        let primary = parse_range(range)?;
        if primary == "*" {
            better(&mut wildcard, q, at);
        } else if let Some(i) = Lang::ALL.iter().position(|l| primary.eq_ignore_ascii_case(l.tag())) {
            better(&mut named[i], q, at);
        }
    }
    let weights = named.map(|n| n.or(wildcard).filter(|(q, _)| *q > 0));
    let mut chosen: Option<(Lang, u16, usize)> = None;
    for (lang, weight) in Lang::ALL.into_iter().zip(weights) {
        let Some((q, at)) = weight else { continue };
        if chosen.is_none_or(|(_, best_q, best_at)| q > best_q || (q == best_q && at < best_at)) {
            chosen = Some((lang, q, at));
        }
    }
    chosen.map(|(lang, _, _)| lang)
}

/// A sentence for people, in French and in English. There is no conversion from a bare string:
/// every text is written in both languages where it is made.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    fr: Cow<'static, str>,
    en: Cow<'static, str>,
}

impl Text {
    pub fn new(fr: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Text {
        Text { fr: fr.into(), en: en.into() }
    }

    /// The text in `lang`.
    pub fn in_(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }

    /// Each language's text changed by `f` (given the text and its language).
    pub fn map(&self, f: impl Fn(&str, Lang) -> String) -> Text {
        Text::new(f(&self.fr, Lang::Fr), f(&self.en, Lang::En))
    }
}

/// For logs, which are in English.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A value whose texts are chosen when it is serialised.
pub trait Localize {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error>;
}

/// `value` for a reader of `lang`: serialises with its texts in that language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized<T> {
    pub value: T,
    pub lang: Lang,
}

impl<T> Localized<T> {
    pub fn new(value: T, lang: Lang) -> Self {
        Localized { value, lang }
    }
}

impl<T: Localize> Serialize for Localized<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize_in(self.lang, serializer)
    }
}

impl<T: Localize + ?Sized> Localize for &T {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_in(lang, serializer)
    }
}

impl<T: Localize> Localize for [T] {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|item| Localized::new(item, lang)))
    }
}

impl<T: Localize> Localize for Vec<T> {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize_in(lang, serializer)
    }
}

impl Localize for Text {
    fn serialize_in<S: Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.in_(lang))
    }
}

// ---------------------------------------------------------------------------------------------
// Figures, written without allocating
// ---------------------------------------------------------------------------------------------

/// Writes `n` with `separator` between groups of three digits.
fn write_grouped(out: &mut impl fmt::Write, n: u128, separator: char) -> fmt::Result {
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
            out.write_char(separator)?;
        }
    }
    Ok(())
}

/// An amount in cents: `1 234,56 €` (French), `€1,234.56` (English); `-0,05 €`, `-€0.05`.
pub fn write_cents(out: &mut impl fmt::Write, cents: i64, lang: Lang) -> fmt::Result {
    let abs = i128::from(cents).unsigned_abs();
    if cents < 0 {
        out.write_char('-')?;
    }
    match lang {
        Lang::Fr => {
            write_grouped(out, abs / 100, THOUSANDS_FR)?;
            write!(out, ",{:02}{UNIT_SPACE_FR}€", abs % 100)
        }
        Lang::En => {
            out.write_char('€')?;
            write_grouped(out, abs / 100, ',')?;
            write!(out, ".{:02}", abs % 100)
        }
    }
}

/// Hundredths with two decimals (`-3,50` or `-3.50`), as percentages and FTE are written.
fn write_hundredths(out: &mut impl fmt::Write, hundredths: i64, lang: Lang) -> fmt::Result {
    let abs = i128::from(hundredths).unsigned_abs();
    if hundredths < 0 {
        out.write_char('-')?;
    }
    match lang {
        Lang::Fr => {
            write_grouped(out, abs / 100, THOUSANDS_FR)?;
            write!(out, ",{:02}", abs % 100)
        }
        Lang::En => write!(out, "{}.{:02}", abs / 100, abs % 100),
    }
}

/// A percentage from basis points: `62,50 %` (no-break space) or `62.50 %`.
pub fn write_bp(out: &mut impl fmt::Write, bp: i64, lang: Lang) -> fmt::Result {
    write_hundredths(out, bp, lang)?;
    out.write_str(match lang {
        Lang::Fr => "\u{A0}%",
        Lang::En => " %",
    })
}

/// Full-time equivalents from hundredths: `3,50 ETP` (no-break space) or `3.50 FTE`.
pub fn write_fte(out: &mut impl fmt::Write, hundredths: i64, lang: Lang) -> fmt::Result {
    write_hundredths(out, hundredths, lang)?;
    out.write_str(match lang {
        Lang::Fr => "\u{A0}ETP",
        Lang::En => " FTE",
    })
}

/// A plain count: `12 345` (French) or `12345` (English, as before).
pub fn write_count(out: &mut impl fmt::Write, n: i64, lang: Lang) -> fmt::Result {
    match lang {
        Lang::Fr => {
            if n < 0 {
                out.write_char('-')?;
            }
            write_grouped(out, i128::from(n).unsigned_abs(), THOUSANDS_FR)
        }
        Lang::En => write!(out, "{n}"),
    }
}

/// A date: `22/11/2026` (French) or `2026-11-22` (English, ISO 8601).
pub fn write_date(out: &mut impl fmt::Write, date: NaiveDate, lang: Lang) -> fmt::Result {
    match lang {
        Lang::Fr => write!(out, "{:02}/{:02}/{:04}", date.day(), date.month(), date.year()),
        Lang::En => write!(out, "{:04}-{:02}-{:02}", date.year(), date.month(), date.day()),
    }
}

/// An amount in cents, in both languages.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn negotiate(header: &str) -> Lang {
        Lang::negotiate(Some(header))
    }

    #[test]
    fn french_unless_english_is_preferred() {
        assert_eq!(Lang::negotiate(None), Lang::Fr);
        assert_eq!(negotiate(""), Lang::Fr);
        assert_eq!(negotiate("fr"), Lang::Fr);
        assert_eq!(negotiate("en"), Lang::En);
        assert_eq!(negotiate("EN"), Lang::En);
        assert_eq!(negotiate("en-GB"), Lang::En);
        assert_eq!(negotiate("en-US,en;q=0.9"), Lang::En);
        assert_eq!(negotiate("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Lang::Fr);
        assert_eq!(negotiate("de"), Lang::Fr, "neither language: the default");
        assert_eq!(negotiate("de, en;q=0.5"), Lang::En, "English is acceptable, French is not named");
        assert_eq!(negotiate("en;q=0.1, fr;q=0.9"), Lang::Fr);
        assert_eq!(negotiate("fr;q=0.1, en;q=0.9"), Lang::En);
        assert_eq!(
            negotiate("en-GB;q=0.9, en;q=0.1, fr;q=0.5"),
            Lang::En,
            "the best range of a language counts"
        );
    }

    #[test]
    fn ties_go_to_the_first_listed() {
        assert_eq!(negotiate("en, fr"), Lang::En);
        assert_eq!(negotiate("fr, en"), Lang::Fr);
        assert_eq!(negotiate("en;q=0.5, fr;q=0.500"), Lang::En);
        assert_eq!(negotiate("*"), Lang::Fr, "both through the wildcard: the default comes first");
    }

    #[test]
    fn the_wildcard_weighs_for_languages_not_named() {
        assert_eq!(negotiate("de, *;q=0.5"), Lang::Fr);
        assert_eq!(negotiate("*;q=0.5, fr;q=0.1"), Lang::En, "English through *, French named lower");
        assert_eq!(negotiate("fr;q=0, *"), Lang::En);
    }

    #[test]
    fn q_zero_excludes() {
        assert_eq!(negotiate("fr;q=0, en"), Lang::En);
        assert_eq!(negotiate("fr;q=0.0, en;q=0.001"), Lang::En);
        assert_eq!(negotiate("en;q=0"), Lang::Fr, "nothing acceptable: the default");
        assert_eq!(negotiate("en;q=0, fr;q=0"), Lang::Fr);
    }

    #[test]
    fn whitespace_case_and_empty_elements_are_tolerated() {
        assert_eq!(negotiate(" en ; q=0.8 ,, fr;Q=0.2 "), Lang::En);
        assert_eq!(negotiate("en;q=1.000"), Lang::En);
    }

    #[test]
    fn a_malformed_header_is_ignored() {
        for header in [
            "en;q=2",
            "en;q=1.5",
            "en;q=0.1234",
            "en;q=abc",
            "en;q=",
            "en;level=1",
            "en us",
            "en_GB",
            "en-",
            "toolonglanguage",
            "en-GB-",
            ";q=0.5",
            "en;;",
            "é",
        ] {
            assert_eq!(negotiate(header), Lang::Fr, "{header:?}");
        }
    }

    #[test]
    fn tags() {
        assert_eq!(Lang::Fr.tag(), "fr");
        assert_eq!(Lang::En.tag(), "en");
        assert_eq!(Lang::default(), Lang::Fr);
    }

    fn cents(v: i64, lang: Lang) -> String {
        let mut s = String::new();
        write_cents(&mut s, v, lang).unwrap();
        s
    }

    #[test]
    fn amounts_in_french_and_english() {
        assert_eq!(cents(80_000_000, Lang::Fr), "800\u{202F}000,00\u{A0}€");
        assert_eq!(cents(80_000_000, Lang::En), "€800,000.00");
        assert_eq!(cents(123_456_789_01, Lang::Fr), "123\u{202F}456\u{202F}789,01\u{A0}€");
        assert_eq!(cents(123_456, Lang::Fr), "1\u{202F}234,56\u{A0}€");
        assert_eq!(cents(99_999, Lang::Fr), "999,99\u{A0}€");
        assert_eq!(cents(0, Lang::Fr), "0,00\u{A0}€");
        assert_eq!(cents(5, Lang::Fr), "0,05\u{A0}€");
        assert_eq!(cents(-5, Lang::Fr), "-0,05\u{A0}€");
        assert_eq!(cents(-5, Lang::En), "-€0.05");
        assert_eq!(cents(-123_456, Lang::Fr), "-1\u{202F}234,56\u{A0}€");
        assert_eq!(cents(i64::MIN, Lang::En), "-€92,233,720,368,547,758.08");
        assert_eq!(
            cents(i64::MIN, Lang::Fr),
            "-92\u{202F}233\u{202F}720\u{202F}368\u{202F}547\u{202F}758,08\u{A0}€"
        );
    }

    #[test]
    fn percentages_fte_and_dates() {
        let bp = |v, lang| {
            let mut s = String::new();
            write_bp(&mut s, v, lang).unwrap();
            s
        };
        assert_eq!(bp(6250, Lang::Fr), "62,50\u{A0}%");
        assert_eq!(bp(6250, Lang::En), "62.50 %");
        assert_eq!(bp(5, Lang::Fr), "0,05\u{A0}%");
        assert_eq!(bp(-150, Lang::Fr), "-1,50\u{A0}%");
        assert_eq!(bp(1_234_500, Lang::Fr), "12\u{202F}345,00\u{A0}%");
        let fte = |v, lang| {
            let mut s = String::new();
            write_fte(&mut s, v, lang).unwrap();
            s
        };
        assert_eq!(fte(350, Lang::Fr), "3,50\u{A0}ETP");
        assert_eq!(fte(350, Lang::En), "3.50 FTE");
        assert_eq!(fte(0, Lang::Fr), "0,00\u{A0}ETP");
        assert_eq!(fte(-25, Lang::En), "-0.25 FTE");
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(date_in(day, Lang::Fr), "22/11/2026");
        assert_eq!(date_in(day, Lang::En), "2026-11-22");
        assert_eq!(date_in(NaiveDate::from_ymd_opt(987, 1, 2).unwrap(), Lang::Fr), "02/01/0987");
        assert_eq!(cents_text(150_000), ("1\u{202F}500,00\u{A0}€".to_string(), "€1,500.00".to_string()));
    }

    #[test]
    fn texts_serialise_in_the_language_asked_for() {
        let text = Text::new("Le SIRET doit comporter 14 chiffres.", "siret must be exactly 14 digits");
        assert_eq!(text.in_(Lang::Fr), "Le SIRET doit comporter 14 chiffres.");
        assert_eq!(
            serde_json::to_string(&Localized::new(&text, Lang::En)).unwrap(),
            "\"siret must be exactly 14 digits\""
        );
        let list = vec![text.clone(), text.map(|s, lang| format!("{s} ({})", lang.tag()))];
        assert_eq!(
            serde_json::to_string(&Localized::new(&list, Lang::Fr)).unwrap(),
            "[\"Le SIRET doit comporter 14 chiffres.\",\"Le SIRET doit comporter 14 chiffres. (fr)\"]"
        );
        assert_eq!(text.to_string(), "siret must be exactly 14 digits", "logs are in English");
    }
}

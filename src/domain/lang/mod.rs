//! The languages people read: French by default, others on request (`Accept-Language`).
//!
//! Every sentence for people is a [`Text`]: the id of a message in the catalogues
//! (`locales/<language>/*.ftl`, Fluent syntax) and its named arguments, rendered in the reader's
//! language when the response is written. Codes, field names and problem types never change with
//! the language. A language is a folder of catalogue files: adding one is adding a folder
//! (`build.rs` embeds what it finds), and the test `catalogues::every_language_has_every_message`
//! checks that it says every message with the same arguments as French.
//!
//! Figures are written the way each catalogue's `figure-*` messages say. French follows the usual
//! typography: `800 000,00 €`, `62,50 %`, `3,50 ETP`, `22/11/2026`, with a narrow no-break space
//! (U+202F) between groups of thousands and a no-break space (U+00A0) before `€`, `%` and `ETP`, so
//! that a figure is never split across lines. English keeps `€800,000.00`, `62.50 %`, `3.50 FTE`
//! and ISO dates (`2026-11-22`).

mod catalogue;
mod figures;
#[cfg(test)]
mod tests;
mod text;

pub use catalogue::{message_ids, message_variables, write_message, CatalogueError};
pub use figures::{cents_text, date_in, write_bp, write_cents, write_count, write_date, write_fte};
pub use text::{Arg, ArgRef, Localize, Localized, Text};

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// A language of the texts for people: one of the catalogues under `locales/`. The default
/// (`Lang(0)`) is French, which `build.rs` puts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Lang(u8);

/// The two languages the code itself names: French (the default) and English (the logs').
#[allow(non_upper_case_globals)]
impl Lang {
    /// French: the language of instructors and applicants, and the default.
    pub const Fr: Lang = Lang::named("fr");
    /// English: the language of the logs.
    pub const En: Lang = Lang::named("en");
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; LOCALES.len()] = {
        let mut all = [Lang(0); LOCALES.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = Lang(i as u8);
            i += 1;
        }
        all
    };

    /// The language whose catalogue is `locales/<tag>/` (fails to compile without one).
    const fn named(tag: &str) -> Lang {
        let mut i = 0;
        while i < LOCALES.len() {
            if const_eq(LOCALES[i].0, tag) {
                return Lang(i as u8);
            }
            i += 1;
        }
        panic!("no catalogue under locales/ for this language")
    }

    /// The language tag, as `Content-Language` says it.
    pub fn tag(self) -> &'static str {
        LOCALES[usize::from(self.0)].0
    }

    /// The language of `tag` (`fr`, `EN`), if it has a catalogue.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    pub(super) fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The language for an `Accept-Language` header (RFC 9110 §12.5.4): of the languages with a
    /// catalogue, the one with the highest weight (`q`, 1 when absent); a range names a language by its
    /// primary subtag (`fr-FR` is French, `en-GB` English; several ranges of one language count
    /// with the highest of their weights), `*` gives its weight to a language named by no other
    /// range, and `q=0` excludes. A tie goes to the language whose range comes first. The default
    /// (French) when the header is absent, empty or malformed, or when it accepts none of them.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        accept_language.and_then(negotiate_header).unwrap_or_default()
    }
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
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
    let mut named: [Option<(u16, usize)>; LOCALES.len()] = [None; LOCALES.len()];
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

//! Letters: the legal documents Essor issues as PDF (acknowledgements of receipt, the annex
//! of a committee session's deliberation, notifications of decisions, conventions and their
//! amendments).
//!
//! A letter is made in three steps, each in its own file:
//! 1. the wording: a text template (`templates/fr/<kind>.md.j2`, minijinja syntax, strict about
//!    undefined values) rendered with the letter's context, a JSON value whose strings are
//!    already formatted in French (`templates.rs`);
//! 2. the layout: a small line markup read on the rendered text (headings, bullets,
//!    right-aligned lines, tables, page breaks: `markup.rs`) placed on A4 pages with 2 cm
//!    margins, wrapped with the real advances of the font (`layout.rs`, `fonts.rs`);
//! 3. the file: PDF with DejaVu Sans embedded and subset to the glyphs drawn (`pdf.rs`).
//!
//! The same template, context and [`LetterMeta`] always give the same bytes: the date is the
//! caller's, and nothing random or clock-dependent goes into the file.
//!
//! **Territories adapt the wording without rebuilding Essor**: [`Templates::load`] reads the
//! shipped defaults, then `<dir>/<kind>.md.j2` for every territory, then
//! `<dir>/<territory code>/<kind>.md.j2` for that territory alone. Every template found is
//! checked when it is loaded, by rendering it to PDF with the kind's sample contexts
//! (`templates/samples/<kind>*.json`: the first with every value set, the others with the
//! optional values null and each variant of the wording), so a misspelled variable, a syntax error, a null printed without a fallback or an
//! unknown markup stops the start, with the file, the line and the reason, instead of failing
//! when a letter is due.
//!
//! **The letterhead** (the territory's name, its service, address and contact) is written by
//! the template itself, from `territory.*` in the context: a territory that wants another
//! letterhead overrides the template. There is no logo yet.

mod error;
mod fonts;
mod layout;
mod markup;
mod pdf;
mod templates;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

pub use error::{MarkupDetail, RenderError, TemplateError};
pub use pdf::{forget_font_subsets, PdfError};
pub use templates::{Template, Templates};

/// What the caller says about a letter besides its context: the title written in the PDF's
/// properties, and the moment it is issued (the PDF's creation date). Both are inputs so that
/// rendering is deterministic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterMeta {
    /// The document's title, as PDF readers show it (e.g. the receipt's number).
    pub title: String,
    /// When the letter is issued.
    pub issued_at: DateTime<Utc>,
}

/// A kind of letter, each with its shipped template and sample contexts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LetterKind {
    /// Acknowledgement of receipt of a request (accusé de réception, articles L. 112-3 and
    /// R. 112-5 of the code des relations entre le public et l'administration).
    Receipt,
    /// The annex of a committee session's deliberation: the grants proposed to the vote, one
    /// line each (with the decision and the amount voted once the session has decided), and
    /// per scheme the total proposed against the envelope available.
    Annex,
    /// The notification of a decision on a request to its applicant: a grant, a refusal (with
    /// its reasons, articles L. 211-2 and L. 211-5 of the code des relations entre le public et
    /// l'administration), an amendment of the amount or a cancellation, with the means and
    /// time limits of appeal (article R. 421-1 of the code de justice administrative).
    Notification,
    /// A grant's convention (article 10 of law 2000-321; article L. 1511-3 of the code général
    /// des collectivités territoriales), or one of its amendments (avenants): the parties, the
    /// object, the amount, the payment schedule, the obligations, the duration, lapse and
    /// recovery.
    Convention,
}

impl LetterKind {
    /// Every kind, in a stable order.
    pub const ALL: &'static [LetterKind] =
        &[LetterKind::Receipt, LetterKind::Annex, LetterKind::Notification, LetterKind::Convention];

    /// The kind's code, also the name of its template file (`<code>.md.j2`).
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Receipt => "receipt",
            LetterKind::Annex => "annex",
            LetterKind::Notification => "notification",
            LetterKind::Convention => "convention",
        }
    }

    /// The kind whose template file is named `file_name`, if any.
    pub fn from_file_name(file_name: &str) -> Option<LetterKind> {
        let code = file_name.strip_suffix(templates::EXTENSION)?;
        LetterKind::ALL.iter().copied().find(|kind| kind.as_str() == code)
    }

    /// The template's file name, `<code>.md.j2`.
    pub fn file_name(self) -> String {
        format!("{}{}", self.as_str(), templates::EXTENSION)
    }

    /// The shipped template's path in the repository, and its text.
    pub fn default_template(self) -> (&'static str, &'static str) {
        match self {
            LetterKind::Receipt => {
                ("templates/fr/receipt.md.j2", include_str!("../../templates/fr/receipt.md.j2"))
            }
            LetterKind::Annex => ("templates/fr/annex.md.j2", include_str!("../../templates/fr/annex.md.j2")),
            LetterKind::Notification => {
                ("templates/fr/notification.md.j2", include_str!("../../templates/fr/notification.md.j2"))
            }
            LetterKind::Convention => {
                ("templates/fr/convention.md.j2", include_str!("../../templates/fr/convention.md.j2"))
            }
        }
    }

    /// The contexts every template of this kind is checked with when loaded: `(name, JSON)`.
    /// The first has every value set; the others set optional ones to null and take the
    /// other branches of the wording (a planned session, each kind of notification).
    pub fn samples(self) -> &'static [(&'static str, &'static str)] {
        match self {
            LetterKind::Receipt => &[
                ("templates/samples/receipt.json", include_str!("../../templates/samples/receipt.json")),
                (
                    "templates/samples/receipt.minimal.json",
                    include_str!("../../templates/samples/receipt.minimal.json"),
                ),
            ],
            LetterKind::Annex => &[
                ("templates/samples/annex.json", include_str!("../../templates/samples/annex.json")),
                (
                    "templates/samples/annex.planned.json",
                    include_str!("../../templates/samples/annex.planned.json"),
                ),
                (
                    "templates/samples/annex.call.json",
                    include_str!("../../templates/samples/annex.call.json"),
                ),
            ],
            LetterKind::Notification => &[
                (
                    "templates/samples/notification.json",
                    include_str!("../../templates/samples/notification.json"),
                ),
                (
                    "templates/samples/notification.refusal.json",
                    include_str!("../../templates/samples/notification.refusal.json"),
                ),
                (
                    "templates/samples/notification.amendment.json",
                    include_str!("../../templates/samples/notification.amendment.json"),
                ),
                (
                    "templates/samples/notification.cancellation.json",
                    include_str!("../../templates/samples/notification.cancellation.json"),
                ),
            ],
            LetterKind::Convention => &[
                (
                    "templates/samples/convention.json",
                    include_str!("../../templates/samples/convention.json"),
                ),
                (
                    "templates/samples/convention.rent.json",
                    include_str!("../../templates/samples/convention.rent.json"),
                ),
                (
                    "templates/samples/convention.general.json",
                    include_str!("../../templates/samples/convention.general.json"),
                ),
                (
                    "templates/samples/convention.amendment.json",
                    include_str!("../../templates/samples/convention.amendment.json"),
                ),
                (
                    "templates/samples/convention.amendment-minimal.json",
                    include_str!("../../templates/samples/convention.amendment-minimal.json"),
                ),
            ],
        }
    }

    /// The first sample context, parsed (the one with every value set).
    pub fn sample(self) -> serde_json::Value {
        serde_json::from_str(self.samples()[0].1).expect("the shipped sample is valid JSON")
    }
}

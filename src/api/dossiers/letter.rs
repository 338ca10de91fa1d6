//! What the letters a dossier's acts issue share (the notification of a decision, the grant's
//! convention): who they name, read once, and the letter made, kept and recorded in the
//! dossier's history, all in the act's transaction.

use chrono::NaiveDateTime;

use crate::db::dossiers::DossierRow;
use crate::db::history::{self, Step};
use crate::db::schemes::SchemeRow;
use crate::db::territories::TerritoryRow;
use crate::db::{generated, organisations, schemes, territories, DbConnection};
use crate::domain::access::Caller;
use crate::domain::ids::{GeneratedDocumentId, OrganisationId};
use crate::domain::organisation::Organisation;
use crate::error::{ApiError, ApiResult};
use crate::letters::{LetterKind, LetterMeta, Templates};

/// The territory, the scheme and the organisation a dossier's letter names.
pub struct Parties {
    pub territory: TerritoryRow,
    pub scheme: SchemeRow,
    pub organisation: Organisation,
}

/// The parties an act has read, so that its letters read each once: a grant's convention and
/// notification name the same ones, and a deliberation's hundreds of letters one territory and
/// a few schemes.
#[derive(Default)]
pub struct Readings {
    territory: Option<TerritoryRow>,
    schemes: Vec<SchemeRow>,
    organisations: Vec<(OrganisationId, Organisation)>,
}

impl Readings {
    /// The parties `dossier`'s letter names, read when not read yet.
    pub fn parties(&mut self, conn: &mut DbConnection, dossier: &DossierRow) -> ApiResult<Parties> {
        let missing = |what: &'static str| ApiError::internal(what, dossier.id.clone());
        let territory = match self.territory.as_ref().filter(|t| t.code == dossier.territory) {
            Some(known) => known.clone(),
            None => {
                let read = territories::find(conn, &dossier.territory)?
                    .ok_or_else(|| missing("dossier without territory"))?;
                self.territory = Some(read.clone());
                read
            }
        };
        let scheme = match self.schemes.iter().find(|s| s.id == dossier.scheme_id) {
            Some(known) => known.clone(),
            None => {
                let read = schemes::find(conn, &dossier.territory, &dossier.scheme_id)?
                    .ok_or_else(|| missing("dossier without scheme"))?;
                self.schemes.push(read.clone());
                read
            }
        };
        let organisation = match self.organisations.iter().find(|(id, _)| *id == dossier.organisation_id) {
            Some((_, known)) => known.clone(),
            None => {
                let read = organisations::find(conn, &dossier.territory, &dossier.organisation_id)?
                    .ok_or_else(|| missing("dossier without organisation"))?
                    .organisation();
                self.organisations.push((dossier.organisation_id.clone(), read.clone()));
                read
            }
        };
        Ok(Parties { territory, scheme, organisation })
    }
}

/// A letter to make for the dossier: its kind, the document id it is kept as, its title and
/// its template's context, and the history's line that records it.
pub struct Letter<'a> {
    pub kind: LetterKind,
    pub document_id: &'a GeneratedDocumentId,
    pub title: String,
    pub context: serde_json::Value,
    pub history_line: String,
}

/// Renders `letter` with the territory's template, keeps the PDF with its template version,
/// and writes the history's line, at `at`.
pub fn issue(
    conn: &mut DbConnection,
    templates: &Templates,
    caller: &Caller,
    dossier: &DossierRow,
    letter: Letter<'_>,
    at: NaiveDateTime,
) -> ApiResult<()> {
    let template = templates.get(dossier.territory.as_str(), letter.kind);
    let meta = LetterMeta { title: letter.title, issued_at: crate::api::common::utc(at) };
    let pdf = template
        .render(&letter.context, &meta)
        .map_err(|e| ApiError::internal_from(letter.kind.as_str(), e))?;
    generated::keep_pdf(
        conn,
        letter.document_id,
        Some(&dossier.id),
        letter.kind.as_str(),
        template.version(),
        &pdf,
        at,
    )?;
    history::append(
        conn,
        Step {
            dossier_id: &dossier.id,
            actor: caller,
            at,
            from: Some(dossier.status),
            to: dossier.status,
            comment: Some(letter.history_line),
            internal_note: None,
        },
    )?;
    Ok(())
}

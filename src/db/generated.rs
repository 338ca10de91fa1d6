//! Documents Essor generates (receipts; later notifications, conventions, annexes): the bytes
//! with their SHA-256 and the template version that made them, written in the transaction of
//! the act they record, never rewritten (database triggers refuse UPDATE, and DELETE but for a
//! purged dossier).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::error::DbResult;
use crate::db::schema::generated_documents;
use crate::db::DbConnection;
use crate::domain::ids::{DossierId, GeneratedDocumentId};

/// The media type of every generated document.
pub const PDF: &str = "application/pdf";

/// What is known of a generated document without its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = generated_documents)]
pub struct GeneratedRow {
    pub id: GeneratedDocumentId,
    pub dossier_id: Option<DossierId>,
    /// `receipt`, …
    pub kind: String,
    /// The template that made it, e.g. `receipt@3f2a9c0d1e4b`.
    pub template_version: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = generated_documents)]
struct NewGenerated<'a> {
    id: &'a GeneratedDocumentId,
    dossier_id: Option<&'a DossierId>,
    kind: &'a str,
    template_version: &'a str,
    content_type: &'a str,
    size: i64,
    sha256: &'a str,
    bytes: &'a [u8],
    created_at: NaiveDateTime,
}

/// Keeps a PDF made for `dossier_id` by the template `template_version`, as `id`; returns its
/// row.
pub fn keep_pdf(
    conn: &mut DbConnection,
    id: &GeneratedDocumentId,
    dossier_id: Option<&DossierId>,
    kind: &str,
    template_version: &str,
    bytes: &[u8],
    at: NaiveDateTime,
) -> DbResult<GeneratedRow> {
    let sha256 = format!("{:x}", Sha256::digest(bytes));
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    diesel::insert_into(generated_documents::table)
        .values(NewGenerated {
            id,
            dossier_id,
            kind,
            template_version,
            content_type: PDF,
            size,
            sha256: &sha256,
            bytes,
            created_at: at,
        })
        .execute(conn)?;
    Ok(GeneratedRow {
        id: id.clone(),
        dossier_id: dossier_id.cloned(),
        kind: kind.to_string(),
        template_version: template_version.to_string(),
        content_type: PDF.to_string(),
        size,
        sha256,
        created_at: at,
    })
}

/// What is known of a generated document.
pub fn find(conn: &mut DbConnection, id: &GeneratedDocumentId) -> DbResult<GeneratedRow> {
    Ok(generated_documents::table.find(id).select(GeneratedRow::as_select()).first(conn)?)
}

/// The bytes of a generated document.
pub fn bytes(conn: &mut DbConnection, id: &GeneratedDocumentId) -> DbResult<Vec<u8>> {
    Ok(generated_documents::table.find(id).select(generated_documents::bytes).first(conn)?)
}

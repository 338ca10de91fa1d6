//! The documents of dossiers and their contents: rows, the contents they name (stored once per
//! SHA-256), and what each submission was made with. The bytes themselves are the business of
//! a [`DocumentStore`](crate::db::document_store::DocumentStore).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult, Missing};
use crate::db::schema::{document_blob_chunks, document_blobs, documents, submission_documents};
use crate::db::DbConnection;
use crate::domain::ids::{DocumentId, DossierId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = documents)]
pub struct DocumentRow {
    pub id: DocumentId,
    pub dossier_id: DossierId,
    pub doc_type: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

/// Whether a content is already known (stored, in the database or as a file).
pub fn blob_exists(conn: &mut DbConnection, sha256: &str) -> DbResult<bool> {
    let found: Option<String> = document_blobs::table
        .filter(document_blobs::sha256.eq(sha256))
        .select(document_blobs::sha256)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Records a new content, in a savepoint: `Ok(false)` when another transaction recorded it
/// first (two uploads of the same new file at once, on any instance), which is no failure.
pub fn insert_blob(conn: &mut DbConnection, sha256: &str, size: i64) -> DbResult<bool> {
    use diesel::result::{DatabaseErrorKind, Error};
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(document_blobs::table)
            .values((document_blobs::sha256.eq(sha256), document_blobs::size.eq(size)))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// One chunk of a content stored in the database.
pub fn insert_chunk(conn: &mut DbConnection, sha256: &str, seq: i32, bytes: &[u8]) -> DbResult<()> {
    diesel::insert_into(document_blob_chunks::table)
        .values((
            document_blob_chunks::sha256.eq(sha256),
            document_blob_chunks::seq.eq(seq),
            document_blob_chunks::bytes.eq(bytes),
        ))
        .execute(conn)?;
    Ok(())
}

/// Chunk `seq` of a content stored in the database (`None` past its end).
pub fn chunk(conn: &mut DbConnection, sha256: &str, seq: i32) -> DbResult<Option<Vec<u8>>> {
    Ok(document_blob_chunks::table
        .filter(document_blob_chunks::sha256.eq(sha256))
        .filter(document_blob_chunks::seq.eq(seq))
        .select(document_blob_chunks::bytes)
        .first(conn)
        .optional()?)
}

/// Every content known, with its size (the filesystem store's garbage collection).
pub fn all_blobs(conn: &mut DbConnection) -> DbResult<Vec<String>> {
    Ok(document_blobs::table.select(document_blobs::sha256).load(conn)?)
}

pub fn insert(conn: &mut DbConnection, row: &DocumentRow) -> DbResult<()> {
    diesel::insert_into(documents::table).values(row).execute(conn)?;
    Ok(())
}

/// The dossier's current documents (not deleted), oldest first.
pub fn current(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Vec<DocumentRow>> {
    Ok(documents::table
        .filter(documents::dossier_id.eq(dossier_id))
        .filter(documents::deleted_at.is_null())
        .order((documents::uploaded_at.asc(), documents::id.asc()))
        .select(DocumentRow::as_select())
        .load(conn)?)
}

/// The documents submission `seq` of the dossier was made with (`None`: no such submission).
pub fn submitted(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
    seq: i32,
) -> DbResult<Option<Vec<DocumentRow>>> {
    let exists = crate::db::submissions::exists(conn, dossier_id, seq)?;
    if !exists {
        return Ok(None);
    }
    Ok(Some(
        documents::table
            .inner_join(submission_documents::table.on(submission_documents::document_id.eq(documents::id)))
            .filter(submission_documents::dossier_id.eq(dossier_id))
            .filter(submission_documents::seq.eq(seq))
            .order((documents::uploaded_at.asc(), documents::id.asc()))
            .select(DocumentRow::as_select())
            .load(conn)?,
    ))
}

/// A document of the dossier, current or kept by a submission.
pub fn find(conn: &mut DbConnection, dossier_id: &DossierId, id: &DocumentId) -> DbResult<DocumentRow> {
    documents::table
        .filter(documents::dossier_id.eq(dossier_id))
        .filter(documents::id.eq(id))
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| DbError::NotFound(Missing::Document))
}

/// Keeps, with submission `seq`, the documents the dossier has now.
pub fn keep_with_submission(conn: &mut DbConnection, dossier_id: &DossierId, seq: i32) -> DbResult<()> {
    let ids: Vec<DocumentId> = current(conn, dossier_id)?.into_iter().map(|d| d.id).collect();
    for id in &ids {
        diesel::insert_into(submission_documents::table)
            .values((
                submission_documents::dossier_id.eq(dossier_id),
                submission_documents::seq.eq(seq),
                submission_documents::document_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// What deleting a document did to its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// A submission keeps the document: it is only hidden from the current list.
    Hidden,
    /// The row is gone; its content is still named by another document.
    Row,
    /// The row and its content are gone (database chunks with it): the store may drop the bytes.
    RowAndContent(String),
}

/// Deletes a current document: hidden if a submission keeps it, else removed, with its
/// content when no other document names it.
pub fn delete(conn: &mut DbConnection, doc: &DocumentRow, at: NaiveDateTime) -> DbResult<Removed> {
    let kept: i64 = submission_documents::table
        .filter(submission_documents::document_id.eq(&doc.id))
        .count()
        .get_result(conn)?;
    if kept > 0 {
        let n = diesel::update(
            documents::table.filter(documents::id.eq(&doc.id)).filter(documents::deleted_at.is_null()),
        )
        .set(documents::deleted_at.eq(Some(at)))
        .execute(conn)?;
        if n != 1 {
            return Err(DbError::NotFound(Missing::DeletedDocument));
        }
        return Ok(Removed::Hidden);
    }
    let n = diesel::delete(documents::table.filter(documents::id.eq(&doc.id))).execute(conn)?;
    if n != 1 {
        return Err(DbError::NotFound(Missing::DeletedDocument));
    }
    let others: i64 = documents::table.filter(documents::sha256.eq(&doc.sha256)).count().get_result(conn)?;
    if others > 0 {
        return Ok(Removed::Row);
    }
    diesel::delete(document_blob_chunks::table.filter(document_blob_chunks::sha256.eq(&doc.sha256)))
        .execute(conn)?;
    diesel::delete(document_blobs::table.filter(document_blobs::sha256.eq(&doc.sha256))).execute(conn)?;
    Ok(Removed::RowAndContent(doc.sha256.clone()))
}

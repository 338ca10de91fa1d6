//! Conventions: one per grant that needs one, numbered per territory and year, its documents
//! (the convention, then each amendment) frozen with their PDF, and each party's signature of
//! each document recorded once. Nothing here is ever rewritten.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::generated::GeneratedRow;
use crate::db::schema::{
    convention_documents, convention_signatures, conventions, dossiers, generated_documents,
};
use crate::db::types::Json;
use crate::db::DbConnection;
use crate::domain::convention::{ConventionContent, SigningParty};
use crate::domain::ids::{
    ConventionDocumentId, ConventionId, DocumentId, DossierId, GeneratedDocumentId, TerritoryCode,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = conventions)]
pub struct ConventionRow {
    pub id: ConventionId,
    pub dossier_id: DossierId,
    pub territory: TerritoryCode,
    pub year: i32,
    pub number: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = convention_documents)]
pub struct ConventionDocumentRow {
    pub id: ConventionDocumentId,
    pub convention_id: ConventionId,
    pub dossier_id: DossierId,
    /// 0 for the convention, then 1, 2… for its amendments.
    pub seq: i32,
    pub granted_cents: i64,
    pub content: Json<ConventionContent>,
    pub document_id: GeneratedDocumentId,
    pub issued_by: String,
    pub issued_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = convention_signatures)]
pub struct SignatureRow {
    pub convention_document_id: ConventionDocumentId,
    pub party: SigningParty,
    pub dossier_id: DossierId,
    pub signed_on: NaiveDate,
    pub signed_copy_id: Option<DocumentId>,
    pub signed_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A document of the convention with its letter and its signatures.
pub type SignedDocument = (ConventionDocumentRow, GeneratedRow, Vec<SignatureRow>);

/// The dossier's convention, if it has one.
pub fn of_dossier(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Option<ConventionRow>> {
    Ok(conventions::table
        .filter(conventions::dossier_id.eq(dossier_id))
        .select(ConventionRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &ConventionRow) -> DbResult<()> {
    diesel::insert_into(conventions::table).values(row).execute(conn)?;
    Ok(())
}

pub fn insert_document(conn: &mut DbConnection, row: &ConventionDocumentRow) -> DbResult<()> {
    diesel::insert_into(convention_documents::table).values(row).execute(conn)?;
    Ok(())
}

/// The convention's documents, the convention first, each with its letter and signatures.
pub fn documents(conn: &mut DbConnection, convention_id: &ConventionId) -> DbResult<Vec<SignedDocument>> {
    let rows: Vec<(ConventionDocumentRow, GeneratedRow)> = convention_documents::table
        .inner_join(generated_documents::table)
        .filter(convention_documents::convention_id.eq(convention_id))
        .order(convention_documents::seq.asc())
        .select((ConventionDocumentRow::as_select(), GeneratedRow::as_select()))
        .load(conn)?;
    let ids: Vec<&ConventionDocumentId> = rows.iter().map(|(row, _)| &row.id).collect();
    let mut signatures: Vec<SignatureRow> = convention_signatures::table
        .filter(convention_signatures::convention_document_id.eq_any(ids))
        .select(SignatureRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, letter)| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                signatures.drain(..).partition(|s| s.convention_document_id == row.id);
            signatures = rest;
            (row, letter, mine)
        })
        .collect())
}

/// Records a party's signature once (`false` when that party signed that document already:
/// the primary key says so, whatever the number of instances).
pub fn sign(conn: &mut DbConnection, signature: &SignatureRow) -> DbResult<bool> {
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(convention_signatures::table).values(signature).execute(conn)
    });
    match inserted.map_err(DbError::from) {
        Ok(_) => Ok(true),
        Err(DbError::Integrity(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The day the convention took effect, once both parties signed it, written on the dossier
/// (`convention_signed_on`, which the exports publish); the dossier's version moves.
pub fn set_signed_on(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
    on: NaiveDate,
    at: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(dossiers::table.find(dossier_id))
        .set((
            dossiers::convention_signed_on.eq(Some(on)),
            dossiers::version.eq(dossiers::version + 1),
            dossiers::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many of the dossier's convention documents lack a party's signature: a payment waits
/// for none.
pub fn unsigned_documents(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<usize> {
    let documents: Vec<ConventionDocumentId> = convention_documents::table
        .filter(convention_documents::dossier_id.eq(dossier_id))
        .select(convention_documents::id)
        .load(conn)?;
    let signed: Vec<ConventionDocumentId> = convention_signatures::table
        .filter(convention_signatures::dossier_id.eq(dossier_id))
        .select(convention_signatures::convention_document_id)
        .load(conn)?;
    // Each party signs a document at most once (the primary key): two signatures, both parties.
    Ok(documents.iter().filter(|d| signed.iter().filter(|s| s == d).count() < 2).count())
}

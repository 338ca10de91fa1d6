//! Receipts: one per submission, numbered per territory and year without gaps, written in the
//! submission's transaction with the letter that states them, never rewritten.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::generated::GeneratedRow;
use crate::db::schema::{generated_documents, receipts};
use crate::db::types::Json;
use crate::db::DbConnection;
use crate::domain::ids::{DossierId, GeneratedDocumentId, ReceiptId, TerritoryCode};
use crate::domain::procedure::ReceiptContent;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = receipts)]
pub struct ReceiptRow {
    pub id: ReceiptId,
    pub dossier_id: DossierId,
    /// The submission it acknowledges (`dossier_submissions.seq`).
    pub seq: i32,
    pub territory: TerritoryCode,
    pub year: i32,
    pub number: i32,
    pub received_on: NaiveDate,
    pub implicit_decision_on: NaiveDate,
    pub content: Json<ReceiptContent>,
    pub document_id: GeneratedDocumentId,
    pub issued_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &ReceiptRow) -> DbResult<()> {
    diesel::insert_into(receipts::table).values(row).execute(conn)?;
    Ok(())
}

/// A receipt with what is known of its letter.
pub type ReceiptWithLetter = (ReceiptRow, GeneratedRow);

/// The dossier's receipts, the first submission's first.
pub fn of_dossier(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Vec<ReceiptWithLetter>> {
    Ok(receipts::table
        .inner_join(generated_documents::table)
        .filter(receipts::dossier_id.eq(dossier_id))
        .order(receipts::seq.asc())
        .select((ReceiptRow::as_select(), GeneratedRow::as_select()))
        .load(conn)?)
}

/// One receipt of the dossier.
pub fn find(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
    id: &ReceiptId,
) -> DbResult<Option<ReceiptWithLetter>> {
    Ok(receipts::table
        .inner_join(generated_documents::table)
        .filter(receipts::dossier_id.eq(dossier_id))
        .filter(receipts::id.eq(id))
        .select((ReceiptRow::as_select(), GeneratedRow::as_select()))
        .first(conn)
        .optional()?)
}

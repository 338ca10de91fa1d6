//! Receipts: one per submission, numbered per territory and year without gaps, written in the
//! submission's transaction with the letter that states them, never rewritten.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::generated::GeneratedRow;
use crate::db::schema::{generated_documents, receipt_counters, receipts};
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

/// Takes the territory's next receipt number for `year`, in the caller's transaction: the
/// counter row is advanced by one conditional UPDATE (its row lock orders concurrent
/// submissions on PostgreSQL; SQLite writes one at a time), so a number is given once and a
/// rolled-back submission gives it back. The year's first receipt inserts the row, in a
/// savepoint: when another submission inserted it meanwhile, the UPDATE is tried again.
pub fn next_number(conn: &mut DbConnection, territory: &TerritoryCode, year: i32) -> DbResult<i32> {
    if let Some(number) = advance(conn, territory, year)? {
        return Ok(number);
    }
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(receipt_counters::table)
            .values((
                receipt_counters::territory.eq(territory),
                receipt_counters::year.eq(year),
                receipt_counters::last_number.eq(1),
            ))
            .execute(conn)
    });
    match inserted.map_err(DbError::from) {
        Ok(_) => Ok(1),
        Err(DbError::Integrity(_)) => advance(conn, territory, year)?
            .ok_or_else(|| DbError::internal("receipt number", "the counter row vanished")),
        Err(other) => Err(other),
    }
}

fn advance(conn: &mut DbConnection, territory: &TerritoryCode, year: i32) -> DbResult<Option<i32>> {
    Ok(diesel::update(
        receipt_counters::table
            .filter(receipt_counters::territory.eq(territory))
            .filter(receipt_counters::year.eq(year)),
    )
    .set(receipt_counters::last_number.eq(receipt_counters::last_number + 1))
    .returning(receipt_counters::last_number)
    .get_result(conn)
    .optional()?)
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

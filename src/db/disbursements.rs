//! Disbursements: payment requests certified by instructors, paid or refused by finance.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult, Missing};
use crate::db::schema::disbursements;
use crate::db::DbConnection;
use crate::domain::access::Caller;
use crate::domain::ids::{DisbursementId, DossierId, EnvelopeId, TerritoryCode};
use crate::domain::money::{DisbursementKind, DisbursementStatus};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = disbursements)]
pub struct DisbursementRow {
    pub id: DisbursementId,
    pub territory: TerritoryCode,
    pub dossier_id: DossierId,
    pub envelope_id: EnvelopeId,
    pub kind: DisbursementKind,
    pub amount_cents: i64,
    pub status: DisbursementStatus,
    pub certified_on: NaiveDate,
    pub comment: Option<String>,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub paid_on: Option<NaiveDate>,
    pub payment_reference: Option<String>,
    pub refusal_comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub version: i32,
}

/// What finance decides on a request.
pub enum Decision {
    Paid { paid_on: NaiveDate, payment_reference: String },
    Refused { comment: String },
}

pub fn insert(conn: &mut DbConnection, row: &DisbursementRow) -> DbResult<()> {
    diesel::insert_into(disbursements::table).values(row).execute(conn)?;
    Ok(())
}

/// A disbursement of the caller's territory (staff only see them), or `NotFound`.
pub fn visible(conn: &mut DbConnection, caller: &Caller, id: &DisbursementId) -> DbResult<DisbursementRow> {
    disbursements::table
        .filter(disbursements::id.eq(id))
        .filter(disbursements::territory.eq(&caller.territory))
        .select(DisbursementRow::as_select())
        .first(conn)
        .optional()?
        .filter(|_| caller.is_staff())
        .ok_or_else(|| DbError::NotFound(Missing::Disbursement))
}

/// A disbursement of the caller's territory (`NotFound` otherwise) with its dossier, to decide on it:
/// the dossier is locked first (`dossiers::lock_changeable`, the lock order of every money use
/// case), then the disbursement is read again, as it is once the lock is held.
pub fn visible_to_decide(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &DisbursementId,
) -> DbResult<(DisbursementRow, crate::db::dossiers::DossierRow)> {
    let dossier_id = visible(conn, caller, id)?.dossier_id;
    let dossier = crate::db::dossiers::lock_changeable(conn, &dossier_id)?;
    Ok((visible(conn, caller, id)?, dossier))
}

/// The dossier's disbursements, oldest first.
pub fn of_dossier(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Vec<DisbursementRow>> {
    Ok(disbursements::table
        .filter(disbursements::dossier_id.eq(dossier_id))
        .order((disbursements::requested_at.asc(), disbursements::id.asc()))
        .select(DisbursementRow::as_select())
        .load(conn)?)
}

/// Whether the dossier has a balance requested or paid.
pub fn has_balance(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<bool> {
    let n: i64 = disbursements::table
        .filter(disbursements::dossier_id.eq(dossier_id))
        .filter(disbursements::kind.eq(DisbursementKind::Balance))
        .filter(disbursements::status.ne(DisbursementStatus::Refused))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A page of the territory's disbursements (finance's work list), oldest request first.
pub fn list(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    status: Option<DisbursementStatus>,
    requested_in: Option<(NaiveDateTime, NaiveDateTime)>,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<DisbursementRow>, i64)> {
    let filtered = || {
        let mut q =
            disbursements::table.filter(disbursements::territory.eq(territory.to_string())).into_boxed();
        if let Some(status) = status {
            q = q.filter(disbursements::status.eq(status));
        }
        if let Some((from, to)) = requested_in {
            q = q.filter(disbursements::requested_at.ge(from)).filter(disbursements::requested_at.lt(to));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((disbursements::requested_at.asc(), disbursements::id.asc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(DisbursementRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Records finance's decision on a request still `requested` at the version read
/// (`DbError::Stale` otherwise). Returns the updated row.
pub fn decide(
    conn: &mut DbConnection,
    row: &DisbursementRow,
    decision: Decision,
    by: &str,
    at: NaiveDateTime,
) -> DbResult<DisbursementRow> {
    let target = disbursements::table
        .filter(disbursements::id.eq(&row.id))
        .filter(disbursements::version.eq(row.version))
        .filter(disbursements::status.eq(DisbursementStatus::Requested));
    let common = (
        disbursements::decided_by.eq(by),
        disbursements::decided_at.eq(at),
        disbursements::version.eq(row.version + 1),
    );
    let touched = match decision {
        Decision::Paid { paid_on, payment_reference } => diesel::update(target)
            .set((
                disbursements::status.eq(DisbursementStatus::Paid),
                disbursements::paid_on.eq(paid_on),
                disbursements::payment_reference.eq(payment_reference),
                common,
            ))
            .execute(conn)?,
        Decision::Refused { comment } => diesel::update(target)
            .set((
                disbursements::status.eq(DisbursementStatus::Refused),
                disbursements::refusal_comment.eq(comment),
                common,
            ))
            .execute(conn)?,
    };
    if touched != 1 {
        return Err(DbError::Stale);
    }
    Ok(disbursements::table.find(&row.id).select(DisbursementRow::as_select()).first(conn)?)
}

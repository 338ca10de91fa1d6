//! Notifications: one per decision, numbered per territory and year without gaps, written in
//! the decision's transaction with the letter that states it, never rewritten; and the day each
//! was received, recorded once.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::generated::GeneratedRow;
use crate::db::schema::{dossiers, generated_documents, notification_receptions, notifications};
use crate::db::types::Json;
use crate::db::DbConnection;
use crate::domain::ids::{DossierId, GeneratedDocumentId, NotificationId, TerritoryCode};
use crate::domain::notification::{NotificationContent, NotificationKind};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: NotificationId,
    pub dossier_id: DossierId,
    pub territory: TerritoryCode,
    pub year: i32,
    pub number: i32,
    pub kind: NotificationKind,
    pub decided_on: NaiveDate,
    pub decision_reference: Option<String>,
    pub content: Json<NotificationContent>,
    pub document_id: GeneratedDocumentId,
    pub issued_by: String,
    pub issued_at: NaiveDateTime,
}

/// The day a notification was received and the last day of its appeal period.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notification_receptions)]
pub struct ReceptionRow {
    pub notification_id: NotificationId,
    pub dossier_id: DossierId,
    pub notified_on: NaiveDate,
    pub appeal_until: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A notification with its letter and, once recorded, its reception.
pub type NotificationWithLetter = (NotificationRow, GeneratedRow, Option<ReceptionRow>);

/// Keeps a notification just issued; when the dossier shows a reception (`shows_reception`, as
/// read in this transaction), the previous decision's, it is cleared (the dossier's version
/// moved with the decision itself).
pub fn insert(conn: &mut DbConnection, row: &NotificationRow, shows_reception: bool) -> DbResult<()> {
    diesel::insert_into(notifications::table).values(row).execute(conn)?;
    if shows_reception {
        diesel::update(dossiers::table.find(&row.dossier_id))
            .set((dossiers::notified_on.eq(None::<NaiveDate>), dossiers::appeal_until.eq(None::<NaiveDate>)))
            .execute(conn)?;
    }
    Ok(())
}

/// The dossier's notifications, the first issued first.
pub fn of_dossier(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Vec<NotificationWithLetter>> {
    Ok(notifications::table
        .inner_join(generated_documents::table)
        .left_join(notification_receptions::table)
        .filter(notifications::dossier_id.eq(dossier_id))
        .order((notifications::issued_at.asc(), notifications::year.asc(), notifications::number.asc()))
        .select((
            NotificationRow::as_select(),
            GeneratedRow::as_select(),
            Option::<ReceptionRow>::as_select(),
        ))
        .load(conn)?)
}

/// One notification of the dossier.
pub fn find(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
    id: &NotificationId,
) -> DbResult<Option<NotificationWithLetter>> {
    Ok(notifications::table
        .inner_join(generated_documents::table)
        .left_join(notification_receptions::table)
        .filter(notifications::dossier_id.eq(dossier_id))
        .filter(notifications::id.eq(id))
        .select((
            NotificationRow::as_select(),
            GeneratedRow::as_select(),
            Option::<ReceptionRow>::as_select(),
        ))
        .first(conn)
        .optional()?)
}

/// The id of the dossier's latest notification, if any.
pub fn latest_id(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Option<NotificationId>> {
    Ok(notifications::table
        .filter(notifications::dossier_id.eq(dossier_id))
        .order((notifications::issued_at.desc(), notifications::year.desc(), notifications::number.desc()))
        .select(notifications::id)
        .first(conn)
        .optional()?)
}

/// Records the reception once (`false` when it was recorded already: the primary key says so,
/// whatever the number of instances). When `latest`, the dossier shows it, its version moving.
pub fn record_reception(conn: &mut DbConnection, reception: &ReceptionRow, latest: bool) -> DbResult<bool> {
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(notification_receptions::table).values(reception).execute(conn)
    });
    match inserted.map_err(DbError::from) {
        Ok(_) => {}
        Err(DbError::Integrity(_)) => return Ok(false),
        Err(other) => return Err(other),
    }
    if latest {
        diesel::update(dossiers::table.find(&reception.dossier_id))
            .set((
                dossiers::notified_on.eq(Some(reception.notified_on)),
                dossiers::appeal_until.eq(Some(reception.appeal_until)),
                dossiers::version.eq(dossiers::version + 1),
                dossiers::updated_at.eq(reception.recorded_at),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

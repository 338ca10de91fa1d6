//! A dossier's history: append-only (database triggers refuse UPDATE and DELETE), written in
//! the same transaction as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::schema::dossier_history;
use crate::db::{new_id, DbConnection};
use crate::domain::access::{Caller, Role};
use crate::domain::ids::DossierId;
use crate::domain::lifecycle::DossierStatus;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_history)]
pub struct HistoryRow {
    pub id: String,
    pub dossier_id: DossierId,
    /// Position in the dossier's history, from 1.
    pub seq: i32,
    pub actor: String,
    pub actor_role: Role,
    pub at: NaiveDateTime,
    /// `None` for the creation.
    pub from_status: Option<DossierStatus>,
    pub to_status: DossierStatus,
    pub comment: Option<String>,
    /// Instructors' private annotation: never shown to applicants.
    pub internal_note: Option<String>,
}

/// One step to record.
pub struct Step<'a> {
    pub dossier_id: &'a DossierId,
    pub actor: &'a Caller,
    pub at: NaiveDateTime,
    pub from: Option<DossierStatus>,
    pub to: DossierStatus,
    pub comment: Option<String>,
    pub internal_note: Option<String>,
}

/// Appends a step after the dossier's last one.
pub fn append(conn: &mut DbConnection, step: Step<'_>) -> DbResult<()> {
    let last_seq: Option<i32> = dossier_history::table
        .filter(dossier_history::dossier_id.eq(step.dossier_id))
        .select(diesel::dsl::max(dossier_history::seq))
        .first(conn)?;
    let row = HistoryRow {
        id: new_id(),
        dossier_id: step.dossier_id.clone(),
        seq: last_seq.unwrap_or(0) + 1,
        actor: step.actor.sub.clone(),
        actor_role: step.actor.role,
        at: step.at,
        from_status: step.from,
        to_status: step.to,
        comment: step.comment,
        internal_note: step.internal_note,
    };
    diesel::insert_into(dossier_history::table).values(&row).execute(conn)?;
    Ok(())
}

/// Every step of the dossier, oldest first.
pub fn of_dossier(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Vec<HistoryRow>> {
    Ok(dossier_history::table
        .filter(dossier_history::dossier_id.eq(dossier_id))
        .order(dossier_history::seq.asc())
        .select(HistoryRow::as_select())
        .load(conn)?)
}

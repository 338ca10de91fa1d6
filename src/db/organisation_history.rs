//! An organisation's history: each edit (its registration, by its applicant or by an SCDL
//! import, and each update) with who, when, and every field that changed, before and after.
//! Written in the same transaction as the edit; append-only (database triggers refuse UPDATE
//! and DELETE).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::organisations::OrganisationRow;
use crate::db::schema::organisation_history;
use crate::db::types::Json;
use crate::db::DbConnection;
use crate::domain::access::{Caller, Role};
use crate::domain::changes::{self, FieldChange};
use crate::domain::ids::OrganisationId;
use crate::domain::organisation::Organisation;

/// Rows written per statement by an import (well under both backends' limits on parameters).
const CHUNK: usize = 500;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisation_history)]
pub struct OrganisationHistoryRow {
    pub organisation_id: OrganisationId,
    /// The organisation's version this edit made: 1 for its registration.
    pub seq: i32,
    pub actor: String,
    pub actor_role: Role,
    pub at: NaiveDateTime,
    /// Every field that changed; empty for an update that changed none.
    pub changes: Json<Vec<FieldChange>>,
}

impl OrganisationHistoryRow {
    /// The step that made `row` (at its version) from `before` (`None`: its registration).
    fn of(
        row: &OrganisationRow,
        before: Option<&Organisation>,
        actor: &Caller,
        at: NaiveDateTime,
    ) -> DbResult<Self> {
        let changes = changes::between(before, &row.organisation())
            .map_err(|e| DbError::internal_from("comparing organisations", e))?;
        Ok(OrganisationHistoryRow {
            organisation_id: row.id.clone(),
            seq: row.version,
            actor: actor.sub.clone(),
            actor_role: actor.role,
            at,
            changes: Json(changes),
        })
    }
}

/// Records the edit that made `row` as it is now (its version) from `before` (`None`: the
/// registration, every declared field a change from null).
pub fn record(
    conn: &mut DbConnection,
    row: &OrganisationRow,
    before: Option<&Organisation>,
    actor: &Caller,
    at: NaiveDateTime,
) -> DbResult<()> {
    let step = OrganisationHistoryRow::of(row, before, actor, at)?;
    diesel::insert_into(organisation_history::table).values(&step).execute(conn)?;
    Ok(())
}

/// Records the registration of each of `rows` (an import's new organisations), a few hundred
/// per statement.
pub fn record_registrations(
    conn: &mut DbConnection,
    rows: &[OrganisationRow],
    actor: &Caller,
    at: NaiveDateTime,
) -> DbResult<()> {
    for chunk in rows.chunks(CHUNK) {
        let steps = chunk
            .iter()
            .map(|row| OrganisationHistoryRow::of(row, None, actor, at))
            .collect::<DbResult<Vec<_>>>()?;
        // A batch insert, which each backend supports on its own connection (MultiConnection
        // does not offer it).
        match &mut *conn {
            DbConnection::Pg(c) => {
                diesel::insert_into(organisation_history::table).values(&steps).execute(c)?
            }
            DbConnection::Sqlite(c) => {
                diesel::insert_into(organisation_history::table).values(&steps).execute(c)?
            }
        };
    }
    Ok(())
}

/// Every recorded edit of the organisation, oldest first.
pub fn of_organisation(
    conn: &mut DbConnection,
    organisation_id: &OrganisationId,
) -> DbResult<Vec<OrganisationHistoryRow>> {
    Ok(organisation_history::table
        .filter(organisation_history::organisation_id.eq(organisation_id))
        .order(organisation_history::seq.asc())
        .select(OrganisationHistoryRow::as_select())
        .load(conn)?)
}

//! Eligibility snapshots: what an instructor saw (rules version and full result), frozen.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::eligibility_snapshots;
use crate::db::types::{Json, RecordedReport};
use crate::db::DbConnection;
use crate::domain::eligibility::Outcome;
use crate::error::ApiResult;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = eligibility_snapshots)]
pub struct SnapshotRow {
    pub id: String,
    pub dossier_id: String,
    pub rules_version_id: String,
    pub evaluated_on: NaiveDate,
    pub overall: Outcome,
    pub max_grant_cents: i64,
    /// The report exactly as the instructor saw it.
    pub report: Json<RecordedReport>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// The dossier's most recent snapshot.
pub fn latest(conn: &mut DbConnection, dossier_id: &str) -> ApiResult<Option<SnapshotRow>> {
    Ok(eligibility_snapshots::table
        .filter(eligibility_snapshots::dossier_id.eq(dossier_id))
        .order((eligibility_snapshots::created_at.desc(), eligibility_snapshots::id.desc()))
        .select(SnapshotRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &SnapshotRow) -> ApiResult<()> {
    diesel::insert_into(eligibility_snapshots::table).values(row).execute(conn)?;
    Ok(())
}

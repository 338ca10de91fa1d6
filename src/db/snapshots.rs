//! Eligibility snapshots: what an instructor saw (rules version and full result), frozen.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::schema::eligibility_snapshots;
use crate::db::types::{Json, RecordedReport};
use crate::db::DbConnection;
use crate::db::{new_id, now};
use crate::domain::eligibility::{EligibilityReport, Outcome};
use crate::domain::ids::{DossierId, RulesVersionId};
use crate::domain::{Lang, Localized};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = eligibility_snapshots)]
pub struct SnapshotRow {
    pub id: String,
    pub dossier_id: DossierId,
    pub rules_version_id: RulesVersionId,
    pub evaluated_on: NaiveDate,
    pub overall: Outcome,
    pub max_grant_cents: i64,
    /// The report as recorded (reasons in English).
    pub report: Json<RecordedReport>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// The dossier's most recent snapshot.
pub fn latest(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Option<SnapshotRow>> {
    Ok(eligibility_snapshots::table
        .filter(eligibility_snapshots::dossier_id.eq(dossier_id))
        .order((eligibility_snapshots::created_at.desc(), eligibility_snapshots::id.desc()))
        .select(SnapshotRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &SnapshotRow) -> DbResult<()> {
    diesel::insert_into(eligibility_snapshots::table).values(row).execute(conn)?;
    Ok(())
}

/// Records a report: its codes, outcomes and figures, frozen. The reasons are stored too, in
/// English (as every snapshot recorded before reasons had a language): readers of the API get
/// them rendered again from the codes and figures, in their own language.
pub fn record(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
    rules_version_id: &RulesVersionId,
    evaluated_on: NaiveDate,
    report: EligibilityReport,
    created_by: &str,
) -> DbResult<SnapshotRow> {
    let (overall, max_grant_cents) = (report.overall, report.max_grant_cents);
    let shown = serde_json::to_value(Localized::new(report, Lang::En))
        .map_err(|e| DbError::internal_from("rendering the report", e))?;
    let row = SnapshotRow {
        id: new_id(),
        dossier_id: dossier_id.clone(),
        rules_version_id: rules_version_id.clone(),
        evaluated_on,
        overall,
        max_grant_cents,
        report: Json(RecordedReport(shown)),
        created_by: created_by.to_string(),
        created_at: now(),
    };
    insert(conn, &row)?;
    Ok(row)
}

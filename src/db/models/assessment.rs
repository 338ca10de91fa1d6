use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{assessments, eligibility_snapshots};

/// A frozen eligibility result. Never updated.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = eligibility_snapshots)]
pub struct SnapshotRow {
    pub id: String,
    pub dossier_id: String,
    pub rules_version_id: String,
    pub evaluated_on: NaiveDate,
    pub overall: String,
    pub max_grant_cents: i64,
    /// JSON of the `EligibilityReport` as the instructor saw it.
    pub report: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = assessments, treat_none_as_null = true)]
pub struct AssessmentRow {
    pub id: String,
    pub dossier_id: String,
    pub instructor: String,
    pub rules_version_id: String,
    /// JSON array of `{criterion, score}`.
    pub scores: String,
    pub comments: Option<String>,
    pub recommendation: String,
    pub weighted_total: f64,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl SnapshotRow {
    /// The most recent snapshot of a dossier.
    pub fn latest(conn: &mut crate::db::DbConnection, dossier_id: &str) -> QueryResult<Option<Self>> {
        eligibility_snapshots::table
            .filter(eligibility_snapshots::dossier_id.eq(dossier_id))
            .order((eligibility_snapshots::created_at.desc(), eligibility_snapshots::id.desc()))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }
}

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::common::{from_stored_name, utc};
use crate::db::models::SnapshotRow;
use crate::domain::eligibility::{EligibilityReport, Outcome};
use crate::error::{ApiError, ApiResult};

/// The eligibility of a dossier, evaluated now.
#[derive(Debug, Serialize, ToSchema)]
pub struct EligibilityView {
    #[schema(format = Uuid)]
    pub dossier_id: String,
    /// The rules version applied: fixed at first submission, or in force today for a draft.
    #[schema(format = Uuid)]
    pub rules_version_id: String,
    pub rules_effective_from: NaiveDate,
    /// The evaluation date (ESUS validity and the de minimis window end on it).
    pub evaluated_on: NaiveDate,
    pub report: EligibilityReport,
    /// The last recorded snapshot (staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_snapshot: Option<SnapshotView>,
}

/// An eligibility result as recorded by an instructor: later rules changes never alter it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnapshotView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    #[schema(format = Uuid)]
    pub rules_version_id: String,
    pub evaluated_on: NaiveDate,
    pub overall: Outcome,
    #[schema(minimum = 0)]
    pub max_grant_cents: i64,
    /// The report exactly as the instructor saw it.
    #[schema(value_type = EligibilityReport)]
    pub report: serde_json::Value,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<SnapshotRow> for SnapshotView {
    type Error = ApiError;
    fn try_from(row: SnapshotRow) -> ApiResult<Self> {
        let overall = from_stored_name("stored outcome", &row.overall)?;
        Ok(SnapshotView {
            report: serde_json::from_str(&row.report).map_err(|e| ApiError::internal("stored report", e))?,
            id: row.id,
            dossier_id: row.dossier_id,
            rules_version_id: row.rules_version_id,
            evaluated_on: row.evaluated_on,
            overall,
            max_grant_cents: row.max_grant_cents,
            created_by: row.created_by,
            created_at: utc(row.created_at),
        })
    }
}

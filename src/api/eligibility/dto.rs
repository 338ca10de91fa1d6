use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::common::utc;
use crate::db::snapshots::SnapshotRow;
use crate::domain::eligibility::{EligibilityReport, Outcome};

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
    /// When the organisation's facts evaluated were kept: the dossier's last submission (an edit
    /// of the organisation since changes nothing here; `GET /dossiers/{id}/organisation-changes`
    /// lists them). `null`: the organisation as it is today (a dossier its applicant is
    /// editing, or never submitted).
    pub organisation_submitted_at: Option<DateTime<Utc>>,
    /// The codes of the rules version's bonuses the dossier meets, in the rules' order (their
    /// points, after the cap, are the report's `bonus_bp`).
    #[schema(value_type = Vec<crate::domain::rules::BonusCode>, max_items = 20)]
    pub applied_bonuses: Vec<String>,
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

impl From<SnapshotRow> for SnapshotView {
    fn from(row: SnapshotRow) -> Self {
        SnapshotView {
            id: row.id,
            dossier_id: row.dossier_id,
            rules_version_id: row.rules_version_id,
            evaluated_on: row.evaluated_on,
            overall: row.overall,
            max_grant_cents: row.max_grant_cents,
            report: row.report.0 .0,
            created_by: row.created_by,
            created_at: utc(row.created_at),
        }
    }
}

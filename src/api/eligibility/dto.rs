use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::common::utc;
use crate::db::snapshots::SnapshotRow;
use crate::domain::eligibility::{CriterionResult, EligibilityReport, Outcome};
use crate::domain::{Lang, Localized};

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
    /// The reasons in the reader's language (`Accept-Language`).
    #[schema(value_type = EligibilityReport)]
    pub report: Localized<EligibilityReport>,
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
    /// The report as the instructor saw it: its outcomes, codes and figures as recorded, each
    /// reason rendered again from them in the reader's language.
    #[schema(value_type = EligibilityReport)]
    pub report: serde_json::Value,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl SnapshotView {
    /// The snapshot for a reader of `lang`.
    pub fn new(row: SnapshotRow, lang: Lang) -> Self {
        SnapshotView {
            id: row.id,
            dossier_id: row.dossier_id.into(),
            rules_version_id: row.rules_version_id.into(),
            evaluated_on: row.evaluated_on,
            overall: row.overall,
            max_grant_cents: row.max_grant_cents,
            report: reasons_in(row.report.0 .0, lang),
            created_by: row.created_by,
            created_at: utc(row.created_at),
        }
    }
}

/// A recorded report with each criterion's `reason` rendered again, in `lang`, from its code and
/// figures; the rest as recorded. A criterion that does not read back (which no recorded report
/// should hold) keeps its recorded reason.
fn reasons_in(mut report: serde_json::Value, lang: Lang) -> serde_json::Value {
    let Some(criteria) = report.get_mut("criteria").and_then(serde_json::Value::as_array_mut) else {
        tracing::warn!("recorded eligibility report without criteria");
        return report;
    };
    for criterion in criteria {
        match CriterionResult::deserialize(&*criterion) {
            Ok(result) => criterion["reason"] = serde_json::Value::String(result.reason(lang)),
            Err(e) => tracing::warn!(error = %e, "recorded criterion kept as recorded"),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_reasons_are_rendered_in_the_readers_language() {
        let recorded = serde_json::json!({
            "overall": "fail",
            "max_grant_cents": 0,
            "max_grant_issue": null,
            "criteria": [
                {"criterion": "territory", "outcome": "fail", "code": "territory.outside",
                 "reason": "The premises are in commune 35238, which is not one of the 3 communes of the territory.",
                 "figures": [
                    {"name": "commune_code", "unit": "code", "value": "35238"},
                    {"name": "territory_communes", "unit": "count", "value": 3}
                 ]},
                {"criterion": "employment", "outcome": "pass", "code": "employment.from_the_future",
                 "reason": "Kept.", "figures": []}
            ]
        });
        let fr = reasons_in(recorded.clone(), Lang::Fr);
        assert_eq!(
            fr["criteria"][0]["reason"],
            "Les locaux sont situés dans la commune 35238, qui n'est pas l'une des 3 communes du territoire."
        );
        assert_eq!(fr["criteria"][1]["reason"], "Kept.");
        assert_eq!(fr["criteria"][0]["figures"], recorded["criteria"][0]["figures"]);
        assert_eq!(reasons_in(recorded.clone(), Lang::En), recorded);
    }
}

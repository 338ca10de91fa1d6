use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::common::utc;
use crate::db::assessments::AssessmentRow;
use crate::domain::assessment::{Recommendation, Score};
use crate::domain::checks;

/// An instructor's assessment of a dossier on its rules version's grid.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// One score per criterion of the grid.
    #[schema(min_items = 1, max_items = 20)]
    pub scores: Vec<Score>,
    #[schema(max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub comments: Option<String>,
    pub recommendation: Recommendation,
    /// The conditions the instructor finds met: codes of the `instructor_condition` bonuses of
    /// the dossier's rules version (e.g. an environmental label), each once. The bonuses of the
    /// dossier's latest assessment apply to its maximum grant. None by default.
    #[schema(value_type = Vec<crate::domain::rules::BonusCode>, max_items = 20)]
    #[serde(default)]
    pub conditions_met: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    /// The instructor (token subject).
    pub instructor: String,
    #[schema(format = Uuid)]
    pub rules_version_id: String,
    pub scores: Vec<Score>,
    pub comments: Option<String>,
    pub recommendation: Recommendation,
    /// Σ(score / scale_max × weight) / Σ weight × 100, on 0 to 100, 2 decimals.
    #[schema(minimum = 0, maximum = 100, example = 72.5)]
    pub weighted_total: f64,
    /// The `instructor_condition` bonuses the instructor ticked.
    pub conditions_met: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Every assessment of a dossier and their mean.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentsView {
    pub assessments: Vec<AssessmentView>,
    /// Mean of the weighted totals; null when nobody has assessed yet.
    #[schema(minimum = 0, maximum = 100)]
    pub mean_weighted_total: Option<f64>,
}

impl From<AssessmentRow> for AssessmentView {
    fn from(row: AssessmentRow) -> Self {
        AssessmentView {
            id: row.id,
            dossier_id: row.dossier_id.into(),
            instructor: row.instructor,
            rules_version_id: row.rules_version_id.into(),
            scores: row.scores.0,
            comments: row.comments,
            recommendation: row.recommendation,
            weighted_total: row.weighted_total,
            conditions_met: row.conditions_met.0 .0,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

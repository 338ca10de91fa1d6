use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::api::common::utc;
use crate::api::extract::rule_errors;
use crate::db::calls::CallRow;
use crate::domain::calls::{in_paris, CallState};
use crate::domain::checks;
use crate::domain::rules::{validate_grid, GridCriterion};
use crate::domain::{FieldCode, FieldError};
use crate::text;

/// A call for projects to open.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewCall {
    /// The scheme it is a call of.
    pub scheme_id: uuid::Uuid,
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Appel à projets Tiers-lieux ESS 2027",
        pattern = "{LINE_PATTERN}"
    )]
    #[validate(custom(function = checks::line::<1, 200>))]
    pub title: String,
    /// What the call looks for, for the applicants.
    #[schema(min_length = 1, max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub description: Option<String>,
    /// When dossiers may be submitted from (RFC 3339 with its offset, e.g.
    /// `2027-01-10T09:00:00+01:00`, Paris time in winter; years 2000 to 2100).
    #[validate(custom(function = instant))]
    pub opens_at: DateTime<FixedOffset>,
    /// When submission closes: a dossier submitted at or after it is refused (409 `call_closed`).
    /// After `opens_at` (422 `before_from`).
    #[validate(custom(function = instant))]
    pub closes_at: DateTime<FixedOffset>,
    /// The budget year whose envelope of the scheme the call draws on (the envelope must exist:
    /// 422 `no_envelope`); its grants are decided in that year (409 `outside_call_year`).
    #[schema(minimum = 2000, maximum = 2100, example = 2027)]
    #[validate(custom(function = year))]
    pub budget_year: i32,
    /// The call's own grid (1 to 20 criteria, as a rules version's); absent: its dossiers are
    /// scored on their rules version's grid.
    #[schema(min_items = 1, max_items = 20)]
    #[serde(default)]
    pub assessment_grid: Option<Vec<GridCriterion>>,
}

impl NewCall {
    /// Every rule of the body at once: its fields', the closing after the opening, the grid's.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = rule_errors(self);
        if self.closes_at <= self.opens_at {
            errors.push(FieldError::new(
                "closes_at",
                FieldCode::BeforeFrom,
                text!("calls-closes-before-opening"),
            ));
        }
        if let Some(grid) = &self.assessment_grid {
            errors.extend(validate_grid(grid).err().unwrap_or_default());
        }
        errors
    }
}

/// A year from 2000 to 2100.
fn year(year: i32) -> Result<(), ValidationError> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(ValidationError::new("out_of_range"))
    }
}

/// An instant in years 2000 to 2100.
fn instant(at: &DateTime<FixedOffset>) -> Result<(), ValidationError> {
    use chrono::Datelike;
    if (2000..=2100).contains(&at.with_timezone(&Utc).year()) {
        Ok(())
    } else {
        Err(ValidationError::new("out_of_range"))
    }
}

/// A call for projects, its times in Paris time (with the offset Paris has then).
#[derive(Debug, Serialize, ToSchema)]
pub struct CallView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub scheme_id: String,
    pub title: String,
    pub description: Option<String>,
    /// Submission opens (Paris time).
    pub opens_at: DateTime<FixedOffset>,
    /// Submission closes (Paris time): a client app counts down to it.
    pub closes_at: DateTime<FixedOffset>,
    /// Where the call stands now.
    pub state: CallState,
    /// The budget year it draws on, and its envelope.
    pub budget_year: i32,
    #[schema(format = Uuid)]
    pub envelope_id: String,
    /// Its own grid; null when its dossiers are scored on their rules version's grid.
    pub assessment_grid: Option<Vec<GridCriterion>>,
    pub created_at: DateTime<Utc>,
}

impl CallView {
    /// The call `row` drawing on the envelope of `budget_year`, as it stands at `now`.
    pub fn of(row: CallRow, budget_year: i32, now: chrono::NaiveDateTime) -> Self {
        CallView {
            id: row.id.to_string(),
            scheme_id: row.scheme_id.to_string(),
            state: row.window().state_at(now),
            title: row.title,
            description: row.description,
            opens_at: in_paris(row.opens_at),
            closes_at: in_paris(row.closes_at),
            budget_year,
            envelope_id: row.envelope_id.to_string(),
            assessment_grid: row.assessment_grid.map(|g| g.0),
            created_at: utc(row.created_at),
        }
    }
}

/// Which calls a list shows.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CallQuery {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000, default = 1)]
    pub page: Option<i64>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<i64>,
    /// Only this scheme's calls.
    pub scheme_id: Option<uuid::Uuid>,
    /// Only those standing so now.
    pub state: Option<CallState>,
}

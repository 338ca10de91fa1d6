use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::common::utc;
use crate::api::extract::{check_rules, rule_errors};
use crate::db::schemes::{RulesVersionRow, SchemeRow};
use crate::domain::checks;
use crate::domain::rules::RulesParameters;
use crate::error::{ApiError, ApiResult};

/// An aid scheme of the caller's territory, e.g. "Dynamique Immobilier ESS".
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(example = "DI-ESS")]
    pub code: String,
    #[schema(example = "Dynamique Immobilier ESS")]
    pub name: String,
    pub description: String,
    /// The rules template it was created from, if any.
    #[schema(example = "DI-ESS")]
    pub template: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<SchemeRow> for SchemeView {
    fn from(row: SchemeRow) -> Self {
        Self {
            id: row.id.into(),
            code: row.code,
            name: row.name,
            description: row.description,
            template: row.template,
            created_at: utc(row.created_at),
        }
    }
}

/// A new scheme.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewScheme {
    /// Short code, unique in the territory: capital letters, digits and dashes.
    #[schema(example = "DI-ESS", min_length = 2, max_length = 20, pattern = "^[A-Z0-9][A-Z0-9-]{1,19}$")]
    #[validate(custom(function = checks::scheme_code))]
    pub code: String,
    /// Published in the CSV exports and open data: it does not start with `=`, `+`, `-` or `@`
    /// (after any spaces), which a spreadsheet runs as a formula (422 `formula_prefix`).
    #[schema(
        example = "Dynamique Immobilier ESS",
        min_length = 1,
        max_length = 200,
        pattern = "{CELL_LINE_PATTERN}"
    )]
    #[validate(custom(function = checks::cell_line::<1, 200>))]
    pub name: String,
    /// Defaults to the template's description when created from one.
    #[schema(max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub description: String,
    /// Creates the scheme's first rules version from a template (DI-ESS or DL-ESS). The
    /// template's figures are defaults that the territory sets by deliberation: review them.
    #[serde(default)]
    pub from_template: Option<FromTemplate>,
}

/// A rules template to instantiate for the caller's territory.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromTemplate {
    #[schema(example = "DI-ESS")]
    pub template: TemplateCode,
    /// First day the rules apply, from 2000-01-01 to 2100-12-31.
    #[schema(example = "2027-01-01", pattern = "^(20[0-9]{2}|2100)-")]
    pub effective_from: NaiveDate,
    /// INSEE codes of the territory's communes (premises must be in one of them).
    #[schema(value_type = Vec<crate::domain::identifiers::CommuneCode>, min_items = 1, max_items = 2000, example = json!(["76540", "76451"]))]
    pub commune_codes: Vec<String>,
}

/// The rules templates Essor ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum TemplateCode {
    /// Dynamique Immobilier ESS: investment in premises.
    #[serde(rename = "DI-ESS")]
    DiEss,
    /// Dynamique Location ESS: rent of premises.
    #[serde(rename = "DL-ESS")]
    DlEss,
}

impl TemplateCode {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateCode::DiEss => "DI-ESS",
            TemplateCode::DlEss => "DL-ESS",
        }
    }
}

impl NewScheme {
    pub fn validate(&self) -> ApiResult<()> {
        check_rules(self)
    }
}

/// A version of a scheme's rules, in force from `effective_from` until the next version.
#[derive(Debug, Serialize, ToSchema)]
pub struct RulesVersionView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub scheme_id: String,
    pub effective_from: NaiveDate,
    pub parameters: RulesParameters,
    /// The deliberation or reason behind this version.
    pub comment: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<RulesVersionRow> for RulesVersionView {
    fn from(row: RulesVersionRow) -> Self {
        Self {
            id: row.id.into(),
            scheme_id: row.scheme_id.into(),
            effective_from: row.effective_from,
            parameters: row.parameters.0,
            comment: row.comment,
            created_by: row.created_by,
            created_at: utc(row.created_at),
        }
    }
}

/// A new rules version. Versions are never edited: a change is a new version.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewRulesVersion {
    /// First day the version applies (to dossiers submitted on or after it), from 2000-01-01
    /// to 2100-12-31.
    #[schema(example = "2027-01-01", pattern = "^(20[0-9]{2}|2100)-")]
    #[validate(custom(function = checks::effective_from))]
    pub effective_from: NaiveDate,
    pub parameters: RulesParameters,
    /// The deliberation or reason behind this version.
    #[schema(
        max_length = 2000,
        example = "Délibération du conseil métropolitain du 12 décembre 2026",
        pattern = "{TEXT_PATTERN}"
    )]
    #[validate(custom(function = checks::text::<0, 2000>))]
    #[serde(default)]
    pub comment: Option<String>,
}

impl NewRulesVersion {
    /// Its fields' rules, then those of its parameters.
    pub fn validate(&self) -> ApiResult<()> {
        let mut errors = rule_errors(self);
        if let Err(mut param_errors) = self.parameters.validate() {
            errors.append(&mut param_errors);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

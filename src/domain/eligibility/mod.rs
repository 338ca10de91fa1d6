//! The eligibility engine: the six cumulative criteria of section 03 of the Rouen plan
//! (DESIGN.md, "Eligibility"), each a parameterised rule evaluated to `pass`, `fail` or
//! `needs_review`, plus the maximum grant of the dossier. Each criterion is `required`
//! (counted in the overall outcome), `advisory` (evaluated and reported, not counted) or `off`
//! (not evaluated: `not_evaluated`), as the rules version says; the rate of the maximum grant
//! is raised by the bonuses the dossier meets.
//!
//! [`evaluate`] is pure and total: any input, including missing, negative or absurdly large
//! figures and unvalidated rules, gives a report and never panics. Missing data gives
//! `needs_review` with a `*.missing_data` code; impossible figures give `needs_review` with
//! `*.inconsistent_data`/`*.invalid_*`, so that an instructor looks at the dossier instead of the
//! engine guessing.
//!
//! Arithmetic: money in `i64` cents and ratios in basis points, compared by cross-multiplication
//! in `i128` (`revenue × 10000 ≥ bp × costs`); no float touches money. The only float is the
//! FTE count, compared at 0.01 FTE precision after rounding to the nearest hundredth.
//!
//! Speed: evaluating allocates nothing. Each [`CriterionResult`] keeps a stable `code` and the
//! typed [`Figure`]s it used; the sentence for people ([`CriterionResult::reason`]), in French or
//! in English, is rendered only when asked for or when the report is serialised. One evaluation
//! takes well under a microsecond (see `benches/eligibility.rs`).
//!
//! Layout: the inputs are defined here; `engine` evaluates them (the six criteria and the
//! maximum grant), `report` holds what it returns and how that serialises, and `render`
//! turns a result's code and figures into the sentence for people.

// Money literals are grouped as euros_cents (`300_000_00` = 300 000,00 €).
#![allow(clippy::inconsistent_digit_grouping)]

mod engine;
mod render;
mod report;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use engine::{de_minimis_window_start, effective_rate_bp, evaluate, max_grant_cents};
pub use render::Reason;
pub use report::{
    BonusSet, Criterion, CriterionCode, CriterionResult, EligibilityReport, Figure, FigureName, FigureValue,
    Figures, MaxGrantIssue, Outcome, ShortCode, Unit,
};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Refused;
use crate::domain::problem_code::ProblemCode;
use crate::text;

/// The rules an evaluation as of `on` reads: a scheme without rules in force that day has
/// nothing to evaluate against (a conflict).
pub fn rules_in_force<R>(rules: Option<R>, on: NaiveDate) -> Result<R, Refused> {
    rules.ok_or_else(|| {
        Refused::coded(ProblemCode::NoRulesInForce, text!("eligibility-no-rules-in-force", day = on))
    })
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// One aid already received (or granted), for the de minimis count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Aid {
    /// Date the aid was granted (the date of the legal right to it, regulation 2023/2831 art. 3(4)).
    pub granted_on: NaiveDate,
    /// Gross amount in cents.
    #[schema(minimum = 0, example = 1500000)]
    pub amount_cents: i64,
}

pub use super::organisation::{EssStatutes, Esus};
/// What the dossier asks help for (one type for the whole domain).
pub use super::project_kind::ProjectKind;

/// What the engine needs to know about the applicant organisation. `None` means "not provided"
/// and gives `needs_review`, never a guess.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applicant {
    /// INSEE legal-form code (catégorie juridique, level III, 4 digits); empty = not provided.
    pub legal_form_code: String,
    /// The ESUS approval, dated or held by right, if any.
    pub esus: Option<Esus>,
    /// A commercial company's declared ESS statutes (cooperative, or law 2014-856 art. 1 II).
    pub ess_statutes: Option<EssStatutes>,
    /// The revenue figures are a business plan's forecast, not a closed year's accounts.
    pub accounts_forecast: bool,
    /// Salaried staff in full-time equivalents.
    pub salaried_staff_fte: Option<f64>,
    /// Operating revenue of the last closed year, in cents: the structure's own revenue from
    /// its activity (sales, fees, services...), **excluding operating subsidies**, which would
    /// otherwise make the own-revenue criterion meaningless.
    pub operating_revenue_cents: Option<i64>,
    /// Revenue from sales of goods and services (chiffre d'affaires), in cents; part of the
    /// operating revenue, so never above it. Market activity compares the two.
    pub sales_revenue_cents: Option<i64>,
    /// Operating costs of the same year, in cents.
    pub operating_costs_cents: Option<i64>,
    /// Whether the applicant declares selling goods or services on a market.
    pub declared_market_activity: Option<bool>,
    /// INSEE code of the commune of the organisation's head office (its address): what the
    /// territory criterion checks for a scheme without premises.
    pub head_office_commune_code: Option<String>,
    /// De minimis aid declared by the applicant, from bodies other than Essor's territory
    /// (`None` = never declared; `Some(vec![])` = declared none). Aids outside the window are
    /// ignored, so the whole declaration can be passed.
    pub declared_de_minimis: Option<Vec<Aid>>,
}

/// The project of the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub kind: ProjectKind,
    /// Eligible investment (purchase, construction, works), in cents, excluding VAT when the
    /// applicant recovers it: that is for the instructor to settle before this figure is set.
    pub eligible_expenses_cents: Option<i64>,
    /// Monthly rent in cents (rent projects).
    pub monthly_rent_cents: Option<i64>,
    /// Months of rent the applicant asks help for (rent projects).
    pub months: Option<u32>,
    /// INSEE code of the commune where the premises are.
    pub premises_commune_code: Option<String>,
    /// Amount the applicant asks for, in cents (`None` = "the maximum").
    pub requested_cents: Option<i64>,
    /// The project's total budget in cents (`budget` maximum grants).
    pub total_budget_cents: Option<i64>,
    /// The district of the premises (e.g. a QPV code), for district bonuses.
    pub premises_district_code: Option<String>,
    /// The codes of the `instructor_condition` bonuses an instructor ticked on the dossier's
    /// assessment.
    pub ticked_conditions: Vec<String>,
}

/// Everything besides the dossier that the evaluation depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationContext {
    /// Evaluation date: the decision date, or today for a preview. The ESUS approval must be
    /// valid on it and the de minimis window ends on it.
    pub on: NaiveDate,
    /// Grants already made in this territory's Essor to organisations with the same SIREN (the
    /// "single undertaking" of the de minimis regulation, approximated by the SIREN), all schemes,
    /// excluding the dossier being evaluated: the granted amount of approved and closed dossiers,
    /// and what was actually paid on cancelled ones. Aid from other grantors comes from the
    /// applicant's declaration. Grants outside the window may be passed; they are ignored.
    pub grants_in_essor_same_siren: Vec<Aid>,
}

//! The typed parameters of one version of a scheme's rules (`schemes/{id}/rules`).
//!
//! A rules version is data with an effective date (DESIGN.md, "Eligibility"): this module only
//! describes and validates its *parameters*; storing versions and picking the one in force on a
//! submission date is the job of the database layer.
//!
//! Units, everywhere:
//! - money in integer **cents** (`i64`, fields end in `_cents`);
//! - rates and shares in **basis points** (`u32`, fields end in `_bp`, `10000` = 100 %);
//! - the only float is a number of full-time equivalents (FTE).
//!
//! Deserialisation refuses unknown fields (`deny_unknown_fields`), so a typo in an admin's JSON
//! is an error rather than a silently ignored rule; [`RulesParameters::validate`] then reports
//! every out-of-range value at once, with dotted paths prefixed by `parameters.`.
//!
//! One file per concern: [`parameters`] (the types of a version), [`threshold`] (`"any"` or a
//! number), [`validation`] (every out-of-range value at once), [`templates`] (the defaults a
//! scheme starts from).

// Money literals are grouped as euros_cents (`300_000_00` = 300 000,00 €).
#![allow(clippy::inconsistent_digit_grouping)]

mod parameters;
mod templates;
mod threshold;
mod validation;
pub use validation::validate_grid;

pub use parameters::{
    Bonus, BonusCode, BonusCondition, Bonuses, CriterionMode, DeMinimisRule, DistrictCode, EmploymentRule,
    EssStatusRule, GridCriterion, MarketActivityRule, MaxGrant, OwnRevenueRule, RulesParameters,
    TerritoryRule, TerritoryScope,
};
pub use templates::{default_assessment_grid, template, template_scheme};
pub use threshold::Threshold;

/// Upper bound of a per-dossier cap: 100 000 000,00 €.
pub const MAX_CAP_CENTS: i64 = 100_000_000_00;
/// Upper bound of a de minimis ceiling: 10 000 000,00 €.
pub const MAX_CEILING_CENTS: i64 = 10_000_000_00;
/// The EU de minimis ceiling of regulation (EU) 2023/2831, art. 3(2): 300 000 € over 3 years.
pub const EU_DE_MINIMIS_CEILING_CENTS: i64 = 300_000_00;
/// The rolling period of regulation (EU) 2023/2831: three years.
pub const EU_DE_MINIMIS_WINDOW_YEARS: u32 = 3;
/// Validity of the ESUS approval (code du travail, art. L. 3332-17-1 and its decree): five
/// years, two for an enterprise less than three years old. Approvals now carry their own end
/// date; this is only the default of a field older rules versions hold.
pub const DEFAULT_ESUS_VALIDITY_YEARS: u32 = 5;
/// At most this many communes in a territory (the largest French EPCI has a few hundred).
pub const MAX_COMMUNES: usize = 2000;
/// An assessment grid has 1 to 20 criteria.
pub const MAX_GRID_CRITERIA: usize = 20;
/// Upper bound of a salaried-staff minimum, in FTE.
pub const MAX_MIN_FTE: f64 = 100_000.0;
/// A rules version has at most 20 bonuses (their indices fit the engine's 32-bit set).
pub const MAX_BONUSES: usize = 20;
/// At most this many districts in one bonus condition (a city has a few dozen QPV at most).
pub const MAX_DISTRICTS: usize = 500;

/// Template codes understood by [`template`].
pub const TEMPLATE_CODES: &[&str] = &["DI-ESS", "DL-ESS"];

#[cfg(test)]
mod tests;

//! The types of one rules version: a section per criterion, the maximum grant, the bonuses and
//! the assessment grid, each with its serde shape and its schema.

// Money literals are grouped as euros_cents (`300_000_00` = 300 000,00 €).
#![allow(clippy::inconsistent_digit_grouping)]

use crate::domain::convention::ConventionRule;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::threshold::{fte_threshold_schema, own_revenue_share_schema, sales_share_schema, Threshold};
use super::{DEFAULT_ESUS_VALIDITY_YEARS, EU_DE_MINIMIS_CEILING_CENTS, EU_DE_MINIMIS_WINDOW_YEARS};
use crate::domain::documents::DocumentRequirement;
use crate::domain::identifiers::LegalFamily;

/// All parameters of one rules version. Each of the six eligibility criteria has its own
/// section, evaluated by the eligibility engine in the order employment,
/// market activity, own-revenue share, ESS status, territory, de minimis, each `required`,
/// `advisory` or `off` (its `mode`).
///
/// Every field added after the first versions were stored has a default that gives the
/// behaviour those versions had (every criterion required, the premises' commune checked, no
/// bonus): a stored version reads and judges as it always did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesParameters {
    pub employment: EmploymentRule,
    pub market_activity: MarketActivityRule,
    pub own_revenue: OwnRevenueRule,
    pub ess_status: EssStatusRule,
    pub territory: TerritoryRule,
    pub de_minimis: DeMinimisRule,
    pub max_grant: MaxGrant,
    /// Extra rate points for dossiers that meet listed conditions ("bonifications"); none by
    /// default.
    #[serde(default)]
    pub bonuses: Bonuses,
    /// The assessment grid instructors score a dossier on: 1 to 20 criteria, unique codes.
    #[schema(min_items = 1, max_items = 20)]
    pub assessment_grid: Vec<GridCriterion>,
    /// The supporting documents dossiers carry (statutes, accounts, RIB...): each type's code,
    /// label, and the project kinds whose submission requires it. None by default: versions
    /// stored before documents existed require none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 30)]
    pub documents: Vec<DocumentRequirement>,
    /// When a grant needs a convention signed before any payment, and the terms it writes
    /// (`always`, or above 23 000 € by default as the law says).
    #[serde(default)]
    pub convention: ConventionRule,
}

/// How a criterion counts in a rules version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CriterionMode {
    /// Evaluated and counted in the overall outcome (the default).
    #[default]
    Required,
    /// Evaluated and reported, but not counted in the overall outcome; never blocks a decision.
    Advisory,
    /// Not evaluated: reported as `not_evaluated` with the code `<criterion>.off`.
    Off,
}

/// Criterion 1, employment: the structure employs salaried staff.
///
/// Passes when the applicant's salaried staff is **more than 0 FTE and at least**
/// `min_salaried_staff_fte` (both compared at 0.01 FTE precision). `0` therefore means "some
/// salaried staff". With `"any"`, any declared staff passes, 0 included (only a missing or
/// invalid figure needs review).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentRule {
    /// How the criterion counts: `required` (the default), `advisory` or `off`.
    #[serde(default)]
    pub mode: CriterionMode,
    #[schema(schema_with = fte_threshold_schema)]
    pub min_salaried_staff_fte: Threshold<f64>,
}

/// Criterion 2, market activity: the structure sells goods or services on a market.
///
/// Passes when the applicant declares a market activity **and** sales make at least
/// `min_sales_share_bp` of its operating revenue, the "share of revenue from sales" of the
/// design (`sales × 10000 ≥ min_sales_share_bp × operating revenue`, exact; at the threshold
/// passes). Operating costs play no part in this criterion (they are the measure of criterion 3).
/// Operating revenue that is not from sales (fees, dues...) lowers the share, so it can turn a
/// pass into a fail; revenue from sales never does. With `"any"`, the declaration of a market
/// activity passes alone, whatever the share and even without the sales figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketActivityRule {
    /// How the criterion counts: `required` (the default), `advisory` or `off`.
    #[serde(default)]
    pub mode: CriterionMode,
    #[schema(schema_with = sales_share_schema)]
    pub min_sales_share_bp: Threshold<u32>,
}

/// Criterion 3, own-revenue share: operating revenue covers a substantial share of operating
/// costs, `operating_revenue / operating_costs ≥ min_own_revenue_share_bp / 10000`. With
/// `"any"`, it passes whatever the ratio, even without accounts figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnRevenueRule {
    /// How the criterion counts: `required` (the default), `advisory` or `off`.
    #[serde(default)]
    pub mode: CriterionMode,
    #[schema(schema_with = own_revenue_share_schema)]
    pub min_own_revenue_share_bp: Threshold<u32>,
}

/// Criterion 4, ESS status (law 2014-856, art. 1 and 11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EssStatusRule {
    /// How the criterion counts: `required` (the default), `advisory` or `off`.
    #[serde(default)]
    pub mode: CriterionMode,
    /// Legal families accepted by the scheme (non-empty, no duplicates).
    #[schema(min_items = 1, max_items = 6, example = json!(["association", "cooperative", "mutual", "foundation", "commercial_company"]))]
    pub accepted_families: Vec<LegalFamily>,
    /// When true, a commercial company passes only with an ESUS approval ("entreprise
    /// solidaire d'utilité sociale") valid on the evaluation date (from its start to its end
    /// date, both included); one held by right answers `needs_review` for the instructor.
    #[schema(example = true)]
    pub commercial_companies_need_esus: bool,
    /// When true (the default) and the scheme accepts cooperatives, a commercial company that
    /// declares cooperative statutes (a SCOP or SCIC as SA, SAS or SARL) answers `needs_review`
    /// (`ess_status.statutes_to_check`) instead of failing.
    #[serde(default = "default_true")]
    #[schema(default = true, example = true)]
    pub cooperatives_in_company_form: bool,
    /// When true, a commercial company that declares ESS statutes under law 2014-856 art. 1 II
    /// without a valid ESUS approval answers `needs_review` (`ess_status.statutes_to_check`)
    /// instead of failing (default false: the approval is required).
    #[serde(default)]
    #[schema(default = false, example = false)]
    pub ess_statute_companies: bool,
    /// No longer used: an approval carries its own end date (5 years, 2 for an enterprise under
    /// 3 years old), which the criterion checks. Accepted (1 to 10) so that earlier rules
    /// versions still read.
    #[serde(default = "default_esus_validity_years")]
    #[schema(minimum = 1, maximum = 10, default = 5, example = 5, deprecated)]
    pub esus_validity_years: u32,
}

/// Criterion 5, territory: the premises (or, for a scheme without premises, the head office)
/// are in one of the listed communes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerritoryRule {
    /// How the criterion counts: `required` (the default), `advisory` or `off`.
    #[serde(default)]
    pub mode: CriterionMode,
    /// Whose commune is checked: the premises' (the default), or the organisation's head
    /// office, for schemes without premises (operating grants, studies, partner conventions).
    /// With `head_office`, or with the criterion `off`, a dossier needs no premises to be
    /// submitted.
    #[serde(default)]
    pub applies_to: TerritoryScope,
    /// INSEE codes of the communes of the territory: 1 to 2000, each valid, no duplicates.
    #[schema(value_type = Vec<crate::domain::identifiers::CommuneCode>, min_items = 1, max_items = 2000, example = json!(["76540", "76451", "76681"]))]
    pub commune_codes: Vec<String>,
}

/// Criterion 6, de minimis (regulation (EU) 2023/2831): the aid received over the window plus
/// the proposed grant must not exceed the ceiling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeMinimisRule {
    /// How the criterion counts: `required` (the default), `advisory` or `off`.
    #[serde(default)]
    pub mode: CriterionMode,
    /// Ceiling in cents (1 to 1 000 000 000; default 30 000 000 = 300 000 €).
    #[serde(default = "default_ceiling_cents")]
    #[schema(minimum = 1, maximum = 1000000000, default = 30000000, example = 30000000)]
    pub ceiling_cents: i64,
    /// Length of the rolling window in years (1 to 10; default 3). The window on an evaluation
    /// date `on` is `(on − window_years, on]`.
    #[serde(default = "default_window_years")]
    #[schema(minimum = 1, maximum = 10, default = 3, example = 3)]
    pub window_years: u32,
}

/// What the territory criterion checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TerritoryScope {
    /// The commune of the dossier's premises (the default).
    #[default]
    Premises,
    /// The commune of the organisation's head office (its address).
    HeadOffice,
}

/// How the maximum grant of a dossier is computed. Floor division, never negative, never above
/// `cap_cents` (the rate kinds) or `amount_cents` (flat). The rate of the rate kinds
/// (`investment`, `rent`, `budget`) is raised by the bonuses met (see [`Bonuses`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MaxGrant {
    /// Dynamique Immobilier ESS: `rate_bp × eligible investment / 10000`, capped. Applies to
    /// purchase, construction and works projects.
    Investment {
        /// Share of the eligible expenses paid, in basis points (1 to 10000).
        #[schema(minimum = 1, maximum = 10000, example = 3000)]
        rate_bp: u32,
        /// Cap per dossier in cents (1 to 10 000 000 000).
        #[schema(minimum = 1, maximum = 10000000000i64, example = 10000000)]
        cap_cents: i64,
    },
    /// Dynamique Location ESS: `rate_bp × monthly rent × min(months, max_months) / 10000`,
    /// capped. Applies to rent projects.
    Rent {
        /// Share of the rent paid, in basis points (1 to 10000).
        #[schema(minimum = 1, maximum = 10000, example = 5000)]
        rate_bp: u32,
        /// Most months of rent taken into account (1 to 120).
        #[schema(minimum = 1, maximum = 120, example = 24)]
        max_months: u32,
        /// Cap per dossier in cents (1 to 10 000 000 000).
        #[schema(minimum = 1, maximum = 10000000000i64, example = 2000000)]
        cap_cents: i64,
    },
    /// A share of the project's total budget (`total_budget_cents` of the dossier):
    /// `rate_bp × total budget / 10000`, capped. Applies to any project kind (operating grants,
    /// studies, partner conventions...).
    Budget {
        /// Share of the total budget paid, in basis points (1 to 10000).
        #[schema(minimum = 1, maximum = 10000, example = 5000)]
        rate_bp: u32,
        /// Cap per dossier in cents (1 to 10 000 000 000).
        #[schema(minimum = 1, maximum = 10000000000i64, example = 1500000)]
        cap_cents: i64,
    },
    /// A fixed amount, whatever the project: the maximum grant is `amount_cents`, and the
    /// amount requested may not exceed it. Applies to any project kind. No rate, so no bonus.
    Flat {
        /// The amount in cents (1 to 10 000 000 000).
        #[schema(minimum = 1, maximum = 10000000000i64, example = 500000)]
        amount_cents: i64,
    },
}

/// Bonuses ("bonifications"): extra rate points for the dossiers that meet listed conditions,
/// added to the rate of an `investment`, `rent` or `budget` maximum grant (not `flat`).
///
/// Effective rate = `rate_bp` + min(Σ `extra_bp` of the bonuses met, `max_extra_bp`), at most
/// 10000; the cap stays.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Bonuses {
    /// Most points all bonuses together add, in basis points (0 to 10000; at least 1 when
    /// bonuses are listed).
    #[schema(minimum = 0, maximum = 10000, example = 1000)]
    pub max_extra_bp: u32,
    /// 0 to 20 bonuses, unique codes.
    #[schema(max_items = 20)]
    pub items: Vec<Bonus>,
}

/// One bonus: points added to the rate when its condition is met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    /// Stable identifier: snake_case ASCII (`[a-z][a-z0-9_]*`, no trailing or double `_`), 1 to
    /// 40 characters, unique among the bonuses. An instructor ticks an `instructor_condition`
    /// bonus by this code.
    #[schema(min_length = 1, max_length = 40, pattern = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", example = "esus")]
    pub code: String,
    /// What the bonus rewards, 1 to 200 characters, not blank.
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Entreprise agréée ESUS",
        pattern = "{TEXT_REQUIRED_PATTERN}"
    )]
    pub label: String,
    /// Points added to the rate when the condition is met, in basis points (1 to 10000).
    #[schema(minimum = 1, maximum = 10000, example = 500)]
    pub extra_bp: u32,
    pub when: BonusCondition,
}

/// When a bonus applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BonusCondition {
    /// The organisation holds an ESUS approval valid on the evaluation date.
    EsusApproval {},
    /// The premises are in one of these communes (INSEE codes: 1 to 2000, each valid, no
    /// duplicates).
    PremisesInCommunes {
        #[schema(value_type = Vec<crate::domain::identifiers::CommuneCode>, min_items = 1, max_items = 2000, example = json!(["76540"]))]
        commune_codes: Vec<String>,
    },
    /// The premises are in one of these districts (`premises_district_code` of the dossier,
    /// e.g. a QPV code such as `QN07601M`: 1 to 20 capital letters or digits; 1 to 500 codes,
    /// no duplicates).
    PremisesInDistricts {
        #[schema(value_type = Vec<DistrictCode>, min_items = 1, max_items = 500, example = json!(["QN07601M"]))]
        district_codes: Vec<String>,
    },
    /// An instructor ticks the bonus's code on the dossier's assessment (`conditions_met`),
    /// e.g. for an environmental label.
    InstructorCondition {},
}

/// The code of a bonus, for the API documentation of lists of codes (the value stays a
/// `String`): snake_case ASCII, 1 to 40 characters.
#[derive(ToSchema)]
#[schema(
    min_length = 1,
    max_length = 40,
    pattern = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
    example = "label_ecologique"
)]
#[allow(dead_code)]
pub struct BonusCode(String);

/// A district code (e.g. a "quartier prioritaire de la politique de la ville" code such as
/// `QN07601M`), for the API documentation of lists of codes (the value stays a `String`).
#[derive(ToSchema)]
#[schema(pattern = "^[A-Z0-9]{1,20}$", example = "QN07601M")]
#[allow(dead_code)]
pub struct DistrictCode(String);

/// One criterion of the assessment grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridCriterion {
    /// Stable identifier: snake_case ASCII (`[a-z][a-z0-9_]*`, no trailing or double `_`),
    /// 1 to 40 characters, unique in the grid.
    #[schema(
        min_length = 1,
        max_length = 40,
        pattern = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
        example = "social_utility"
    )]
    pub code: String,
    /// What the instructor scores, 1 to 200 characters, not blank.
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Utilité sociale du projet",
        pattern = "{TEXT_REQUIRED_PATTERN}"
    )]
    pub label: String,
    /// Relative weight (1 to 100).
    #[schema(minimum = 1, maximum = 100, example = 25)]
    pub weight: u32,
    /// Highest score (1 to 20); scores go from 0 to `scale_max`.
    #[schema(minimum = 1, maximum = 20, example = 5)]
    pub scale_max: u32,
}

fn default_true() -> bool {
    true
}
fn default_esus_validity_years() -> u32 {
    DEFAULT_ESUS_VALIDITY_YEARS
}
fn default_ceiling_cents() -> i64 {
    EU_DE_MINIMIS_CEILING_CENTS
}
fn default_window_years() -> u32 {
    EU_DE_MINIMIS_WINDOW_YEARS
}

impl MaxGrant {
    /// The most any dossier may get: the cap of the rate kinds, the amount of a flat grant.
    pub fn cap_cents(&self) -> i64 {
        match *self {
            MaxGrant::Investment { cap_cents, .. }
            | MaxGrant::Rent { cap_cents, .. }
            | MaxGrant::Budget { cap_cents, .. } => cap_cents,
            MaxGrant::Flat { amount_cents } => amount_cents,
        }
    }
    /// The rate of the rate kinds, in basis points, before bonuses; `None` for a flat grant.
    pub fn rate_bp(&self) -> Option<u32> {
        match *self {
            MaxGrant::Investment { rate_bp, .. }
            | MaxGrant::Rent { rate_bp, .. }
            | MaxGrant::Budget { rate_bp, .. } => Some(rate_bp),
            MaxGrant::Flat { .. } => None,
        }
    }
}

impl Bonuses {
    /// The bonus an instructor ticks by `code`: an `instructor_condition` bonus with that code.
    pub fn instructor_condition(&self, code: &str) -> Option<&Bonus> {
        self.items.iter().find(|b| b.code == code && matches!(b.when, BonusCondition::InstructorCondition {}))
    }
}

impl RulesParameters {
    /// Whether a dossier needs its organisation's accounts to be submitted: when the market
    /// activity or the own-revenue share is evaluated (not `off`) with a minimum share (not
    /// `"any"`); without one, both criteria pass on the declaration alone.
    pub fn needs_accounts(&self) -> bool {
        let market = &self.market_activity;
        let own = &self.own_revenue;
        (market.mode != CriterionMode::Off && matches!(market.min_sales_share_bp, Threshold::AtLeast(_)))
            || (own.mode != CriterionMode::Off
                && matches!(own.min_own_revenue_share_bp, Threshold::AtLeast(_)))
    }
}

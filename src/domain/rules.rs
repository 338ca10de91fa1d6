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

// Money literals are grouped as euros_cents (`300_000_00` = 300 000,00 €).
#![allow(clippy::inconsistent_digit_grouping)]

use std::borrow::Cow;
use std::collections::HashSet;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type};
use utoipa::ToSchema;

use super::checks::is_district_code;
use super::identifiers::{validate_commune_code, LegalFamily};
use super::FieldError;

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

/// A minimum the rules may waive: the string `"any"` (no minimum) or a number.
///
/// JSON: `"any"` or the number itself, e.g. `"min_sales_share_bp": 3000` or
/// `"min_sales_share_bp": "any"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold<T> {
    /// No minimum: see each criterion for what it then checks.
    Any,
    /// At least this value.
    AtLeast(T),
}

impl<T: Serialize> Serialize for Threshold<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Threshold::Any => s.serialize_str("any"),
            Threshold::AtLeast(value) => value.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Threshold<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Keyword {
            Any,
        }
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "the string \"any\" or a number")]
        enum Repr<T> {
            Keyword(Keyword),
            Value(T),
        }
        Ok(match Repr::<T>::deserialize(d)? {
            Repr::Keyword(Keyword::Any) => Threshold::Any,
            Repr::Value(value) => Threshold::AtLeast(value),
        })
    }
}

/// `oneOf` the string `"any"` and the bounded number `number`.
fn threshold_schema(description: &str, number: ObjectBuilder) -> Schema {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["any"]))
                .description(Some("No minimum.")),
        )
        .item(number)
        .description(Some(description))
        .into()
}

fn fte_threshold_schema() -> Schema {
    threshold_schema(
        "Minimum salaried staff in full-time equivalents (0 to 100 000), or \"any\": any declared \
         staff passes, 0 included.",
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
            .minimum(Some(0))
            .maximum(Some(100_000))
            .examples([serde_json::json!(1.0)]),
    )
}

fn bp_threshold_schema(description: &str, example: u32) -> Schema {
    threshold_schema(
        description,
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(0))
            .maximum(Some(10_000))
            .examples([serde_json::json!(example)]),
    )
}

fn sales_share_schema() -> Schema {
    bp_threshold_schema(
        "Minimum sales revenue as a share of operating revenue, in basis points (0 to 10000), or \
         \"any\": the declaration of a market activity suffices, whatever the share.",
        3000,
    )
}

fn own_revenue_share_schema() -> Schema {
    bp_threshold_schema(
        "Minimum operating revenue as a share of operating costs, in basis points (0 to 10000), \
         or \"any\": passes whatever the ratio, even without accounts.",
        5000,
    )
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
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
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
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
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

/// Collects field errors with the `parameters.` prefix.
struct Errors(Vec<FieldError>);

impl Errors {
    /// An error with its message in French and in English.
    fn push(
        &mut self,
        field: impl AsRef<str>,
        code: &str,
        fr: impl Into<Cow<'static, str>>,
        en: impl Into<Cow<'static, str>>,
    ) {
        self.0.push(FieldError::bilingual(format!("parameters.{}", field.as_ref()), code, fr, en));
    }

    fn range_i64(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.push(
                field,
                "out_of_range",
                format!("La valeur doit être comprise entre {min} et {max} ; reçu : {value}."),
                format!("must be between {min} and {max}, got {value}"),
            );
        }
    }

    fn range_u32(&mut self, field: &str, value: u32, min: u32, max: u32) {
        self.range_i64(field, i64::from(value), i64::from(min), i64::from(max));
    }

    /// A list of 1 to [`MAX_COMMUNES`] valid INSEE commune codes, no duplicates.
    fn communes(&mut self, field: &str, communes: &[String], empty: (&'static str, &'static str)) {
        if communes.is_empty() {
            self.push(field, "required", empty.0, empty.1);
        }
        if communes.len() > MAX_COMMUNES {
            self.push(
                field,
                "too_many",
                format!("La liste compte au plus {MAX_COMMUNES} communes ; reçu : {}.", communes.len()),
                format!("at most {MAX_COMMUNES} communes, got {}", communes.len()),
            );
        }
        let mut seen: HashSet<&str> = HashSet::with_capacity(communes.len());
        for (i, code) in communes.iter().enumerate() {
            let item = format!("{field}[{i}]");
            if let Err(err) = validate_commune_code(code) {
                self.push(
                    &item,
                    err,
                    format!("« {code} » n'est pas un code commune INSEE valide."),
                    format!("'{code}' is not a valid INSEE commune code"),
                );
            } else if !seen.insert(code.as_str()) {
                self.push(
                    &item,
                    "duplicate",
                    format!("La commune « {code} » figure plus d'une fois dans la liste."),
                    format!("commune '{code}' is listed more than once"),
                );
            }
        }
    }

    /// A snake_case code ([`is_criterion_code`]); `taken` when an earlier item has it.
    /// `what` names the item in French and in English (`("de critère", "criterion")`).
    fn code(&mut self, field: &str, code: &str, taken: bool, what: (&str, &str)) {
        if !is_criterion_code(code) {
            self.push(
                field,
                "invalid_format",
                "Le code doit être en snake_case ASCII (a-z, 0-9, tirets bas isolés, commençant par une lettre), de 1 à 40 caractères.",
                "must be snake_case ASCII (a-z, 0-9, single underscores, starting with a letter), 1 to 40 characters",
            );
        } else if taken {
            self.push(
                field,
                "duplicate",
                format!("Le code {} « {code} » est utilisé plus d'une fois.", what.0),
                format!("{} code '{code}' is used more than once", what.1),
            );
        }
    }

    /// A label: 1 to 200 characters, not blank.
    fn label(&mut self, field: &str, label: &str) {
        let chars = label.chars().count();
        if label.trim().is_empty() {
            self.push(field, "required", "Le libellé ne doit pas être vide.", "the label must not be blank");
        } else if chars > 200 {
            self.push(
                field,
                "too_long",
                format!("Le libellé comporte au plus 200 caractères ; reçu : {chars}."),
                format!("at most 200 characters, got {chars}"),
            );
        }
    }
}

/// Whether `code` is a grid criterion code: `[a-z][a-z0-9]*(_[a-z0-9]+)*`, 1 to 40 bytes.
pub fn is_criterion_code(code: &str) -> bool {
    let b = code.as_bytes();
    if b.is_empty() || b.len() > 40 || !b[0].is_ascii_lowercase() || b[b.len() - 1] == b'_' {
        return false;
    }
    let mut previous_underscore = false;
    for &c in b {
        match c {
            b'a'..=b'z' | b'0'..=b'9' => previous_underscore = false,
            b'_' if !previous_underscore => previous_underscore = true,
            _ => return false,
        }
    }
    true
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

    /// Checks every parameter and reports **all** invalid fields at once, as
    /// `parameters.<section>.<field>` (list items as `[index]`, e.g.
    /// `parameters.territory.commune_codes[3]`, `parameters.assessment_grid[1].weight`).
    ///
    /// Codes: `out_of_range` (number outside its bounds, non-finite FTE, bonuses listed with a
    /// `max_extra_bp` of 0), `required` (empty list or blank text), `too_many` (list too long),
    /// `too_long` (text too long), `duplicate` (repeated family, commune, district, criterion or
    /// bonus code), `invalid_format` (criterion or bonus code not snake_case, district code not
    /// 1 to 20 capital letters or digits), `not_applicable` (bonuses with a flat maximum grant),
    /// and the commune-code errors of [`validate_commune_code`] (`commune_code_format`,
    /// `commune_code_department`).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors(Vec::new());

        if let Threshold::AtLeast(fte) = self.employment.min_salaried_staff_fte {
            if !fte.is_finite() || !(0.0..=MAX_MIN_FTE).contains(&fte) {
                e.push(
                    "employment.min_salaried_staff_fte",
                    "out_of_range",
                    format!(
                        "La valeur doit être un nombre fini compris entre 0 et {MAX_MIN_FTE}, ou « any » ; reçu : {fte}."
                    ),
                    format!("must be a finite number between 0 and {MAX_MIN_FTE}, or \"any\", got {fte}"),
                );
            }
        }
        if let Threshold::AtLeast(bp) = self.market_activity.min_sales_share_bp {
            e.range_u32("market_activity.min_sales_share_bp", bp, 0, 10_000);
        }
        if let Threshold::AtLeast(bp) = self.own_revenue.min_own_revenue_share_bp {
            e.range_u32("own_revenue.min_own_revenue_share_bp", bp, 0, 10_000);
        }

        let families = &self.ess_status.accepted_families;
        if families.is_empty() {
            e.push(
                "ess_status.accepted_families",
                "required",
                "Le dispositif doit accepter au moins une famille juridique.",
                "at least one legal family must be accepted",
            );
        }
        for (i, family) in families.iter().enumerate() {
            if families[..i].contains(family) {
                let family = family.as_str();
                e.push(
                    format!("ess_status.accepted_families[{i}]"),
                    "duplicate",
                    format!("« {family} » figure plus d'une fois dans la liste."),
                    format!("'{family}' is listed more than once"),
                );
            }
        }
        e.range_u32("ess_status.esus_validity_years", self.ess_status.esus_validity_years, 1, 10);

        e.communes(
            "territory.commune_codes",
            &self.territory.commune_codes,
            ("Le territoire doit compter au moins une commune.", "the territory needs at least one commune"),
        );

        e.range_i64("de_minimis.ceiling_cents", self.de_minimis.ceiling_cents, 1, MAX_CEILING_CENTS);
        e.range_u32("de_minimis.window_years", self.de_minimis.window_years, 1, 10);

        match self.max_grant {
            MaxGrant::Investment { rate_bp, cap_cents } => {
                e.range_u32("max_grant.rate_bp", rate_bp, 1, 10_000);
                e.range_i64("max_grant.cap_cents", cap_cents, 1, MAX_CAP_CENTS);
            }
            MaxGrant::Rent { rate_bp, max_months, cap_cents } => {
                e.range_u32("max_grant.rate_bp", rate_bp, 1, 10_000);
                e.range_u32("max_grant.max_months", max_months, 1, 120);
                e.range_i64("max_grant.cap_cents", cap_cents, 1, MAX_CAP_CENTS);
            }
            MaxGrant::Budget { rate_bp, cap_cents } => {
                e.range_u32("max_grant.rate_bp", rate_bp, 1, 10_000);
                e.range_i64("max_grant.cap_cents", cap_cents, 1, MAX_CAP_CENTS);
            }
            MaxGrant::Flat { amount_cents } => {
                e.range_i64("max_grant.amount_cents", amount_cents, 1, MAX_CAP_CENTS);
            }
        }

        self.validate_bonuses(&mut e);

        let grid = &self.assessment_grid;
        if grid.is_empty() {
            e.push(
                "assessment_grid",
                "required",
                "La grille d'évaluation doit comporter au moins un critère.",
                "the assessment grid needs at least one criterion",
            );
        }
        if grid.len() > MAX_GRID_CRITERIA {
            e.push(
                "assessment_grid",
                "too_many",
                format!("La grille comporte au plus {MAX_GRID_CRITERIA} critères ; reçu : {}.", grid.len()),
                format!("at most {MAX_GRID_CRITERIA} criteria, got {}", grid.len()),
            );
        }
        for (i, c) in grid.iter().enumerate() {
            let taken = grid[..i].iter().any(|other| other.code == c.code);
            e.code(&format!("assessment_grid[{i}].code"), &c.code, taken, ("de critère", "criterion"));
            e.label(&format!("assessment_grid[{i}].label"), &c.label);
            e.range_u32(&format!("assessment_grid[{i}].weight"), c.weight, 1, 100);
            e.range_u32(&format!("assessment_grid[{i}].scale_max"), c.scale_max, 1, 20);
        }

        if e.0.is_empty() {
            Ok(())
        } else {
            Err(e.0)
        }
    }

    /// `parameters.bonuses...`: the cap, each bonus's code, label, points and condition, and
    /// that bonuses have a rate to raise.
    fn validate_bonuses(&self, e: &mut Errors) {
        let bonuses = &self.bonuses;
        let items = &bonuses.items;
        e.range_u32("bonuses.max_extra_bp", bonuses.max_extra_bp, 0, 10_000);
        if !items.is_empty() && bonuses.max_extra_bp == 0 {
            e.push(
                "bonuses.max_extra_bp",
                "out_of_range",
                "La valeur doit être au moins 1 lorsque des bonifications sont prévues : avec 0, aucune ne s'appliquerait jamais.",
                "must be at least 1 when bonuses are listed: with 0 no bonus would ever apply",
            );
        }
        if items.len() > MAX_BONUSES {
            e.push(
                "bonuses.items",
                "too_many",
                format!("Le dispositif compte au plus {MAX_BONUSES} bonifications ; reçu : {}.", items.len()),
                format!("at most {MAX_BONUSES} bonuses, got {}", items.len()),
            );
        }
        if !items.is_empty() && matches!(self.max_grant, MaxGrant::Flat { .. }) {
            e.push(
                "bonuses.items",
                "not_applicable",
                "Une bonification ajoute des points à un taux, et un plafond forfaitaire n'en a pas : choisissez un plafond sur l'investissement, le loyer ou le budget, ou aucune bonification.",
                "bonuses add points to a rate, and a flat maximum grant has none: use an investment, rent or budget maximum grant, or no bonus",
            );
        }
        for (i, bonus) in items.iter().enumerate() {
            let at = |field: &str| format!("bonuses.items[{i}].{field}");
            let taken = items[..i].iter().any(|other| other.code == bonus.code);
            e.code(&at("code"), &bonus.code, taken, ("de bonification", "bonus"));
            e.label(&at("label"), &bonus.label);
            e.range_u32(&at("extra_bp"), bonus.extra_bp, 1, 10_000);
            match &bonus.when {
                BonusCondition::EsusApproval {} | BonusCondition::InstructorCondition {} => {}
                BonusCondition::PremisesInCommunes { commune_codes } => e.communes(
                    &at("when.commune_codes"),
                    commune_codes,
                    (
                        "La condition doit compter au moins une commune.",
                        "the condition needs at least one commune",
                    ),
                ),
                BonusCondition::PremisesInDistricts { district_codes } => {
                    let field = at("when.district_codes");
                    if district_codes.is_empty() {
                        e.push(
                            &field,
                            "required",
                            "La condition doit compter au moins un quartier.",
                            "the condition needs at least one district",
                        );
                    }
                    if district_codes.len() > MAX_DISTRICTS {
                        e.push(
                            &field,
                            "too_many",
                            format!(
                                "La condition compte au plus {MAX_DISTRICTS} quartiers ; reçu : {}.",
                                district_codes.len()
                            ),
                            format!("at most {MAX_DISTRICTS} districts, got {}", district_codes.len()),
                        );
                    }
                    for (j, code) in district_codes.iter().enumerate() {
                        if !is_district_code(code) {
                            e.push(
                                format!("{field}[{j}]"),
                                "invalid_format",
                                format!(
                                    "« {code} » n'est pas un code de quartier : de 1 à 20 lettres majuscules ou chiffres."
                                ),
                                format!("'{code}' is not a district code: 1 to 20 capital letters or digits"),
                            );
                        } else if district_codes[..j].contains(code) {
                            e.push(
                                format!("{field}[{j}]"),
                                "duplicate",
                                format!("Le quartier « {code} » figure plus d'une fois dans la liste."),
                                format!("district '{code}' is listed more than once"),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The default assessment grid of both templates (weights sum to 100, each scored 0 to 5):
/// jobs created or kept 30, social utility 25, environmental impact 15, territorial anchoring 15,
/// financial soundness 15. Employment weighs most because the plan's stated purpose for these
/// aids is to free the enterprises' means "for job creation and productive investment".
pub fn default_assessment_grid() -> Vec<GridCriterion> {
    [
        ("jobs_created_or_kept", "Emplois créés ou maintenus", 30),
        ("social_utility", "Utilité sociale du projet", 25),
        ("environmental_impact", "Impact environnemental (transition écologique)", 15),
        ("territorial_anchoring", "Ancrage territorial et coopérations locales", 15),
        ("financial_soundness", "Solidité financière et viabilité du modèle économique", 15),
    ]
    .into_iter()
    .map(|(code, label, weight)| GridCriterion {
        code: code.to_owned(),
        label: label.to_owned(),
        weight,
        scale_max: 5,
    })
    .collect()
}

/// Default rules of a scheme, for an administrator to adjust before the first version is saved.
///
/// The Rouen plan (seed 001) names the schemes and their envelopes but **not** their rates or
/// caps, which each territory sets by deliberation; the figures below are therefore *defaults*
/// chosen to be plausible against the 2017-2021 record (DI-ESS: 4 grants, 259 209 € in total, so
/// about 65 000 € each; DL-ESS: 11 grants, 182 211 €, so about 16 500 € each), not quotations:
///
/// | parameter | DI-ESS | DL-ESS |
/// |---|---|---|
/// | max grant | 30 % of eligible investment, capped at 100 000 € | 50 % of the rent over at most 24 months, capped at 20 000 € |
/// | salaried staff | more than 0 FTE | more than 0 FTE |
/// | sales revenue / operating revenue | ≥ 30 % (see below) | ≥ 30 % |
/// | operating revenue / operating costs | ≥ 50 % (the plan's "part substantielle") | ≥ 50 % |
/// | ESS families | association, cooperative, mutual, foundation, commercial company with ESUS (5 years) | same |
/// | criteria | all six `required`; territory checks the premises | same |
/// | bonuses | none | none |
/// | de minimis | 300 000 € over 3 years (regulation (EU) 2023/2831) | same |
/// | grid | [`default_assessment_grid`] | same |
///
/// The sales share has no figure in the plan either: section 03 asks for a structure that offers
/// goods or services on a market "dans l'objectif de générer un chiffre d'affaires", with
/// "activités de production ou de commercialisation de biens ou de services marchands", but sets
/// no minimum. 30 % is kept as a deliberately low default: it screens out structures whose sales
/// are marginal in their own revenue without excluding those that also live on fees or dues.
///
/// `commune_codes` are the territory's communes (not validated here: call
/// [`RulesParameters::validate`]). Returns `None` for a code not in [`TEMPLATE_CODES`].
pub fn template(code: &str, commune_codes: Vec<String>) -> Option<RulesParameters> {
    let max_grant = match code {
        "DI-ESS" => MaxGrant::Investment { rate_bp: 3_000, cap_cents: 100_000_00 },
        "DL-ESS" => MaxGrant::Rent { rate_bp: 5_000, max_months: 24, cap_cents: 20_000_00 },
        _ => return None,
    };
    let required = CriterionMode::Required;
    Some(RulesParameters {
        employment: EmploymentRule { mode: required, min_salaried_staff_fte: Threshold::AtLeast(0.0) },
        market_activity: MarketActivityRule { mode: required, min_sales_share_bp: Threshold::AtLeast(3_000) },
        own_revenue: OwnRevenueRule { mode: required, min_own_revenue_share_bp: Threshold::AtLeast(5_000) },
        ess_status: EssStatusRule {
            mode: required,
            accepted_families: vec![
                LegalFamily::Association,
                LegalFamily::Cooperative,
                LegalFamily::Mutual,
                LegalFamily::Foundation,
                LegalFamily::CommercialCompany,
            ],
            commercial_companies_need_esus: true,
            cooperatives_in_company_form: true,
            ess_statute_companies: false,
            esus_validity_years: DEFAULT_ESUS_VALIDITY_YEARS,
        },
        territory: TerritoryRule { mode: required, applies_to: TerritoryScope::Premises, commune_codes },
        de_minimis: DeMinimisRule {
            mode: required,
            ceiling_cents: EU_DE_MINIMIS_CEILING_CENTS,
            window_years: EU_DE_MINIMIS_WINDOW_YEARS,
        },
        max_grant,
        bonuses: Bonuses::default(),
        assessment_grid: default_assessment_grid(),
    })
}

/// The scheme name and description of a template code, `None` for an unknown code.
pub fn template_scheme(code: &str) -> Option<(&'static str, &'static str)> {
    match code {
        "DI-ESS" => Some((
            "Dynamique Immobilier ESS",
            "Aide à l'investissement immobilier des entreprises de l'ESS (acquisition, construction, \
             travaux) pour leur implantation ou leur développement sur le territoire.",
        )),
        "DL-ESS" => Some((
            "Dynamique Location ESS",
            "Aide au loyer des locaux des entreprises de l'ESS pour leur implantation ou leur \
             développement sur le territoire.",
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rouen() -> Vec<String> {
        ["76540", "76451", "76681", "76217"].iter().map(|s| s.to_string()).collect()
    }

    fn fields(r: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
        r.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn templates_are_valid_and_documented() {
        for code in TEMPLATE_CODES {
            let rules = template(code, rouen()).unwrap();
            assert_eq!(rules.validate(), Ok(()), "{code}");
            assert!(template_scheme(code).is_some());
            let total: u32 = rules.assessment_grid.iter().map(|c| c.weight).sum();
            assert_eq!(total, 100);
        }
        assert!(template("XX", rouen()).is_none());
        assert!(template_scheme("XX").is_none());
        assert_eq!(template_scheme("DI-ESS").unwrap().0, "Dynamique Immobilier ESS");
        assert_eq!(template_scheme("DL-ESS").unwrap().0, "Dynamique Location ESS");
        let di = template("DI-ESS", rouen()).unwrap();
        assert_eq!(di.max_grant, MaxGrant::Investment { rate_bp: 3000, cap_cents: 10_000_000 });
        // Sales at least 30 % of operating revenue, 50 % own revenue: the documented defaults.
        assert_eq!(di.market_activity.min_sales_share_bp, Threshold::AtLeast(3000));
        assert_eq!(di.own_revenue.min_own_revenue_share_bp, Threshold::AtLeast(5000));
        let dl = template("DL-ESS", rouen()).unwrap();
        assert_eq!(dl.max_grant, MaxGrant::Rent { rate_bp: 5000, max_months: 24, cap_cents: 2_000_000 });
    }

    #[test]
    fn json_round_trip_and_shape() {
        let rules = template("DL-ESS", rouen()).unwrap();
        let json = serde_json::to_value(&rules).unwrap();
        assert_eq!(json["max_grant"]["kind"], "rent");
        assert_eq!(json["max_grant"]["max_months"], 24);
        assert_eq!(json["ess_status"]["accepted_families"][4], "commercial_company");
        let back: RulesParameters = serde_json::from_value(json).unwrap();
        assert_eq!(back, rules);
    }

    #[test]
    fn defaults_apply_when_omitted() {
        let mut json = serde_json::to_value(template("DI-ESS", rouen()).unwrap()).unwrap();
        json["de_minimis"] = serde_json::json!({});
        json["ess_status"].as_object_mut().unwrap().remove("esus_validity_years");
        let rules: RulesParameters = serde_json::from_value(json).unwrap();
        assert_eq!(rules.de_minimis.ceiling_cents, 300_000_00);
        assert_eq!(rules.de_minimis.window_years, 3);
        assert_eq!(rules.ess_status.esus_validity_years, 5);
    }

    #[test]
    fn unknown_fields_are_refused_everywhere() {
        let base = serde_json::to_value(template("DI-ESS", rouen()).unwrap()).unwrap();
        for pointer in ["", "/employment", "/de_minimis", "/max_grant", "/assessment_grid/0", "/territory"] {
            let mut json = base.clone();
            json.pointer_mut(pointer).unwrap().as_object_mut().unwrap().insert("typo".into(), 1.into());
            assert!(serde_json::from_value::<RulesParameters>(json).is_err(), "{pointer}");
        }
        let mut json = base.clone();
        json["max_grant"] =
            serde_json::json!({"kind": "investment", "rate_bp": 1, "cap_cents": 1, "max_months": 3});
        assert!(serde_json::from_value::<RulesParameters>(json).is_err());
        let mut json = base;
        json["max_grant"] = serde_json::json!({"kind": "lump_sum", "cap_cents": 1});
        assert!(serde_json::from_value::<RulesParameters>(json).is_err());
    }

    #[test]
    fn every_invalid_field_is_listed() {
        let mut rules = template("DL-ESS", rouen()).unwrap();
        rules.employment.min_salaried_staff_fte = Threshold::AtLeast(f64::NAN);
        rules.market_activity.min_sales_share_bp = Threshold::AtLeast(10_001);
        rules.own_revenue.min_own_revenue_share_bp = Threshold::AtLeast(20_000);
        rules.ess_status.accepted_families.push(LegalFamily::Mutual);
        rules.ess_status.esus_validity_years = 0;
        rules.territory.commune_codes = vec!["76540".into(), "7654".into(), "20001".into(), "76540".into()];
        rules.de_minimis =
            DeMinimisRule { mode: CriterionMode::Required, ceiling_cents: 0, window_years: 11 };
        rules.max_grant = MaxGrant::Rent { rate_bp: 0, max_months: 121, cap_cents: -1 };
        rules.assessment_grid[1].code = "Social utility".into();
        rules.assessment_grid[2].code = "jobs_created_or_kept".into();
        rules.assessment_grid[3].label = "   ".into();
        rules.assessment_grid[4].label = "é".repeat(201);
        rules.assessment_grid[0].weight = 0;
        rules.assessment_grid[0].scale_max = 21;
        let got = fields(rules.validate());
        let want: Vec<(String, String)> = [
            ("parameters.employment.min_salaried_staff_fte", "out_of_range"),
            ("parameters.market_activity.min_sales_share_bp", "out_of_range"),
            ("parameters.own_revenue.min_own_revenue_share_bp", "out_of_range"),
            ("parameters.ess_status.accepted_families[5]", "duplicate"),
            ("parameters.ess_status.esus_validity_years", "out_of_range"),
            ("parameters.territory.commune_codes[1]", "commune_code_format"),
            ("parameters.territory.commune_codes[2]", "commune_code_department"),
            ("parameters.territory.commune_codes[3]", "duplicate"),
            ("parameters.de_minimis.ceiling_cents", "out_of_range"),
            ("parameters.de_minimis.window_years", "out_of_range"),
            ("parameters.max_grant.rate_bp", "out_of_range"),
            ("parameters.max_grant.max_months", "out_of_range"),
            ("parameters.max_grant.cap_cents", "out_of_range"),
            ("parameters.assessment_grid[0].weight", "out_of_range"),
            ("parameters.assessment_grid[0].scale_max", "out_of_range"),
            ("parameters.assessment_grid[1].code", "invalid_format"),
            ("parameters.assessment_grid[2].code", "duplicate"),
            ("parameters.assessment_grid[3].label", "required"),
            ("parameters.assessment_grid[4].label", "too_long"),
        ]
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        let mut want_sorted = want;
        want_sorted.sort();
        assert_eq!(got_sorted, want_sorted);
    }

    #[test]
    fn empty_and_oversized_lists() {
        let mut rules = template("DI-ESS", vec![]).unwrap();
        rules.ess_status.accepted_families.clear();
        rules.assessment_grid.clear();
        assert_eq!(
            fields(rules.validate()),
            vec![
                ("parameters.ess_status.accepted_families".to_string(), "required".to_string()),
                ("parameters.territory.commune_codes".to_string(), "required".to_string()),
                ("parameters.assessment_grid".to_string(), "required".to_string()),
            ]
        );

        let communes: Vec<String> =
            (0..2001).map(|i| format!("{:02}{:03}", 1 + i / 900, 1 + i % 900)).collect();
        let mut rules = template("DI-ESS", communes.clone()).unwrap();
        rules.assessment_grid = (0..21)
            .map(|i| GridCriterion { code: format!("c{i}"), label: "x".into(), weight: 1, scale_max: 1 })
            .collect();
        assert_eq!(
            fields(rules.validate()),
            vec![
                ("parameters.territory.commune_codes".to_string(), "too_many".to_string()),
                ("parameters.assessment_grid".to_string(), "too_many".to_string()),
            ]
        );
        // Exactly at the limits is fine.
        let rules = RulesParameters {
            territory: TerritoryRule {
                commune_codes: communes[..2000].to_vec(),
                ..template("DI-ESS", vec![]).unwrap().territory
            },
            assessment_grid: (0..20)
                .map(|i| GridCriterion {
                    code: format!("c{i}"),
                    label: "x".repeat(200),
                    weight: 100,
                    scale_max: 20,
                })
                .collect(),
            ..template("DI-ESS", vec![]).unwrap()
        };
        assert_eq!(rules.validate(), Ok(()));
    }

    #[test]
    fn numeric_bounds_are_inclusive() {
        let ok = |f: &dyn Fn(&mut RulesParameters)| {
            let mut r = template("DL-ESS", rouen()).unwrap();
            f(&mut r);
            r.validate()
        };
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(0.0)).is_ok());
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(100_000.0)).is_ok());
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(100_000.01)).is_err());
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(-0.01)).is_err());
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = Threshold::AtLeast(f64::INFINITY)).is_err());
        assert!(ok(&|r| r.market_activity.min_sales_share_bp = Threshold::AtLeast(0)).is_ok());
        assert!(ok(&|r| r.market_activity.min_sales_share_bp = Threshold::AtLeast(10_000)).is_ok());
        assert!(ok(&|r| r.own_revenue.min_own_revenue_share_bp = Threshold::AtLeast(10_000)).is_ok());
        assert!(ok(&|r| r.own_revenue.min_own_revenue_share_bp = Threshold::AtLeast(10_001)).is_err());
        assert!(ok(&|r| r.de_minimis.ceiling_cents = 1).is_ok());
        assert!(ok(&|r| r.de_minimis.ceiling_cents = MAX_CEILING_CENTS).is_ok());
        assert!(ok(&|r| r.de_minimis.ceiling_cents = MAX_CEILING_CENTS + 1).is_err());
        assert!(ok(&|r| r.de_minimis.window_years = 1).is_ok());
        assert!(ok(&|r| r.de_minimis.window_years = 10).is_ok());
        assert!(ok(&|r| r.de_minimis.window_years = 0).is_err());
        assert!(ok(&|r| r.max_grant = MaxGrant::Rent { rate_bp: 1, max_months: 1, cap_cents: 1 }).is_ok());
        assert!(ok(
            &|r| r.max_grant = MaxGrant::Rent { rate_bp: 10_000, max_months: 120, cap_cents: MAX_CAP_CENTS }
        )
        .is_ok());
        assert!(ok(&|r| r.max_grant = MaxGrant::Investment { rate_bp: 10_001, cap_cents: 1 }).is_err());
        assert!(
            ok(&|r| r.max_grant = MaxGrant::Investment { rate_bp: 1, cap_cents: MAX_CAP_CENTS + 1 }).is_err()
        );
        assert!(ok(&|r| r.max_grant = MaxGrant::Investment { rate_bp: 1, cap_cents: 0 }).is_err());
        assert!(ok(&|r| r.ess_status.esus_validity_years = 10).is_ok());
        assert!(ok(&|r| r.ess_status.esus_validity_years = 11).is_err());
    }

    #[test]
    fn criterion_codes() {
        for ok in ["a", "social_utility", "c1", "jobs_created_or_kept", &"a".repeat(40)] {
            assert!(is_criterion_code(ok), "{ok}");
        }
        for bad in ["", "_a", "a_", "a__b", "A", "1a", "a-b", "a b", "é", &"a".repeat(41)] {
            assert!(!is_criterion_code(bad), "{bad}");
        }
    }

    /// A version stored before modes, "any", the territory scope, the budget and flat kinds and
    /// bonuses existed: the JSON the templates gave then.
    fn stored_before_modes() -> serde_json::Value {
        let mut json = serde_json::to_value(template("DI-ESS", rouen()).unwrap()).unwrap();
        for section in
            ["employment", "market_activity", "own_revenue", "ess_status", "territory", "de_minimis"]
        {
            json[section].as_object_mut().unwrap().remove("mode");
        }
        json["territory"].as_object_mut().unwrap().remove("applies_to");
        json.as_object_mut().unwrap().remove("bonuses");
        json["employment"]["min_salaried_staff_fte"] = serde_json::json!(0.0);
        json
    }

    #[test]
    fn versions_stored_before_modes_read_as_the_templates() {
        let rules: RulesParameters = serde_json::from_value(stored_before_modes()).unwrap();
        assert_eq!(rules, template("DI-ESS", rouen()).unwrap());
        assert_eq!(rules.employment.mode, CriterionMode::Required);
        assert_eq!(rules.territory.applies_to, TerritoryScope::Premises);
        assert_eq!(rules.bonuses, Bonuses { max_extra_bp: 0, items: vec![] });
        // And they are written with every setting explicit.
        let json = serde_json::to_value(&rules).unwrap();
        assert_eq!(json["de_minimis"]["mode"], "required");
        assert_eq!(json["territory"]["applies_to"], "premises");
        assert_eq!(json["bonuses"], serde_json::json!({"max_extra_bp": 0, "items": []}));
        assert_eq!(json["market_activity"]["min_sales_share_bp"], 3000);
    }

    #[test]
    fn thresholds_are_any_or_a_number() {
        let mut json = stored_before_modes();
        json["employment"]["min_salaried_staff_fte"] = "any".into();
        json["market_activity"]["min_sales_share_bp"] = "any".into();
        json["own_revenue"]["min_own_revenue_share_bp"] = 2500.into();
        json["employment"]["mode"] = "advisory".into();
        json["ess_status"]["mode"] = "off".into();
        let rules: RulesParameters = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(rules.employment.min_salaried_staff_fte, Threshold::Any);
        assert_eq!(rules.market_activity.min_sales_share_bp, Threshold::Any);
        assert_eq!(rules.own_revenue.min_own_revenue_share_bp, Threshold::AtLeast(2500));
        assert_eq!(rules.employment.mode, CriterionMode::Advisory);
        assert_eq!(rules.ess_status.mode, CriterionMode::Off);
        assert_eq!(rules.validate(), Ok(()));
        let back = serde_json::to_value(&rules).unwrap();
        assert_eq!(back["employment"]["min_salaried_staff_fte"], "any");
        assert_eq!(back["own_revenue"]["min_own_revenue_share_bp"], 2500);
        assert_eq!(serde_json::from_value::<RulesParameters>(back).unwrap(), rules);
        // An integral FTE reads as a number too.
        json["employment"]["min_salaried_staff_fte"] = 2.into();
        let rules: RulesParameters = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(rules.employment.min_salaried_staff_fte, Threshold::AtLeast(2.0));
        // Anything else is refused, saying what is expected.
        for bad in [
            serde_json::json!("ANY"),
            serde_json::json!("all"),
            serde_json::json!(null),
            serde_json::json!(-1),
            serde_json::json!(30.5),
            serde_json::json!(true),
        ] {
            let mut json = json.clone();
            json["market_activity"]["min_sales_share_bp"] = bad.clone();
            let err = serde_json::from_value::<RulesParameters>(json).unwrap_err().to_string();
            assert!(err.contains("the string \"any\" or a number"), "{bad}: {err}");
        }
        for bad in ["mandatory", "OFF", ""] {
            let mut json = stored_before_modes();
            json["territory"]["mode"] = bad.into();
            assert!(serde_json::from_value::<RulesParameters>(json).is_err(), "{bad}");
        }
    }

    /// A "bonifications ESS" version: investment at 30 % + up to 10 points.
    fn with_bonuses() -> RulesParameters {
        let mut rules = template("DI-ESS", rouen()).unwrap();
        rules.bonuses = serde_json::from_value(serde_json::json!({
            "max_extra_bp": 1000,
            "items": [
                {"code": "esus", "label": "Entreprise agréée ESUS", "extra_bp": 500, "when": {"kind": "esus_approval"}},
                {"code": "qpv", "label": "Locaux en quartier prioritaire", "extra_bp": 500,
                 "when": {"kind": "premises_in_districts", "district_codes": ["QN07601M", "QN07602M"]}},
                {"code": "rive_gauche", "label": "Locaux rive gauche", "extra_bp": 300,
                 "when": {"kind": "premises_in_communes", "commune_codes": ["76540", "76681"]}},
                {"code": "label_ecologique", "label": "Label environnemental", "extra_bp": 700,
                 "when": {"kind": "instructor_condition"}}
            ]
        }))
        .unwrap();
        rules
    }

    #[test]
    fn bonuses_round_trip_and_validate() {
        let rules = with_bonuses();
        assert_eq!(rules.validate(), Ok(()));
        let json = serde_json::to_value(&rules).unwrap();
        assert_eq!(json["bonuses"]["items"][0]["when"], serde_json::json!({"kind": "esus_approval"}));
        assert_eq!(json["bonuses"]["items"][3]["when"], serde_json::json!({"kind": "instructor_condition"}));
        assert_eq!(serde_json::from_value::<RulesParameters>(json).unwrap(), rules);
        assert!(rules.bonuses.instructor_condition("label_ecologique").is_some());
        assert!(rules.bonuses.instructor_condition("esus").is_none(), "not ticked by an instructor");
        assert!(rules.bonuses.instructor_condition("nope").is_none());
        // Unknown fields are refused in bonuses, in a bonus and in its condition.
        let base = serde_json::to_value(&rules).unwrap();
        for pointer in ["/bonuses", "/bonuses/items/0", "/bonuses/items/0/when", "/bonuses/items/1/when"] {
            let mut json = base.clone();
            json.pointer_mut(pointer).unwrap().as_object_mut().unwrap().insert("typo".into(), 1.into());
            assert!(serde_json::from_value::<RulesParameters>(json).is_err(), "{pointer}");
        }
        let mut json = base.clone();
        json["bonuses"]["items"][0]["when"] = serde_json::json!({"kind": "holds_a_label"});
        assert!(serde_json::from_value::<RulesParameters>(json).is_err());
        // Both fields of `bonuses` are needed once it is given.
        let mut json = base;
        json["bonuses"] = serde_json::json!({"items": []});
        assert!(serde_json::from_value::<RulesParameters>(json).is_err());
    }

    #[test]
    fn every_invalid_bonus_field_is_listed() {
        let mut rules = with_bonuses();
        rules.bonuses.max_extra_bp = 10_001;
        let items = &mut rules.bonuses.items;
        items[0].code = "Bonus ESUS".into();
        items[3].code = "qpv".into();
        items[1].label = " ".into();
        items[1].extra_bp = 0;
        items[1].when = BonusCondition::PremisesInDistricts {
            district_codes: vec!["QN07601M".into(), "qn1".into(), "QN07601M".into(), "X".repeat(21)],
        };
        items[2].label = "x".repeat(201);
        items[2].extra_bp = 10_001;
        items[2].when = BonusCondition::PremisesInCommunes {
            commune_codes: vec!["76540".into(), "7654".into(), "76540".into()],
        };
        items.push(Bonus {
            code: "vide".into(),
            label: "Vide".into(),
            extra_bp: 1,
            when: BonusCondition::PremisesInDistricts { district_codes: vec![] },
        });
        items.push(Bonus {
            code: "aucune".into(),
            label: "Aucune".into(),
            extra_bp: 1,
            when: BonusCondition::PremisesInCommunes { commune_codes: vec![] },
        });
        let mut got = fields(rules.validate());
        got.sort();
        let mut want: Vec<(String, String)> = [
            ("parameters.bonuses.max_extra_bp", "out_of_range"),
            ("parameters.bonuses.items[0].code", "invalid_format"),
            ("parameters.bonuses.items[3].code", "duplicate"),
            ("parameters.bonuses.items[1].label", "required"),
            ("parameters.bonuses.items[1].extra_bp", "out_of_range"),
            ("parameters.bonuses.items[1].when.district_codes[1]", "invalid_format"),
            ("parameters.bonuses.items[1].when.district_codes[2]", "duplicate"),
            ("parameters.bonuses.items[1].when.district_codes[3]", "invalid_format"),
            ("parameters.bonuses.items[2].label", "too_long"),
            ("parameters.bonuses.items[2].extra_bp", "out_of_range"),
            ("parameters.bonuses.items[2].when.commune_codes[1]", "commune_code_format"),
            ("parameters.bonuses.items[2].when.commune_codes[2]", "duplicate"),
            ("parameters.bonuses.items[4].when.district_codes", "required"),
            ("parameters.bonuses.items[5].when.commune_codes", "required"),
        ]
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn bonus_limits() {
        let mut rules = with_bonuses();
        // Listed bonuses need room for at least one point.
        rules.bonuses.max_extra_bp = 0;
        assert_eq!(
            fields(rules.validate()),
            vec![("parameters.bonuses.max_extra_bp".to_string(), "out_of_range".to_string())]
        );
        rules.bonuses.max_extra_bp = 1;
        assert_eq!(rules.validate(), Ok(()));
        rules.bonuses.max_extra_bp = 10_000;
        assert_eq!(rules.validate(), Ok(()));
        // No bonus, no cap needed.
        rules.bonuses = Bonuses::default();
        assert_eq!(rules.validate(), Ok(()));
        // 20 bonuses at most.
        let bonus = |i: usize| Bonus {
            code: format!("b{i}"),
            label: "x".repeat(200),
            extra_bp: 10_000,
            when: BonusCondition::InstructorCondition {},
        };
        rules.bonuses = Bonuses { max_extra_bp: 10_000, items: (0..20).map(bonus).collect() };
        assert_eq!(rules.validate(), Ok(()));
        rules.bonuses.items.push(bonus(20));
        assert_eq!(
            fields(rules.validate()),
            vec![("parameters.bonuses.items".to_string(), "too_many".to_string())]
        );
        // Districts: 500 at most.
        let districts: Vec<String> = (0..501).map(|i| format!("QN{i:06}")).collect();
        rules.bonuses.items = vec![Bonus {
            when: BonusCondition::PremisesInDistricts { district_codes: districts[..500].to_vec() },
            ..bonus(0)
        }];
        assert_eq!(rules.validate(), Ok(()));
        rules.bonuses.items[0].when = BonusCondition::PremisesInDistricts { district_codes: districts };
        assert_eq!(
            fields(rules.validate()),
            vec![("parameters.bonuses.items[0].when.district_codes".to_string(), "too_many".to_string())]
        );
    }

    #[test]
    fn budget_and_flat_kinds() {
        let mut rules = template("DI-ESS", rouen()).unwrap();
        rules.max_grant = MaxGrant::Budget { rate_bp: 5000, cap_cents: 15_000_00 };
        assert_eq!(rules.validate(), Ok(()));
        assert_eq!((rules.max_grant.rate_bp(), rules.max_grant.cap_cents()), (Some(5000), 15_000_00));
        let json = serde_json::to_value(&rules.max_grant).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "budget", "rate_bp": 5000, "cap_cents": 1500000}));
        rules.max_grant = MaxGrant::Budget { rate_bp: 0, cap_cents: MAX_CAP_CENTS + 1 };
        assert_eq!(
            fields(rules.validate()),
            vec![
                ("parameters.max_grant.rate_bp".to_string(), "out_of_range".to_string()),
                ("parameters.max_grant.cap_cents".to_string(), "out_of_range".to_string()),
            ]
        );
        rules.max_grant = MaxGrant::Flat { amount_cents: 5_000_00 };
        assert_eq!(rules.validate(), Ok(()));
        assert_eq!((rules.max_grant.rate_bp(), rules.max_grant.cap_cents()), (None, 5_000_00));
        assert_eq!(
            serde_json::to_value(&rules.max_grant).unwrap(),
            serde_json::json!({"kind": "flat", "amount_cents": 500000})
        );
        for (amount, ok) in [(0, false), (1, true), (MAX_CAP_CENTS, true), (MAX_CAP_CENTS + 1, false)] {
            rules.max_grant = MaxGrant::Flat { amount_cents: amount };
            assert_eq!(rules.validate().is_ok(), ok, "{amount}");
        }
        // A flat grant has no rate for bonuses to raise.
        let mut flat = with_bonuses();
        flat.max_grant = MaxGrant::Flat { amount_cents: 5_000_00 };
        assert_eq!(
            fields(flat.validate()),
            vec![("parameters.bonuses.items".to_string(), "not_applicable".to_string())]
        );
        let mut json = serde_json::to_value(template("DI-ESS", rouen()).unwrap()).unwrap();
        json["max_grant"] = serde_json::json!({"kind": "flat", "amount_cents": 1, "cap_cents": 1});
        assert!(serde_json::from_value::<RulesParameters>(json).is_err());
    }
}

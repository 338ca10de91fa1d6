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

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// Template codes understood by [`template`].
pub const TEMPLATE_CODES: &[&str] = &["DI-ESS", "DL-ESS"];

/// All parameters of one rules version. Each of the six eligibility criteria has its own
/// section, evaluated by the eligibility engine in the order employment,
/// market activity, own-revenue share, ESS status, territory, de minimis.
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
    /// The assessment grid instructors score a dossier on: 1 to 20 criteria, unique codes.
    #[schema(min_items = 1, max_items = 20)]
    pub assessment_grid: Vec<GridCriterion>,
}

/// Criterion 1, employment: the structure employs salaried staff.
///
/// Passes when the applicant's salaried staff is **more than 0 FTE and at least**
/// `min_salaried_staff_fte` (both compared at 0.01 FTE precision). `0` therefore means "some
/// salaried staff".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentRule {
    /// Minimum salaried staff in full-time equivalents (0 to 100 000).
    #[schema(minimum = 0, maximum = 100000, example = 1.0)]
    pub min_salaried_staff_fte: f64,
}

/// Criterion 2, market activity: the structure sells goods or services on a market.
///
/// Passes when the applicant declares a market activity **and** sales make at least
/// `min_sales_share_bp` of its operating revenue, the "share of revenue from sales" of the
/// design (`sales × 10000 ≥ min_sales_share_bp × operating revenue`, exact; at the threshold
/// passes). Operating costs play no part in this criterion (they are the measure of criterion 3).
/// Operating revenue that is not from sales (fees, dues...) lowers the share, so it can turn a
/// pass into a fail; revenue from sales never does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketActivityRule {
    /// Minimum sales revenue as a share of operating revenue, in basis points (0 to 10000).
    #[schema(minimum = 0, maximum = 10000, example = 3000)]
    pub min_sales_share_bp: u32,
}

/// Criterion 3, own-revenue share: operating revenue covers a substantial share of operating
/// costs, `operating_revenue / operating_costs ≥ min_own_revenue_share_bp / 10000`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnRevenueRule {
    /// Minimum operating revenue as a share of operating costs, in basis points (0 to 10000).
    #[schema(minimum = 0, maximum = 10000, example = 5000)]
    pub min_own_revenue_share_bp: u32,
}

/// Criterion 4, ESS status (law 2014-856, art. 1 and 11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EssStatusRule {
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

/// Criterion 5, territory: the premises are in one of the listed communes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerritoryRule {
    /// INSEE codes of the communes of the territory: 1 to 2000, each valid, no duplicates.
    #[schema(value_type = Vec<crate::domain::identifiers::CommuneCode>, min_items = 1, max_items = 2000, example = json!(["76540", "76451", "76681"]))]
    pub commune_codes: Vec<String>,
}

/// Criterion 6, de minimis (regulation (EU) 2023/2831): the aid received over the window plus
/// the proposed grant must not exceed the ceiling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeMinimisRule {
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

/// How the maximum grant of a dossier is computed. Floor division, never negative, never above
/// `cap_cents`.
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
}

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
    /// The cap of either kind.
    pub fn cap_cents(&self) -> i64 {
        match *self {
            MaxGrant::Investment { cap_cents, .. } | MaxGrant::Rent { cap_cents, .. } => cap_cents,
        }
    }
    /// The rate of either kind, in basis points.
    pub fn rate_bp(&self) -> u32 {
        match *self {
            MaxGrant::Investment { rate_bp, .. } | MaxGrant::Rent { rate_bp, .. } => rate_bp,
        }
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
    /// Checks every parameter and reports **all** invalid fields at once, as
    /// `parameters.<section>.<field>` (list items as `[index]`, e.g.
    /// `parameters.territory.commune_codes[3]`, `parameters.assessment_grid[1].weight`).
    ///
    /// Codes: `out_of_range` (number outside its bounds, non-finite FTE), `required` (empty list
    /// or blank text), `too_many` (list too long), `too_long` (text too long), `duplicate`
    /// (repeated family, commune or criterion code), `invalid_format` (criterion code not
    /// snake_case), and the commune-code errors of
    /// [`validate_commune_code`] (`commune_code_format`, `commune_code_department`).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors(Vec::new());

        let fte = self.employment.min_salaried_staff_fte;
        if !fte.is_finite() || !(0.0..=MAX_MIN_FTE).contains(&fte) {
            e.push(
                "employment.min_salaried_staff_fte",
                "out_of_range",
                format!(
                    "La valeur doit être un nombre fini compris entre 0 et {MAX_MIN_FTE} ; reçu : {fte}."
                ),
                format!("must be a finite number between 0 and {MAX_MIN_FTE}, got {fte}"),
            );
        }
        e.range_u32("market_activity.min_sales_share_bp", self.market_activity.min_sales_share_bp, 0, 10_000);
        e.range_u32(
            "own_revenue.min_own_revenue_share_bp",
            self.own_revenue.min_own_revenue_share_bp,
            0,
            10_000,
        );

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

        let communes = &self.territory.commune_codes;
        if communes.is_empty() {
            e.push(
                "territory.commune_codes",
                "required",
                "Le territoire doit compter au moins une commune.",
                "the territory needs at least one commune",
            );
        }
        if communes.len() > MAX_COMMUNES {
            e.push(
                "territory.commune_codes",
                "too_many",
                format!("Le territoire compte au plus {MAX_COMMUNES} communes ; reçu : {}.", communes.len()),
                format!("at most {MAX_COMMUNES} communes, got {}", communes.len()),
            );
        }
        let mut seen: HashSet<&str> = HashSet::with_capacity(communes.len());
        for (i, code) in communes.iter().enumerate() {
            let field = format!("territory.commune_codes[{i}]");
            if let Err(err) = validate_commune_code(code) {
                e.push(
                    &field,
                    err,
                    format!("« {code} » n'est pas un code commune INSEE valide."),
                    format!("'{code}' is not a valid INSEE commune code"),
                );
            } else if !seen.insert(code.as_str()) {
                e.push(
                    &field,
                    "duplicate",
                    format!("La commune « {code} » figure plus d'une fois dans la liste."),
                    format!("commune '{code}' is listed more than once"),
                );
            }
        }

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
        }

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
            if !is_criterion_code(&c.code) {
                e.push(
                    format!("assessment_grid[{i}].code"),
                    "invalid_format",
                    "Le code doit être en snake_case ASCII (a-z, 0-9, tirets bas isolés, commençant par une lettre), de 1 à 40 caractères.",
                    "must be snake_case ASCII (a-z, 0-9, single underscores, starting with a letter), 1 to 40 characters",
                );
            } else if grid[..i].iter().any(|other| other.code == c.code) {
                e.push(
                    format!("assessment_grid[{i}].code"),
                    "duplicate",
                    format!("Le code de critère « {} » est utilisé plus d'une fois.", c.code),
                    format!("criterion code '{}' is used more than once", c.code),
                );
            }
            let label_chars = c.label.chars().count();
            if c.label.trim().is_empty() {
                e.push(
                    format!("assessment_grid[{i}].label"),
                    "required",
                    "Le libellé ne doit pas être vide.",
                    "the label must not be blank",
                );
            } else if label_chars > 200 {
                e.push(
                    format!("assessment_grid[{i}].label"),
                    "too_long",
                    format!("Le libellé comporte au plus 200 caractères ; reçu : {label_chars}."),
                    format!("at most 200 characters, got {label_chars}"),
                );
            }
            e.range_u32(&format!("assessment_grid[{i}].weight"), c.weight, 1, 100);
            e.range_u32(&format!("assessment_grid[{i}].scale_max"), c.scale_max, 1, 20);
        }

        if e.0.is_empty() {
            Ok(())
        } else {
            Err(e.0)
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
    Some(RulesParameters {
        employment: EmploymentRule { min_salaried_staff_fte: 0.0 },
        market_activity: MarketActivityRule { min_sales_share_bp: 3_000 },
        own_revenue: OwnRevenueRule { min_own_revenue_share_bp: 5_000 },
        ess_status: EssStatusRule {
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
        territory: TerritoryRule { commune_codes },
        de_minimis: DeMinimisRule {
            ceiling_cents: EU_DE_MINIMIS_CEILING_CENTS,
            window_years: EU_DE_MINIMIS_WINDOW_YEARS,
        },
        max_grant,
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
        assert_eq!(di.market_activity.min_sales_share_bp, 3000);
        assert_eq!(di.own_revenue.min_own_revenue_share_bp, 5000);
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
        rules.employment.min_salaried_staff_fte = f64::NAN;
        rules.market_activity.min_sales_share_bp = 10_001;
        rules.own_revenue.min_own_revenue_share_bp = 20_000;
        rules.ess_status.accepted_families.push(LegalFamily::Mutual);
        rules.ess_status.esus_validity_years = 0;
        rules.territory.commune_codes = vec!["76540".into(), "7654".into(), "20001".into(), "76540".into()];
        rules.de_minimis = DeMinimisRule { ceiling_cents: 0, window_years: 11 };
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
            territory: TerritoryRule { commune_codes: communes[..2000].to_vec() },
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
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = 0.0).is_ok());
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = 100_000.0).is_ok());
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = 100_000.01).is_err());
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = -0.01).is_err());
        assert!(ok(&|r| r.employment.min_salaried_staff_fte = f64::INFINITY).is_err());
        assert!(ok(&|r| r.market_activity.min_sales_share_bp = 0).is_ok());
        assert!(ok(&|r| r.market_activity.min_sales_share_bp = 10_000).is_ok());
        assert!(ok(&|r| r.own_revenue.min_own_revenue_share_bp = 10_000).is_ok());
        assert!(ok(&|r| r.own_revenue.min_own_revenue_share_bp = 10_001).is_err());
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
}

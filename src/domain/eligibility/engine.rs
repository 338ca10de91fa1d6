//! The engine: [`evaluate`], the maximum grant and the six criteria. Pure, total,
//! allocation-free.

use chrono::{Months, NaiveDate};

use super::report::{
    BonusSet, Criterion, CriterionCode, CriterionResult, EligibilityReport, FigureName, Figures,
    MaxGrantIssue, Outcome,
};
use super::{Aid, Applicant, EssStatutes, Esus, EvaluationContext, Project, ProjectKind};
use crate::domain::identifiers::{
    legal_family, validate_commune_code, validate_legal_form_code, LegalFamily,
};
use crate::domain::rules::{
    BonusCondition, Bonuses, CriterionMode, DeMinimisRule, EmploymentRule, EssStatusRule, MarketActivityRule,
    MaxGrant, OwnRevenueRule, RulesParameters, TerritoryRule, TerritoryScope, Threshold,
};

/// Evaluates a dossier against a rules version. Pure, total, allocation-free.
///
/// Each criterion is evaluated as its `mode` says: `required` and `advisory` ones are evaluated
/// (only required ones count in `overall`), `off` ones are reported `not_evaluated` with the code
/// `<criterion>.off`. The bonuses the dossier meets raise the rate of the maximum grant.
///
/// The proposed grant counted for de minimis is `min(requested, max_grant)`, or `max_grant` when
/// nothing is requested; when the maximum grant cannot be computed it is the requested amount (0
/// if none). Negative requests count as 0.
pub fn evaluate(
    rules: &RulesParameters,
    applicant: &Applicant,
    project: &Project,
    ctx: &EvaluationContext,
) -> EligibilityReport {
    let base_rate = rules.max_grant.rate_bp();
    let (applied_bonuses, bonus_bp) = match base_rate {
        // A flat grant has no rate to raise.
        None => (BonusSet::EMPTY, 0),
        Some(_) => bonuses_met(&rules.bonuses, applicant, project, ctx.on),
    };
    let max_grant_rate_bp = base_rate.map(|rate| effective_rate_bp(rate, bonus_bp));
    let bonus_bp = match (base_rate, max_grant_rate_bp) {
        (Some(base), Some(effective)) => effective - base,
        _ => 0,
    };
    let (max_grant_cents, max_grant_issue) = match max_grant_cents(&rules.max_grant, project, bonus_bp) {
        Ok(cents) => (cents, None),
        Err(issue) => (0, Some(issue)),
    };
    let requested = project.requested_cents.map(|r| r.max(0));
    let proposed = match (requested, max_grant_issue) {
        (Some(r), None) => r.min(max_grant_cents),
        (None, None) => max_grant_cents,
        (Some(r), Some(_)) => r,
        (None, Some(_)) => 0,
    };
    let criteria = [
        judged(rules.employment.mode, Criterion::Employment, || employment(&rules.employment, applicant)),
        judged(rules.market_activity.mode, Criterion::MarketActivity, || {
            market_activity(&rules.market_activity, applicant)
        }),
        judged(rules.own_revenue.mode, Criterion::OwnRevenueShare, || {
            own_revenue_share(&rules.own_revenue, applicant)
        }),
        judged(rules.ess_status.mode, Criterion::EssStatus, || {
            ess_status(&rules.ess_status, applicant, ctx.on)
        }),
        judged(rules.territory.mode, Criterion::Territory, || {
            territory(&rules.territory, applicant, project)
        }),
        judged(rules.de_minimis.mode, Criterion::DeMinimis, || {
            de_minimis(&rules.de_minimis, applicant, ctx, proposed)
        }),
    ];
    let overall = Outcome::combine(&criteria);
    EligibilityReport {
        criteria,
        overall,
        max_grant_cents,
        max_grant_issue,
        max_grant_rate_bp,
        bonus_bp,
        applied_bonuses,
    }
}

/// One criterion as its mode says: evaluated (and marked `required` or `advisory`), or, `off`,
/// not evaluated at all.
#[inline(always)]
fn judged(
    mode: CriterionMode,
    criterion: Criterion,
    evaluate: impl FnOnce() -> CriterionResult,
) -> CriterionResult {
    match mode {
        CriterionMode::Off => CriterionResult {
            criterion,
            mode,
            outcome: Outcome::NotEvaluated,
            code: CriterionCode::off(criterion),
            figures: Figures::EMPTY,
        },
        CriterionMode::Required | CriterionMode::Advisory => {
            // Set in place: a struct update (`{ mode, ..evaluate() }`) copies the result once more.
            let mut result = evaluate();
            result.mode = mode;
            result
        }
    }
}

/// The rate with `bonus_bp` added, never above 100 % (10000) because of the bonus: a rate the
/// rules themselves set higher (unvalidated rules) is kept, never lowered.
pub fn effective_rate_bp(rate_bp: u32, bonus_bp: u32) -> u32 {
    rate_bp.saturating_add(bonus_bp).min(rate_bp.max(10_000))
}

/// The bonuses the dossier meets, and the points they add together, capped at `max_extra_bp`.
fn bonuses_met(
    bonuses: &Bonuses,
    applicant: &Applicant,
    project: &Project,
    on: NaiveDate,
) -> (BonusSet, u32) {
    let mut set = BonusSet::EMPTY;
    let mut points: u32 = 0;
    for (index, bonus) in bonuses.items.iter().enumerate() {
        let met = match &bonus.when {
            BonusCondition::EsusApproval {} => holds_esus(applicant, on),
            BonusCondition::PremisesInCommunes { commune_codes } => project
                .premises_commune_code
                .as_deref()
                .is_some_and(|code| is_listed_commune(code, commune_codes)),
            BonusCondition::PremisesInDistricts { district_codes } => project
                .premises_district_code
                .as_deref()
                .is_some_and(|code| district_codes.iter().any(|listed| listed == code)),
            BonusCondition::InstructorCondition {} => project.ticked_conditions.contains(&bonus.code),
        };
        if met {
            set = set.with(index);
            points = points.saturating_add(bonus.extra_bp);
        }
    }
    (set, points.min(bonuses.max_extra_bp))
}

/// Whether the applicant holds a dated ESUS approval valid on `on` (from its start to its end
/// date included, as the ESS status criterion reads it).
fn holds_esus(applicant: &Applicant, on: NaiveDate) -> bool {
    match applicant.esus {
        Some(Esus::Approval { starts_on, ends_on }) => starts_on <= on && on <= ends_on,
        // Held by right: the instructor confirms the basis (ess_status answers needs_review), so
        // the bonus is not granted by default.
        Some(Esus::ByRight { .. }) | None => false,
    }
}

/// Whether `code` is one of `communes`. A valid commune code is exactly 5 bytes: fixed-size
/// comparisons, no memcmp call.
fn is_listed_commune(code: &str, communes: &[String]) -> bool {
    let Ok(needle) = <[u8; 5]>::try_from(code.as_bytes()) else {
        return false;
    };
    communes.iter().any(|candidate| <&[u8; 5]>::try_from(candidate.as_bytes()).is_ok_and(|b| *b == needle))
}

/// The maximum grant of a project under `rule` with `bonus_bp` points added to its rate, in
/// cents: `floor(base × rate / 10000)` clamped to `0..=cap_cents` (and 0 if the cap itself is
/// negative), where the rate is [`effective_rate_bp`] and the base is the eligible investment,
/// the monthly rent × `min(months, max_months)`, or the total budget; or the flat amount
/// (`bonus_bp` ignored). Computed in `i128` with saturation, so any input is safe.
#[inline]
pub fn max_grant_cents(rule: &MaxGrant, project: &Project, bonus_bp: u32) -> Result<i64, MaxGrantIssue> {
    let (raw, cap) = match *rule {
        MaxGrant::Investment { rate_bp, cap_cents } => {
            if !project.kind.is_investment() {
                return Err(MaxGrantIssue::ProjectKindMismatch);
            }
            let expenses = project.eligible_expenses_cents.ok_or(MaxGrantIssue::MissingData)?;
            if expenses < 0 {
                return Err(MaxGrantIssue::InvalidData);
            }
            let rate = effective_rate_bp(rate_bp, bonus_bp);
            (i128::from(expenses) * i128::from(rate) / 10_000, cap_cents)
        }
        MaxGrant::Rent { rate_bp, max_months, cap_cents } => {
            if project.kind != ProjectKind::Rent {
                return Err(MaxGrantIssue::ProjectKindMismatch);
            }
            let (Some(rent), Some(months)) = (project.monthly_rent_cents, project.months) else {
                return Err(MaxGrantIssue::MissingData);
            };
            if rent < 0 {
                return Err(MaxGrantIssue::InvalidData);
            }
            let counted = i128::from(months.min(max_months));
            let rate = effective_rate_bp(rate_bp, bonus_bp);
            let product = i128::from(rent).saturating_mul(counted).saturating_mul(i128::from(rate));
            (product / 10_000, cap_cents)
        }
        MaxGrant::Budget { rate_bp, cap_cents } => {
            let budget = project.total_budget_cents.ok_or(MaxGrantIssue::MissingData)?;
            if budget < 0 {
                return Err(MaxGrantIssue::InvalidData);
            }
            let rate = effective_rate_bp(rate_bp, bonus_bp);
            (i128::from(budget) * i128::from(rate) / 10_000, cap_cents)
        }
        MaxGrant::Flat { amount_cents } => return Ok(amount_cents.max(0)),
    };
    let cap = i128::from(cap.max(0));
    // raw >= 0 here; the clamp keeps the result in 0..=cap, so the cast cannot truncate.
    Ok(raw.clamp(0, cap) as i64)
}

/// A required result; [`judged`] sets the mode the rules give.
#[inline(always)]
fn result(criterion: Criterion, outcome: Outcome, code: CriterionCode, figures: Figures) -> CriterionResult {
    CriterionResult { criterion, mode: CriterionMode::Required, outcome, code, figures }
}

/// FTE to hundredths, rounded to nearest (half away from zero); saturating, NaN -> 0.
fn fte_hundredths(fte: f64) -> i64 {
    (fte * 100.0).round() as i64
}

/// `floor(numerator × 10000 / denominator)` for `denominator > 0`, saturated to `i64`.
pub(super) fn share_bp(numerator: i64, denominator: i64) -> i64 {
    let bp = i128::from(numerator) * 10_000 / i128::from(denominator);
    bp.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// `numerator / denominator ≥ threshold_bp / 10000`, exactly.
pub(super) fn meets_share(numerator: i64, denominator: i64, threshold_bp: u32) -> bool {
    i128::from(numerator) * 10_000 >= i128::from(threshold_bp) * i128::from(denominator)
}

fn employment(rule: &EmploymentRule, applicant: &Applicant) -> CriterionResult {
    use CriterionCode::*;
    use FigureName::*;
    let c = Criterion::Employment;
    let min = match rule.min_salaried_staff_fte {
        Threshold::Any => return employment_without_minimum(applicant),
        Threshold::AtLeast(min) => fte_hundredths(min).max(0),
    };
    let mut f = Figures::EMPTY;
    let Some(fte) = applicant.salaried_staff_fte else {
        f.int(MinSalariedStaffFte, min);
        return result(c, Outcome::NeedsReview, EmploymentMissingData, f);
    };
    if !fte.is_finite() || fte < 0.0 {
        f.int(MinSalariedStaffFte, min);
        return result(c, Outcome::NeedsReview, EmploymentInvalidData, f);
    }
    let observed = fte_hundredths(fte);
    f.int(SalariedStaffFte, observed);
    f.int(MinSalariedStaffFte, min);
    if observed <= 0 {
        result(c, Outcome::Fail, EmploymentNoSalariedStaff, f)
    } else if observed < min {
        result(c, Outcome::Fail, EmploymentBelowMinimum, f)
    } else {
        result(c, Outcome::Pass, EmploymentMet, f)
    }
}

/// Employment with no minimum (`"any"`): any declared staff passes, 0 included; only a missing
/// or invalid figure needs review.
fn employment_without_minimum(applicant: &Applicant) -> CriterionResult {
    use CriterionCode::*;
    let c = Criterion::Employment;
    let mut f = Figures::EMPTY;
    match applicant.salaried_staff_fte {
        None => result(c, Outcome::NeedsReview, EmploymentMissingData, f),
        Some(fte) if !fte.is_finite() || fte < 0.0 => {
            result(c, Outcome::NeedsReview, EmploymentInvalidData, f)
        }
        Some(fte) => {
            f.int(FigureName::SalariedStaffFte, fte_hundredths(fte));
            result(c, Outcome::Pass, EmploymentNoMinimum, f)
        }
    }
}

/// Market activity: the applicant declares selling goods or services on a market, and sales make
/// at least the threshold share of its operating revenue, `sales × 10000 ≥ min_sales_share_bp ×
/// operating revenue` (see [`MarketActivityRule`]); exactly at the threshold passes. Operating
/// costs play no part. Negative sales, a non-positive operating revenue or sales above the
/// operating revenue (sales are part of it) are inconsistent.
fn market_activity(rule: &MarketActivityRule, applicant: &Applicant) -> CriterionResult {
    use CriterionCode::*;
    use FigureName::*;
    let c = Criterion::MarketActivity;
    let min_sales_share_bp = match rule.min_sales_share_bp {
        Threshold::Any => return market_activity_without_minimum(applicant),
        Threshold::AtLeast(bp) => bp,
    };
    let threshold = i64::from(min_sales_share_bp);
    let mut f = Figures::EMPTY;
    if applicant.declared_market_activity == Some(false) {
        return result(c, Outcome::Fail, MarketActivityNotDeclared, f);
    }
    if let Some(v) = applicant.sales_revenue_cents {
        f.int(SalesRevenueCents, v);
    }
    if let Some(v) = applicant.operating_revenue_cents {
        f.int(OperatingRevenueCents, v);
    }
    let (Some(true), Some(sales), Some(revenue)) = (
        applicant.declared_market_activity,
        applicant.sales_revenue_cents,
        applicant.operating_revenue_cents,
    ) else {
        f.int(MinSalesShareBp, threshold);
        return result(c, Outcome::NeedsReview, MarketActivityMissingData, f);
    };
    if sales < 0 || revenue <= 0 || sales > revenue {
        return result(c, Outcome::NeedsReview, MarketActivityInconsistentData, f);
    }
    f.int(SalesShareBp, share_bp(sales, revenue));
    f.int(MinSalesShareBp, threshold);
    if applicant.accounts_forecast {
        return result(c, Outcome::NeedsReview, MarketActivityForecastAccounts, f);
    }
    if meets_share(sales, revenue, min_sales_share_bp) {
        result(c, Outcome::Pass, MarketActivityMet, f)
    } else {
        result(c, Outcome::Fail, MarketActivityBelowThreshold, f)
    }
}

/// Market activity with no minimum share (`"any"`): the declaration of a market activity passes
/// alone, whatever the share and even without the sales figures (shown when they are given).
fn market_activity_without_minimum(applicant: &Applicant) -> CriterionResult {
    use CriterionCode::*;
    use FigureName::*;
    let c = Criterion::MarketActivity;
    let mut f = Figures::EMPTY;
    if let Some(v) = applicant.sales_revenue_cents {
        f.int(SalesRevenueCents, v);
    }
    if let Some(v) = applicant.operating_revenue_cents {
        f.int(OperatingRevenueCents, v);
    }
    match applicant.declared_market_activity {
        Some(false) => result(c, Outcome::Fail, MarketActivityNotDeclared, Figures::EMPTY),
        None => result(c, Outcome::NeedsReview, MarketActivityMissingData, f),
        Some(true) => {
            if let (Some(sales), Some(revenue)) =
                (applicant.sales_revenue_cents, applicant.operating_revenue_cents)
            {
                if sales >= 0 && revenue > 0 && sales <= revenue {
                    f.int(SalesShareBp, share_bp(sales, revenue));
                }
            }
            result(c, Outcome::Pass, MarketActivityNoMinimum, f)
        }
    }
}

/// Own revenue with no minimum share (`"any"`): passes whatever the ratio, even without
/// accounts (the figures given are shown).
fn own_revenue_without_minimum(applicant: &Applicant) -> CriterionResult {
    use FigureName::*;
    let mut f = Figures::EMPTY;
    if let Some(v) = applicant.operating_revenue_cents {
        f.int(OperatingRevenueCents, v);
    }
    if let Some(v) = applicant.operating_costs_cents {
        f.int(OperatingCostsCents, v);
    }
    if let (Some(revenue), Some(costs)) = (applicant.operating_revenue_cents, applicant.operating_costs_cents)
    {
        if revenue >= 0 && costs > 0 {
            f.int(OwnRevenueShareBp, share_bp(revenue, costs));
        }
    }
    result(Criterion::OwnRevenueShare, Outcome::Pass, CriterionCode::OwnRevenueShareNoMinimum, f)
}

fn own_revenue_share(rule: &OwnRevenueRule, applicant: &Applicant) -> CriterionResult {
    use CriterionCode::*;
    use FigureName::*;
    let c = Criterion::OwnRevenueShare;
    let min_own_revenue_share_bp = match rule.min_own_revenue_share_bp {
        Threshold::Any => return own_revenue_without_minimum(applicant),
        Threshold::AtLeast(bp) => bp,
    };
    let threshold = i64::from(min_own_revenue_share_bp);
    let mut f = Figures::EMPTY;
    if let Some(v) = applicant.operating_revenue_cents {
        f.int(OperatingRevenueCents, v);
    }
    if let Some(v) = applicant.operating_costs_cents {
        f.int(OperatingCostsCents, v);
    }
    let (Some(revenue), Some(costs)) = (applicant.operating_revenue_cents, applicant.operating_costs_cents)
    else {
        f.int(MinOwnRevenueShareBp, threshold);
        return result(c, Outcome::NeedsReview, OwnRevenueShareMissingData, f);
    };
    if revenue < 0 || costs <= 0 {
        return result(c, Outcome::NeedsReview, OwnRevenueShareInconsistentData, f);
    }
    f.int(OwnRevenueShareBp, share_bp(revenue, costs));
    f.int(MinOwnRevenueShareBp, threshold);
    if applicant.accounts_forecast {
        return result(c, Outcome::NeedsReview, OwnRevenueShareForecastAccounts, f);
    }
    if meets_share(revenue, costs, min_own_revenue_share_bp) {
        result(c, Outcome::Pass, OwnRevenueShareMet, f)
    } else {
        result(c, Outcome::Fail, OwnRevenueShareBelowThreshold, f)
    }
}

/// ESS status (law 2014-856 art. 1; code du travail L3332-17-1).
///
/// - A legal family the scheme accepts, other than a commercial company: `pass`.
/// - A commercial company (SA, SAS, SARL…): when the rules require the ESUS approval, it passes
///   with an approval valid on `on` (`starts_on ≤ on ≤ ends_on`, the dates of the decision);
///   an approval held by right answers `needs_review` (`ess_status.esus_by_right`) for the
///   instructor to confirm the declared basis.
/// - A commercial company whose statutes it declares cooperative (a SCOP or SCIC as SA, SAS or
///   SARL) answers `needs_review` (`ess_status.statutes_to_check`) when the scheme accepts
///   cooperatives and `cooperatives_in_company_form`, never `fail`; one declaring ESS statutes
///   under art. 1 II does when `ess_statute_companies` and it has no valid approval.
fn ess_status(rule: &EssStatusRule, applicant: &Applicant, on: NaiveDate) -> CriterionResult {
    use CriterionCode::*;
    use FigureName::*;
    let c = Criterion::EssStatus;
    let code = applicant.legal_form_code.as_str();
    let mut f = Figures::EMPTY;
    if code.is_empty() {
        return result(c, Outcome::NeedsReview, EssStatusMissingData, f);
    }
    f.code(LegalFormCode, code);
    if validate_legal_form_code(code).is_err() {
        return result(c, Outcome::NeedsReview, EssStatusInvalidLegalForm, f);
    }
    let family = legal_family(code);
    let accepted = rule.accepted_families.contains(&family);
    if family != LegalFamily::CommercialCompany {
        return if accepted {
            result(c, Outcome::Pass, EssStatusAcceptedFamily, f)
        } else {
            result(c, Outcome::Fail, EssStatusFamilyNotAccepted, f)
        };
    }
    let cooperative = applicant.ess_statutes == Some(EssStatutes::Cooperative)
        && rule.cooperatives_in_company_form
        && rule.accepted_families.contains(&LegalFamily::Cooperative);
    if !accepted {
        return if cooperative {
            result(c, Outcome::NeedsReview, EssStatusStatutesToCheck, f)
        } else {
            result(c, Outcome::Fail, EssStatusFamilyNotAccepted, f)
        };
    }
    if !rule.commercial_companies_need_esus {
        return result(c, Outcome::Pass, EssStatusAcceptedFamily, f);
    }
    let approval = match applicant.esus {
        Some(Esus::ByRight { .. }) => return result(c, Outcome::NeedsReview, EssStatusEsusByRight, f),
        Some(Esus::Approval { starts_on, ends_on }) => {
            f.date(EsusApprovedOn, starts_on);
            f.date(EsusEndsOn, ends_on);
            f.date(EvaluatedOn, on);
            if starts_on <= on && on <= ends_on {
                return result(c, Outcome::Pass, EssStatusEsusValid, f);
            }
            Some(starts_on > on)
        }
        None => None,
    };
    let ess_company = applicant.ess_statutes == Some(EssStatutes::EssCompany) && rule.ess_statute_companies;
    if cooperative || ess_company {
        return result(c, Outcome::NeedsReview, EssStatusStatutesToCheck, f);
    }
    match approval {
        Some(true) => result(c, Outcome::Fail, EssStatusEsusNotYetValid, f),
        Some(false) => result(c, Outcome::Fail, EssStatusEsusExpired, f),
        None => result(c, Outcome::Fail, EssStatusEsusMissing, f),
    }
}

/// Territory: the commune of the premises, or of the head office for a scheme without premises
/// (`applies_to`), is one of the territory's.
fn territory(rule: &TerritoryRule, applicant: &Applicant, project: &Project) -> CriterionResult {
    use CriterionCode::*;
    use FigureName::*;
    let c = Criterion::Territory;
    let mut f = Figures::EMPTY;
    let (commune, figure, missing) = match rule.applies_to {
        TerritoryScope::Premises => {
            (project.premises_commune_code.as_deref(), CommuneCode, TerritoryMissingData)
        }
        TerritoryScope::HeadOffice => (
            applicant.head_office_commune_code.as_deref(),
            HeadOfficeCommuneCode,
            TerritoryHeadOfficeMissingData,
        ),
    };
    let Some(code) = commune else {
        return result(c, Outcome::NeedsReview, missing, f);
    };
    f.code(figure, code);
    f.int(TerritoryCommunes, i64::try_from(rule.commune_codes.len()).unwrap_or(i64::MAX));
    if validate_commune_code(code).is_err() {
        return result(c, Outcome::NeedsReview, TerritoryInvalidCommuneCode, f);
    }
    if is_listed_commune(code, &rule.commune_codes) {
        result(c, Outcome::Pass, TerritoryInside, f)
    } else {
        result(c, Outcome::Fail, TerritoryOutside, f)
    }
}

/// Sum of the amounts of `aids` granted in `(start, on]`; `None` if any amount is negative.
fn sum_in_window(aids: &[Aid], start: NaiveDate, on: NaiveDate) -> Option<i64> {
    let mut total: i64 = 0;
    for aid in aids {
        if aid.amount_cents < 0 {
            return None;
        }
        if aid.granted_on > start && aid.granted_on <= on {
            total = total.saturating_add(aid.amount_cents);
        }
    }
    Some(total)
}

/// The last day *outside* the de minimis window ending on `on`: the window is
/// `(on − years, on]` in calendar years (`on` = 29 February 2028, 3 years: the window starts
/// after 28 February 2025, so an aid of 28 February 2025 no longer counts and one of 1 March
/// 2025 does).
pub fn de_minimis_window_start(on: NaiveDate, years: u32) -> NaiveDate {
    on.checked_sub_months(Months::new(years.saturating_mul(12))).unwrap_or(NaiveDate::MIN)
}

/// De minimis: declared aid + Essor grants in the window + the proposed grant ≤ ceiling. Without
/// a declaration the result is `needs_review`, unless the Essor grants and the proposed grant
/// alone already exceed the ceiling (then `fail`).
fn de_minimis(
    rule: &DeMinimisRule,
    applicant: &Applicant,
    ctx: &EvaluationContext,
    proposed: i64,
) -> CriterionResult {
    use CriterionCode::*;
    use FigureName::*;
    let c = Criterion::DeMinimis;
    let start = de_minimis_window_start(ctx.on, rule.window_years);
    let mut f = Figures::EMPTY;
    let essor = sum_in_window(&ctx.grants_in_essor_same_siren, start, ctx.on);
    let declared = match &applicant.declared_de_minimis {
        None => Ok(None),
        Some(aids) => sum_in_window(aids, start, ctx.on).map(Some).ok_or(()),
    };
    let (Some(essor), Ok(declared)) = (essor, declared) else {
        f.date(WindowStartExclusive, start);
        return result(c, Outcome::NeedsReview, DeMinimisInconsistentData, f);
    };
    if let Some(d) = declared {
        f.int(DeclaredAidCents, d);
    }
    let total = declared.unwrap_or(0).saturating_add(essor).saturating_add(proposed);
    f.int(EssorGrantsCents, essor);
    f.int(ProposedGrantCents, proposed);
    f.int(TotalCents, total);
    f.int(CeilingCents, rule.ceiling_cents);
    f.date(WindowStartExclusive, start);
    if total > rule.ceiling_cents {
        result(c, Outcome::Fail, DeMinimisCeilingExceeded, f)
    } else if declared.is_none() {
        result(c, Outcome::NeedsReview, DeMinimisNotDeclared, f)
    } else {
        result(c, Outcome::Pass, DeMinimisWithinCeiling, f)
    }
}

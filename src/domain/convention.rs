//! The grant convention (law 2000-321 art. 10, décret 2001-495; CGCT L1511-3 for business
//! premises): when a rules version requires one, and what it fixes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::procedure::{Applicant, ServiceInCharge};

/// The amount above which the law requires a convention: 23 000 € (décret 2001-495, art. 1).
pub const LEGAL_THRESHOLD_CENTS: i64 = 2_300_000;

/// When a grant needs a convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConventionRequirement {
    /// Every grant of the scheme (business-premises aid under CGCT L1511-3 is granted by
    /// convention).
    Always,
    /// Grants above `threshold_cents` (the law's rule, 23 000 € by default).
    #[default]
    AboveThreshold,
}

/// What a rules version says of conventions: when one is required, and the terms its template
/// writes (payment schedule, duration, lapse). Versions stored before conventions existed read
/// as the law's rule with these defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ConventionRule {
    /// `always`, or `above_threshold` (the default).
    pub required: ConventionRequirement,
    /// With `above_threshold`: a grant strictly above this amount needs a convention, in cents
    /// (1 to 10 000 000 000; 2 300 000 by default, the law's 23 000 €).
    #[schema(minimum = 1, maximum = 10000000000i64, example = 2300000)]
    pub threshold_cents: i64,
    /// The advance that may be paid once the convention is signed, at most this share of the
    /// grant, in percent (0 to 100; 0: no advance; 30 by default).
    #[schema(minimum = 0, maximum = 100, example = 30)]
    pub advance_max_percent: u32,
    /// Instalments between the advance and the balance, each on a statement of expenses (0 to
    /// 4; 1 by default).
    #[schema(minimum = 0, maximum = 4, example = 1)]
    pub instalments: u32,
    /// How long the convention runs from its signature, in months (1 to 120; 36 by default).
    #[schema(minimum = 1, maximum = 120, example = 36)]
    pub duration_months: u32,
    /// The project must start within this many months of the signature, or the grant lapses
    /// (1 to 60; 12 by default).
    #[schema(minimum = 1, maximum = 60, example = 12)]
    pub start_within_months: u32,
}

impl Default for ConventionRule {
    fn default() -> Self {
        ConventionRule {
            required: ConventionRequirement::AboveThreshold,
            threshold_cents: LEGAL_THRESHOLD_CENTS,
            advance_max_percent: 30,
            instalments: 1,
            duration_months: 36,
            start_within_months: 12,
        }
    }
}

impl ConventionRule {
    /// The rule of schemes whose every grant is made by convention.
    pub fn always() -> Self {
        ConventionRule { required: ConventionRequirement::Always, ..ConventionRule::default() }
    }

    /// Whether a grant of `granted_cents` needs a convention signed before any payment.
    pub fn requires(&self, granted_cents: i64) -> bool {
        match self.required {
            ConventionRequirement::Always => true,
            ConventionRequirement::AboveThreshold => granted_cents > self.threshold_cents,
        }
    }
}

/// Before the balance, payments together reach at most this share of the grant, in percent:
/// the balance is paid on the final report.
pub const BEFORE_BALANCE_MAX_PERCENT: i64 = 80;

/// A step of a convention's payment schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStep {
    /// Paid once the convention is signed by both parties.
    Advance,
    /// Paid on a statement of the expenses paid.
    Instalment,
    /// Paid on the final report (the financial report, CERFA 15059).
    Balance,
}

/// One line of the payment schedule: after this step, what is paid in all is at most
/// `cumulated_max_cents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScheduleLine {
    pub step: PaymentStep,
    /// 1 for the first instalment; 1 for the advance and the balance.
    pub rank: u32,
    pub cumulated_max_cents: i64,
}

/// The payment schedule of a grant of `granted_cents` under `rule`: an advance of at most
/// `advance_max_percent` (none at 0 %), then the instalments sharing evenly what remains up to
/// 80 % of the grant, then the balance up to the whole grant. Floor division: never above.
pub fn schedule(granted_cents: i64, rule: &ConventionRule) -> Vec<ScheduleLine> {
    let percent = |p: i64| granted_cents.saturating_mul(p) / 100;
    let advance = percent(i64::from(rule.advance_max_percent.min(100)));
    let before_balance = percent(BEFORE_BALANCE_MAX_PERCENT).max(advance);
    let mut lines = Vec::new();
    if advance > 0 {
        lines.push(ScheduleLine { step: PaymentStep::Advance, rank: 1, cumulated_max_cents: advance });
    }
    let n = i64::from(rule.instalments);
    for k in 1..=n {
        let cumulated = advance + (before_balance - advance) * k / n;
        lines.push(ScheduleLine {
            step: PaymentStep::Instalment,
            rank: u32::try_from(k).unwrap_or(u32::MAX),
            cumulated_max_cents: cumulated,
        });
    }
    lines.push(ScheduleLine { step: PaymentStep::Balance, rank: 1, cumulated_max_cents: granted_cents });
    lines
}

/// The day the financial report of a grant for `budget_year` is due: six months after the end
/// of that year (law 2000-321, art. 10), 30 June of the next.
pub fn financial_report_due_on(budget_year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(budget_year.checked_add(1)?, 6, 30)
}

/// Who signs a convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SigningParty {
    /// The organisation granted (its applicant signs through the client app).
    Beneficiary,
    /// The territory (an instructor or an administrator records its signature).
    Territory,
}

/// The kind of project a convention's clauses speak of, from the scheme's maximum grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConventionModel {
    /// Works or the purchase of business premises (Dynamique Immobilier ESS).
    Investment,
    /// The rent of business premises (Dynamique Location ESS).
    Rent,
    /// Any other project (a share of its budget, a flat amount).
    General,
}

/// A convention's number as people read it: `CONV-2026-000012`; an amendment adds its rank,
/// `CONV-2026-000012-A1`.
pub fn convention_label(year: i32, number: i32, seq: i32) -> String {
    if seq == 0 {
        format!("CONV-{year}-{number:06}")
    } else {
        format!("CONV-{year}-{number:06}-A{seq}")
    }
}

/// What a convention (or one of its amendments) states, frozen when it is drafted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConventionContent {
    pub territory_name: String,
    pub territory_siret: Option<String>,
    pub service: ServiceInCharge,
    pub beneficiary: Applicant,
    pub dossier_title: String,
    pub dossier_description: Option<String>,
    pub scheme_name: String,
    pub model: ConventionModel,
    /// The expenses (investment) or the rent the grant is computed on.
    pub eligible_expenses_cents: Option<i64>,
    pub monthly_rent_cents: Option<i64>,
    pub rent_months: Option<i32>,
    pub premises_address: Option<String>,
    pub granted_cents: i64,
    /// The amount before this amendment (none for the convention itself).
    pub previous_granted_cents: Option<i64>,
    /// Why the amendment (none for the convention itself).
    pub reason: Option<String>,
    pub decision_reference: String,
    pub decided_on: NaiveDate,
    pub budget_year: i32,
    pub schedule: Vec<ScheduleLine>,
    pub advance_max_percent: u32,
    pub duration_months: u32,
    pub start_within_months: u32,
    pub financial_report_due_on: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_law_requires_a_convention_strictly_above_23_000_euros() {
        let rule = ConventionRule::default();
        assert!(!rule.requires(2_300_000));
        assert!(rule.requires(2_300_001));
        assert!(ConventionRule::always().requires(1));
    }

    #[test]
    fn the_schedule_pays_the_advance_then_instalments_up_to_80_percent_then_the_balance() {
        let rule = ConventionRule { instalments: 2, ..ConventionRule::default() };
        let caps: Vec<(PaymentStep, i64)> =
            schedule(60_000_00, &rule).iter().map(|l| (l.step, l.cumulated_max_cents)).collect();
        assert_eq!(
            caps,
            [
                (PaymentStep::Advance, 18_000_00),
                (PaymentStep::Instalment, 33_000_00),
                (PaymentStep::Instalment, 48_000_00),
                (PaymentStep::Balance, 60_000_00),
            ]
        );
        let none = ConventionRule { advance_max_percent: 0, instalments: 0, ..ConventionRule::default() };
        assert_eq!(
            schedule(1_000, &none),
            [ScheduleLine { step: PaymentStep::Balance, rank: 1, cumulated_max_cents: 1_000 }]
        );
        // An advance above 80 % leaves the instalments nothing more before the balance.
        let high = ConventionRule { advance_max_percent: 90, ..ConventionRule::default() };
        let caps: Vec<i64> = schedule(100, &high).iter().map(|l| l.cumulated_max_cents).collect();
        assert_eq!(caps, [90, 90, 100]);
    }

    #[test]
    fn the_financial_report_is_due_six_months_after_the_year_and_labels_count_amendments() {
        assert_eq!(financial_report_due_on(2026), NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(convention_label(2026, 12, 0), "CONV-2026-000012");
        assert_eq!(convention_label(2026, 12, 2), "CONV-2026-000012-A2");
    }

    #[test]
    fn a_version_without_the_rule_reads_as_the_law() {
        let rule: ConventionRule = serde_json::from_str("{}").unwrap();
        assert_eq!(rule, ConventionRule::default());
        let rule: ConventionRule = serde_json::from_str(r#"{"required":"always"}"#).unwrap();
        assert_eq!(rule, ConventionRule::always());
    }
}

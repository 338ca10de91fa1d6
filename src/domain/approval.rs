//! When a dossier may be approved or amended.
//!
//! The decision re-evaluates eligibility on its own date with the granted amount as the
//! proposed grant, and records that snapshot. A failing de minimis or territory criterion
//! blocks it outright (regulation 2023/2831 art. 3: aid above the ceiling cannot rely on it;
//! premises outside the territory are outside the scheme). Any other criterion not passing needs
//! a written justification (kept in the history). The grant is never above the maximum grant,
//! justification or not.
//!
//! Only **required** criteria count: an advisory criterion is reported and never blocks nor
//! needs a justification (it is not in the overall outcome), and an off one is not evaluated.

use super::eligibility::{Criterion, EligibilityReport, Outcome};
use super::rules::CriterionMode;

/// Criteria whose failure no justification can override, when the rules require them.
pub const BLOCKING_CRITERIA: [Criterion; 2] = [Criterion::DeMinimis, Criterion::Territory];

/// Shortest justification accepted for overriding a non-passing eligibility result.
pub const MIN_JUSTIFICATION_CHARS: usize = 30;

/// The recorded snapshot an approval relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub overall: Outcome,
    pub max_grant_cents: i64,
    /// The first blocking criterion that the rules require and that fails, if any.
    pub blocked_by: Option<Criterion>,
}

impl SnapshotSummary {
    pub fn of(report: &EligibilityReport) -> Self {
        let blocked_by = report
            .criteria
            .iter()
            .find(|c| {
                c.mode == CriterionMode::Required
                    && c.outcome == Outcome::Fail
                    && BLOCKING_CRITERIA.contains(&c.criterion)
            })
            .map(|c| c.criterion);
        SnapshotSummary { overall: report.overall, max_grant_cents: report.max_grant_cents, blocked_by }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalRefusal {
    /// No eligibility snapshot was recorded.
    NoSnapshot,
    /// A criterion that no justification can override fails.
    Blocked { criterion: Criterion },
    /// The snapshot does not pass and no (sufficient) justification overrides it.
    NotEligible { overall: Outcome },
    /// The override justification is too short to explain anything.
    JustificationTooShort { min_chars: usize },
    /// The amount is zero or negative.
    NonPositiveAmount,
    /// The amount exceeds the maximum grant computed by the rules.
    AboveMaximum { max_grant_cents: i64 },
}

/// Checks an approval of `amount_cents` against the latest snapshot.
pub fn check_approval(
    snapshot: Option<SnapshotSummary>,
    amount_cents: i64,
    override_justification: Option<&str>,
) -> Result<(), ApprovalRefusal> {
    let snapshot = snapshot.ok_or(ApprovalRefusal::NoSnapshot)?;
    if let Some(criterion) = snapshot.blocked_by {
        return Err(ApprovalRefusal::Blocked { criterion });
    }
    if amount_cents <= 0 {
        return Err(ApprovalRefusal::NonPositiveAmount);
    }
    if amount_cents > snapshot.max_grant_cents {
        return Err(ApprovalRefusal::AboveMaximum { max_grant_cents: snapshot.max_grant_cents });
    }
    if snapshot.overall != Outcome::Pass {
        match override_justification.map(str::trim) {
            None | Some("") => return Err(ApprovalRefusal::NotEligible { overall: snapshot.overall }),
            Some(text) if text.chars().count() < MIN_JUSTIFICATION_CHARS => {
                return Err(ApprovalRefusal::JustificationTooShort { min_chars: MIN_JUSTIFICATION_CHARS })
            }
            Some(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: SnapshotSummary =
        SnapshotSummary { overall: Outcome::Pass, max_grant_cents: 60_000_00, blocked_by: None };
    const REVIEW: SnapshotSummary =
        SnapshotSummary { overall: Outcome::NeedsReview, max_grant_cents: 60_000_00, blocked_by: None };
    const JUSTIFIED: &str = "Bail signé après le dépôt : l'ancrage territorial est établi.";

    #[test]
    fn a_passing_snapshot_allows_up_to_the_maximum() {
        assert_eq!(check_approval(Some(PASS), 60_000_00, None), Ok(()));
        assert_eq!(check_approval(Some(PASS), 1, None), Ok(()));
        assert_eq!(
            check_approval(Some(PASS), 60_000_01, None),
            Err(ApprovalRefusal::AboveMaximum { max_grant_cents: 60_000_00 })
        );
        assert_eq!(check_approval(Some(PASS), 0, None), Err(ApprovalRefusal::NonPositiveAmount));
    }

    #[test]
    fn no_snapshot_no_approval() {
        assert_eq!(check_approval(None, 1, Some(JUSTIFIED)), Err(ApprovalRefusal::NoSnapshot));
    }

    #[test]
    fn a_non_passing_snapshot_needs_a_written_justification() {
        let fail = SnapshotSummary { overall: Outcome::Fail, ..PASS };
        assert_eq!(
            check_approval(Some(fail), 1, None),
            Err(ApprovalRefusal::NotEligible { overall: Outcome::Fail })
        );
        assert_eq!(
            check_approval(Some(REVIEW), 1, Some("   ")),
            Err(ApprovalRefusal::NotEligible { overall: Outcome::NeedsReview })
        );
        let short = "x".repeat(MIN_JUSTIFICATION_CHARS - 1);
        assert_eq!(
            check_approval(Some(REVIEW), 1, Some(&short)),
            Err(ApprovalRefusal::JustificationTooShort { min_chars: MIN_JUSTIFICATION_CHARS })
        );
        assert_eq!(check_approval(Some(REVIEW), 1, Some(&"x".repeat(MIN_JUSTIFICATION_CHARS))), Ok(()));
        assert_eq!(check_approval(Some(fail), 60_000_00, Some(JUSTIFIED)), Ok(()));
        // An override never lifts the maximum.
        assert_eq!(
            check_approval(Some(fail), 60_000_01, Some(JUSTIFIED)),
            Err(ApprovalRefusal::AboveMaximum { max_grant_cents: 60_000_00 })
        );
    }

    #[test]
    fn de_minimis_and_territory_failures_block_whatever_the_justification() {
        for criterion in BLOCKING_CRITERIA {
            let blocked = SnapshotSummary { overall: Outcome::Fail, blocked_by: Some(criterion), ..PASS };
            assert_eq!(
                check_approval(Some(blocked), 1, Some(JUSTIFIED)),
                Err(ApprovalRefusal::Blocked { criterion })
            );
        }
    }

    #[test]
    fn advisory_and_off_criteria_never_block() {
        use crate::domain::eligibility::{evaluate, Applicant, EvaluationContext, Project, ProjectKind};
        use crate::domain::rules::template;
        let applicant = Applicant {
            legal_form_code: "9220".into(),
            salaried_staff_fte: Some(2.0),
            operating_revenue_cents: Some(100_000_00),
            sales_revenue_cents: Some(80_000_00),
            operating_costs_cents: Some(100_000_00),
            declared_market_activity: Some(true),
            declared_de_minimis: Some(vec![]),
            ..Applicant::default()
        };
        // Premises outside the territory: the territory criterion fails.
        let project = Project {
            kind: ProjectKind::Works,
            eligible_expenses_cents: Some(100_000_00),
            monthly_rent_cents: None,
            months: None,
            premises_commune_code: Some("35238".into()),
            requested_cents: None,
            total_budget_cents: None,
            premises_district_code: None,
            ticked_conditions: vec![],
        };
        let ctx = EvaluationContext {
            on: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            grants_in_essor_same_siren: vec![],
        };
        let mut rules = template("DI-ESS", vec!["76540".into()]).unwrap();
        let required = SnapshotSummary::of(&evaluate(&rules, &applicant, &project, &ctx));
        assert_eq!(required.blocked_by, Some(Criterion::Territory));
        assert_eq!(required.overall, Outcome::Fail);
        rules.territory.mode = CriterionMode::Advisory;
        let advisory = SnapshotSummary::of(&evaluate(&rules, &applicant, &project, &ctx));
        assert_eq!((advisory.blocked_by, advisory.overall), (None, Outcome::Pass));
        assert_eq!(check_approval(Some(advisory), 30_000_00, None), Ok(()));
        rules.territory.mode = CriterionMode::Off;
        let off = SnapshotSummary::of(&evaluate(&rules, &applicant, &project, &ctx));
        assert_eq!((off.blocked_by, off.overall), (None, Outcome::Pass));
        assert_eq!(check_approval(Some(off), 30_000_00, None), Ok(()));
    }
}

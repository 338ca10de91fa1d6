//! Scoring a dossier on the assessment grid of its rules version
//! ([`GridCriterion`](super::rules::GridCriterion)), and the instructor's recommendation.
//!
//! Scores are integers from 0 to the criterion's `scale_max`. The weighted total is on a 0–100
//! scale, `Σ(score / scale_max × weight) / Σ weight × 100`, computed exactly in integers and
//! rounded half up to 2 decimals, so equal inputs always give equal totals, whichever order the
//! criteria come in.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::{Bonuses, GridCriterion};
use super::{FieldCode, FieldError};
use crate::text;

/// The instructor's recommendation that goes with an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    Favourable,
    /// Favourable with reservations (conditions, a lower amount).
    Reserved,
    Unfavourable,
}

/// The score given to one grid criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Code of a criterion of the grid (grid codes: 1 to 40 characters, this pattern).
    #[schema(
        min_length = 1,
        max_length = 40,
        pattern = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
        example = "social_utility"
    )]
    pub criterion: String,
    /// From 0 to the criterion's `scale_max`.
    #[schema(minimum = 0, maximum = 20, example = 4)]
    pub score: u32,
}

/// Checks a set of scores against the grid: every grid criterion scored exactly once, each
/// score within `0..=scale_max`, no unknown criterion. Reports every problem at once, with paths
/// under `scores`:
/// - `scores[i].criterion` `unknown_criterion` (not in the grid) or `duplicate` (scored twice);
/// - `scores[i].score` `out_of_range`;
/// - `scores` `missing_score`, once per unscored criterion (the message names it).
pub fn validate_scores(grid: &[GridCriterion], scores: &[Score]) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let by_code: HashMap<&str, &GridCriterion> = grid.iter().map(|c| (c.code.as_str(), c)).collect();
    let mut scored: HashMap<&str, usize> = HashMap::with_capacity(scores.len());
    for (i, s) in scores.iter().enumerate() {
        let Some(criterion) = by_code.get(s.criterion.as_str()) else {
            errors.push(FieldError::new(
                format!("scores[{i}].criterion"),
                FieldCode::UnknownCriterion,
                text!("eligibility-criterion-assessment-grid", criterion = &s.criterion),
            ));
            continue;
        };
        if let Some(first) = scored.get(s.criterion.as_str()) {
            errors.push(FieldError::new(
                format!("scores[{i}].criterion"),
                FieldCode::Duplicate,
                text!("eligibility-already-scored-scores", criterion = &s.criterion, first = &first),
            ));
            continue;
        }
        scored.insert(s.criterion.as_str(), i);
        if s.score > criterion.scale_max {
            errors.push(FieldError::new(
                format!("scores[{i}].score"),
                FieldCode::OutOfRange,
                text!("assessment-score-out-of-range", max = &criterion.scale_max, got = &s.score),
            ));
        }
    }
    for c in grid {
        if !scored.contains_key(c.code.as_str()) {
            errors.push(FieldError::new(
                "scores",
                FieldCode::MissingScore,
                text!("eligibility-criterion-scored", code = &c.code),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks the conditions an instructor ticks (`conditions_met`): each the code of an
/// `instructor_condition` bonus of the rules version, each once. Reports every problem, as
/// `conditions_met[i]` `unknown_condition` or `duplicate`.
pub fn validate_conditions(bonuses: &Bonuses, ticked: &[String]) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for (i, code) in ticked.iter().enumerate() {
        let field = format!("conditions_met[{i}]");
        if bonuses.instructor_condition(code).is_none() {
            errors.push(FieldError::new(
                field,
                FieldCode::UnknownCondition,
                text!("assessment-unknown-condition", code = code),
            ));
        } else if let Some(first) = ticked[..i].iter().position(|c| c == code) {
            errors.push(FieldError::new(
                field,
                FieldCode::Duplicate,
                text!("eligibility-already-ticked-conditions-met", code = &code, first = &first),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The weighted total on a 0–100 scale, `Σ(score / scale_max × weight) / Σ weight × 100`,
/// rounded half up to 2 decimals.
///
/// Computed exactly: with `L` the least common multiple of the grid's `scale_max` values
/// (at most 232 792 560 for scales 1..=20), `total = 100 × Σ(score × weight × L / scale_max) /
/// (L × Σ weight)` in `u128`.
///
/// Meant for scores that passed [`validate_scores`]; on anything else it still returns a number
/// in 0..=100 and never panics: an unscored criterion counts 0, a score above `scale_max` counts
/// as `scale_max`, unknown criteria are ignored, a repeated criterion counts once (its first
/// score), criteria with a zero weight or scale are skipped, and a grid with no weight gives 0.
pub fn weighted_total(grid: &[GridCriterion], scores: &[Score]) -> f64 {
    let counted = || grid.iter().filter(|c| c.weight > 0 && c.scale_max > 0);
    let mut lcm: u128 = 1;
    for c in counted() {
        let m = u128::from(c.scale_max);
        lcm = lcm / gcd(lcm, m) * m;
        if lcm > u128::from(u64::MAX) {
            // Only reachable with absurd, unvalidated scales: fall back to floating point.
            return weighted_total_f64(grid, scores);
        }
    }
    let mut numerator: u128 = 0;
    let mut weights: u128 = 0;
    for c in counted() {
        let m = u128::from(c.scale_max);
        let score = first_score(scores, &c.code).min(c.scale_max);
        let w = u128::from(c.weight);
        numerator += u128::from(score) * w * (lcm / m);
        weights += w;
    }
    if weights == 0 {
        return 0.0;
    }
    let denominator = lcm * weights;
    // hundredths = round_half_up(10000 × numerator / denominator)
    let hundredths = (2 * 10_000 * numerator + denominator) / (2 * denominator);
    hundredths as f64 / 100.0
}

fn first_score(scores: &[Score], code: &str) -> u32 {
    scores.iter().find(|s| s.criterion == code).map_or(0, |s| s.score)
}

fn weighted_total_f64(grid: &[GridCriterion], scores: &[Score]) -> f64 {
    let (mut sum, mut weights) = (0.0f64, 0.0f64);
    for c in grid.iter().filter(|c| c.weight > 0 && c.scale_max > 0) {
        let score = first_score(scores, &c.code).min(c.scale_max);
        sum += f64::from(score) / f64::from(c.scale_max) * f64::from(c.weight);
        weights += f64::from(c.weight);
    }
    if weights == 0.0 {
        0.0
    } else {
        (sum / weights * 10_000.0).round() / 100.0
    }
}

/// The mean of several weighted totals (one per instructor), rounded half up to 2 decimals;
/// `None` for no totals or when a total is not a finite number. Each total is taken at its
/// 2-decimal value first, so the mean is exact.
pub fn mean(totals: &[f64]) -> Option<f64> {
    if totals.is_empty() || totals.iter().any(|t| !t.is_finite()) {
        return None;
    }
    let sum: i128 = totals.iter().map(|t| (t * 100.0).round() as i128).sum();
    let n = totals.len() as i128;
    // Half-up (away from zero for negatives, which valid totals never are).
    let hundredths = if sum >= 0 { (2 * sum + n) / (2 * n) } else { -((-2 * sum + n) / (2 * n)) };
    Some(hundredths as f64 / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::default_assessment_grid;

    fn score(criterion: &str, score: u32) -> Score {
        Score { criterion: criterion.to_owned(), score }
    }

    fn full(values: [u32; 5]) -> Vec<Score> {
        default_assessment_grid().iter().zip(values).map(|(c, v)| score(&c.code, v)).collect()
    }

    fn criterion(code: &str, weight: u32, scale_max: u32) -> GridCriterion {
        GridCriterion { code: code.into(), label: code.into(), weight, scale_max }
    }

    #[test]
    fn valid_scores() {
        let grid = default_assessment_grid();
        assert_eq!(validate_scores(&grid, &full([0, 1, 2, 3, 5])), Ok(()));
        let mut reversed = full([5, 5, 5, 5, 5]);
        reversed.reverse();
        assert_eq!(validate_scores(&grid, &reversed), Ok(()));
    }

    #[test]
    fn every_score_problem_is_listed() {
        let grid = default_assessment_grid();
        let scores = vec![
            score("jobs_created_or_kept", 6),
            score("social_utility", 5),
            score("social_utility", 1),
            score("charisma", 3),
            score("environmental_impact", 0),
            score("financial_soundness", u32::MAX),
        ];
        let errors = validate_scores(&grid, &scores).unwrap_err();
        let got: Vec<(&str, &str)> =
            errors.iter().map(|e| (e.field.as_str(), crate::domain::Code::as_str(e.code))).collect();
        assert_eq!(
            got,
            [
                ("scores[0].score", "out_of_range"),
                ("scores[2].criterion", "duplicate"),
                ("scores[3].criterion", "unknown_criterion"),
                ("scores[5].score", "out_of_range"),
                ("scores", "missing_score"),
            ]
        );
        for lang in crate::domain::Lang::ALL {
            assert!(errors[4].message.in_(lang).contains("territorial_anchoring"));
            assert!(errors[1].message.in_(lang).contains("scores[1]"));
        }
        // Nothing scored: one missing_score per criterion.
        assert_eq!(validate_scores(&grid, &[]).unwrap_err().len(), 5);
    }

    #[test]
    fn score_bounds_are_inclusive() {
        let grid = vec![criterion("a", 1, 5)];
        assert_eq!(validate_scores(&grid, &[score("a", 0)]), Ok(()));
        assert_eq!(validate_scores(&grid, &[score("a", 5)]), Ok(()));
        assert!(validate_scores(&grid, &[score("a", 6)]).is_err());
    }

    #[test]
    fn weighted_totals() {
        let grid = default_assessment_grid();
        assert_eq!(weighted_total(&grid, &full([5, 5, 5, 5, 5])), 100.0);
        assert_eq!(weighted_total(&grid, &full([0, 0, 0, 0, 0])), 0.0);
        // 0.8×30 + 0.6×25 + 1×15 + 0.4×15 + 0.2×15 = 63 out of 100.
        assert_eq!(weighted_total(&grid, &full([4, 3, 5, 2, 1])), 63.0);
        // Order does not matter.
        let mut shuffled = full([4, 3, 5, 2, 1]);
        shuffled.rotate_left(2);
        assert_eq!(weighted_total(&grid, &shuffled), 63.0);
    }

    #[test]
    fn rounding_is_exact_half_up() {
        let third = vec![criterion("a", 1, 3)];
        assert_eq!(weighted_total(&third, &[score("a", 1)]), 33.33);
        assert_eq!(weighted_total(&third, &[score("a", 2)]), 66.67);
        // 1/16 on half the weight = 3.125 exactly -> 3.13.
        let grid = vec![criterion("a", 1, 16), criterion("b", 1, 1)];
        assert_eq!(weighted_total(&grid, &[score("a", 1), score("b", 0)]), 3.13);
        // Mixed scales: (1/7×3 + 19/20×7) / 10 × 100 = 70.785714... -> 70.79.
        let grid = vec![criterion("a", 3, 7), criterion("b", 7, 20)];
        assert_eq!(weighted_total(&grid, &[score("a", 1), score("b", 19)]), 70.79);
    }

    #[test]
    fn weighted_total_on_invalid_input_is_still_sane() {
        let grid = vec![criterion("a", 1, 4), criterion("b", 0, 4), criterion("c", 1, 0)];
        assert_eq!(weighted_total(&grid, &[score("a", 9), score("zz", 3)]), 100.0);
        assert_eq!(weighted_total(&grid, &[score("a", 2), score("a", 4)]), 50.0);
        assert_eq!(weighted_total(&[], &[]), 0.0);
        let absurd: Vec<_> = (0..20).map(|i| criterion(&format!("c{i}"), u32::MAX, u32::MAX - i)).collect();
        let scores: Vec<_> = (0..20).map(|i| score(&format!("c{i}"), u32::MAX)).collect();
        assert_eq!(weighted_total(&absurd, &scores), 100.0);
    }

    #[test]
    fn means() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[63.0]), Some(63.0));
        assert_eq!(mean(&[63.0, 70.0]), Some(66.5));
        assert_eq!(mean(&[33.33, 66.67, 50.0]), Some(50.0));
        assert_eq!(mean(&[10.0, 10.01]), Some(10.01)); // 10.005 half up
        assert_eq!(mean(&[33.33, 33.33, 33.34]), Some(33.33));
        assert_eq!(mean(&[1.0, f64::NAN]), None);
        assert_eq!(mean(&[f64::INFINITY]), None);
    }

    #[test]
    fn ticked_conditions_are_instructor_condition_bonuses_once_each() {
        use crate::domain::rules::{Bonus, BonusCondition};
        let bonus = |code: &str, when| Bonus { code: code.into(), label: code.into(), extra_bp: 100, when };
        let bonuses = Bonuses {
            max_extra_bp: 1000,
            items: vec![
                bonus("label_ecologique", BonusCondition::InstructorCondition {}),
                bonus("tiers_lieu", BonusCondition::InstructorCondition {}),
                bonus("esus", BonusCondition::EsusApproval {}),
            ],
        };
        let ticks = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(validate_conditions(&bonuses, &[]), Ok(()));
        assert_eq!(validate_conditions(&bonuses, &ticks(&["tiers_lieu", "label_ecologique"])), Ok(()));
        let errors =
            validate_conditions(&bonuses, &ticks(&["label_ecologique", "esus", "label_ecologique", "nope"]))
                .unwrap_err();
        let got: Vec<(&str, &str)> =
            errors.iter().map(|e| (e.field.as_str(), crate::domain::Code::as_str(e.code))).collect();
        assert_eq!(
            got,
            [
                ("conditions_met[1]", "unknown_condition"),
                ("conditions_met[2]", "duplicate"),
                ("conditions_met[3]", "unknown_condition"),
            ]
        );
        assert!(errors[1].message.in_(crate::domain::Lang::En).contains("conditions_met[0]"));
        // Without bonuses, nothing can be ticked.
        assert!(validate_conditions(&Bonuses::default(), &ticks(&["label_ecologique"])).is_err());
    }

    #[test]
    fn recommendation_json() {
        assert_eq!(serde_json::to_string(&Recommendation::Reserved).unwrap(), "\"reserved\"");
        let r: Recommendation = serde_json::from_str("\"unfavourable\"").unwrap();
        assert_eq!(r, Recommendation::Unfavourable);
        assert!(serde_json::from_str::<Score>(r#"{"criterion":"a","score":1,"note":""}"#).is_err());
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    fn grid() -> impl Strategy<Value = Vec<GridCriterion>> {
        proptest::collection::vec((1u32..=100, 1u32..=20), 1..=20).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (weight, scale_max))| GridCriterion {
                    code: format!("c{i}"),
                    label: "x".into(),
                    weight,
                    scale_max,
                })
                .collect()
        })
    }

    fn grid_and_scores() -> impl Strategy<Value = (Vec<GridCriterion>, Vec<Score>)> {
        grid()
            .prop_flat_map(|g| {
                let scores: Vec<_> = g.iter().map(|c| 0..=c.scale_max).collect();
                (Just(g), scores)
            })
            .prop_map(|(g, values)| {
                let scores = g
                    .iter()
                    .zip(values)
                    .map(|(c, score)| Score { criterion: c.code.clone(), score })
                    .collect();
                (g, scores)
            })
    }

    proptest! {
        #[test]
        fn valid_scores_validate_and_total_within_bounds((g, s) in grid_and_scores()) {
            prop_assert_eq!(validate_scores(&g, &s), Ok(()));
            let total = weighted_total(&g, &s);
            prop_assert!((0.0..=100.0).contains(&total));
            // Two decimals at most.
            prop_assert!(((total * 100.0).round() - total * 100.0).abs() < 1e-6);
            // Close to the floating-point formula.
            let w: f64 = g.iter().map(|c| f64::from(c.weight)).sum();
            let f: f64 = g.iter().zip(&s).map(|(c, s)| f64::from(s.score) / f64::from(c.scale_max) * f64::from(c.weight)).sum::<f64>() / w * 100.0;
            prop_assert!((total - f).abs() <= 0.005 + 1e-9, "{total} vs {f}");
        }

        #[test]
        fn a_higher_score_never_lowers_the_total((g, s) in grid_and_scores(), index in any::<prop::sample::Index>()) {
            let i = index.index(g.len());
            let mut better = s.clone();
            better[i].score = (better[i].score + 1).min(g[i].scale_max);
            prop_assert!(weighted_total(&g, &better) >= weighted_total(&g, &s));
        }

        #[test]
        fn mean_lies_between_min_and_max(totals in proptest::collection::vec(0u32..=10_000, 1..10)) {
            let totals: Vec<f64> = totals.into_iter().map(|h| f64::from(h) / 100.0).collect();
            let m = mean(&totals).unwrap();
            let lo = totals.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = totals.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(m >= lo && m <= hi);
        }
    }
}

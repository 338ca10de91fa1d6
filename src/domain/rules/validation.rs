//! Checks of a rules version: every out-of-range value reported at once, with dotted paths
//! prefixed by `parameters.`.

use std::collections::HashSet;

use super::parameters::{BonusCondition, GridCriterion, MaxGrant, RulesParameters};
use super::threshold::Threshold;
use super::{
    MAX_BONUSES, MAX_CAP_CENTS, MAX_CEILING_CENTS, MAX_COMMUNES, MAX_DISTRICTS, MAX_GRID_CRITERIA,
    MAX_MIN_FTE,
};
use crate::domain::checks::{is_criterion_code, is_district_code};
use crate::domain::documents::validate_requirements;
use crate::domain::identifiers::validate_commune_code;
use crate::domain::lang::Text;
use crate::domain::{FieldCode, FieldError};
use crate::text;

/// Collects field errors with a prefix (`parameters.` for a rules version's).
struct Errors(Vec<FieldError>, &'static str);

impl Errors {
    /// An error with its message.
    fn push(&mut self, field: impl AsRef<str>, code: FieldCode, message: Text) {
        self.0.push(FieldError::new(format!("{}{}", self.1, field.as_ref()), code, message));
    }

    fn range_i64(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.push(
                field,
                FieldCode::OutOfRange,
                text!("rules-value-out-of-range", min = &min, max = &max, value = &value),
            );
        }
    }

    fn range_u32(&mut self, field: &str, value: u32, min: u32, max: u32) {
        self.range_i64(field, i64::from(value), i64::from(min), i64::from(max));
    }

    /// A list of 1 to [`MAX_COMMUNES`] valid INSEE commune codes, no duplicates.
    fn communes(&mut self, field: &str, communes: &[String], empty: Text) {
        if communes.is_empty() {
            self.push(field, FieldCode::Required, empty);
        }
        if communes.len() > MAX_COMMUNES {
            self.push(
                field,
                FieldCode::TooMany,
                text!("rules-too-many-communes", max = &MAX_COMMUNES, got = &communes.len()),
            );
        }
        let mut seen: HashSet<&str> = HashSet::with_capacity(communes.len());
        for (i, code) in communes.iter().enumerate() {
            let item = format!("{field}[{i}]");
            if let Err(err) = validate_commune_code(code) {
                self.push(&item, err, text!("rules-invalid-commune-code", code = code));
            } else if !seen.insert(code.as_str()) {
                self.push(&item, FieldCode::Duplicate, text!("rules-commune-listed-twice", code = code));
            }
        }
    }

    /// A snake_case code ([`is_criterion_code`]); `taken` when an earlier item has it.
    /// `kind` names the item: `criterion` or `bonus` (a variant of the message).
    fn code(&mut self, field: &str, code: &str, taken: bool, kind: &'static str) {
        if !is_criterion_code(code) {
            self.push(field, FieldCode::InvalidFormat, text!("rules-code-not-snake-case"));
        } else if taken {
            self.push(field, FieldCode::Duplicate, text!("rules-code-used-twice", kind = kind, code = code));
        }
    }

    /// A label: 1 to 200 characters, not blank.
    fn label(&mut self, field: &str, label: &str) {
        let chars = label.chars().count();
        if label.trim().is_empty() {
            self.push(field, FieldCode::Required, text!("rules-label-blank"));
        } else if chars > 200 {
            self.push(field, FieldCode::TooLong, text!("rules-label-too-long", got = &chars));
        }
    }
}

impl RulesParameters {
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
        let mut e = Errors(Vec::new(), "parameters.");

        if let Threshold::AtLeast(fte) = self.employment.min_salaried_staff_fte {
            if !fte.is_finite() || !(0.0..=MAX_MIN_FTE).contains(&fte) {
                e.push(
                    "employment.min_salaried_staff_fte",
                    FieldCode::OutOfRange,
                    text!("rules-min-fte-out-of-range", max = &MAX_MIN_FTE, got = &fte),
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
            e.push("ess_status.accepted_families", FieldCode::Required, text!("rules-no-accepted-family"));
        }
        for (i, family) in families.iter().enumerate() {
            if families[..i].contains(family) {
                let family = family.as_str();
                e.push(
                    format!("ess_status.accepted_families[{i}]"),
                    FieldCode::Duplicate,
                    text!("rules-family-listed-twice", family = family),
                );
            }
        }
        e.range_u32("ess_status.esus_validity_years", self.ess_status.esus_validity_years, 1, 10);

        e.communes(
            "territory.commune_codes",
            &self.territory.commune_codes,
            text!("rules-territory-without-commune"),
        );

        let convention = &self.convention;
        e.range_i64("convention.threshold_cents", convention.threshold_cents, 1, MAX_CAP_CENTS);
        e.range_u32("convention.advance_max_percent", convention.advance_max_percent, 0, 100);
        e.range_u32("convention.instalments", convention.instalments, 0, 4);
        e.range_u32("convention.duration_months", convention.duration_months, 1, 120);
        e.range_u32("convention.start_within_months", convention.start_within_months, 1, 60);

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

        grid_errors(&mut e, &self.assessment_grid);

        e.0.extend(validate_requirements(&self.documents));

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
            e.push("bonuses.max_extra_bp", FieldCode::OutOfRange, text!("rules-bonus-cap-zero"));
        }
        if items.len() > MAX_BONUSES {
            e.push(
                "bonuses.items",
                FieldCode::TooMany,
                text!("rules-too-many-bonuses", max = &MAX_BONUSES, got = &items.len()),
            );
        }
        if !items.is_empty() && matches!(self.max_grant, MaxGrant::Flat { .. }) {
            e.push("bonuses.items", FieldCode::NotApplicable, text!("rules-bonus-with-flat-grant"));
        }
        for (i, bonus) in items.iter().enumerate() {
            let at = |field: &str| format!("bonuses.items[{i}].{field}");
            let taken = items[..i].iter().any(|other| other.code == bonus.code);
            e.code(&at("code"), &bonus.code, taken, "bonus");
            e.label(&at("label"), &bonus.label);
            e.range_u32(&at("extra_bp"), bonus.extra_bp, 1, 10_000);
            match &bonus.when {
                BonusCondition::EsusApproval {} | BonusCondition::InstructorCondition {} => {}
                BonusCondition::PremisesInCommunes { commune_codes } => e.communes(
                    &at("when.commune_codes"),
                    commune_codes,
                    text!("rules-condition-without-commune"),
                ),
                BonusCondition::PremisesInDistricts { district_codes } => {
                    let field = at("when.district_codes");
                    if district_codes.is_empty() {
                        e.push(&field, FieldCode::Required, text!("rules-condition-without-district"));
                    }
                    if district_codes.len() > MAX_DISTRICTS {
                        e.push(
                            &field,
                            FieldCode::TooMany,
                            text!(
                                "rules-too-many-districts",
                                max = &MAX_DISTRICTS,
                                got = &district_codes.len()
                            ),
                        );
                    }
                    for (j, code) in district_codes.iter().enumerate() {
                        if !is_district_code(code) {
                            e.push(
                                format!("{field}[{j}]"),
                                FieldCode::InvalidFormat,
                                text!("rules-invalid-district-code", code = code),
                            );
                        } else if district_codes[..j].contains(code) {
                            e.push(
                                format!("{field}[{j}]"),
                                FieldCode::Duplicate,
                                text!("rules-district-listed-twice", code = code),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Checks an assessment grid on its own (a call for projects' grid), every problem at once, at
/// `assessment_grid…` paths: what a rules version's grid must be.
pub fn validate_grid(grid: &[GridCriterion]) -> Result<(), Vec<FieldError>> {
    let mut e = Errors(Vec::new(), "");
    grid_errors(&mut e, grid);
    if e.0.is_empty() {
        Ok(())
    } else {
        Err(e.0)
    }
}

/// A grid: 1 to [`MAX_GRID_CRITERIA`] criteria, unique snake_case codes, labels, weights from 1
/// to 100, scales from 1 to 20.
fn grid_errors(e: &mut Errors, grid: &[GridCriterion]) {
    if grid.is_empty() {
        e.push("assessment_grid", FieldCode::Required, text!("rules-grid-without-criterion"));
    }
    if grid.len() > MAX_GRID_CRITERIA {
        e.push(
            "assessment_grid",
            FieldCode::TooMany,
            text!("rules-too-many-grid-criteria", max = &MAX_GRID_CRITERIA, got = &grid.len()),
        );
    }
    for (i, c) in grid.iter().enumerate() {
        let taken = grid[..i].iter().any(|other| other.code == c.code);
        e.code(&format!("assessment_grid[{i}].code"), &c.code, taken, "criterion");
        e.label(&format!("assessment_grid[{i}].label"), &c.label);
        e.range_u32(&format!("assessment_grid[{i}].weight"), c.weight, 1, 100);
        e.range_u32(&format!("assessment_grid[{i}].scale_max"), c.scale_max, 1, 20);
    }
}

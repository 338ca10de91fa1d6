//! Checks of a rules version: every out-of-range value reported at once, with dotted paths
//! prefixed by `parameters.`.

use std::borrow::Cow;
use std::collections::HashSet;

use super::parameters::{BonusCondition, MaxGrant, RulesParameters};
use super::threshold::Threshold;
use super::{
    MAX_BONUSES, MAX_CAP_CENTS, MAX_CEILING_CENTS, MAX_COMMUNES, MAX_DISTRICTS, MAX_GRID_CRITERIA,
    MAX_MIN_FTE,
};
use crate::domain::checks::{is_criterion_code, is_district_code};
use crate::domain::documents::validate_requirements;
use crate::domain::identifiers::validate_commune_code;
use crate::domain::{FieldCode, FieldError};

/// Collects field errors with the `parameters.` prefix.
struct Errors(Vec<FieldError>);

impl Errors {
    /// An error with its message in French and in English.
    fn push(
        &mut self,
        field: impl AsRef<str>,
        code: FieldCode,
        fr: impl Into<Cow<'static, str>>,
        en: impl Into<Cow<'static, str>>,
    ) {
        self.0.push(FieldError::bilingual(format!("parameters.{}", field.as_ref()), code, fr, en));
    }

    fn range_i64(&mut self, field: &str, value: i64, min: i64, max: i64) {
        if !(min..=max).contains(&value) {
            self.push(
                field,
                FieldCode::OutOfRange,
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
            self.push(field, FieldCode::Required, empty.0, empty.1);
        }
        if communes.len() > MAX_COMMUNES {
            self.push(
                field,
                FieldCode::TooMany,
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
                    FieldCode::Duplicate,
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
                FieldCode::InvalidFormat,
                "Le code doit être en snake_case ASCII (a-z, 0-9, tirets bas isolés, commençant par une lettre), de 1 à 40 caractères.",
                "must be snake_case ASCII (a-z, 0-9, single underscores, starting with a letter), 1 to 40 characters",
            );
        } else if taken {
            self.push(
                field,
                FieldCode::Duplicate,
                format!("Le code {} « {code} » est utilisé plus d'une fois.", what.0),
                format!("{} code '{code}' is used more than once", what.1),
            );
        }
    }

    /// A label: 1 to 200 characters, not blank.
    fn label(&mut self, field: &str, label: &str) {
        let chars = label.chars().count();
        if label.trim().is_empty() {
            self.push(
                field,
                FieldCode::Required,
                "Le libellé ne doit pas être vide.",
                "the label must not be blank",
            );
        } else if chars > 200 {
            self.push(
                field,
                FieldCode::TooLong,
                format!("Le libellé comporte au plus 200 caractères ; reçu : {chars}."),
                format!("at most 200 characters, got {chars}"),
            );
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
        let mut e = Errors(Vec::new());

        if let Threshold::AtLeast(fte) = self.employment.min_salaried_staff_fte {
            if !fte.is_finite() || !(0.0..=MAX_MIN_FTE).contains(&fte) {
                e.push(
                    "employment.min_salaried_staff_fte",
                    FieldCode::OutOfRange,
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
                FieldCode::Required,
                "Le dispositif doit accepter au moins une famille juridique.",
                "at least one legal family must be accepted",
            );
        }
        for (i, family) in families.iter().enumerate() {
            if families[..i].contains(family) {
                let family = family.as_str();
                e.push(
                    format!("ess_status.accepted_families[{i}]"),
                    FieldCode::Duplicate,
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
                FieldCode::Required,
                "La grille d'évaluation doit comporter au moins un critère.",
                "the assessment grid needs at least one criterion",
            );
        }
        if grid.len() > MAX_GRID_CRITERIA {
            e.push(
                "assessment_grid",
                FieldCode::TooMany,
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
            e.push(
                "bonuses.max_extra_bp",
                FieldCode::OutOfRange,
                "La valeur doit être au moins 1 lorsque des bonifications sont prévues : avec 0, aucune ne s'appliquerait jamais.",
                "must be at least 1 when bonuses are listed: with 0 no bonus would ever apply",
            );
        }
        if items.len() > MAX_BONUSES {
            e.push(
                "bonuses.items",
                FieldCode::TooMany,
                format!("Le dispositif compte au plus {MAX_BONUSES} bonifications ; reçu : {}.", items.len()),
                format!("at most {MAX_BONUSES} bonuses, got {}", items.len()),
            );
        }
        if !items.is_empty() && matches!(self.max_grant, MaxGrant::Flat { .. }) {
            e.push(
                "bonuses.items",
                FieldCode::NotApplicable,
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
                            FieldCode::Required,
                            "La condition doit compter au moins un quartier.",
                            "the condition needs at least one district",
                        );
                    }
                    if district_codes.len() > MAX_DISTRICTS {
                        e.push(
                            &field,
                            FieldCode::TooMany,
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
                                FieldCode::InvalidFormat,
                                format!(
                                    "« {code} » n'est pas un code de quartier : de 1 à 20 lettres majuscules ou chiffres."
                                ),
                                format!("'{code}' is not a district code: 1 to 20 capital letters or digits"),
                            );
                        } else if district_codes[..j].contains(code) {
                            e.push(
                                format!("{field}[{j}]"),
                                FieldCode::Duplicate,
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

//! The default rules a scheme starts from (DI-ESS, DL-ESS) and the default assessment grid.

// Money literals are grouped as euros_cents (`300_000_00` = 300 000,00 €).
#![allow(clippy::inconsistent_digit_grouping)]

use super::parameters::*;
use super::threshold::Threshold;
use super::{DEFAULT_ESUS_VALIDITY_YEARS, EU_DE_MINIMIS_CEILING_CENTS, EU_DE_MINIMIS_WINDOW_YEARS};
use crate::domain::convention::ConventionRule;
use crate::domain::documents::template_documents;
use crate::domain::identifiers::LegalFamily;

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
/// | documents | statuts, comptes, devis (purchase, construction, works), agrement_esus (with an ESUS approval), rib, attestation_de_minimis; bail optional | the same with bail (rent) required and devis optional |
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
        documents: template_documents(code == "DI-ESS"),
        // Business-premises aid (CGCT L1511-3) is granted by convention, whatever its amount.
        convention: ConventionRule::always(),
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

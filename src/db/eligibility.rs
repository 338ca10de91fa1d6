//! What the eligibility engine needs for a dossier, read from storage: its rules version, its
//! organisation's declarations, and the grants Essor already made to the same undertaking.

use chrono::NaiveDate;

use crate::db::dossiers::{self, DossierRow};
use crate::db::schemes::{self, RulesVersionRow};
use crate::db::{organisations, DbConnection};
use crate::domain::eligibility::{self, Aid, Applicant, EligibilityReport, EvaluationContext, Project};
use crate::domain::identifiers::siren_of;
use crate::domain::lang::{date_in, Lang};
use crate::domain::organisation::AccountsKind;
use crate::domain::Text;
use crate::error::{ApiError, ApiResult};

/// Everything `domain::eligibility::evaluate` takes, for one dossier on one day.
pub struct EligibilityInputs {
    pub rules_version: RulesVersionRow,
    pub applicant: Applicant,
    pub project: Project,
    pub context: EvaluationContext,
}

impl EligibilityInputs {
    /// The six criteria and the maximum grant, by the rules version's parameters.
    pub fn evaluate(&self) -> EligibilityReport {
        eligibility::evaluate(&self.rules_version.parameters.0, &self.applicant, &self.project, &self.context)
    }
}

/// The inputs for evaluating `dossier` as of `on`; 409 when its scheme has no rules in force.
pub fn inputs_for(
    conn: &mut DbConnection,
    dossier: &DossierRow,
    on: NaiveDate,
) -> ApiResult<EligibilityInputs> {
    let rules_version = schemes::rules_version_for(conn, dossier, on)?.ok_or_else(|| {
        ApiError::Conflict(Text::new(
            format!(
                "Le dispositif n'a pas de règles en vigueur le {} : rien sur quoi évaluer.",
                date_in(on, Lang::Fr)
            ),
            format!("The scheme has no rules in force on {on}: nothing to evaluate against."),
        ))
    })?;
    let org = organisations::find(conn, &dossier.territory, &dossier.organisation_id)?
        .ok_or_else(|| ApiError::internal("dossier without its organisation", dossier.id.clone()))?
        .organisation();
    let applicant = Applicant {
        legal_form_code: org.legal_form.clone(),
        esus: org.esus,
        ess_statutes: org.ess_statutes,
        accounts_forecast: org.accounts.is_some_and(|a| a.kind == AccountsKind::Forecast),
        salaried_staff_fte: Some(org.salaried_staff_fte),
        operating_revenue_cents: org.accounts.map(|a| a.operating_revenue_cents),
        sales_revenue_cents: org.accounts.map(|a| a.sales_revenue_cents),
        operating_costs_cents: org.accounts.map(|a| a.operating_costs_cents),
        declared_market_activity: org.market_activity.as_ref().map(|a| !a.trim().is_empty()),
        declared_de_minimis: org.de_minimis_aids.as_ref().map(|aids| {
            aids.iter().map(|a| Aid { granted_on: a.granted_on, amount_cents: a.amount_cents }).collect()
        }),
    };
    let content = &dossier.content;
    let project = Project {
        kind: content.project_kind,
        eligible_expenses_cents: content.eligible_expenses_cents,
        monthly_rent_cents: content.monthly_rent_cents,
        months: content.rent_months.and_then(|m| u32::try_from(m).ok()),
        premises_commune_code: content.premises_commune_code.clone(),
        requested_cents: content.requested_cents,
    };
    let context = EvaluationContext {
        on,
        grants_in_essor_same_siren: dossiers::grants_to_siren(
            conn,
            &dossier.territory,
            siren_of(&org.siret),
            &dossier.id,
        )?,
    };
    Ok(EligibilityInputs { rules_version, applicant, project, context })
}

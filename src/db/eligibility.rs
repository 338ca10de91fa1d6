//! What the eligibility engine needs for a dossier, read from storage: its rules version, its
//! organisation's declarations (as kept at its last submission once it is out of its
//! applicant's hands), the grants Essor already made to the same undertaking, and the conditions
//! an instructor ticked on the latest assessment.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::dossiers::{self, DossierRow};
use crate::db::error::{DbError, DbResult};
use crate::db::schemes::{self, RulesVersionRow};
use crate::db::{assessments, organisations, submissions, DbConnection};
use crate::domain::eligibility::{self, Aid, Applicant, EligibilityReport, EvaluationContext, Project};
use crate::domain::identifiers::siren_of;
use crate::domain::organisation::{AccountsKind, Organisation};
use crate::domain::rules::{BonusCondition, RulesParameters};

/// Everything `domain::eligibility::evaluate` takes, for one dossier on one day.
pub struct EligibilityInputs {
    pub rules_version: RulesVersionRow,
    pub applicant: Applicant,
    pub project: Project,
    pub context: EvaluationContext,
    /// When the organisation's facts used were kept: the dossier's last submission; `None` when
    /// they are the organisation as it is today.
    pub organisation_submitted_at: Option<NaiveDateTime>,
}

impl EligibilityInputs {
    /// The six criteria and the maximum grant, by the rules version's parameters.
    pub fn evaluate(&self) -> EligibilityReport {
        eligibility::evaluate(&self.rules_version.parameters.0, &self.applicant, &self.project, &self.context)
    }
}

/// Whether the rules have a bonus an instructor ticks: only then are the ticks read (one
/// statement less per evaluation, approvals included, for every other version).
fn asks_instructor(rules: &RulesParameters) -> bool {
    rules.bonuses.items.iter().any(|b| matches!(b.when, BonusCondition::InstructorCondition {}))
}

/// The inputs for evaluating `dossier` as of `on`; refused when its scheme has no rules in force
/// (`domain::eligibility::rules_in_force`).
pub fn inputs_for(
    conn: &mut DbConnection,
    dossier: &DossierRow,
    on: NaiveDate,
) -> DbResult<EligibilityInputs> {
    let rules_version = eligibility::rules_in_force(schemes::rules_version_for(conn, dossier, on)?, on)?;
    let (org, organisation_submitted_at) = organisation_judged(conn, dossier)?;
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
        head_office_commune_code: Some(org.address.commune_code.clone()),
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
        total_budget_cents: content.total_budget_cents,
        premises_district_code: content.premises_district_code.clone(),
        ticked_conditions: if asks_instructor(&rules_version.parameters.0) {
            assessments::latest_conditions_met(conn, &dossier.id)?
        } else {
            Vec::new()
        },
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
    Ok(EligibilityInputs { rules_version, applicant, project, context, organisation_submitted_at })
}

/// The organisation `dossier` is judged by, and when it was kept: the copy of its last
/// submission once it is out of its applicant's hands; the organisation as it is today while
/// its applicant edits it, or when it was never submitted (or submitted before copies were kept).
fn organisation_judged(
    conn: &mut DbConnection,
    dossier: &DossierRow,
) -> DbResult<(Organisation, Option<NaiveDateTime>)> {
    if dossier.status.is_judged_as_submitted() {
        if let Some(kept) = submissions::latest(conn, &dossier.id)? {
            return Ok((kept.organisation.0, Some(kept.submitted_at)));
        }
    }
    let today = organisations::find(conn, &dossier.territory, &dossier.organisation_id)?
        .ok_or_else(|| DbError::internal("dossier without its organisation", dossier.id.clone()))?;
    Ok((today.organisation(), None))
}

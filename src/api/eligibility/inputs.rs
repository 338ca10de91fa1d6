//! Gathers what the eligibility engine needs for a dossier: its rules version, its organisation's
//! declarations, and the grants Essor already made to the same undertaking.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::api::dossiers::dto::content_of;
use crate::api::organisations::dto::organisation_of;
use crate::db::models::{DossierRow, OrganisationRow, RulesVersionRow};
use crate::db::schema::{dossier_history, dossiers, organisations, rules_versions};
use crate::db::DbConnection;
use crate::domain::eligibility::{self, Aid, Applicant, EligibilityReport, EvaluationContext, Project};
use crate::domain::identifiers::siren_of;
use crate::domain::lifecycle::DossierStatus;
use crate::domain::rules::RulesParameters;
use crate::error::{ApiError, ApiResult};

pub struct Evaluation {
    pub rules_version: RulesVersionRow,
    pub on: NaiveDate,
    pub report: EligibilityReport,
}

/// The rules a dossier is judged by: the version fixed at its first submission, or for a draft
/// the version in force on `on` (a preview).
pub fn rules_version_for(
    conn: &mut DbConnection,
    dossier: &DossierRow,
    on: NaiveDate,
) -> ApiResult<RulesVersionRow> {
    match &dossier.rules_version_id {
        Some(id) => Ok(rules_versions::table.find(id).select(RulesVersionRow::as_select()).first(conn)?),
        None => RulesVersionRow::in_force(conn, &dossier.scheme_id, on)?.ok_or_else(|| {
            ApiError::Conflict(format!(
                "The scheme has no rules in force on {on}: nothing to evaluate against."
            ))
        }),
    }
}

pub fn parameters_of(version: &RulesVersionRow) -> ApiResult<RulesParameters> {
    serde_json::from_str(&version.parameters).map_err(|e| ApiError::internal("stored rules", e))
}

/// Grants this territory made to establishments of the same SIREN (approved or closed dossiers
/// other than `exclude`), dated by their approval.
fn essor_grants_same_siren(
    conn: &mut DbConnection,
    territory: &str,
    siren: &str,
    exclude: &str,
) -> ApiResult<Vec<Aid>> {
    let granted: Vec<(String, Option<i64>)> = dossiers::table
        .inner_join(organisations::table)
        .filter(dossiers::territory.eq(territory))
        .filter(organisations::siret.like(format!("{siren}%")))
        .filter(dossiers::status.eq_any([DossierStatus::Approved.as_str(), DossierStatus::Closed.as_str()]))
        .filter(dossiers::id.ne(exclude))
        .select((dossiers::id, dossiers::granted_cents))
        .load(conn)?;
    if granted.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&String> = granted.iter().map(|(id, _)| id).collect();
    let approved_at: HashMap<String, NaiveDate> = dossier_history::table
        .filter(dossier_history::dossier_id.eq_any(ids))
        .filter(dossier_history::to_status.eq(DossierStatus::Approved.as_str()))
        .select((dossier_history::dossier_id, dossier_history::at))
        .load::<(String, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, at)| (id, at.date()))
        .collect();
    Ok(granted
        .into_iter()
        .filter_map(|(id, cents)| {
            Some(Aid { granted_on: *approved_at.get(&id)?, amount_cents: cents.unwrap_or(0) })
        })
        .collect())
}

/// Evaluates the dossier as of `on`.
pub fn evaluate_dossier(
    conn: &mut DbConnection,
    dossier: &DossierRow,
    on: NaiveDate,
) -> ApiResult<Evaluation> {
    let rules_version = rules_version_for(conn, dossier, on)?;
    let rules = parameters_of(&rules_version)?;
    let org_row = OrganisationRow::find_in_territory(conn, &dossier.territory, &dossier.organisation_id)?
        .ok_or_else(|| ApiError::internal("dossier", "organisation missing"))?;
    let org = organisation_of(&org_row)?;
    let applicant = Applicant {
        legal_form_code: org.legal_form.clone(),
        esus_approved_on: org.esus_approved_on,
        salaried_staff_fte: Some(org.salaried_staff_fte),
        operating_revenue_cents: org.accounts.map(|a| a.operating_revenue_cents),
        sales_revenue_cents: org.accounts.map(|a| a.sales_revenue_cents),
        operating_costs_cents: org.accounts.map(|a| a.operating_costs_cents),
        declared_market_activity: org.market_activity.as_ref().map(|a| !a.trim().is_empty()),
        declared_de_minimis: org.de_minimis_aids.as_ref().map(|aids| {
            aids.iter().map(|a| Aid { granted_on: a.granted_on, amount_cents: a.amount_cents }).collect()
        }),
    };
    let content = content_of(dossier);
    let project = Project {
        kind: content.project_kind.ok_or_else(|| ApiError::internal("dossier", "no project kind"))?,
        eligible_expenses_cents: content.eligible_expenses_cents,
        monthly_rent_cents: content.monthly_rent_cents,
        months: content.rent_months.and_then(|m| u32::try_from(m).ok()),
        premises_commune_code: content.premises_commune_code,
        requested_cents: content.requested_cents,
    };
    let context = EvaluationContext {
        on,
        grants_in_essor_same_siren: essor_grants_same_siren(
            conn,
            &dossier.territory,
            siren_of(&org.siret),
            &dossier.id,
        )?,
    };
    let report = eligibility::evaluate(&rules, &applicant, &project, &context);
    Ok(Evaluation { rules_version, on, report })
}

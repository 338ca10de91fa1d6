//! The grant's convention (law 2000-321 art. 10; CGCT L1511-3): drafted in the transaction of
//! the approval when the dossier's rules version requires one (always, or above its threshold),
//! and an amendment (avenant) of it drafted with each amendment of the grant; numbered per
//! territory and year, its PDF made from the territory's template and kept, never redrafted.

use super::letter::{self, Letter, Parties, Readings};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::db::conventions::{self, ConventionDocumentRow, ConventionRow};
use crate::db::dossiers::DossierRow;
use crate::db::types::Json;
use crate::db::{counters, new_id, schemes, DbConnection};
use crate::domain::access::Caller;
use crate::domain::convention::{
    convention_label, financial_report_due_on, schedule, ConventionContent, ConventionModel,
};
use crate::domain::ids::{ConventionDocumentId, ConventionId, GeneratedDocumentId};
use crate::domain::lang::{cents_text, date_in};
use crate::domain::money::budget_year;
use crate::domain::procedure::{self, Series};
use crate::domain::rules::MaxGrant;
use crate::domain::{Code, Lang};
use crate::error::{ApiError, ApiResult};
use crate::letters::{LetterKind, Templates};
use crate::text;

/// The act that grants or amends: what the convention's document refers to.
#[derive(Debug, Clone, Copy)]
pub struct GrantAct<'a> {
    pub reference: &'a str,
    pub decided_on: NaiveDate,
    pub granted_cents: i64,
    /// For an amendment: the amount before it, and why.
    pub previous_granted_cents: Option<i64>,
    pub reason: Option<&'a str>,
}

/// Drafts the dossier's convention on its grant, or the next amendment of the convention it
/// has; nothing when it has none and its rules version does not require one for this amount,
/// or when its approval named a convention signed outside Essor (`convention_signed_on`).
pub fn draft(
    conn: &mut DbConnection,
    templates: &Templates,
    caller: &Caller,
    readings: &mut Readings,
    dossier: &DossierRow,
    act: GrantAct<'_>,
    at: NaiveDateTime,
) -> ApiResult<Option<ConventionDocumentRow>> {
    let missing = |what: &'static str| ApiError::internal(what, dossier.id.clone());
    let rules = schemes::rules_version_for(conn, dossier, act.decided_on)?
        .ok_or_else(|| missing("granted dossier without rules"))?
        .parameters
        .0;
    let (convention, seq) = match conventions::of_dossier(conn, &dossier.id)? {
        Some(convention) => {
            let seq = i32::try_from(conventions::documents(conn, &convention.id)?.len()).unwrap_or(i32::MAX);
            (convention, seq)
        }
        // A grant whose approval named a convention already signed (concluded outside Essor,
        // the decision recorded after it) gets none drafted.
        None if dossier.convention_signed_on.is_none() && rules.convention.requires(act.granted_cents) => {
            let year = procedure::receipt_year(procedure::paris_date(at));
            let convention = ConventionRow {
                id: ConventionId::from(new_id()),
                dossier_id: dossier.id.clone(),
                territory: dossier.territory.clone(),
                year,
                number: counters::next_number(conn, &dossier.territory, Series::Convention, year)?,
                created_at: at,
            };
            conventions::insert(conn, &convention)?;
            (convention, 0)
        }
        None => return Ok(None),
    };
    let Parties { territory, scheme, organisation } = readings.parties(conn, dossier)?;
    let rule = &rules.convention;
    let year = budget_year(act.decided_on);
    let content = ConventionContent {
        territory_name: territory.name.clone(),
        territory_siret: territory.siret.as_ref().map(|s| s.as_str().to_string()),
        service: territory.service.clone().into(),
        beneficiary: organisation.as_applicant(),
        dossier_title: dossier.content.title.clone(),
        dossier_description: dossier.content.description.clone(),
        scheme_name: scheme.name.clone(),
        model: match rules.max_grant {
            MaxGrant::Investment { .. } => ConventionModel::Investment,
            MaxGrant::Rent { .. } => ConventionModel::Rent,
            MaxGrant::Budget { .. } | MaxGrant::Flat { .. } => ConventionModel::General,
        },
        eligible_expenses_cents: dossier.content.eligible_expenses_cents,
        monthly_rent_cents: dossier.content.monthly_rent_cents,
        rent_months: dossier.content.rent_months,
        premises_address: dossier.content.premises_address.clone(),
        granted_cents: act.granted_cents,
        previous_granted_cents: act.previous_granted_cents.filter(|_| seq > 0),
        reason: act.reason.map(str::trim).filter(|r| !r.is_empty() && seq > 0).map(str::to_string),
        decision_reference: act.reference.trim().to_string(),
        decided_on: act.decided_on,
        budget_year: year,
        schedule: schedule(act.granted_cents, rule),
        advance_max_percent: rule.advance_max_percent,
        duration_months: rule.duration_months,
        start_within_months: rule.start_within_months,
        financial_report_due_on: financial_report_due_on(year),
    };
    let row = ConventionDocumentRow {
        id: ConventionDocumentId::from(new_id()),
        convention_id: convention.id.clone(),
        dossier_id: dossier.id.clone(),
        seq,
        granted_cents: act.granted_cents,
        content: Json(content),
        document_id: GeneratedDocumentId::from(new_id()),
        issued_by: caller.sub.clone(),
        issued_at: at,
    };
    let label = convention_label(convention.year, convention.number, seq);
    let history_line = if seq == 0 {
        text!("history-convention-drafted", number = label.as_str())
    } else {
        text!("history-amendment-drafted", number = label.as_str())
    };
    let letter = Letter {
        kind: LetterKind::Convention,
        document_id: &row.document_id,
        title: label,
        context: letter_context(&convention, &row),
        history_line: history_line.stored(),
    };
    letter::issue(conn, templates, caller, dossier, letter, at)?;
    conventions::insert_document(conn, &row)?;
    Ok(Some(row))
}

/// What the convention's template is given: every value already written as a French letter
/// writes it; what is not known is null.
pub fn letter_context(convention: &ConventionRow, row: &ConventionDocumentRow) -> serde_json::Value {
    let content = &row.content.0;
    let date = |d| date_in(d, Lang::Fr);
    let amount = |cents: Option<i64>| cents.map(|c| cents_text(c).0);
    let schedule: Vec<serde_json::Value> = content
        .schedule
        .iter()
        .map(|line| {
            json!({
                "step": line.step.as_str(),
                "rank": line.rank,
                "cumulated_max": cents_text(line.cumulated_max_cents).0,
            })
        })
        .collect();
    json!({
        "territory": procedure::letterhead(&content.territory_name, content.territory_siret.as_deref(), &content.service),
        "convention": {
            "number": convention_label(convention.year, convention.number, row.seq),
            "base_number": convention_label(convention.year, convention.number, 0),
            "seq": row.seq,
            "amendment": row.seq > 0,
            "issued_on": date(procedure::paris_date(row.issued_at)),
            "model": content.model.as_str(),
            "advance_max_percent": content.advance_max_percent,
            "duration_months": content.duration_months,
            "start_within_months": content.start_within_months,
            "financial_report_due_on": content.financial_report_due_on.map(date),
        },
        "decision": {
            "reference": content.decision_reference,
            "decided_on": date(content.decided_on),
        },
        "grant": {
            "granted": cents_text(content.granted_cents).0,
            "previous_granted": amount(content.previous_granted_cents),
            "reason": content.reason,
            "eligible_expenses": amount(content.eligible_expenses_cents),
            "monthly_rent": amount(content.monthly_rent_cents),
            "rent_months": content.rent_months,
        },
        "schedule": schedule,
        "dossier": {
            "id": row.dossier_id.as_str(),
            "title": content.dossier_title,
            "description": content.dossier_description,
            "scheme": content.scheme_name,
            "premises_address": content.premises_address,
        },
        "beneficiary": {
            "name": content.beneficiary.name,
            "siret": content.beneficiary.siret,
            "address": content.beneficiary.address,
        },
    })
}

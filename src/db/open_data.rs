//! What the SCDL open-data file needs of a year's grants, page by page.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{disbursements, dossiers, organisations, schemes};
use crate::db::DbConnection;
use crate::domain::lifecycle::DossierStatus;
use crate::domain::money::DisbursementStatus;
use crate::error::ApiResult;

/// One grant, as stored.
#[derive(Debug, Clone, Queryable)]
pub struct GrantSource {
    pub dossier_id: String,
    pub decided_on: Option<NaiveDate>,
    pub convention_signed_on: Option<NaiveDate>,
    pub decision_reference: Option<String>,
    pub beneficiary_name: String,
    pub beneficiary_siret: String,
    pub beneficiary_rna: Option<String>,
    pub title: String,
    pub granted_cents: Option<i64>,
    pub scheme_name: String,
}

/// A grant's payments: the dates of those paid, and how many are requested or paid.
#[derive(Debug, Clone, Default)]
pub struct Payments {
    pub paid_on: Vec<NaiveDate>,
    pub count: i64,
}

/// Up to `limit` grants decided in `year` (approved, closed or cancelled, granted above zero),
/// by decision date then id, after `after`: keyset pages.
pub fn grants_page(
    conn: &mut DbConnection,
    territory: &str,
    year: i32,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> ApiResult<Vec<GrantSource>> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let until = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default();
    let mut query = dossiers::table
        .inner_join(organisations::table)
        .inner_join(schemes::table)
        .filter(dossiers::territory.eq(territory.to_string()))
        .filter(dossiers::status.eq_any([
            DossierStatus::Approved,
            DossierStatus::Closed,
            DossierStatus::Cancelled,
        ]))
        .filter(dossiers::granted_cents.gt(0))
        .filter(dossiers::decided_on.ge(from))
        .filter(dossiers::decided_on.lt(until))
        .select((
            dossiers::id,
            dossiers::decided_on,
            dossiers::convention_signed_on,
            dossiers::decision_reference,
            organisations::name,
            organisations::siret,
            organisations::rna,
            dossiers::title,
            dossiers::granted_cents,
            schemes::name,
        ))
        .order((dossiers::decided_on.asc(), dossiers::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some((on, id)) = after {
        query = query.filter(
            dossiers::decided_on.gt(*on).or(dossiers::decided_on.eq(*on).and(dossiers::id.gt(id.clone()))),
        );
    }
    Ok(query.load(conn)?)
}

/// The payments of these dossiers, refused requests left out.
pub fn payments_of(conn: &mut DbConnection, dossier_ids: &[String]) -> ApiResult<HashMap<String, Payments>> {
    let rows: Vec<(String, DisbursementStatus, Option<NaiveDate>)> = disbursements::table
        .filter(disbursements::dossier_id.eq_any(dossier_ids))
        .filter(disbursements::status.ne(DisbursementStatus::Refused))
        .select((disbursements::dossier_id, disbursements::status, disbursements::paid_on))
        .load(conn)?;
    let mut payments: HashMap<String, Payments> = HashMap::new();
    for (dossier_id, status, paid_on) in rows {
        let entry = payments.entry(dossier_id).or_default();
        entry.count += 1;
        if status == DisbursementStatus::Paid {
            entry.paid_on.extend(paid_on);
        }
    }
    Ok(payments)
}

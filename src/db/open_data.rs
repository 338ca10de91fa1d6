//! What the SCDL open-data file needs of a year's grants, page by page.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::schema::{disbursements, dossiers, imported_grants, organisations, schemes};
use crate::db::DbConnection;
use crate::domain::ids::{DossierId, Siret, TerritoryCode};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::money::DisbursementStatus;
use crate::domain::scdl::PublishedTerms;

/// One grant, as stored.
#[derive(Debug, Clone, Queryable)]
pub struct GrantSource {
    pub dossier_id: DossierId,
    pub decided_on: Option<NaiveDate>,
    pub convention_signed_on: Option<NaiveDate>,
    pub decision_reference: Option<String>,
    pub beneficiary_name: String,
    pub beneficiary_siret: Siret,
    pub beneficiary_rna: Option<String>,
    pub title: String,
    pub granted_cents: Option<i64>,
    pub scheme_name: String,
    /// What its SCDL row said, for a grant imported from a file.
    pub imported: Option<ImportedFields>,
}

/// An imported grant's `objet` and payment and notification terms, as its file gave them.
#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = imported_grants)]
pub struct ImportedFields {
    pub dossier_id: DossierId,
    pub object: String,
    pub nature: String,
    pub payment_conditions: String,
    pub payment_period: String,
    pub rae_id: Option<String>,
    pub eu_notified: bool,
    pub subsidy_share: String,
}

impl ImportedFields {
    /// The row kept for `dossier_id`, from what the import read.
    pub fn new(dossier_id: DossierId, object: String, terms: PublishedTerms) -> Self {
        Self {
            dossier_id,
            object,
            nature: terms.nature,
            payment_conditions: terms.payment_conditions,
            payment_period: terms.payment_period,
            rae_id: terms.rae_id,
            eu_notified: terms.eu_notified,
            subsidy_share: terms.subsidy_share,
        }
    }

    /// The `objet` and the terms, to republish.
    pub fn into_parts(self) -> (String, PublishedTerms) {
        let terms = PublishedTerms {
            nature: self.nature,
            payment_conditions: self.payment_conditions,
            payment_period: self.payment_period,
            rae_id: self.rae_id,
            eu_notified: self.eu_notified,
            subsidy_share: self.subsidy_share,
        };
        (self.object, terms)
    }
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
    territory: &TerritoryCode,
    year: i32,
    after: Option<&(NaiveDate, DossierId)>,
    limit: i64,
) -> DbResult<Vec<GrantSource>> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let until = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default();
    let mut query = dossiers::table
        .inner_join(organisations::table)
        .inner_join(schemes::table)
        .left_join(imported_grants::table)
        .filter(dossiers::territory.eq(territory))
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
            imported_grants::all_columns.nullable(),
        ))
        .order((dossiers::decided_on.asc(), dossiers::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some((on, id)) = after {
        // `decided_on >= on` repeats what the OR implies, as a bound the index
        // (territory, decided_on, id) can start from.
        query = query.filter(dossiers::decided_on.ge(*on)).filter(
            dossiers::decided_on.gt(*on).or(dossiers::decided_on.eq(*on).and(dossiers::id.gt(id.clone()))),
        );
    }
    Ok(query.load(conn)?)
}

/// The payments of these dossiers, refused requests left out.
pub fn payments_of(
    conn: &mut DbConnection,
    dossier_ids: &[DossierId],
) -> DbResult<HashMap<DossierId, Payments>> {
    let rows: Vec<(DossierId, DisbursementStatus, Option<NaiveDate>)> = disbursements::table
        .filter(disbursements::dossier_id.eq_any(dossier_ids))
        .filter(disbursements::status.ne(DisbursementStatus::Refused))
        .select((disbursements::dossier_id, disbursements::status, disbursements::paid_on))
        .load(conn)?;
    let mut payments: HashMap<DossierId, Payments> = HashMap::new();
    for (dossier_id, status, paid_on) in rows {
        let entry = payments.entry(dossier_id).or_default();
        entry.count += 1;
        if status == DisbursementStatus::Paid {
            entry.paid_on.extend(paid_on);
        }
    }
    Ok(payments)
}

//! Finance exports: yearly and period totals, and the list of grants, aggregated in SQL
//! (GROUP BY, portable to both backends; sums cast to BIGINT, which PostgreSQL would otherwise
//! return as NUMERIC).
//!
//! Every statement is boxed, so diesel does not keep it prepared: PostgreSQL then plans it with
//! the year's actual dates and uses the (territory, decided_on) and (territory, paid_on) indexes,
//! where a generic plan of a cached statement read every year (scripts/bench-exports).
//!
//! What counts as a grant, everywhere: a dossier approved, closed or cancelled, decided
//! (`decided_on`) in the period, whose current grant (after amendments and releases) is above
//! zero; a cancellation with nothing paid is no grant.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::dsl::{count, count_star, sql};
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::error::DbResult;
use crate::db::schema::{disbursements, dossiers, envelopes, organisations, schemes};
use crate::db::DbConnection;
use crate::domain::ids::{DossierId, SchemeId, Siret, TerritoryCode};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::money::DisbursementStatus;

/// The statuses of a decided grant.
const GRANTED: [DossierStatus; 3] =
    [DossierStatus::Approved, DossierStatus::Closed, DossierStatus::Cancelled];

/// The statuses of the pipeline: filed and waiting for a decision.
const PIPELINE: [DossierStatus; 2] = [DossierStatus::Submitted, DossierStatus::UnderReview];

/// Whole calendar years, as dates: `from` (1 January of the first) up to `until` (1 January of
/// the year after the last), excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    pub first: i32,
    pub last: i32,
}

impl Years {
    pub fn one(year: i32) -> Self {
        Self { first: year, last: year }
    }

    fn from(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.first, 1, 1).expect("a checked year")
    }

    fn until(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.last + 1, 1, 1).expect("a checked year")
    }
}

/// `CAST(COALESCE(SUM(column), 0) AS BIGINT)`: a sum of cents as an i64 on both backends.
pub(crate) fn sum_cents(column: &str) -> SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

/// A scheme of the territory, as exports name it.
#[derive(Debug, Clone, Queryable)]
pub struct SchemeRef {
    pub id: SchemeId,
    pub code: String,
    pub name: String,
}

/// The territory's schemes by code (only `only`, when given).
pub fn schemes(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    only: Option<&SchemeId>,
) -> DbResult<Vec<SchemeRef>> {
    let mut query = schemes::table
        .filter(schemes::territory.eq(territory))
        .select((schemes::id, schemes::code, schemes::name))
        .order((schemes::code.asc(), schemes::id.asc()))
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(schemes::id.eq(id.clone()));
    }
    Ok(query.load(conn)?)
}

/// The grants of one scheme over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrantSums {
    pub grants: i64,
    pub granted_cents: i64,
    /// Distinct SIREN among the grants' beneficiaries.
    pub beneficiaries: i64,
}

/// Grants decided in the period, per scheme.
pub fn grants_by_scheme(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    years: Years,
) -> DbResult<BTreeMap<SchemeId, GrantSums>> {
    let rows: Vec<(SchemeId, i64, i64, i64)> = dossiers::table
        .inner_join(organisations::table)
        .filter(dossiers::territory.eq(territory))
        .filter(dossiers::status.eq_any(GRANTED))
        .filter(dossiers::granted_cents.gt(0))
        .filter(dossiers::decided_on.ge(years.from()))
        .filter(dossiers::decided_on.lt(years.until()))
        .group_by(dossiers::scheme_id)
        .select((
            dossiers::scheme_id,
            count_star(),
            sum_cents("dossiers.granted_cents"),
            count(organisations::siren).aggregate_distinct(),
        ))
        .into_boxed()
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(scheme, grants, granted_cents, beneficiaries)| {
            (scheme, GrantSums { grants, granted_cents, beneficiaries })
        })
        .collect())
}

/// Distinct SIREN granted in the period, over all the territory's schemes (or one): an
/// undertaking granted by two schemes counts once.
pub fn beneficiaries(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    years: Years,
    only: Option<&SchemeId>,
) -> DbResult<i64> {
    let mut query = dossiers::table
        .inner_join(organisations::table)
        .filter(dossiers::territory.eq(territory))
        .filter(dossiers::status.eq_any(GRANTED))
        .filter(dossiers::granted_cents.gt(0))
        .filter(dossiers::decided_on.ge(years.from()))
        .filter(dossiers::decided_on.lt(years.until()))
        .select(count(organisations::siren).aggregate_distinct())
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(dossiers::scheme_id.eq(id.clone()));
    }
    Ok(query.first(conn)?)
}

/// Payments made in the period (`paid_on`), per scheme, whatever the year of the grant.
pub fn paid_by_scheme(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    years: Years,
) -> DbResult<BTreeMap<SchemeId, i64>> {
    let rows: Vec<(SchemeId, i64)> = disbursements::table
        .inner_join(dossiers::table)
        .filter(disbursements::territory.eq(territory))
        .filter(disbursements::status.eq(DisbursementStatus::Paid))
        .filter(disbursements::paid_on.ge(years.from()))
        .filter(disbursements::paid_on.lt(years.until()))
        .group_by(dossiers::scheme_id)
        .select((dossiers::scheme_id, sum_cents("disbursements.amount_cents")))
        .into_boxed()
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// A scheme's envelope for a year: what was voted, and what is reserved and committed now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Queryable)]
pub struct EnvelopeFigures {
    pub amount_cents: i64,
    pub reserved_cents: i64,
    pub committed_cents: i64,
}

/// The year's envelopes, per scheme (one per scheme and year).
pub fn envelopes_by_scheme(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    year: i32,
) -> DbResult<BTreeMap<SchemeId, EnvelopeFigures>> {
    let rows: Vec<(SchemeId, EnvelopeFigures)> = envelopes::table
        .filter(envelopes::territory.eq(territory))
        .filter(envelopes::year.eq(year))
        .select((
            envelopes::scheme_id,
            (envelopes::amount_cents, envelopes::reserved_cents, envelopes::committed_cents),
        ))
        .into_boxed()
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Dossiers filed in the year (`dossiers.year`), per scheme and status.
pub fn dossiers_by_status(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    year: i32,
) -> DbResult<BTreeMap<SchemeId, HashMap<DossierStatus, i64>>> {
    let rows: Vec<(SchemeId, DossierStatus, i64)> = dossiers::table
        .filter(dossiers::territory.eq(territory))
        .filter(dossiers::year.eq(year))
        .group_by((dossiers::scheme_id, dossiers::status))
        .select((dossiers::scheme_id, dossiers::status, count_star()))
        .into_boxed()
        .load(conn)?;
    let mut by_scheme: BTreeMap<SchemeId, HashMap<DossierStatus, i64>> = BTreeMap::new();
    for (scheme, status, n) in rows {
        by_scheme.entry(scheme).or_default().insert(status, n);
    }
    Ok(by_scheme)
}

/// What the dossiers filed in the year and waiting for a decision (submitted or under review)
/// request, per scheme.
pub fn pipeline_by_scheme(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    year: i32,
) -> DbResult<BTreeMap<SchemeId, i64>> {
    let rows: Vec<(SchemeId, i64)> = dossiers::table
        .filter(dossiers::territory.eq(territory))
        .filter(dossiers::year.eq(year))
        .filter(dossiers::status.eq_any(PIPELINE))
        .group_by(dossiers::scheme_id)
        .select((dossiers::scheme_id, sum_cents("dossiers.requested_cents")))
        .into_boxed()
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// One grant, as the grants export lists it.
#[derive(Debug, Clone, Queryable)]
pub struct GrantLine {
    pub dossier_id: DossierId,
    pub beneficiary_name: String,
    pub siret: Siret,
    pub scheme_code: String,
    pub decision_reference: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub convention_signed_on: Option<NaiveDate>,
    pub granted_cents: Option<i64>,
    pub paid_cents: i64,
    pub status: DossierStatus,
}

/// Where a page of grants starts: after this (decision date, dossier id).
pub type GrantCursor = (NaiveDate, DossierId);

/// Up to `limit` grants decided in the period, by decision date then dossier id, after `after`.
/// Keyset pages: each starts in the index (territory, decided_on, id) where the last one ended.
pub fn grants_page(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    years: Years,
    after: Option<&GrantCursor>,
    limit: i64,
) -> DbResult<Vec<GrantLine>> {
    let mut query = dossiers::table
        .inner_join(organisations::table)
        .inner_join(schemes::table)
        .filter(dossiers::territory.eq(territory))
        .filter(dossiers::status.eq_any(GRANTED))
        .filter(dossiers::granted_cents.gt(0))
        .filter(dossiers::decided_on.ge(years.from()))
        .filter(dossiers::decided_on.lt(years.until()))
        .select((
            dossiers::id,
            organisations::name,
            organisations::siret,
            schemes::code,
            dossiers::decision_reference,
            dossiers::decided_on,
            dossiers::convention_signed_on,
            dossiers::granted_cents,
            dossiers::paid_cents,
            dossiers::status,
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

//! Imports of grants a territory decided before Essor (SCDL "subventions" files): what a file is
//! checked against, which of its rows are already known, and the rows an import writes.
//!
//! An imported grant is a dossier `closed`, `imported`, with its `import_key`: granted and paid
//! the file's amount, decided (and its convention signed) on `dateConvention`, filed in that
//! year, committed against no envelope. It counts wherever a grant counts (exports, de minimis)
//! and nothing may change it.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult, Missing};
use crate::db::open_data::ImportedFields;
use crate::db::organisation_history;
use crate::db::organisations::{self, OrganisationRow};
use crate::db::schema::{dossier_history, dossiers, imported_grants, organisations as organisations_table};
use crate::db::{new_id, schemes, territories, DbConnection};
use crate::domain::access::{Caller, Role};
use crate::domain::dossier::ProjectKind;
use crate::domain::ids::{DossierId, OrganisationId, SchemeId, Siret, TerritoryCode};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::scdl::{self, ImportedGrant, KnownScheme};

/// Rows written per statement (well under both backends' limits on bound parameters).
const CHUNK: usize = 500;

/// What a file is checked against: the territory's own SIRET (refused, `territory_siret_missing`,
/// without one: `domain::scdl::attributor_siret`) and its schemes.
pub fn context(conn: &mut DbConnection, territory: &TerritoryCode) -> DbResult<(String, Vec<KnownScheme>)> {
    let row = territories::find(conn, territory)?.ok_or_else(|| DbError::NotFound(Missing::Territory))?;
    let siret = scdl::attributor_siret(row.siret.map(String::from))?;
    let schemes = schemes::list(conn, territory)?
        .into_iter()
        .map(|s| KnownScheme { id: s.id.into(), code: s.code, name: s.name })
        .collect();
    Ok((siret, schemes))
}

/// The grants of `grants` that this territory holds already (imported before), by import key;
/// a row repeated within the file counts as known after its first occurrence.
pub fn split_known<'a>(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    grants: &'a [ImportedGrant],
) -> DbResult<(Vec<&'a ImportedGrant>, usize)> {
    let mut known: HashSet<String> = HashSet::new();
    let keys: Vec<&str> = grants.iter().map(|g| g.import_key.as_str()).collect();
    for chunk in keys.chunks(CHUNK) {
        // Boxed, so not kept in the prepared-statement cache: planned afresh each time. A cached
        // plan made while the import-key index was still empty (the statistics before an import)
        // made the next import of the same file 350 times slower (scripts/bench-exports).
        let found: Vec<Option<String>> = dossiers::table
            .filter(dossiers::territory.eq(territory))
            .filter(dossiers::import_key.eq_any(chunk.iter().map(|k| k.to_string()).collect::<Vec<_>>()))
            .select(dossiers::import_key)
            .into_boxed()
            .load(conn)?;
        known.extend(found.into_iter().flatten());
    }
    let mut new = Vec::new();
    let mut already = 0;
    for grant in grants {
        if known.insert(grant.import_key.clone()) {
            new.push(grant);
        } else {
            already += 1;
        }
    }
    Ok((new, already))
}

/// A dossier as an import writes it (every column given: batches insert on both backends).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dossiers, treat_none_as_default_value = false)]
struct ImportedDossierRow {
    id: DossierId,
    territory: TerritoryCode,
    scheme_id: SchemeId,
    organisation_id: OrganisationId,
    status: DossierStatus,
    title: String,
    project_kind: ProjectKind,
    requested_cents: Option<i64>,
    description: Option<String>,
    year: i32,
    granted_cents: Option<i64>,
    version: i32,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    decided_on: Option<NaiveDate>,
    decision_reference: Option<String>,
    convention_signed_on: Option<NaiveDate>,
    paid_cents: i64,
    pending_disbursement_cents: i64,
    imported: bool,
    import_key: Option<String>,
}

/// The history's one step of an imported grant.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dossier_history, treat_none_as_default_value = false)]
struct ImportStepRow {
    id: String,
    dossier_id: DossierId,
    seq: i32,
    actor: String,
    actor_role: Role,
    at: NaiveDateTime,
    from_status: Option<DossierStatus>,
    to_status: DossierStatus,
    comment: Option<String>,
    internal_note: Option<String>,
}

/// The title of an imported grant: its `objet`, cut to a title's 200 characters.
fn title_of(object: &str) -> (String, Option<String>) {
    if object.chars().count() <= 200 {
        (object.to_string(), None)
    } else {
        let cut: String = object.chars().take(199).collect();
        (format!("{}…", cut.trim_end()), Some(object.to_string()))
    }
}

/// Writes `grants` as imported grants of the caller's territory; beneficiaries unknown in the
/// territory (by SIRET) become organisations marked `imported`, with placeholders where the
/// file says nothing (legal form `0000`, commune `00000`), each registered in its history by the
/// caller. Returns how many grants were written.
pub fn record(
    conn: &mut DbConnection,
    caller: &Caller,
    grants: &[&ImportedGrant],
    at: NaiveDateTime,
) -> DbResult<usize> {
    let territory = &caller.territory;
    let rent_schemes: HashSet<String> = schemes::list(conn, &caller.territory)?
        .into_iter()
        .filter(|s| s.template.as_deref() == Some("DL-ESS"))
        .map(|s| s.id.into())
        .collect();

    // Beneficiaries: those the territory knows, then the others, created once each.
    let mut organisation_of: HashMap<String, OrganisationId> = HashMap::new();
    let sirets: Vec<String> =
        grants.iter().map(|g| g.beneficiary_siret.clone()).collect::<HashSet<_>>().into_iter().collect();
    for chunk in sirets.chunks(CHUNK) {
        let found: Vec<(String, OrganisationId)> = organisations_table::table
            .filter(organisations_table::territory.eq(territory))
            .filter(organisations_table::siret.eq_any(chunk))
            .select((organisations_table::siret, organisations_table::id))
            .load(conn)?;
        organisation_of.extend(found);
    }
    let mut registered = Vec::new();
    for grant in grants {
        if organisation_of.contains_key(&grant.beneficiary_siret) {
            continue;
        }
        // The file's SIRET was checked as it was read (`domain::scdl`): parsing cannot fail.
        let siret = Siret::parse(&grant.beneficiary_siret)
            .map_err(|code| DbError::internal("an SCDL row's beneficiary SIRET", code))?;
        let row = OrganisationRow {
            id: new_id().into(),
            territory: territory.clone(),
            siret,
            name: grant.beneficiary_name.clone(),
            legal_form: "0000".into(),
            esus_starts_on: None,
            esus_ends_on: None,
            esus_basis: None,
            ess_statutes: None,
            rna: grant.beneficiary_rna.clone(),
            address_line: "Adresse inconnue (import SCDL)".into(),
            postal_code: "00000".into(),
            city: "Inconnue".into(),
            commune_code: "00000".into(),
            market_activity: None,
            salaried_staff_fte: 0.0,
            accounts_kind: crate::domain::organisation::AccountsKind::Closed,
            accounts_year: None,
            operating_revenue_cents: None,
            sales_revenue_cents: None,
            operating_costs_cents: None,
            de_minimis_aids: None,
            imported: true,
            version: 1,
            created_by: caller.sub.clone(),
            created_at: at,
            updated_at: at,
        };
        organisations::insert(conn, &row)?;
        organisation_of.insert(row.siret.to_string(), row.id.clone());
        registered.push(row);
    }
    organisation_history::record_registrations(conn, &registered, caller, at)?;

    let mut written = 0;
    for chunk in grants.chunks(CHUNK) {
        let rows: Vec<ImportedDossierRow> = chunk
            .iter()
            .map(|grant| {
                let (title, description) = title_of(&grant.object);
                let project_kind = if rent_schemes.contains(&grant.scheme_id) {
                    ProjectKind::Rent
                } else {
                    ProjectKind::Works
                };
                ImportedDossierRow {
                    id: new_id().into(),
                    territory: territory.clone(),
                    scheme_id: grant.scheme_id.as_str().into(),
                    organisation_id: organisation_of[&grant.beneficiary_siret].clone(),
                    status: DossierStatus::Closed,
                    title,
                    project_kind,
                    requested_cents: Some(grant.amount_cents),
                    description,
                    year: grant.decided_on.year(),
                    granted_cents: Some(grant.amount_cents),
                    version: 1,
                    created_by: caller.sub.clone(),
                    created_at: at,
                    updated_at: at,
                    decided_on: Some(grant.decided_on),
                    decision_reference: grant.decision_reference.clone(),
                    convention_signed_on: Some(grant.decided_on),
                    paid_cents: grant.amount_cents,
                    pending_disbursement_cents: 0,
                    imported: true,
                    import_key: Some(grant.import_key.clone()),
                }
            })
            .collect();
        let imported_comment = crate::text!("history-imported").stored();
        let steps: Vec<ImportStepRow> = rows
            .iter()
            .zip(chunk)
            .map(|(row, grant)| ImportStepRow {
                id: new_id(),
                dossier_id: row.id.clone(),
                seq: 1,
                actor: caller.sub.clone(),
                actor_role: caller.role,
                at,
                from_status: None,
                to_status: DossierStatus::Closed,
                comment: Some(imported_comment.clone()),
                internal_note: Some(crate::text!("history-imported-line", line = grant.line).stored()),
            })
            .collect();
        let fields: Vec<ImportedFields> = rows
            .iter()
            .zip(chunk)
            .map(|(row, grant)| {
                ImportedFields::new(row.id.clone(), grant.object.clone(), grant.published.clone())
            })
            .collect();
        // One statement per chunk: a batch insert, which each backend supports on its own
        // connection (MultiConnection does not offer it).
        written += match &mut *conn {
            DbConnection::Pg(c) => {
                let n = diesel::insert_into(dossiers::table).values(&rows).execute(c)?;
                diesel::insert_into(dossier_history::table).values(&steps).execute(c)?;
                diesel::insert_into(imported_grants::table).values(&fields).execute(c)?;
                n
            }
            DbConnection::Sqlite(c) => {
                let n = diesel::insert_into(dossiers::table).values(&rows).execute(c)?;
                diesel::insert_into(dossier_history::table).values(&steps).execute(c)?;
                diesel::insert_into(imported_grants::table).values(&fields).execute(c)?;
                n
            }
        };
    }
    Ok(written)
}

/// After an import wrote many grants, PostgreSQL's planner statistics of the dossiers (refreshed
/// by autovacuum only later, or never where it is off) still describe the table before: the next
/// import's lookup of known rows then took minutes instead of a second (scripts/bench-exports).
/// Refreshes them now; a failure only costs speed, so it is logged, not returned. SQLite keeps no
/// statistics unless asked.
pub fn refresh_statistics(conn: &mut DbConnection) {
    if let DbConnection::Pg(c) = conn {
        if let Err(error) = diesel::sql_query("ANALYZE dossiers, organisations").execute(c) {
            tracing::warn!(%error, "ANALYZE after an import failed");
        }
    }
}

//! Schemes and their versioned rules: a dossier is judged by the version in force on its first
//! submission (greatest `effective_from` on or before that day), fixed from then on.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::dossiers::DossierRow;
use crate::db::error::DbResult;
use crate::db::schema::{rules_versions, schemes};
use crate::db::types::Json;
use crate::db::DbConnection;
use crate::domain::ids::{RulesVersionId, SchemeId, TerritoryCode};
use crate::domain::rules::RulesParameters;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = schemes)]
pub struct SchemeRow {
    pub id: SchemeId,
    pub territory: TerritoryCode,
    pub code: String,
    pub name: String,
    pub description: String,
    pub template: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = rules_versions)]
pub struct RulesVersionRow {
    pub id: RulesVersionId,
    pub scheme_id: SchemeId,
    pub effective_from: NaiveDate,
    pub parameters: Json<RulesParameters>,
    pub comment: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

/// The scheme with this id in this territory: other territories' schemes do not exist for
/// the caller.
pub fn find(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    id: &SchemeId,
) -> DbResult<Option<SchemeRow>> {
    Ok(schemes::table
        .filter(schemes::id.eq(id))
        .filter(schemes::territory.eq(territory))
        .select(SchemeRow::as_select())
        .first(conn)
        .optional()?)
}

/// The territory's schemes, by code (a territory runs a handful).
pub fn list(conn: &mut DbConnection, territory: &TerritoryCode) -> DbResult<Vec<SchemeRow>> {
    Ok(schemes::table
        .filter(schemes::territory.eq(territory))
        .order(schemes::code.asc())
        .limit(1000)
        .select(SchemeRow::as_select())
        .load(conn)?)
}

pub fn code_taken(conn: &mut DbConnection, territory: &TerritoryCode, code: &str) -> DbResult<bool> {
    let taken: i64 = schemes::table
        .filter(schemes::territory.eq(territory))
        .filter(schemes::code.eq(code))
        .count()
        .get_result(conn)?;
    Ok(taken > 0)
}

pub fn insert(conn: &mut DbConnection, row: &SchemeRow) -> DbResult<()> {
    diesel::insert_into(schemes::table).values(row).execute(conn)?;
    Ok(())
}

/// A scheme's rules versions, newest effective date first.
pub fn rules_versions(conn: &mut DbConnection, scheme_id: &SchemeId) -> DbResult<Vec<RulesVersionRow>> {
    Ok(rules_versions::table
        .filter(rules_versions::scheme_id.eq(scheme_id))
        .order(rules_versions::effective_from.desc())
        .select(RulesVersionRow::as_select())
        .load(conn)?)
}

pub fn version_exists_from(
    conn: &mut DbConnection,
    scheme_id: &SchemeId,
    effective_from: NaiveDate,
) -> DbResult<bool> {
    let taken: i64 = rules_versions::table
        .filter(rules_versions::scheme_id.eq(scheme_id))
        .filter(rules_versions::effective_from.eq(effective_from))
        .count()
        .get_result(conn)?;
    Ok(taken > 0)
}

pub fn insert_rules_version(conn: &mut DbConnection, row: &RulesVersionRow) -> DbResult<()> {
    diesel::insert_into(rules_versions::table).values(row).execute(conn)?;
    Ok(())
}

/// The version in force on `on`: the latest effective on or before that day.
pub fn rules_in_force(
    conn: &mut DbConnection,
    scheme_id: &SchemeId,
    on: NaiveDate,
) -> DbResult<Option<RulesVersionRow>> {
    Ok(rules_versions::table
        .filter(rules_versions::scheme_id.eq(scheme_id))
        .filter(rules_versions::effective_from.le(on))
        .order(rules_versions::effective_from.desc())
        .select(RulesVersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// The rules a dossier is judged by: the version fixed at its first submission, or (not yet
/// submitted) the version in force on `on`. `None` when no version is in force then.
pub fn rules_version_for(
    conn: &mut DbConnection,
    dossier: &DossierRow,
    on: NaiveDate,
) -> DbResult<Option<RulesVersionRow>> {
    match &dossier.rules_version_id {
        Some(id) => {
            Ok(Some(rules_versions::table.find(id).select(RulesVersionRow::as_select()).first(conn)?))
        }
        None => rules_in_force(conn, &dossier.scheme_id, on),
    }
}

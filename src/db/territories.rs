//! Territories: created by the operator (`essor territory add`), never over HTTP.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::schema::territories;
use crate::db::DbConnection;
use crate::domain::ids::{Siret, TerritoryCode};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = territories)]
pub struct TerritoryRow {
    pub code: TerritoryCode,
    pub name: String,
    pub siret: Option<Siret>,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, territory: &TerritoryCode) -> DbResult<Option<TerritoryRow>> {
    Ok(territories::table.find(territory).select(TerritoryRow::as_select()).first(conn).optional()?)
}

pub fn exists(conn: &mut DbConnection, territory: &TerritoryCode) -> DbResult<bool> {
    let found: i64 = territories::table.filter(territories::code.eq(territory)).count().get_result(conn)?;
    Ok(found > 0)
}

pub fn insert(conn: &mut DbConnection, row: &TerritoryRow) -> DbResult<()> {
    diesel::insert_into(territories::table).values(row).execute(conn)?;
    Ok(())
}

/// Sets the territory's own SIRET; `false` when there is no such territory.
pub fn set_siret(conn: &mut DbConnection, territory: &TerritoryCode, siret: &Siret) -> DbResult<bool> {
    let touched =
        diesel::update(territories::table.find(territory)).set(territories::siret.eq(siret)).execute(conn)?;
    Ok(touched == 1)
}

/// Every territory's code, in order.
pub fn codes(conn: &mut DbConnection) -> DbResult<Vec<TerritoryCode>> {
    Ok(territories::table.select(territories::code).order(territories::code).load(conn)?)
}

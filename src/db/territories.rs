//! Territories: created by the operator (`essor territory add`), never over HTTP.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::schema::territories;
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = territories)]
pub struct TerritoryRow {
    pub code: String,
    pub name: String,
    pub siret: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, code: &str) -> DbResult<Option<TerritoryRow>> {
    Ok(territories::table.find(code).select(TerritoryRow::as_select()).first(conn).optional()?)
}

pub fn exists(conn: &mut DbConnection, code: &str) -> DbResult<bool> {
    let found: i64 = territories::table.filter(territories::code.eq(code)).count().get_result(conn)?;
    Ok(found > 0)
}

pub fn insert(conn: &mut DbConnection, row: &TerritoryRow) -> DbResult<()> {
    diesel::insert_into(territories::table).values(row).execute(conn)?;
    Ok(())
}

/// Sets the territory's own SIRET; `false` when there is no such territory.
pub fn set_siret(conn: &mut DbConnection, code: &str, siret: &str) -> DbResult<bool> {
    let touched =
        diesel::update(territories::table.find(code)).set(territories::siret.eq(siret)).execute(conn)?;
    Ok(touched == 1)
}

/// Every territory's code, in order.
pub fn codes(conn: &mut DbConnection) -> DbResult<Vec<String>> {
    Ok(territories::table.select(territories::code).order(territories::code).load(conn)?)
}

//! The numbers of the documents a territory issues (receipts, notifications, conventions): one
//! sequence per territory, series and year, without gaps.

use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::schema::document_counters;
use crate::db::DbConnection;
use crate::domain::ids::TerritoryCode;
use crate::domain::procedure::Series;

/// Takes the territory's next number of `series` for `year`, in the caller's transaction: the
/// counter row is advanced by one conditional UPDATE (its row lock orders concurrent acts on
/// PostgreSQL; SQLite writes one at a time), so a number is given once and a rolled-back act
/// gives it back. The year's first number inserts the row, in a savepoint: when another act
/// inserted it meanwhile, the UPDATE is tried again.
pub fn next_number(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    series: Series,
    year: i32,
) -> DbResult<i32> {
    if let Some(number) = advance(conn, territory, series, year)? {
        return Ok(number);
    }
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(document_counters::table)
            .values((
                document_counters::territory.eq(territory),
                document_counters::series.eq(series.as_str()),
                document_counters::year.eq(year),
                document_counters::last_number.eq(1),
            ))
            .execute(conn)
    });
    match inserted.map_err(DbError::from) {
        Ok(_) => Ok(1),
        Err(DbError::Integrity(_)) => advance(conn, territory, series, year)?
            .ok_or_else(|| DbError::internal("document number", "the counter row vanished")),
        Err(other) => Err(other),
    }
}

fn advance(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    series: Series,
    year: i32,
) -> DbResult<Option<i32>> {
    Ok(diesel::update(
        document_counters::table
            .filter(document_counters::territory.eq(territory))
            .filter(document_counters::series.eq(series.as_str()))
            .filter(document_counters::year.eq(year)),
    )
    .set(document_counters::last_number.eq(document_counters::last_number + 1))
    .returning(document_counters::last_number)
    .get_result(conn)
    .optional()?)
}

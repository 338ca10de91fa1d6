//! Territories: created by the operator (`essor territory add`), never over HTTP; their admin
//! sets the service in charge that their letters state (`PATCH /territory`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::schema::territories;
use crate::db::DbConnection;
use crate::domain::ids::{Siret, TerritoryCode};
use crate::domain::procedure::ServiceInCharge;

/// A territory as registered.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = territories)]
pub struct NewTerritoryRow {
    pub code: TerritoryCode,
    pub name: String,
    pub siret: Option<Siret>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = territories)]
pub struct TerritoryRow {
    pub code: TerritoryCode,
    pub name: String,
    pub siret: Option<Siret>,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub service: ServiceColumns,
    pub version: i32,
}

/// The service in charge, as the territory's letters state it (every column optional).
#[derive(Debug, Clone, Default, Queryable, Selectable, AsChangeset)]
#[diesel(table_name = territories, treat_none_as_null = true)]
pub struct ServiceColumns {
    pub service_name: Option<String>,
    pub service_address: Option<String>,
    pub service_contact: Option<String>,
    pub administrative_court: Option<String>,
    pub signatory_title: Option<String>,
}

impl From<ServiceColumns> for ServiceInCharge {
    fn from(c: ServiceColumns) -> Self {
        ServiceInCharge {
            name: c.service_name,
            address: c.service_address,
            contact: c.service_contact,
            administrative_court: c.administrative_court,
            signatory_title: c.signatory_title,
        }
    }
}

impl From<ServiceInCharge> for ServiceColumns {
    fn from(s: ServiceInCharge) -> Self {
        ServiceColumns {
            service_name: s.name,
            service_address: s.address,
            service_contact: s.contact,
            administrative_court: s.administrative_court,
            signatory_title: s.signatory_title,
        }
    }
}

pub fn find(conn: &mut DbConnection, territory: &TerritoryCode) -> DbResult<Option<TerritoryRow>> {
    Ok(territories::table.find(territory).select(TerritoryRow::as_select()).first(conn).optional()?)
}

/// Sets the service in charge if the territory is still at `version` (`false` otherwise: someone
/// changed it since it was read).
pub fn set_service(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    version: i32,
    service: &ServiceInCharge,
) -> DbResult<bool> {
    let columns = ServiceColumns::from(service.clone());
    let touched = diesel::update(
        territories::table.filter(territories::code.eq(territory)).filter(territories::version.eq(version)),
    )
    .set((&columns, territories::version.eq(version + 1)))
    .execute(conn)?;
    Ok(touched == 1)
}

pub fn exists(conn: &mut DbConnection, territory: &TerritoryCode) -> DbResult<bool> {
    let found: i64 = territories::table.filter(territories::code.eq(territory)).count().get_result(conn)?;
    Ok(found > 0)
}

pub fn insert(conn: &mut DbConnection, row: &NewTerritoryRow) -> DbResult<()> {
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

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::organisations;
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
pub struct OrganisationRow {
    pub id: String,
    pub territory: String,
    pub siret: String,
    pub name: String,
    pub legal_form: String,
    pub esus_approved_on: Option<NaiveDate>,
    pub rna: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub city: String,
    pub commune_code: String,
    /// What it sells on a market (declared by the applicant).
    pub market_activity: Option<String>,
    pub salaried_staff_fte: f64,
    pub accounts_year: Option<i32>,
    pub operating_revenue_cents: Option<i64>,
    pub sales_revenue_cents: Option<i64>,
    pub operating_costs_cents: Option<i64>,
    /// JSON array of declared de minimis aids; NULL when never declared.
    pub de_minimis_aids: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl OrganisationRow {
    pub fn find_in_territory(
        conn: &mut DbConnection,
        territory: &str,
        id: &str,
    ) -> QueryResult<Option<Self>> {
        organisations::table
            .filter(organisations::id.eq(id))
            .filter(organisations::territory.eq(territory))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_by_siret(conn: &mut DbConnection, territory: &str, siret: &str) -> QueryResult<Option<Self>> {
        organisations::table
            .filter(organisations::siret.eq(siret))
            .filter(organisations::territory.eq(territory))
            .select(Self::as_select())
            .first(conn)
            .optional()
    }
}

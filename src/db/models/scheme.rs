use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{rules_versions, schemes};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = schemes)]
pub struct SchemeRow {
    pub id: String,
    pub territory: String,
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
    pub id: String,
    pub scheme_id: String,
    pub effective_from: NaiveDate,
    /// JSON of `domain::rules::RulesParameters`.
    pub parameters: String,
    pub comment: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl SchemeRow {
    /// The scheme with this id in this territory, if any: other territories' schemes do not exist
    /// for the caller.
    pub fn find_in_territory(
        conn: &mut crate::db::DbConnection,
        territory: &str,
        id: &str,
    ) -> QueryResult<Option<SchemeRow>> {
        schemes::table
            .filter(schemes::id.eq(id))
            .filter(schemes::territory.eq(territory))
            .select(SchemeRow::as_select())
            .first(conn)
            .optional()
    }
}

impl RulesVersionRow {
    /// The version in force on `on`: the latest effective on or before that day.
    pub fn in_force(
        conn: &mut crate::db::DbConnection,
        scheme_id: &str,
        on: NaiveDate,
    ) -> QueryResult<Option<RulesVersionRow>> {
        rules_versions::table
            .filter(rules_versions::scheme_id.eq(scheme_id))
            .filter(rules_versions::effective_from.le(on))
            .order(rules_versions::effective_from.desc())
            .select(RulesVersionRow::as_select())
            .first(conn)
            .optional()
    }
}

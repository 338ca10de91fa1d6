use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::territories;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = territories)]
pub struct TerritoryRow {
    pub code: String,
    pub name: String,
    pub siret: Option<String>,
    pub created_at: NaiveDateTime,
}

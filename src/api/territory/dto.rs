use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::common::utc;
use crate::db::territories::TerritoryRow;

/// A territory (a metropolis or other grantor) whose schemes Essor runs.
#[derive(Debug, Serialize, ToSchema)]
pub struct TerritoryView {
    #[schema(example = "rouen")]
    pub code: String,
    #[schema(example = "Métropole Rouen Normandie")]
    pub name: String,
    /// The grantor's own SIRET (`idAttribuant` in open data), when set.
    #[schema(example = "20002341400010")]
    pub siret: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<TerritoryRow> for TerritoryView {
    fn from(row: TerritoryRow) -> Self {
        Self {
            code: row.code.into(),
            name: row.name,
            siret: row.siret.map(Into::into),
            created_at: utc(row.created_at),
        }
    }
}

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::common::{merge_patch_field, utc};
use crate::db::territories::TerritoryRow;
use crate::domain::checks;
use crate::domain::procedure::ServiceInCharge;

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
    /// The service in charge, as receipts and letters state it (`PATCH /territory`).
    #[schema(example = "Direction de l'économie sociale et solidaire")]
    pub service_name: Option<String>,
    #[schema(example = "Le 108, 108 allée François Mitterrand, 76006 Rouen Cedex")]
    pub service_address: Option<String>,
    #[schema(example = "ess@metropole-rouen-normandie.fr, 02 35 52 68 10")]
    pub service_contact: Option<String>,
    /// The administrative court appeals go to, with its address; letters name "the competent
    /// administrative court" while it is not set.
    #[schema(example = "Tribunal administratif de Rouen, 53 avenue Gustave Flaubert, 76000 Rouen")]
    pub administrative_court: Option<String>,
    /// Who signs the territory's letters.
    #[schema(example = "Le Président de la Métropole, par délégation")]
    pub signatory_title: Option<String>,
    /// Row version, as in the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// Changes to the service in charge that receipts and letters state (JSON Merge Patch: a
/// field left out stays, `null` clears it). Letters already issued keep what they said.
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct TerritoryPatch {
    #[schema(min_length = 1, max_length = 200, pattern = "{LINE_PATTERN}")]
    #[validate(custom(function = checks::line::<1, 200>))]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub service_name: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 300, pattern = "{LINE_PATTERN}")]
    #[validate(custom(function = checks::line::<1, 300>))]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub service_address: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 200, pattern = "{LINE_PATTERN}")]
    #[validate(custom(function = checks::line::<1, 200>))]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub service_contact: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 300, pattern = "{LINE_PATTERN}")]
    #[validate(custom(function = checks::line::<1, 300>))]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub administrative_court: Option<Option<String>>,
    #[schema(min_length = 1, max_length = 200, pattern = "{LINE_PATTERN}")]
    #[validate(custom(function = checks::line::<1, 200>))]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub signatory_title: Option<Option<String>>,
}

impl TerritoryPatch {
    /// The service as it becomes: each field given replaces (trimmed) or clears the one kept.
    pub fn applied_to(&self, kept: ServiceInCharge) -> ServiceInCharge {
        let take = |given: &Option<Option<String>>, kept: Option<String>| match given {
            None => kept,
            Some(value) => value.as_ref().map(|v| v.trim().to_string()),
        };
        ServiceInCharge {
            name: take(&self.service_name, kept.name),
            address: take(&self.service_address, kept.address),
            contact: take(&self.service_contact, kept.contact),
            administrative_court: take(&self.administrative_court, kept.administrative_court),
            signatory_title: take(&self.signatory_title, kept.signatory_title),
        }
    }
}

impl From<TerritoryRow> for TerritoryView {
    fn from(row: TerritoryRow) -> Self {
        Self {
            code: row.code.into(),
            name: row.name,
            siret: row.siret.map(Into::into),
            service_name: row.service.service_name,
            service_address: row.service.service_address,
            service_contact: row.service.service_contact,
            administrative_court: row.service.administrative_court,
            signatory_title: row.service.signatory_title,
            version: row.version,
            created_at: utc(row.created_at),
        }
    }
}

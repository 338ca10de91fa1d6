//! What a project is: the kind that decides which maximum grant pays it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the project is. DI-ESS pays purchase, construction or works; DL-ESS pays rent; schemes
/// without premises pay operating costs, studies or partner conventions (a `budget` or `flat`
/// maximum grant accepts any kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectKind {
    Purchase,
    Construction,
    Works,
    Rent,
    /// An operating grant (aide au fonctionnement).
    Operating,
    /// A study (étude de faisabilité, diagnostic...).
    Study,
    /// A partner convention (convention de partenariat, as Rennes' policy funds).
    Partnership,
}

impl ProjectKind {
    /// Purchase, construction or works: what an `investment` maximum grant pays.
    pub fn is_investment(self) -> bool {
        matches!(self, Self::Purchase | Self::Construction | Self::Works)
    }
}

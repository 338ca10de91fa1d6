//! Imports of data decided before Essor: the grants of an SCDL "subventions" file (finance and
//! admin).

pub mod dto;
pub mod scdl_subventions;

use crate::auth::Role;

/// Who imports: finance and admin.
pub const IMPORTERS: [Role; 2] = [Role::Finance, Role::Admin];

//! Row types: what the tables hold. API types live in `crate::api::*::dto` and convert from these.

mod assessment;
mod dossier;
mod organisation;
mod scheme;
mod territory;

pub use assessment::*;
pub use dossier::*;
pub use organisation::*;
pub use scheme::*;
pub use territory::*;

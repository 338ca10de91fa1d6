use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `POST /imports/scdl-subventions`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: check the file and count what is already known, writing nothing.
    #[param(default = false)]
    pub dry_run: Option<bool>,
}

/// An SCDL "subventions" 2.1.1 file, as sent: its bytes (what they must hold is the standard's,
/// which no pattern can say; a file that breaks it is 422 with every error and its line).
#[derive(ToSchema)]
#[schema(format = Binary)]
#[allow(dead_code)]
pub struct ScdlFile(String);

/// What an import did (or, on a dry run, found).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    /// Rows of the file, the header apart.
    #[schema(minimum = 0, example = 12)]
    pub rows: usize,
    /// Grants written by this request (0 on a dry run).
    #[schema(minimum = 0, example = 10)]
    pub imported: usize,
    /// Rows imported before (or repeated in the file): skipped, never written twice.
    #[schema(minimum = 0, example = 2)]
    pub already_known: usize,
}

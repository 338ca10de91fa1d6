//! Pure domain logic: no HTTP, no database. Everything here is deterministic and unit-tested.

pub mod access;
pub mod approval;
pub mod assessment;
pub mod checks;
pub mod codes;
pub mod dossier;
pub mod eligibility;
pub mod identifiers;
pub mod lang;
pub mod lifecycle;
pub mod money;
pub mod open_data;
pub mod organisation;
pub mod rules;
pub mod scdl;

pub use codes::Code;
pub use lang::{Lang, Localize, Localized, Text};

/// One invalid field of an input, as reported to the client in a problem+json `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON pointer-like path of the field, e.g. `address.commune_code` or `grid[2].weight`.
    pub field: String,
    /// Stable machine-readable code, e.g. `siret_checksum`, `out_of_range`, `required`.
    pub code: String,
    /// A sentence a person can read.
    pub message: String,
    /// The line of an uploaded file the error is on (file imports only; line 1 is the header).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, example = 2)]
    pub line: Option<u64>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into(), line: None }
    }

    /// The same error, placed on `line` of an uploaded file.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
}

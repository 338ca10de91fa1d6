//! Pure domain logic: no HTTP, no database. Everything here is deterministic and unit-tested.

pub mod access;
pub mod approval;
pub mod assessment;
pub mod calls;
pub mod changes;
pub mod checks;
pub mod code;
pub mod codes;
pub mod convention;
pub mod documents;
pub mod dossier;
pub mod eligibility;
pub mod field_code;
pub mod field_errors;
pub mod identifiers;
pub mod ids;
pub mod lang;
pub mod lifecycle;
pub mod money;
pub mod notification;
pub mod open_data;
pub mod organisation;
pub mod problem_code;
pub mod procedure;
pub mod project_kind;
pub mod refusal;
pub mod retention;
pub mod rules;
pub mod scdl;
pub mod sessions;
pub mod spreadsheet;

pub use code::Code;
pub use field_code::FieldCode;
pub use lang::{Arg, Lang, Localize, Localized, Text};
pub use problem_code::ProblemCode;
pub use refusal::Refused;

// Serialised through `Localized`, with the message in the reader's language.
/// One invalid field of an input, as reported to the client in a problem+json `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON pointer-like path of the field, e.g. `address.commune_code` or `grid[2].weight`.
    pub field: String,
    /// Stable machine-readable code, e.g. `siret_checksum`, `out_of_range`, `required`.
    pub code: FieldCode,
    /// A sentence a person can read, in the language negotiated with `Accept-Language`.
    #[schema(value_type = String)]
    pub message: Text,
    /// The line of an uploaded file the error is on (file imports only; line 1 is the header).
    #[schema(minimum = 1, example = 2)]
    pub line: Option<u64>,
}

impl FieldError {
    /// An error with its message in both languages (see [`FieldError::bilingual`]).
    pub fn new(field: impl Into<String>, code: FieldCode, message: impl Into<Text>) -> Self {
        Self { field: field.into(), code, message: message.into(), line: None }
    }

    /// The same error, placed on `line` of an uploaded file.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
}

impl Localize for FieldError {
    fn serialize_in<S: serde::Serializer>(&self, lang: Lang, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = serializer.serialize_struct("FieldError", 4)?;
        st.serialize_field("field", &self.field)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("message", &Localized::new(&self.message, lang))?;
        match self.line {
            Some(line) => st.serialize_field("line", &line)?,
            None => st.skip_field("line")?,
        }
        st.end()
    }
}

//! A refusal by a rule of the domain: its stable code and its sentence for people. Whoever
//! applies the rule (a repository, a use case) passes it on; the API answers it 409.

use std::fmt;

use super::lang::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The stable, machine-readable reason clients match on (`imported_read_only`…); `None` for
    /// the few refusals that have none yet (answered as a plain `conflict`).
    pub code: Option<&'static str>,
    pub detail: Text,
}

impl Refused {
    /// A refusal with its stable code.
    pub fn coded(code: &'static str, detail: Text) -> Self {
        Refused { code: Some(code), detail }
    }

    /// A refusal that has no code of its own yet.
    pub fn uncoded(detail: Text) -> Self {
        Refused { code: None, detail }
    }
}

/// For logs, which are in English.
impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "{code}: {}", self.detail),
            None => write!(f, "{}", self.detail),
        }
    }
}

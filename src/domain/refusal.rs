//! A refusal by a rule of the domain: its stable code and its sentence for people. Whoever
//! applies the rule (a repository, a use case) passes it on; the API answers it 409.

use std::fmt;

use super::code::Code;
use super::lang::Text;
use super::problem_code::ProblemCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The stable, machine-readable reason clients match on (`imported_read_only`…).
    pub code: ProblemCode,
    pub detail: Text,
}

impl Refused {
    /// A refusal with its stable code.
    pub fn coded(code: ProblemCode, detail: Text) -> Self {
        Refused { code, detail }
    }
}

/// For logs, which are in English.
impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)
    }
}

//! Typed identifiers: the ids and codes that travel between use cases and repositories
//! (issue 21 item 5). Each is a `String` inside, serialised as that string (serde transparent),
//! so rows, documents and the API keep their values; what changes is that a `SchemeId` cannot be
//! passed where a `TerritoryCode` is expected (`envelopes::for_year(conn, &territory, &scheme, year)`
//! no longer compiles with its arguments swapped).
//!
//! They dereference to `str` so that reading one (formatting, comparing, handing it to a
//! function that takes any text) stays as short as before; only the other direction, text to id,
//! is explicit (`SchemeId::new(..)`, `From<String>`, `From<&str>`). The database mapping lives in
//! `db/types.rs` (TEXT columns), as for the other typed columns.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

macro_rules! text_id {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(value: uuid::Uuid) -> Self {
                Self(value.to_string())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_string())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    )+};
}

text_id!(
    /// A dossier's id (a UUID).
    DossierId,
    /// A scheme's id (a UUID).
    SchemeId,
    /// An envelope's id (a UUID).
    EnvelopeId,
    /// An organisation's id (a UUID).
    OrganisationId,
    /// A territory's code (the tenant every row belongs to).
    TerritoryCode,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_their_string() {
        let id = SchemeId::new("0b8f4c2e-1d2a-4c7e-9a51-3f1f1f1f1f1f");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"0b8f4c2e-1d2a-4c7e-9a51-3f1f1f1f1f1f\"");
        let back: SchemeId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
        let territory: TerritoryCode = serde_json::from_str("\"normandie\"").unwrap();
        assert_eq!(territory.as_str(), "normandie");
    }

    #[test]
    fn ids_display_as_their_string() {
        assert_eq!(DossierId::from("d-1").to_string(), "d-1");
        assert_eq!(format!("{}", TerritoryCode::new("normandie")), "normandie");
        assert_eq!(EnvelopeId::new(String::from("e")), "e");
        assert_eq!(String::from(OrganisationId::new("o")), "o");
    }
}

//! Typed identifiers: the ids and codes that travel between use cases and repositories
//! (issue 21 item 5). A [`Siret`] is one too, but checked when it is made (`Siret::parse`). Each is a `String` inside, serialised as that string (serde transparent),
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

use super::code::Code;
use super::field_code::FieldCode;
use super::identifiers::{siren_of, validate_siret};

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
    /// A document's id (a UUID), within its dossier.
    DocumentId,
    /// A disbursement's id (a UUID): a payment request.
    DisbursementId,
    /// A reservation's id (a UUID): an amount an envelope holds for a dossier.
    ReservationId,
    /// A rules version's id (a UUID): the parameters a dossier is judged by.
    RulesVersionId,
    /// A receipt's id (a UUID): the acknowledgement of one submission.
    ReceiptId,
    /// A notification's id (a UUID): the letter of one decision.
    NotificationId,
    /// A convention's id (a UUID): one per grant that needs one.
    ConventionId,
    /// A convention document's id (a UUID): the convention itself or one of its amendments.
    ConventionDocumentId,
    /// A generated document's id (a UUID): a letter Essor made (receipt, notification…).
    GeneratedDocumentId,
    /// A committee session's id (a UUID).
    SessionId,
    /// A call for projects' id (a UUID).
    CallId,
    /// A proposal's id (a UUID), on a session's agenda.
    SessionItemId,
);

/// An establishment's SIRET that passed [`validate_siret`]: made with [`Siret::parse`] where a
/// SIRET comes in (a request, a token, a file, the command line), then handed as is to the
/// repositories (`organisations::find_by_siret`, `territories::set_siret`…). The error is
/// `validate_siret`'s code (`siret_format`, `siren_checksum`, `siret_checksum`), so the field
/// errors built from it stay the same.
///
/// A SIRET read back from the database is not checked again ([`Siret::from_storage`]): only
/// parsed ones are written, and a row must stay readable even if the rule ever tightens.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Siret(#[serde(deserialize_with = "parse_siret")] String);

fn parse_siret<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    validate_siret(&text).map_err(|code| serde::de::Error::custom(code.as_str()))?;
    Ok(text)
}

impl Siret {
    /// The SIRET `text`, if it passes [`validate_siret`] (exactly as given: nothing trimmed).
    pub fn parse(text: &str) -> Result<Self, FieldCode> {
        validate_siret(text)?;
        Ok(Self(text.to_string()))
    }

    /// A SIRET as the database holds it, not checked again (see the type's documentation).
    /// Only `db/types.rs`, reading a column, calls this.
    pub fn from_storage(stored: String) -> Self {
        Self(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The company's SIREN: the first nine digits.
    pub fn siren(&self) -> &str {
        siren_of(&self.0)
    }
}

impl TryFrom<&str> for Siret {
    type Error = FieldCode;
    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Deref for Siret {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Siret {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Siret {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<Siret> for String {
    fn from(value: Siret) -> String {
        value.0
    }
}

impl PartialEq<str> for Siret {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Siret {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Siret {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

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

    #[test]
    fn a_siret_is_valid_or_not_made() {
        let siret = Siret::parse("73282932000074").expect("a valid SIRET");
        assert_eq!(siret.as_str(), "73282932000074");
        assert_eq!(siret.siren(), "732829320");
        assert_eq!(Siret::parse("7328293200007"), Err(FieldCode::SiretFormat));
        assert_eq!(Siret::parse(" 73282932000074"), Err(FieldCode::SiretFormat));
        assert_eq!(Siret::parse("73282932000075"), Err(FieldCode::SiretChecksum));
        assert_eq!(Siret::parse("12345678900015"), Err(FieldCode::SirenChecksum));
        assert_eq!(serde_json::to_string(&siret).unwrap(), "\"73282932000074\"");
        assert_eq!(serde_json::from_str::<Siret>("\"73282932000074\"").unwrap(), siret);
        assert!(serde_json::from_str::<Siret>("\"73282932000075\"").is_err());
        // Read back from storage as it is.
        assert_eq!(Siret::from_storage("12345678900015".into()), "12345678900015");
    }
}

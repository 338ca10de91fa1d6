//! Typed columns: enumerations stored by their code, and JSON documents, in TEXT columns on
//! both backends. Rows carry `DossierStatus`, `Json<RulesParameters>`… never a string to parse.
//!
//! A value the code does not know (a row written by a newer version, or by hand) is a
//! deserialisation error that names the table and column; the API answers 500 and logs it.

use std::fmt;

use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::db::DbBackend;
use crate::domain::access::Role;
use crate::domain::assessment::{Recommendation, Score};
use crate::domain::changes::FieldChange;
use crate::domain::convention::SigningParty;
use crate::domain::dossier::ProjectKind;
use crate::domain::eligibility::Outcome;
use crate::domain::ids::{
    CallId, ConventionDocumentId, ConventionId, DisbursementId, DocumentId, DossierId, EnvelopeId,
    GeneratedDocumentId, NotificationId, OrganisationId, ReceiptId, ReservationId, RulesVersionId, SchemeId,
    SessionId, SessionItemId, Siret, TerritoryCode,
};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::money::{DisbursementKind, DisbursementStatus, MovementKind, ReservationStatus};
use crate::domain::notification::NotificationKind;
use crate::domain::organisation::{AccountsKind, DeclaredAid, EssStatutes, EsusBasis, Organisation};
use crate::domain::rules::RulesParameters;
use crate::domain::sessions::{DecidingBody, ItemOutcome, SessionStatus};
use crate::domain::Code;

/// What a type stored as TEXT shares: `AsExpression`/`FromSqlRow` (through a proxy: the domain
/// type cannot derive them itself) and writing its `as_str()` on every backend. How it is read
/// back differs ([`stored_as_code!`] parses a code, [`stored_as_text!`] takes any text).
macro_rules! written_as_text {
    ($ty:ident) => {
        const _: () = {
            #[derive(diesel::AsExpression, diesel::FromSqlRow)]
            #[diesel(foreign_derive, sql_type = Text)]
            #[allow(dead_code)]
            struct Proxy($ty);
        };

        impl ToSql<Text, DbBackend> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DbBackend>) -> serialize::Result {
                out.set_value((Text, self.as_str()));
                Ok(IsNull::No)
            }
        }

        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                ToSql::<Text, Pg>::to_sql(self.as_str(), out)
            }
        }

        impl ToSql<Text, Sqlite> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(self.as_str());
                Ok(IsNull::No)
            }
        }
    };
}

/// Stores each listed enumeration by its [`Code`] in TEXT columns; the string names the
/// columns, for the error on an unknown value.
macro_rules! stored_as_code {
    ($($ty:ident in $columns:literal),+ $(,)?) => {$(
        written_as_text!($ty);

        impl FromSql<Text, DbBackend> for $ty {
            fn from_sql(bytes: <DbBackend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let stored = bytes.from_sql::<String, Text>()?;
                <$ty as Code>::parse(&stored).ok_or_else(|| {
                    UnknownStoredValue { columns: $columns, type_name: stringify!($ty), value: stored }.into()
                })
            }
        }
    )+};
}

stored_as_code!(
    DecidingBody in "sessions.body",
    SessionStatus in "sessions.status",
    ItemOutcome in "session_items.outcome",
    NotificationKind in "notifications.kind",
    SigningParty in "convention_signatures.party",
    DossierStatus in "dossiers.status, dossier_history.from_status, dossier_history.to_status",
    ProjectKind in "dossiers.project_kind",
    Role in "dossier_history.actor_role, organisation_history.actor_role",
    Outcome in "eligibility_snapshots.overall",
    Recommendation in "assessments.recommendation",
    MovementKind in "envelope_movements.kind",
    ReservationStatus in "reservations.status",
    DisbursementKind in "disbursements.kind",
    DisbursementStatus in "disbursements.status",
    EsusBasis in "organisations.esus_basis",
    EssStatutes in "organisations.ess_statutes",
    AccountsKind in "organisations.accounts_kind",
);

/// Stores each listed typed id (`domain::ids`) as its text in TEXT columns; any text reads back
/// (ids are not validated on the way out of the database, as before).
macro_rules! stored_as_text {
    ($($ty:ident),+ $(,)?) => {$(
        written_as_text!($ty);

        impl FromSql<Text, DbBackend> for $ty {
            fn from_sql(bytes: <DbBackend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                Ok($ty::new(bytes.from_sql::<String, Text>()?))
            }
        }
    )+};
}

stored_as_text!(
    DossierId,
    SchemeId,
    EnvelopeId,
    OrganisationId,
    TerritoryCode,
    DocumentId,
    DisbursementId,
    ReservationId,
    RulesVersionId,
    ReceiptId,
    NotificationId,
    ConventionId,
    ConventionDocumentId,
    GeneratedDocumentId,
    SessionId,
    SessionItemId,
    CallId,
);

// A SIRET is checked when it is made (`Siret::parse`), so only valid ones are written; one read
// back is taken as stored, not checked again (a row stays readable whatever the rule becomes).
written_as_text!(Siret);

impl FromSql<Text, DbBackend> for Siret {
    fn from_sql(bytes: <DbBackend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(Siret::from_storage(bytes.from_sql::<String, Text>()?))
    }
}

/// A stored value that no variant of the type names.
#[derive(Debug)]
pub struct UnknownStoredValue {
    pub columns: &'static str,
    pub type_name: &'static str,
    pub value: String,
}

impl fmt::Display for UnknownStoredValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: unknown {} value {:?}", self.columns, self.type_name, self.value)
    }
}

impl std::error::Error for UnknownStoredValue {}

/// A JSON document kept in a TEXT column (portable: SQLite has no JSON type, and the documents
/// are read whole, never queried into).
#[derive(Debug, Clone, PartialEq, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct Json<T>(pub T);

/// What a JSON column holds, and where: the column is named in errors.
pub trait JsonColumn: Serialize + DeserializeOwned + fmt::Debug + Send + Sync + 'static {
    const COLUMN: &'static str;
}

impl JsonColumn for RulesParameters {
    const COLUMN: &'static str = "rules_versions.parameters";
}

impl JsonColumn for Vec<DeclaredAid> {
    const COLUMN: &'static str = "organisations.de_minimis_aids";
}

impl JsonColumn for Organisation {
    const COLUMN: &'static str = "dossier_submissions.organisation";
}

impl JsonColumn for crate::domain::convention::ConventionContent {
    const COLUMN: &'static str = "convention_documents.content";
}

impl JsonColumn for crate::domain::notification::NotificationContent {
    const COLUMN: &'static str = "notifications.content";
}

impl JsonColumn for crate::domain::procedure::ReceiptContent {
    const COLUMN: &'static str = "receipts.content";
}

impl JsonColumn for Vec<FieldChange> {
    const COLUMN: &'static str = "organisation_history.changes";
}

impl JsonColumn for Vec<crate::domain::rules::GridCriterion> {
    const COLUMN: &'static str = "calls.assessment_grid";
}

impl JsonColumn for Vec<Score> {
    const COLUMN: &'static str = "assessments.scores";
}

/// The codes of the conditions an instructor ticked on an assessment (`instructor_condition`
/// bonuses of the dossier's rules version).
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ConditionCodes(pub Vec<String>);

impl JsonColumn for ConditionCodes {
    const COLUMN: &'static str = "assessments.conditions_met";
}

/// An eligibility report as it was recorded (reasons rendered in English), kept verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct RecordedReport(pub serde_json::Value);

impl JsonColumn for RecordedReport {
    const COLUMN: &'static str = "eligibility_snapshots.report";
}

impl<T: JsonColumn> Json<T> {
    fn encode(&self) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        serde_json::to_string(&self.0).map_err(|e| format!("{}: cannot encode: {e}", T::COLUMN).into())
    }
}

impl<T: JsonColumn> ToSql<Text, Pg> for Json<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        use std::io::Write;
        out.write_all(self.encode()?.as_bytes())?;
        Ok(IsNull::No)
    }
}

impl<T: JsonColumn> ToSql<Text, Sqlite> for Json<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.encode()?);
        Ok(IsNull::No)
    }
}

impl<T: JsonColumn> ToSql<Text, DbBackend> for Json<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DbBackend>) -> serialize::Result {
        out.set_value((Text, self));
        Ok(IsNull::No)
    }
}

impl<T: JsonColumn> FromSql<Text, DbBackend> for Json<T> {
    fn from_sql(bytes: <DbBackend as diesel::backend::Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let stored = bytes.from_sql::<String, Text>()?;
        serde_json::from_str(&stored)
            .map(Json)
            .map_err(|e| format!("{}: not a valid stored document: {e}", T::COLUMN).into())
    }
}

#[cfg(test)]
mod tests {
    use diesel::dsl::sql;
    use diesel::prelude::*;

    use super::*;
    use crate::db::DbConnection;

    fn sqlite() -> DbConnection {
        DbConnection::establish(":memory:").expect("in-memory SQLite")
    }

    /// The error and its causes, as the log shows them.
    fn chain(err: &dyn std::error::Error) -> String {
        let mut text = err.to_string();
        let mut next = err.source();
        while let Some(cause) = next {
            text.push_str(&format!(": {cause}"));
            next = cause.source();
        }
        text
    }

    fn read<T>(conn: &mut DbConnection, literal: &str) -> QueryResult<T>
    where
        T: diesel::deserialize::FromSqlRow<Text, DbBackend> + 'static,
    {
        diesel::select(sql::<Text>(literal)).get_result(conn)
    }

    #[test]
    fn codes_round_trip_through_the_database() {
        let mut conn = sqlite();
        for status in DossierStatus::ALL {
            let back: DossierStatus =
                diesel::select(status.into_sql::<Text>()).get_result(&mut conn).expect("round trip");
            assert_eq!(back, *status);
        }
        assert_eq!(read::<Role>(&mut conn, "'finance'").unwrap(), Role::Finance);
    }

    #[test]
    fn an_unknown_code_is_an_error_naming_the_column() {
        let mut conn = sqlite();
        let err = read::<DossierStatus>(&mut conn, "'archived'").unwrap_err();
        let message = chain(&err);
        assert!(message.contains("dossiers.status,"), "{message}");
        assert!(message.contains("unknown DossierStatus value \"archived\""), "{message}");
        let err = read::<Recommendation>(&mut conn, "'maybe'").unwrap_err();
        assert!(chain(&err).contains("assessments.recommendation"), "{err}");
    }

    #[test]
    fn typed_ids_round_trip_through_the_database() {
        let mut conn = sqlite();
        let id = SchemeId::new("s-1");
        let back: SchemeId =
            diesel::select(id.clone().into_sql::<Text>()).get_result(&mut conn).expect("round trip");
        assert_eq!(back, id);
        assert_eq!(read::<TerritoryCode>(&mut conn, "'normandie'").unwrap(), TerritoryCode::new("normandie"));
    }

    #[test]
    fn json_round_trips_and_a_bad_document_names_the_column() {
        let mut conn = sqlite();
        let scores = Json(vec![Score { criterion: "jobs".into(), score: 3 }]);
        let back: Json<Vec<Score>> =
            diesel::select(scores.clone().into_sql::<Text>()).get_result(&mut conn).expect("round trip");
        assert_eq!(back, scores);
        let err = read::<Json<Vec<Score>>>(&mut conn, "'{not json'").unwrap_err();
        assert!(chain(&err).contains("assessments.scores: not a valid stored document"), "{}", chain(&err));
    }
}

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::common::{merge_patch_field, utc};
use crate::db::envelopes::{EnvelopeRow, MovementRow, ReservationRow};
use crate::domain::checks;
use crate::domain::money::{MovementKind, ReservationStatus};

/// A yearly envelope of a scheme.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewEnvelope {
    pub scheme_id: uuid::Uuid,
    #[schema(minimum = 2000, maximum = 2100, example = 2027)]
    pub year: i32,
    /// The budget voted for the year, in cents.
    #[schema(minimum = 0, maximum = 100000000000i64, example = 50000000)]
    #[validate(custom(function = checks::amount))]
    pub amount_cents: i64,
    #[schema(min_length = 1, max_length = 200, example = "Budget primitif 2027", pattern = "{LINE_PATTERN}")]
    #[validate(custom(function = checks::line::<1, 200>))]
    #[serde(default)]
    pub label: Option<String>,
}

/// Changes to an envelope (JSON Merge Patch). The amount never goes below what is reserved
/// and committed.
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EnvelopePatch {
    #[schema(nullable = false, minimum = 0, maximum = 100000000000i64)]
    #[serde(default, deserialize_with = "merge_patch_field")]
    #[validate(custom(function = checks::amount))]
    pub amount_cents: Option<Option<i64>>,
    #[schema(min_length = 1, max_length = 200, pattern = "{LINE_PATTERN}")]
    #[validate(custom(function = checks::line::<1, 200>))]
    #[serde(default, deserialize_with = "merge_patch_field")]
    pub label: Option<Option<String>>,
}

/// An envelope and its figures; they always equal the sums of its ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnvelopeView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub scheme_id: String,
    pub year: i32,
    pub label: Option<String>,
    #[schema(minimum = 0)]
    pub amount_cents: i64,
    /// Earmarked for identified dossiers.
    #[schema(minimum = 0)]
    pub reserved_cents: i64,
    /// Granted (after amendments and releases).
    #[schema(minimum = 0)]
    pub committed_cents: i64,
    /// Paid.
    #[schema(minimum = 0)]
    pub disbursed_cents: i64,
    /// amount − reserved − committed.
    #[schema(minimum = 0)]
    pub available_cents: i64,
    /// Row version, as in the ETag.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<EnvelopeRow> for EnvelopeView {
    fn from(row: EnvelopeRow) -> Self {
        let available_cents = row.figures().available_cents();
        EnvelopeView {
            id: row.id.into(),
            scheme_id: row.scheme_id.into(),
            year: row.year,
            label: row.label,
            amount_cents: row.amount_cents,
            reserved_cents: row.reserved_cents,
            committed_cents: row.committed_cents,
            disbursed_cents: row.disbursed_cents,
            available_cents,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EnvelopeFilter {
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    pub scheme_id: Option<uuid::Uuid>,
}

/// Money earmarked for an identified dossier.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewReservation {
    /// A dossier of the envelope's scheme, not yet decided.
    pub dossier_id: uuid::Uuid,
    #[schema(minimum = 1, maximum = 100000000000i64, example = 10000000)]
    pub amount_cents: i64,
    /// Why (the budget line, the deliberation that identified the project).
    #[schema(min_length = 1, max_length = 2000, pattern = "{TEXT_REQUIRED_PATTERN}")]
    #[validate(custom(function = checks::text::<1, 2000>))]
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReservationView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub envelope_id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    #[schema(minimum = 1)]
    pub amount_cents: i64,
    pub comment: String,
    pub status: ReservationStatus,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<ReservationRow> for ReservationView {
    fn from(row: ReservationRow) -> Self {
        ReservationView {
            id: row.id.into(),
            envelope_id: row.envelope_id.into(),
            dossier_id: row.dossier_id.into(),
            amount_cents: row.amount_cents,
            comment: row.comment,
            status: row.status,
            created_by: row.created_by,
            created_at: utc(row.created_at),
            closed_at: row.closed_at.map(utc),
        }
    }
}

/// One row of an envelope's ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct MovementView {
    #[schema(format = Uuid)]
    pub id: String,
    pub kind: MovementKind,
    #[schema(format = Uuid)]
    pub dossier_id: Option<String>,
    /// Signed: what it adds to (or takes from) the figure its kind moves.
    pub amount_cents: i64,
    pub at: DateTime<Utc>,
    /// Who (token subject).
    pub actor: String,
    /// The decision or payment reference.
    pub reference: Option<String>,
}

impl From<MovementRow> for MovementView {
    fn from(row: MovementRow) -> Self {
        MovementView {
            id: row.id,
            kind: row.kind,
            dossier_id: row.dossier_id.map(String::from),
            amount_cents: row.amount_cents,
            at: utc(row.at),
            actor: row.actor,
            reference: row.reference,
        }
    }
}

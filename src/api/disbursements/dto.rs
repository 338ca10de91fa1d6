use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::common::{until_today, utc};
use crate::db::disbursements::DisbursementRow;
use crate::domain::checks;
use crate::domain::money::{DisbursementKind, DisbursementStatus};

/// A payment request: the instructor certifies the service done ("service fait").
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewDisbursement {
    pub kind: DisbursementKind,
    /// Requested + paid never exceed the grant.
    #[schema(minimum = 1, maximum = 100000000000i64, example = 2000000)]
    pub amount_cents: i64,
    /// The day the service was certified done.
    #[validate(custom(function = until_today))]
    pub certified_on: NaiveDate,
    #[schema(max_length = 2000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 2000>))]
    #[serde(default)]
    pub comment: Option<String>,
}

/// Finance pays a request.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    #[validate(custom(function = until_today))]
    pub paid_on: NaiveDate,
    /// The payment's reference in the accounting system (mandat).
    #[schema(min_length = 1, max_length = 100, example = "MDT-2027-00412", pattern = "{LINE_PATTERN}")]
    #[validate(custom(function = checks::line::<1, 100>))]
    pub payment_reference: String,
}

/// Finance refuses a request: its amount can be requested again.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RefuseRequest {
    #[schema(min_length = 1, max_length = 2000, pattern = "{TEXT_REQUIRED_PATTERN}")]
    #[validate(custom(function = checks::text::<1, 2000>))]
    pub comment: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DisbursementView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    #[schema(format = Uuid)]
    pub envelope_id: String,
    pub kind: DisbursementKind,
    #[schema(minimum = 1)]
    pub amount_cents: i64,
    pub status: DisbursementStatus,
    pub certified_on: NaiveDate,
    pub comment: Option<String>,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub paid_on: Option<NaiveDate>,
    pub payment_reference: Option<String>,
    pub refusal_comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl From<DisbursementRow> for DisbursementView {
    fn from(row: DisbursementRow) -> Self {
        DisbursementView {
            id: row.id.into(),
            dossier_id: row.dossier_id.into(),
            envelope_id: row.envelope_id.into(),
            kind: row.kind,
            amount_cents: row.amount_cents,
            status: row.status,
            certified_on: row.certified_on,
            comment: row.comment,
            requested_by: row.requested_by,
            requested_at: utc(row.requested_at),
            paid_on: row.paid_on,
            payment_reference: row.payment_reference,
            refusal_comment: row.refusal_comment,
            decided_by: row.decided_by,
            decided_at: row.decided_at.map(utc),
            version: row.version,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DisbursementFilter {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000, default = 1)]
    pub page: Option<i64>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<i64>,
    pub status: Option<DisbursementStatus>,
    /// Year of the request.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

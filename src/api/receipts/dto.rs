use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::common::utc;
use crate::api::letters::LetterView;
use crate::db::generated::GeneratedRow;
use crate::db::receipts::ReceiptRow;
use crate::domain::procedure::{self, SILENCE_MONTHS};

/// The acknowledgement of receipt of one submission (CRPA L112-3, R112-5), as it was issued:
/// what it states never changes, whatever the territory or the organisation becomes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    /// The receipt's number, per territory and year, without gaps.
    #[schema(example = "AR-2026-000012")]
    pub number: String,
    pub year: i32,
    /// Its place in the territory's sequence of the year.
    #[schema(minimum = 1)]
    pub sequence: i32,
    /// The submission it acknowledges: 1 for the first, then one more per resubmission after
    /// changes were asked.
    #[schema(minimum = 1)]
    pub round: i32,
    /// The day the complete request was received (in Paris).
    pub received_on: NaiveDate,
    /// The day the administration's silence becomes an implicit rejection of this request of a
    /// financial nature (CRPA L231-4): two months after `received_on`.
    pub implicit_decision_on: NaiveDate,
    /// How many months an appeal may be brought after a decision (recours gracieux, then the
    /// administrative court).
    pub appeal_months: u32,
    pub issued_at: DateTime<Utc>,
    pub territory_name: String,
    pub service: ServiceView,
    pub applicant: ApplicantView,
    pub dossier_title: String,
    pub scheme_name: String,
    pub requested_cents: Option<i64>,
    pub letter: LetterView,
}

/// The service in charge, as the territory stated it when the receipt was issued.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub name: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
    /// The court appeals go to.
    pub administrative_court: Option<String>,
    pub signatory_title: Option<String>,
}

/// Who asked, as the submission kept the organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantView {
    pub name: String,
    #[schema(example = "73282932000074")]
    pub siret: String,
    pub address: String,
}

impl ReceiptView {
    pub fn new(row: ReceiptRow, letter: GeneratedRow) -> Self {
        let content = row.content.0;
        let href = format!("/api/v1/dossiers/{}/receipts/{}/pdf", row.dossier_id, row.id);
        ReceiptView {
            id: row.id.into(),
            dossier_id: row.dossier_id.into(),
            number: procedure::receipt_label(row.year, row.number),
            year: row.year,
            sequence: row.number,
            round: row.seq,
            received_on: row.received_on,
            implicit_decision_on: row.implicit_decision_on,
            appeal_months: SILENCE_MONTHS,
            issued_at: utc(row.issued_at),
            territory_name: content.territory_name,
            service: ServiceView {
                name: content.service.name,
                address: content.service.address,
                contact: content.service.contact,
                administrative_court: content.service.administrative_court,
                signatory_title: content.service.signatory_title,
            },
            applicant: ApplicantView {
                name: content.applicant.name,
                siret: content.applicant.siret,
                address: content.applicant.address,
            },
            dossier_title: content.dossier_title,
            scheme_name: content.scheme_name,
            requested_cents: content.requested_cents,
            letter: LetterView::new(href, letter),
        }
    }
}

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::common::{until_today_in_paris, utc};
use crate::api::letters::LetterView;
use crate::db::conventions::{ConventionRow, SignedDocument};
use crate::domain::convention::{convention_label, ConventionModel, ScheduleLine, SigningParty};

/// A grant's convention: the convention itself and its amendments, each frozen as drafted with
/// its PDF, and who signed each and when. While a document lacks a signature, no payment may be
/// requested (409 `convention_unsigned`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConventionView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    /// The convention's number, per territory and year, without gaps.
    #[schema(example = "CONV-2026-000012")]
    pub number: String,
    pub year: i32,
    #[schema(minimum = 1)]
    pub sequence: i32,
    /// Whether every document (the convention and each amendment) is signed by both parties.
    pub signed: bool,
    /// The day the convention took effect: its second signature's (also the dossier's
    /// `convention_signed_on`); null until both parties signed it.
    pub effective_on: Option<NaiveDate>,
    /// The convention (`seq` 0), then its amendments in order.
    pub documents: Vec<ConventionDocumentView>,
}

/// The convention or one of its amendments, as drafted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConventionDocumentView {
    #[schema(format = Uuid)]
    pub id: String,
    /// 0 for the convention, 1, 2… for its amendments (avenants).
    #[schema(minimum = 0)]
    pub seq: i32,
    #[schema(example = "CONV-2026-000012-A1")]
    pub number: String,
    pub model: ConventionModel,
    pub granted_cents: i64,
    /// For an amendment: the amount before it, and why.
    pub previous_granted_cents: Option<i64>,
    pub reason: Option<String>,
    pub decision_reference: String,
    pub decided_on: NaiveDate,
    /// The payment schedule: after each step, what is paid in all is at most its amount.
    pub schedule: Vec<ScheduleLine>,
    #[schema(minimum = 0, maximum = 100)]
    pub advance_max_percent: u32,
    pub duration_months: u32,
    /// The project starts within this many months of the convention, or the grant lapses.
    pub start_within_months: u32,
    /// The financial report (CERFA 15059) is due six months after the budget year.
    pub financial_report_due_on: Option<NaiveDate>,
    pub issued_at: DateTime<Utc>,
    pub letter: LetterView,
    pub signatures: Vec<SignatureView>,
    /// Whether both parties signed it.
    pub fully_signed: bool,
}

/// A party's signature of a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureView {
    pub party: SigningParty,
    pub signed_on: NaiveDate,
    /// The signed copy, a document of the dossier, when one was named.
    #[schema(format = Uuid)]
    pub signed_copy_document_id: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl ConventionView {
    pub fn new(convention: ConventionRow, documents: Vec<SignedDocument>) -> Self {
        let documents: Vec<ConventionDocumentView> =
            documents.into_iter().map(|d| ConventionDocumentView::new(&convention, d)).collect();
        let effective_on = documents
            .first()
            .filter(|d| d.fully_signed)
            .and_then(|d| d.signatures.iter().map(|s| s.signed_on).max());
        ConventionView {
            id: convention.id.to_string(),
            dossier_id: convention.dossier_id.to_string(),
            number: convention_label(convention.year, convention.number, 0),
            year: convention.year,
            sequence: convention.number,
            signed: documents.iter().all(|d| d.fully_signed),
            effective_on,
            documents,
        }
    }
}

impl ConventionDocumentView {
    fn new(convention: &ConventionRow, (row, letter, signatures): SignedDocument) -> Self {
        let content = row.content.0;
        let href = format!("/api/v1/dossiers/{}/convention/documents/{}/pdf", row.dossier_id, row.seq);
        let fully_signed = signatures.len() == 2;
        ConventionDocumentView {
            id: row.id.to_string(),
            seq: row.seq,
            number: convention_label(convention.year, convention.number, row.seq),
            model: content.model,
            granted_cents: row.granted_cents,
            previous_granted_cents: content.previous_granted_cents,
            reason: content.reason,
            decision_reference: content.decision_reference,
            decided_on: content.decided_on,
            schedule: content.schedule,
            advance_max_percent: content.advance_max_percent,
            duration_months: content.duration_months,
            start_within_months: content.start_within_months,
            financial_report_due_on: content.financial_report_due_on,
            issued_at: utc(row.issued_at),
            letter: LetterView::new(href, letter),
            signatures: signatures
                .into_iter()
                .map(|s| SignatureView {
                    party: s.party,
                    signed_on: s.signed_on,
                    signed_copy_document_id: s.signed_copy_id.map(|id| id.to_string()),
                    recorded_at: utc(s.recorded_at),
                })
                .collect(),
            fully_signed,
        }
    }
}

/// A party's signature of the convention or of one of its amendments.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    /// Who signed: an applicant signs for the beneficiary only (the default for applicants);
    /// staff record either party's signature, from the signed copy received (the territory's
    /// by default).
    #[serde(default)]
    pub party: Option<SigningParty>,
    /// The day signed: not before the document was drafted, nor after today.
    #[validate(custom(function = until_today_in_paris))]
    pub signed_on: NaiveDate,
    /// Which document: 0 for the convention, 1, 2… for its amendments; by default the first
    /// this party has not signed.
    #[schema(minimum = 0, maximum = 1000)]
    #[validate(range(min = 0, max = 1000))]
    #[serde(default)]
    pub seq: Option<i32>,
    /// The signed copy, uploaded as a document of the dossier (type `convention_signee`).
    #[serde(default)]
    pub signed_copy_document_id: Option<uuid::Uuid>,
}

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::common::{until_today_in_paris, utc};
use crate::api::letters::LetterView;
use crate::db::notifications::NotificationWithLetter;
use crate::domain::notification::{notification_label, NotificationKind, APPEAL_MONTHS};

/// The notification of one decision, as it was issued: what it states never changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    /// The notification's number, per territory and year, without gaps.
    #[schema(example = "NOT-2027-000012")]
    pub number: String,
    pub year: i32,
    #[schema(minimum = 1)]
    pub sequence: i32,
    pub kind: NotificationKind,
    /// The date of the decision notified.
    pub decided_on: NaiveDate,
    /// The deliberation's or decision's reference; none for a refusal decided by the service.
    pub decision_reference: Option<String>,
    /// Who decided when a session's deliberation did (`le Bureau`).
    pub deciding_body: Option<String>,
    pub granted_cents: Option<i64>,
    /// The amount granted before an amendment or a cancellation.
    pub previous_granted_cents: Option<i64>,
    /// The reasons the letter gives (a refusal's, an amendment's, a cancellation's).
    pub reasons: Vec<String>,
    pub conditions: Option<String>,
    /// Whether the grant needs a convention signed before any payment.
    pub convention_required: bool,
    pub issued_at: DateTime<Utc>,
    /// The day the applicant received it, once recorded: the appeal period starts.
    pub notified_on: Option<NaiveDate>,
    /// The last day an appeal may be brought (two clear months after `notified_on`, to the next
    /// working day), once the reception is recorded.
    pub appeal_until: Option<NaiveDate>,
    /// How many months an appeal may be brought after the reception (CJA R421-1).
    pub appeal_months: u32,
    pub letter: LetterView,
}

impl From<NotificationWithLetter> for NotificationView {
    fn from((row, letter, reception): NotificationWithLetter) -> Self {
        let content = row.content.0;
        let href = format!("/api/v1/dossiers/{}/notifications/{}/pdf", row.dossier_id, row.id);
        NotificationView {
            id: row.id.into(),
            dossier_id: row.dossier_id.into(),
            number: notification_label(row.year, row.number),
            year: row.year,
            sequence: row.number,
            kind: row.kind,
            decided_on: row.decided_on,
            decision_reference: row.decision_reference,
            deciding_body: content.deciding_body,
            granted_cents: content.granted_cents,
            previous_granted_cents: content.previous_granted_cents,
            reasons: content.reasons,
            conditions: content.conditions,
            convention_required: content.convention_required,
            issued_at: utc(row.issued_at),
            notified_on: reception.as_ref().map(|r| r.notified_on),
            appeal_until: reception.as_ref().map(|r| r.appeal_until),
            appeal_months: APPEAL_MONTHS,
            letter: LetterView::new(href, letter),
        }
    }
}

/// The day the applicant received the notification (the postal acknowledgement's date, or the
/// day it was opened in the client app).
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ReceptionRequest {
    /// Not before the notification was issued, nor after today.
    #[validate(custom(function = until_today_in_paris))]
    pub notified_on: NaiveDate,
}

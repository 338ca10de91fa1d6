//! The notification of a decision (CRPA L211-2, L211-5): issued in the decision's transaction
//! (grant, refusal, amendment, cancellation), numbered per territory and year, its letter made
//! from the territory's template and kept with it; the decision's history says so.

use super::letter::{self, Letter, Parties, Readings};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::db::conventions;
use crate::db::dossiers::DossierRow;
use crate::db::notifications::{self, NotificationRow};
use crate::db::types::Json;
use crate::db::{counters, new_id, DbConnection};
use crate::domain::access::Caller;
use crate::domain::ids::{GeneratedDocumentId, NotificationId};
use crate::domain::lang::{cents_text, date_in};
use crate::domain::notification::{notification_label, NotificationContent, NotificationKind};
use crate::domain::procedure::{self, Series};
use crate::domain::sessions::DecidingBody;
use crate::domain::{Code, Lang};
use crate::error::ApiResult;
use crate::letters::{LetterKind, Templates};
use crate::text;

/// The decision a notification states.
#[derive(Debug, Clone)]
pub struct Decision {
    pub kind: NotificationKind,
    /// The deliberation's or the decision's reference, when it has one.
    pub reference: Option<String>,
    pub decided_on: NaiveDate,
    /// The session's deciding body, when a deliberation decided.
    pub body: Option<DecidingBody>,
    pub granted_cents: Option<i64>,
    pub previous_granted_cents: Option<i64>,
    pub reasons: Vec<String>,
    pub conditions: Option<String>,
}

impl Decision {
    /// A decision of `kind` on `decided_on`, with nothing else said yet.
    pub fn new(kind: NotificationKind, decided_on: NaiveDate) -> Self {
        Decision {
            kind,
            reference: None,
            decided_on,
            body: None,
            granted_cents: None,
            previous_granted_cents: None,
            reasons: Vec::new(),
            conditions: None,
        }
    }

    /// The reasons given in one free text, if not blank.
    pub fn with_reason(mut self, reason: Option<&str>) -> Self {
        if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
            self.reasons.push(reason.to_string());
        }
        self
    }
}

/// Issues the notification of `decision` on `dossier` (as the decision left it), at `at`; the
/// dossier no longer shows the previous decision's reception.
pub fn issue(
    conn: &mut DbConnection,
    templates: &Templates,
    caller: &Caller,
    readings: &mut Readings,
    dossier: &mut DossierRow,
    decision: Decision,
    at: NaiveDateTime,
) -> ApiResult<NotificationRow> {
    let Parties { territory, scheme, organisation } = readings.parties(conn, dossier)?;
    // The grant's convention, drafted before its notification where one is due.
    let convention_required = conventions::of_dossier(conn, &dossier.id)?.is_some();
    let content = NotificationContent {
        territory_name: territory.name.clone(),
        territory_siret: territory.siret.as_ref().map(|s| s.as_str().to_string()),
        service: territory.service.clone().into(),
        applicant: organisation.as_applicant(),
        dossier_title: dossier.content.title.clone(),
        scheme_name: scheme.name.clone(),
        requested_cents: dossier.content.requested_cents,
        deciding_body: decision.body.map(body_subject),
        granted_cents: decision.granted_cents,
        previous_granted_cents: decision.previous_granted_cents,
        reasons: decision.reasons,
        conditions: decision.conditions.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
        convention_required,
    };
    let issued_on = procedure::paris_date(at);
    let year = procedure::receipt_year(issued_on);
    let number = counters::next_number(conn, &dossier.territory, Series::Notification, year)?;
    let row = NotificationRow {
        id: NotificationId::from(new_id()),
        dossier_id: dossier.id.clone(),
        territory: dossier.territory.clone(),
        year,
        number,
        kind: decision.kind,
        decided_on: decision.decided_on,
        decision_reference: decision.reference.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()),
        content: Json(content),
        document_id: GeneratedDocumentId::from(new_id()),
        issued_by: caller.sub.clone(),
        issued_at: at,
    };
    let letter = Letter {
        kind: LetterKind::Notification,
        document_id: &row.document_id,
        title: notification_label(year, number),
        context: letter_context(&row),
        history_line: issued_line(row.kind, notification_label(year, number)),
    };
    letter::issue(conn, templates, caller, dossier, letter, at)?;
    notifications::insert(conn, &row, dossier.notified_on.is_some() || dossier.appeal_until.is_some())?;
    dossier.notified_on = None;
    dossier.appeal_until = None;
    Ok(row)
}

/// The history's line of a notification issued.
fn issued_line(kind: NotificationKind, number: String) -> String {
    match kind {
        NotificationKind::Grant => text!("history-notification-grant", number = number),
        NotificationKind::Refusal => text!("history-notification-refusal", number = number),
        NotificationKind::Amendment => text!("history-notification-amendment", number = number),
        NotificationKind::Cancellation => text!("history-notification-cancellation", number = number),
    }
    .stored()
}

/// The deciding body as the subject of the letter's sentence (`le Bureau a décidé…`).
fn body_subject(body: DecidingBody) -> String {
    match body {
        DecidingBody::Council => text!("notification-body-council"),
        DecidingBody::Bureau => text!("notification-body-bureau"),
        DecidingBody::StandingCommittee => text!("notification-body-standing-committee"),
    }
    .stored()
}

/// What the notification's template is given: every value already written as a French letter
/// writes it; what is not known is null.
pub fn letter_context(row: &NotificationRow) -> serde_json::Value {
    let content = &row.content.0;
    let date = |d| date_in(d, Lang::Fr);
    let amount = |cents: Option<i64>| cents.map(|c| cents_text(c).0);
    json!({
        "territory": procedure::letterhead(&content.territory_name, content.territory_siret.as_deref(), &content.service),
        "notification": {
            "kind": row.kind.as_str(),
            "issued_on": date(procedure::paris_date(row.issued_at)),
            "number": notification_label(row.year, row.number),
        },
        "decision": {
            "reference": row.decision_reference,
            "decided_on": date(row.decided_on),
            "body": content.deciding_body,
            "granted": amount(content.granted_cents),
            "previous_granted": amount(content.previous_granted_cents),
            "reasons": content.reasons,
            "conditions": content.conditions,
            "convention_required": content.convention_required,
        },
        "dossier": {
            "id": row.dossier_id.as_str(),
            "title": content.dossier_title,
            "scheme": content.scheme_name,
            "requested": amount(content.requested_cents),
        },
        "applicant": {
            "name": content.applicant.name,
            "siret": content.applicant.siret,
            "address": content.applicant.address,
        },
    })
}

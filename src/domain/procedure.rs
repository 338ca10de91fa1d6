//! The administrative procedure around a decision (code des relations entre le public et
//! l'administration, CRPA): the acknowledgement of receipt of each complete submission, and the
//! day on which the administration's silence becomes an implicit rejection.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};

use crate::domain::lifecycle::DossierStatus;

/// For a request of a financial nature, two months' silence is an implicit rejection (CRPA
/// L231-4 3°).
pub const SILENCE_MONTHS: u32 = 2;

/// The calendar day (in Paris, where the territories are) of a moment kept in UTC: the day a
/// submission was received, whatever the server's own time zone.
pub fn paris_date(at: NaiveDateTime) -> NaiveDate {
    DateTime::<Utc>::from_naive_utc_and_offset(at, Utc).with_timezone(&Paris).date_naive()
}

/// The day on which silence becomes an implicit rejection, for a request received on
/// `received_on`: two months later, on the day of the month with the same number (a request
/// received on 15 January is implicitly rejected on 15 March), or on the month's last day when
/// it has no such day (received on 31 December: 28 or 29 February). That is how the
/// administrative judge counts a delay in months; a delay for the administration to decide is
/// not extended when its last day is a Sunday or a holiday (the extension of article 642 of the
/// code of civil procedure serves those who must act, not the one who stays silent).
pub fn implicit_decision_on(received_on: NaiveDate) -> NaiveDate {
    // chrono keeps the day of the month, or takes the month's last day when it has none.
    received_on.checked_add_months(Months::new(SILENCE_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// Whether a decision is due on a dossier in `status`, so that its silence date runs: once
/// submitted and until it is decided, withdrawn or sent back for changes (the delay then runs
/// again from the arrival of the pieces asked for, CRPA L114-5: the next submission).
pub fn decision_due(status: DossierStatus) -> bool {
    matches!(status, DossierStatus::Submitted | DossierStatus::UnderReview)
}

/// The dossier's silence date after a move to `to`: the new receipt's date when the move is a
/// submission, the one it had while a decision stays due, none otherwise.
pub fn silence_date_after(
    to: DossierStatus,
    received: Option<NaiveDate>,
    current: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if !decision_due(to) {
        return None;
    }
    received.map(implicit_decision_on).or(current)
}

/// The sequences of numbered documents a territory keeps, one per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    Receipt,
    Notification,
    Convention,
}

impl Series {
    pub fn as_str(self) -> &'static str {
        match self {
            Series::Receipt => "receipt",
            Series::Notification => "notification",
            Series::Convention => "convention",
        }
    }
}

/// A receipt's number as people read it: `AR-2026-000012` (numbered per territory and year).
pub fn receipt_label(year: i32, number: i32) -> String {
    format!("AR-{year}-{number:06}")
}

/// The year whose sequence numbers a receipt of `received_on`.
pub fn receipt_year(received_on: NaiveDate) -> i32 {
    received_on.year()
}

/// The service in charge of the procedure, as the territory states it in its letters (each
/// part optional: a letter then uses a general wording).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInCharge {
    /// E.g. `Direction de l'économie sociale et solidaire`.
    pub name: Option<String>,
    pub address: Option<String>,
    /// An email address, a telephone number.
    pub contact: Option<String>,
    /// The administrative court appeals go to, with its address.
    pub administrative_court: Option<String>,
    /// Who signs the territory's letters, e.g. `Le Président, par délégation`.
    pub signatory_title: Option<String>,
}

/// Who asked, as the submission kept the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub name: String,
    pub siret: String,
    /// One line: street, postal code and city.
    pub address: String,
}

/// What a receipt states, frozen when it is issued: the letter is made from it, and the API
/// shows it as it was, whatever the territory or the organisation becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptContent {
    pub territory_name: String,
    pub service: ServiceInCharge,
    pub applicant: Applicant,
    pub dossier_title: String,
    pub scheme_name: String,
    pub requested_cents: Option<i64>,
}

/// The territory's letterhead as every letter template is given it: its name and SIRET, the
/// service in charge (each part null when not set) and the court appeals go to.
pub fn letterhead(name: &str, siret: Option<&str>, service: &ServiceInCharge) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "siret": siret,
        "service": {
            "name": service.name,
            "address": service.address,
            "contact": service.contact,
            "signatory_title": service.signatory_title,
        },
        "court": service.administrative_court,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn silence_becomes_a_rejection_two_months_later_on_the_same_day_of_the_month() {
        assert_eq!(implicit_decision_on(d(2026, 1, 15)), d(2026, 3, 15));
        assert_eq!(implicit_decision_on(d(2026, 12, 7)), d(2027, 2, 7));
        assert_eq!(implicit_decision_on(d(2026, 11, 30)), d(2027, 1, 30));
    }

    #[test]
    fn a_month_without_that_day_ends_the_delay_on_its_last_day() {
        assert_eq!(implicit_decision_on(d(2026, 12, 31)), d(2027, 2, 28));
        assert_eq!(implicit_decision_on(d(2027, 12, 31)), d(2028, 2, 29));
        assert_eq!(implicit_decision_on(d(2026, 7, 31)), d(2026, 9, 30));
        assert_eq!(implicit_decision_on(d(2026, 8, 31)), d(2026, 10, 31));
    }

    #[test]
    fn a_day_in_utc_is_read_as_the_day_in_paris() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        // Winter: UTC+1; summer: UTC+2.
        assert_eq!(paris_date(at("2026-12-31 22:59:59")), d(2026, 12, 31));
        assert_eq!(paris_date(at("2026-12-31 23:00:00")), d(2027, 1, 1));
        assert_eq!(paris_date(at("2026-06-30 21:59:59")), d(2026, 6, 30));
        assert_eq!(paris_date(at("2026-06-30 22:00:00")), d(2026, 7, 1));
    }

    #[test]
    fn the_silence_date_runs_only_while_a_decision_is_due() {
        let received = Some(d(2026, 12, 7));
        let current = Some(d(2026, 10, 1));
        assert_eq!(silence_date_after(DossierStatus::Submitted, received, current), Some(d(2027, 2, 7)));
        assert_eq!(silence_date_after(DossierStatus::UnderReview, None, current), current);
        for stopped in [
            DossierStatus::ChangesRequested,
            DossierStatus::Approved,
            DossierStatus::Rejected,
            DossierStatus::Dismissed,
            DossierStatus::Withdrawn,
        ] {
            assert_eq!(silence_date_after(stopped, None, current), None, "{stopped:?}");
        }
    }

    #[test]
    fn receipts_are_numbered_per_year_in_six_digits() {
        assert_eq!(receipt_label(2026, 12), "AR-2026-000012");
        assert_eq!(receipt_label(2027, 1_234_567), "AR-2027-1234567");
    }
}

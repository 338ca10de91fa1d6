//! Money: yearly envelopes, their ledger, grants and disbursements (DESIGN.md, "Money").
//! Amounts are integer cents. What must hold across instances is enforced by the database;
//! this module says what the figures mean and checks the inputs.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::checks::{check_amount, check_cell_line, check_date};
use super::{FieldCode, FieldError};
use crate::text;

/// What a ledger movement moves. Reservations move `reserved`; commitments, amendments and
/// releases move `committed`; payments move `disbursed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Money earmarked for an identified dossier.
    Reservation,
    /// An earmark given back (deleted, or consumed by the dossier's approval).
    ReservationRelease,
    /// A grant decided.
    Commitment,
    /// A grant raised or lowered by an amendment (avenant).
    Amendment,
    /// The unpaid remainder of a grant given back (cancellation, or the balance paid).
    Release,
    /// A disbursement paid.
    Payment,
}

/// Which figure of its envelope a movement changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Reserved,
    Committed,
    Disbursed,
}

impl MovementKind {
    pub fn figure(self) -> Figure {
        match self {
            Self::Reservation | Self::ReservationRelease => Figure::Reserved,
            Self::Commitment | Self::Amendment | Self::Release => Figure::Committed,
            Self::Payment => Figure::Disbursed,
        }
    }
}

/// An earmark's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatus {
    Active,
    /// Used by the dossier's approval.
    Consumed,
    Released,
}

/// What a payment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisbursementKind {
    Advance,
    Installment,
    /// The last payment: paying it closes the dossier and releases what was not paid.
    Balance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisbursementStatus {
    /// Certified by the instructor, waiting for finance.
    Requested,
    Paid,
    /// Refused by finance: its amount can be requested again.
    Refused,
}

/// An envelope's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EnvelopeFigures {
    pub amount_cents: i64,
    pub reserved_cents: i64,
    pub committed_cents: i64,
    pub disbursed_cents: i64,
}

impl EnvelopeFigures {
    /// What can still be reserved or committed.
    pub fn available_cents(&self) -> i64 {
        self.amount_cents - self.reserved_cents - self.committed_cents
    }

    /// The figures a ledger adds up to: `(kind, signed amount)` movements from zero.
    pub fn from_ledger(amount_cents: i64, movements: impl IntoIterator<Item = (MovementKind, i64)>) -> Self {
        let mut figures = EnvelopeFigures { amount_cents, ..Self::default() };
        for (kind, cents) in movements {
            match kind.figure() {
                Figure::Reserved => figures.reserved_cents += cents,
                Figure::Committed => figures.committed_cents += cents,
                Figure::Disbursed => figures.disbursed_cents += cents,
            }
        }
        figures
    }
}

/// The earliest year an envelope or a decision may concern.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

/// Checks a decision's date (the deliberation: never in the future), its reference and the
/// optional convention date, under the given field names.
pub fn check_decision(
    errors: &mut Vec<FieldError>,
    decided_on: NaiveDate,
    reference: &str,
    convention_signed_on: Option<NaiveDate>,
    today: NaiveDate,
) {
    let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("date");
    check_date(errors, "decided_on", decided_on, first, today);
    check_cell_line(errors, "decision_reference", reference, 1, 100);
    if let Some(signed) = convention_signed_on {
        check_date(errors, "convention_signed_on", signed, decided_on, today);
    }
}

/// The act a money date must not precede.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorAct {
    /// The grant's decision (`decided_on`): certifications, payments, amendments and the
    /// cancellation come after it.
    Decision,
    /// The certification of the service done (`certified_on`): its payment comes after it.
    Certification,
}

/// Money dates follow the acts: decision ≤ certification ≤ payment, and an amendment or a
/// cancellation is decided on or after the grant. A `date` before its `prior` act's date is a
/// field error `before_decision` / `before_certification`, naming that date.
pub fn check_follows(
    errors: &mut Vec<FieldError>,
    field: &str,
    date: NaiveDate,
    prior: PriorAct,
    prior_on: NaiveDate,
) {
    if date >= prior_on {
        return;
    }
    errors.push(match prior {
        PriorAct::Decision => FieldError::new(
            field,
            FieldCode::BeforeDecision,
            text!("money-rule-before-decision", field = field, day = prior_on),
        ),
        PriorAct::Certification => FieldError::new(
            field,
            FieldCode::BeforeCertification,
            text!("money-rule-before-certification", field = field, day = prior_on),
        ),
    });
}

/// Checks an amount of money that must be positive.
pub fn check_positive_amount(errors: &mut Vec<FieldError>, field: &str, cents: i64) {
    if cents <= 0 {
        errors.push(FieldError::new(
            field,
            FieldCode::NotPositive,
            text!("money-rule-not-positive", field = field),
        ));
    } else {
        check_amount(errors, field, cents);
    }
}

/// Checks an envelope's year.
pub fn check_year(errors: &mut Vec<FieldError>, field: &str, year: i32) {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        errors.push(FieldError::new(
            field,
            FieldCode::OutOfRange,
            text!("money-rule-year-out-of-range", field = field, first = &FIRST_YEAR, last = &LAST_YEAR),
        ));
    }
}

/// The year of the envelope a decision commits against: the deliberation's, not the click's.
pub fn budget_year(decided_on: NaiveDate) -> i32 {
    decided_on.year()
}

/// An amount for a French reader: `12 345,67 €` (narrow no-break space between thousands), as
/// the history's sentences, which are French, write it.
pub fn euros(cents: i64) -> String {
    super::lang::cents_text(cents).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_adds_up_to_the_figures() {
        let f = EnvelopeFigures::from_ledger(
            500_000_00,
            [
                (MovementKind::Reservation, 100_000_00),
                (MovementKind::ReservationRelease, -100_000_00),
                (MovementKind::Commitment, 80_000_00),
                (MovementKind::Amendment, -5_000_00),
                (MovementKind::Payment, 30_000_00),
                (MovementKind::Release, -45_000_00),
            ],
        );
        assert_eq!(
            f,
            EnvelopeFigures {
                amount_cents: 500_000_00,
                reserved_cents: 0,
                committed_cents: 30_000_00,
                disbursed_cents: 30_000_00
            }
        );
        assert_eq!(f.available_cents(), 470_000_00);
    }

    #[test]
    fn a_decision_is_dated_by_its_deliberation_never_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let mut errors = Vec::new();
        check_decision(&mut errors, today, "DEL-2026-114", Some(today), today);
        assert!(errors.is_empty(), "{errors:?}");
        check_decision(&mut errors, today.succ_opt().unwrap(), "", today.pred_opt(), today);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["decided_on", "decision_reference", "convention_signed_on"]);
        assert_eq!(budget_year(NaiveDate::from_ymd_opt(2022, 12, 31).unwrap()), 2022);
    }

    #[test]
    fn euros_read_as_french_amounts() {
        assert_eq!(euros(50_000_000_00), "50\u{202f}000\u{202f}000,00\u{a0}€");
        assert_eq!(euros(259_209_00), "259\u{202f}209,00\u{a0}€");
        assert_eq!(euros(5), "0,05\u{a0}€");
        assert_eq!(euros(-1_234_56), "-1\u{202f}234,56\u{a0}€");
    }

    #[test]
    fn amounts_must_be_positive_and_sane() {
        let mut errors = Vec::new();
        check_positive_amount(&mut errors, "amount_cents", 1);
        assert!(errors.is_empty());
        check_positive_amount(&mut errors, "amount_cents", 0);
        check_positive_amount(&mut errors, "granted_cents", i64::MAX);
        check_year(&mut errors, "year", 1999);
        let codes: Vec<(&str, &str)> =
            errors.iter().map(|e| (e.field.as_str(), crate::domain::Code::as_str(e.code))).collect();
        assert_eq!(codes[0], ("amount_cents", "not_positive"));
        assert_eq!(codes[1].0, "granted_cents");
        assert_eq!(codes[2], ("year", "out_of_range"));
    }
}

//! The notification of a decision (CRPA L211-2, L211-5): what it states, frozen when it is
//! issued, and the appeal period its reception opens (code de justice administrative R421-1:
//! two months, counted as a "délai franc" and extended to the next working day).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::procedure::{Applicant, ServiceInCharge};

/// The appeal period after a decision is notified, in months (CJA R421-1).
pub const APPEAL_MONTHS: u32 = 2;

/// The decisions that are notified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A grant (by delegation or by a session's deliberation).
    Grant,
    /// A refusal, with its reasons.
    Refusal,
    /// An amendment of the amount granted.
    Amendment,
    /// The withdrawal of a grant.
    Cancellation,
}

/// A notification's number as people read it: `NOT-2026-000012` (per territory and year).
pub fn notification_label(year: i32, number: i32) -> String {
    format!("NOT-{year}-{number:06}")
}

/// What a notification states, frozen when it is issued: the letter is made from it, and the
/// API shows it as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationContent {
    pub territory_name: String,
    pub territory_siret: Option<String>,
    pub service: ServiceInCharge,
    pub applicant: Applicant,
    pub dossier_title: String,
    pub scheme_name: String,
    pub requested_cents: Option<i64>,
    /// Who decided, when a session's deliberation did (`le Bureau`); none for a decision taken
    /// by delegation.
    pub deciding_body: Option<String>,
    pub granted_cents: Option<i64>,
    /// The amount granted before an amendment or a cancellation.
    pub previous_granted_cents: Option<i64>,
    /// The reasons of a refusal, an amendment or a cancellation (CRPA L211-5: in the letter).
    pub reasons: Vec<String>,
    pub conditions: Option<String>,
    /// Whether the grant needs a convention signed before any payment.
    pub convention_required: bool,
}

/// The last day an appeal may be brought against a decision notified on `notified_on`: two
/// months counted as a "délai franc" (neither the day of notification nor the day it falls on
/// counts: notified on 10 March, an appeal may be filed until 11 May), extended to the next
/// working day when that day is a Saturday, a Sunday or a public holiday (article 642 of the
/// code of civil procedure, which the administrative judge applies).
pub fn appeal_until(notified_on: NaiveDate) -> NaiveDate {
    let mut day = notified_on
        .checked_add_months(Months::new(APPEAL_MONTHS))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .unwrap_or(NaiveDate::MAX);
    while !is_working_day(day) && day < NaiveDate::MAX {
        day = day.succ_opt().unwrap_or(NaiveDate::MAX);
    }
    day
}

/// Whether `day` is a working day in France: not a Saturday or Sunday, nor one of the eleven
/// public holidays of the labour code (L3133-1) every department keeps.
pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(day)
}

/// The public holidays of article L3133-1 of the labour code: eight on fixed dates, and Easter
/// Monday, Ascension Thursday and Whit Monday.
pub fn is_public_holiday(day: NaiveDate) -> bool {
    const FIXED: [(u32, u32); 8] = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)];
    if FIXED.contains(&(day.month(), day.day())) {
        return true;
    }
    let Some(easter) = easter_sunday(day.year()) else {
        return false;
    };
    [1, 39, 50].iter().any(|offset| easter.checked_add_days(Days::new(*offset)) == Some(day))
}

/// Easter Sunday of a Gregorian year (the anonymous algorithm of Meeus, Jones and Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_falls_on_its_known_dates() {
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter_sunday(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter_sunday(2027), Some(d(2027, 3, 28)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25)));
    }

    #[test]
    fn the_moving_holidays_follow_easter() {
        // 2027: Easter Monday 29 March, Ascension 6 May, Whit Monday 17 May.
        assert!(is_public_holiday(d(2027, 3, 29)));
        assert!(is_public_holiday(d(2027, 5, 6)));
        assert!(is_public_holiday(d(2027, 5, 17)));
        assert!(!is_public_holiday(d(2027, 3, 28)));
        assert!(is_public_holiday(d(2027, 7, 14)));
        assert!(!is_public_holiday(d(2027, 7, 15)));
    }

    #[test]
    fn an_appeal_runs_two_clear_months_from_the_notification() {
        // Notified Wednesday 10 March 2027: 11 May 2027 is a Tuesday.
        assert_eq!(appeal_until(d(2027, 3, 10)), d(2027, 5, 11));
        // Notified 30 December 2026: 28 February 2027 is the month's last day, plus one: 1 March (a Monday).
        assert_eq!(appeal_until(d(2026, 12, 30)), d(2027, 3, 1));
    }

    #[test]
    fn an_appeal_period_ending_on_a_weekend_or_holiday_ends_on_the_next_working_day() {
        // Notified 4 December 2026: 5 February 2027 is a Friday.
        assert_eq!(appeal_until(d(2026, 12, 4)), d(2027, 2, 5));
        // Notified 5 December 2026: 6 February 2027 is a Saturday: Monday 8 February.
        assert_eq!(appeal_until(d(2026, 12, 5)), d(2027, 2, 8));
        // Notified 13 May 2027: 14 July is a holiday (a Wednesday): Thursday 15 July.
        assert_eq!(appeal_until(d(2027, 5, 13)), d(2027, 7, 15));
        // Notified 4 March 2027: 5 May, Wednesday; Ascension is 6 May. Notified 5 March: 6 May, holiday, then Friday 7 May.
        assert_eq!(appeal_until(d(2027, 3, 4)), d(2027, 5, 5));
        assert_eq!(appeal_until(d(2027, 3, 5)), d(2027, 5, 7));
    }

    #[test]
    fn labels_are_padded() {
        assert_eq!(notification_label(2027, 12), "NOT-2027-000012");
    }
}

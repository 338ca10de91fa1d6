//! Calls for projects: a scheme's call opens and closes at instants (kept in UTC, shown in
//! Europe/Paris), draws on the envelope of one budget year and may score its dossiers on its own
//! grid. A dossier answering it is submitted between its opening and its closing; a later
//! resubmission (after changes were asked) is the same request, received in time.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Europe::Paris;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ProblemCode;
use crate::domain::lang::Text;
use crate::text;

/// Where a call stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// Before its opening: dossiers may be drafted, not submitted.
    Upcoming,
    /// Between its opening (included) and its closing (excluded).
    Open,
    /// From its closing: no dossier answers it any more.
    Closed,
}

/// A call's window, as stored (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
}

impl Window {
    /// Where the call stands at `at`.
    pub fn state_at(&self, at: NaiveDateTime) -> CallState {
        if at < self.opens_at {
            CallState::Upcoming
        } else if at < self.closes_at {
            CallState::Open
        } else {
            CallState::Closed
        }
    }

    /// Whether a first submission at `at` is received: 409 `call_not_open` before the opening,
    /// `call_closed` from the closing, each saying when, in Paris time.
    pub fn receives_at(&self, at: NaiveDateTime) -> Result<(), (ProblemCode, Text)> {
        match self.state_at(at) {
            CallState::Open => Ok(()),
            CallState::Upcoming => {
                Err((ProblemCode::CallNotOpen, text!("calls-not-open", opens_at = paris_time(self.opens_at))))
            }
            CallState::Closed => {
                Err((ProblemCode::CallClosed, text!("calls-closed", closes_at = paris_time(self.closes_at))))
            }
        }
    }

    /// Whether a dossier may still be opened on the call at `at`: until its closing.
    pub fn takes_drafts_at(&self, at: NaiveDateTime) -> Result<(), (ProblemCode, Text)> {
        match self.state_at(at) {
            CallState::Closed => self.receives_at(at),
            CallState::Upcoming | CallState::Open => Ok(()),
        }
    }
}

/// An instant kept in UTC, as a Paris wall clock reads it (`2027-03-31 12:00`).
pub fn paris_time(at: NaiveDateTime) -> String {
    in_paris(at).format("%Y-%m-%d %H:%M").to_string()
}

/// An instant kept in UTC, with the offset Paris has then (`+01:00` in winter, `+02:00` in
/// summer).
pub fn in_paris(at: NaiveDateTime) -> DateTime<chrono::FixedOffset> {
    DateTime::<Utc>::from_naive_utc_and_offset(at, Utc).with_timezone(&Paris).fixed_offset()
}

/// Ranks annex lines by weighted total, highest first; the unscored last; equal totals keep
/// their order (the agenda's). Returns each line's rank (1-based, equal totals share a rank).
pub fn ranks(totals: &[Option<f64>]) -> Vec<(usize, Option<u32>)> {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| match (totals[a], totals[b]) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut ranked = Vec::with_capacity(order.len());
    let mut rank = 0u32;
    let mut previous: Option<f64> = None;
    for (place, index) in order.into_iter().enumerate() {
        let rank_here = match totals[index] {
            None => None,
            Some(total) => {
                if previous != Some(total) {
                    rank = place as u32 + 1;
                    previous = Some(total);
                }
                Some(rank)
            }
        };
        ranked.push((index, rank_here));
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn a_window_is_open_from_its_opening_to_just_before_its_closing() {
        let window = Window { opens_at: at(2027, 1, 10, 8, 0), closes_at: at(2027, 3, 31, 10, 0) };
        assert_eq!(window.state_at(at(2027, 1, 10, 7, 59)), CallState::Upcoming);
        assert_eq!(window.state_at(at(2027, 1, 10, 8, 0)), CallState::Open);
        assert_eq!(window.state_at(at(2027, 3, 31, 9, 59)), CallState::Open);
        assert_eq!(window.state_at(at(2027, 3, 31, 10, 0)), CallState::Closed);
        assert_eq!(window.receives_at(at(2027, 3, 31, 10, 0)).unwrap_err().0, ProblemCode::CallClosed);
        assert_eq!(window.receives_at(at(2027, 1, 1, 0, 0)).unwrap_err().0, ProblemCode::CallNotOpen);
        assert!(window.takes_drafts_at(at(2027, 1, 1, 0, 0)).is_ok());
        assert!(window.takes_drafts_at(at(2027, 4, 1, 0, 0)).is_err());
    }

    #[test]
    fn paris_time_follows_summer_time() {
        // 10:00 UTC is noon in Paris on 31 March 2027 (summer time), 11:00 on 10 January.
        assert_eq!(paris_time(at(2027, 3, 31, 10, 0)), "2027-03-31 12:00");
        assert_eq!(paris_time(at(2027, 1, 10, 10, 0)), "2027-01-10 11:00");
        assert_eq!(in_paris(at(2027, 3, 31, 10, 0)).to_rfc3339(), "2027-03-31T12:00:00+02:00");
    }

    #[test]
    fn ranks_put_the_highest_total_first_and_the_unscored_last() {
        let ranked = ranks(&[Some(55.0), None, Some(80.5), Some(55.0), Some(12.25)]);
        assert_eq!(ranked, vec![(2, Some(1)), (0, Some(2)), (3, Some(2)), (4, Some(4)), (1, None)]);
    }
}

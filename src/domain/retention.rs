//! How long personal data is kept: what `essor purge --before YEAR` takes and what it erases.
//!
//! A dossier is purged once its story is over (a [final](DossierStatus::FINAL) state) and
//! nothing has happened to it since before 1 January of YEAR. Purging removes its documents,
//! the free text people wrote (description, comments, notes) and who did what (actor ids become
//! [`ANONYMISED`]); it keeps what public accounts and open data need: amounts, dates, statuses,
//! references, the organisation's identifiers and the project's title (the SCDL `objet`).

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::lifecycle::DossierStatus;

/// What an actor id becomes once erased. Never a token's `sub`: Essor mints none such, and the
/// databases accept this value in their append-only records only in place of another actor.
pub const ANONYMISED: &str = "anonymised";

/// The earliest `--before` year accepted: nothing in Essor is older.
pub const EARLIEST_YEAR: i32 = 2000;

/// The cut-off of `--before YEAR`: 1 January of YEAR at 00:00 UTC. YEAR may be next year at
/// most (everything over by the end of this one); anything later is surely a mistake.
pub fn cutoff(before_year: i32, today: NaiveDate) -> Result<NaiveDateTime, String> {
    let latest = today.year() + 1;
    if !(EARLIEST_YEAR..=latest).contains(&before_year) {
        return Err(format!("--before must be a year from {EARLIEST_YEAR} to {latest}, not {before_year}"));
    }
    Ok(NaiveDate::from_ymd_opt(before_year, 1, 1).expect("1 January exists").and_time(chrono::NaiveTime::MIN))
}

/// How long an idempotency key answers the retries of its request, at least: its stored answer
/// is kept this long whatever a purge's cut-off says (README, "Idempotency-Key").
pub const IDEMPOTENCY_KEY_RETENTION_DAYS: i64 = 30;

/// What a purge with this cut-off deletes of the idempotency records: those made before the
/// cut-off and at least [`IDEMPOTENCY_KEY_RETENTION_DAYS`] before `now` (a cut-off may be later
/// than today: `--before` next year).
pub fn idempotency_cutoff(cutoff: NaiveDateTime, now: NaiveDateTime) -> NaiveDateTime {
    cutoff.min(now - chrono::TimeDelta::days(IDEMPOTENCY_KEY_RETENTION_DAYS))
}

/// Whether a dossier in `status`, whose last event was at `last_event`, is purged by a cut-off.
pub fn is_purgeable(status: DossierStatus, last_event: NaiveDateTime, cutoff: NaiveDateTime) -> bool {
    DossierStatus::FINAL.contains(&status) && last_event < cutoff
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_cut_off_is_the_first_instant_of_the_year() {
        let today = day(2026, 12, 6);
        assert_eq!(cutoff(2020, today).unwrap(), day(2020, 1, 1).and_hms_opt(0, 0, 0).unwrap());
        assert!(cutoff(2027, today).is_ok());
        assert!(cutoff(EARLIEST_YEAR, today).is_ok());
        for wrong in [2028, 1999, 0, -5, 20200] {
            let e = cutoff(wrong, today).unwrap_err();
            assert!(e.contains("2000 to 2027"), "{e}");
        }
    }

    #[test]
    fn idempotency_records_stay_for_their_retention_whatever_the_cut_off() {
        let now = day(2026, 12, 7).and_hms_opt(3, 0, 0).unwrap();
        let next_year = cutoff(2027, now.date()).unwrap();
        assert_eq!(idempotency_cutoff(next_year, now), day(2026, 11, 7).and_hms_opt(3, 0, 0).unwrap());
        let recent = cutoff(2026, now.date()).unwrap();
        assert_eq!(idempotency_cutoff(recent, now), recent, "a cut-off long enough ago stays");
        let past = cutoff(2020, now.date()).unwrap();
        assert_eq!(idempotency_cutoff(past, now), past);
    }

    #[test]
    fn only_a_story_over_before_the_cut_off_is_purged() {
        let cut = cutoff(2020, day(2026, 1, 1)).unwrap();
        let just_before = day(2019, 12, 31).and_hms_opt(23, 59, 59).unwrap();
        let at_cut = cut;
        for s in DossierStatus::FINAL {
            assert!(is_purgeable(s, just_before, cut), "{s:?}");
            assert!(!is_purgeable(s, at_cut, cut), "{s:?}");
        }
        for s in [Draft, Submitted, UnderReview, ChangesRequested, Approved] {
            assert!(!is_purgeable(s, just_before, cut), "{s:?}");
        }
    }
}

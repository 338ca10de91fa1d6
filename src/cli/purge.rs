//! `essor purge --before YEAR [--territory CODE] [--dry-run]`: the end of the retention period.
//!
//! Each dossier over before 1 January of YEAR ([`domain::retention`](crate::domain::retention))
//! is purged in a transaction of its own, so that an interrupted purge leaves every dossier
//! either whole or purged, and running it again goes on where it stopped. Then, per territory,
//! who did what in older records that belong to no dossier, and the stored answers of
//! idempotent requests made before the cut-off and at least
//! [`IDEMPOTENCY_KEY_RETENTION_DAYS`](crate::domain::retention::IDEMPOTENCY_KEY_RETENTION_DAYS)
//! ago (a key answers its retries that long, whatever the cut-off). A dry run does every step in a
//! transaction it rolls back: its figures are exactly what a real run would do now.

use std::collections::BTreeMap;
use std::fmt;

use crate::config::Settings;
use crate::db::retention::{self, DossierErasure, OlderErasure};
use crate::db::{self, document_store, territories, DbConnection};
use crate::db::{DbError, DbResult};
use crate::domain::retention::{cutoff, idempotency_cutoff, is_purgeable};
use crate::domain::Code;

/// What `essor purge` is asked to do.
#[derive(Debug, Clone)]
pub struct PurgeOptions {
    /// Dossiers whose last event is before 1 January of this year.
    pub before: i32,
    /// One territory only; `None`: every territory.
    pub territory: Option<String>,
    /// Count, change nothing.
    pub dry_run: bool,
}

/// What a purge did (or, dry, would do).
#[derive(Debug, Clone, Default)]
pub struct PurgeReport {
    pub before: i32,
    pub dry_run: bool,
    pub territories: Vec<String>,
    /// Dossiers purged, by status code.
    pub dossiers: BTreeMap<&'static str, usize>,
    pub erased: DossierErasure,
    pub older: OlderErasure,
    /// Files of the filesystem storage no row names any more, removed (none in a dry run).
    pub files_removed: usize,
}

impl PurgeReport {
    pub fn dossiers_purged(&self) -> usize {
        self.dossiers.values().sum()
    }

    pub fn content_bytes(&self) -> i64 {
        self.erased.contents.iter().map(|(_, size)| size).sum()
    }
}

impl fmt::Display for PurgeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run { "would be " } else { "" };
        writeln!(
            f,
            "purge of what was over before {}-01-01 00:00 UTC, territories: {}{}",
            self.before,
            self.territories.join(", "),
            if self.dry_run { " (dry run: nothing changed)" } else { "" }
        )?;
        let by_status: Vec<String> = self.dossiers.iter().map(|(s, n)| format!("{s} {n}")).collect();
        writeln!(
            f,
            "dossiers {verb}purged: {}{}",
            self.dossiers_purged(),
            if by_status.is_empty() { String::new() } else { format!(" ({})", by_status.join(", ")) }
        )?;
        let e = &self.erased;
        writeln!(
            f,
            "documents {verb}removed: {}, contents {verb}deleted: {} ({} bytes), files {verb}removed: {}, \
             letters {verb}removed: {}",
            e.documents,
            e.contents.len(),
            self.content_bytes(),
            self.files_removed,
            e.letters
        )?;
        writeln!(
            f,
            "{verb}anonymised: {} history entries, {} assessments, {} eligibility records, {} disbursements, \
             {} reservations, {} ledger rows",
            e.history_entries, e.assessments, e.eligibility_records, e.disbursements, e.reservations, e.ledger_rows
        )?;
        let o = &self.older;
        write!(
            f,
            "older records {verb}anonymised: {} organisation history entries, {} organisations' registrants, \
             {} schemes, rules versions and envelopes; idempotency records {verb}deleted: {}",
            o.organisation_history_entries, o.organisations, o.configuration_records, o.idempotency_records
        )
    }
}

/// Runs the purge the options describe against the configured database and document storage.
pub fn purge(settings: &Settings, options: &PurgeOptions) -> Result<PurgeReport, Box<dyn std::error::Error>> {
    let cut = cutoff(options.before, chrono::Utc::now().date_naive())?;
    db::run_migrations(&settings.database_url)?;
    let store = document_store::open(&settings.document_storage)?;
    let pool = db::build_pool(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let conn = &mut *conn;
    let failed = |e: DbError| -> Box<dyn std::error::Error> { e.to_string().into() };

    let territories = match &options.territory {
        Some(code) if territories::exists(conn, &code.as_str().into()).map_err(failed)? => {
            vec![code.as_str().into()]
        }
        Some(code) => return Err(format!("no territory {code}").into()),
        None => territories::codes(conn).map_err(failed)?,
    };
    let mut report = PurgeReport {
        before: options.before,
        dry_run: options.dry_run,
        territories: territories.iter().map(ToString::to_string).collect(),
        ..PurgeReport::default()
    };
    let commit = !options.dry_run;
    let at = db::now();
    // A key answers its retries for its whole retention, whatever the cut-off (which may be
    // later than today).
    let keys_before = idempotency_cutoff(cut, at);
    for territory in &territories {
        for dossier in retention::final_dossiers(conn, territory).map_err(failed)? {
            if !is_purgeable(dossier.status, dossier.last_event, cut) {
                continue;
            }
            let erased = in_transaction(conn, commit, |c| retention::purge_dossier(c, &dossier.id, at))
                .map_err(failed)?;
            if let Some(erased) = erased {
                *report.dossiers.entry(dossier.status.as_str()).or_default() += 1;
                report.erased.absorb(erased);
            }
        }
        let older = in_transaction(conn, commit, |c| retention::erase_older(c, territory, cut, keys_before))
            .map_err(failed)?;
        report.older.absorb(older);
    }
    if commit {
        // The files of deleted contents go the way of every file no row names: an upload of the
        // same content on a running instance refreshes the file first, and is left alone.
        report.files_removed = store.collect_garbage(conn, document_store::GC_GRACE).map_err(failed)?;
    }
    Ok(report)
}

/// Runs `f` in a write transaction, committed only if `commit` (a dry run rolls it back).
fn in_transaction<T>(
    conn: &mut DbConnection,
    commit: bool,
    f: impl FnOnce(&mut DbConnection) -> DbResult<T>,
) -> DbResult<T> {
    enum Abort<T> {
        Failed(DbError),
        DryRun(T),
    }
    impl<T> From<diesel::result::Error> for Abort<T> {
        fn from(e: diesel::result::Error) -> Self {
            Abort::Failed(e.into())
        }
    }
    let done = db::write_transaction(conn, |c| match f(c) {
        Ok(value) if commit => Ok(value),
        Ok(value) => Err(Abort::DryRun(value)),
        Err(e) => Err(Abort::Failed(e)),
    });
    match done {
        Ok(value) | Err(Abort::DryRun(value)) => Ok(value),
        Err(Abort::Failed(e)) => Err(e),
    }
}

//! `essor check`: every invariant of the money rules verified on the configured database
//! ([`db::invariants`](crate::db::invariants)), one line per violation and a summary line; the
//! command exits 1 when any is found. Read-only: it runs no migration and changes nothing.

use crate::config::Settings;
use crate::db::{self, invariants};

pub use crate::db::invariants::{CheckReport, Invariant, Violation};

/// Checks the database `settings` name, in one snapshot.
pub fn check(settings: &Settings) -> Result<CheckReport, Box<dyn std::error::Error>> {
    let url = &settings.database_url;
    if db::Backend::from_url(url)? == db::Backend::Sqlite && !url.starts_with("file:") {
        // Opening a missing file would create an empty database, and check nothing.
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if !std::path::Path::new(path).exists() {
            return Err(format!("DATABASE_URL: no database file at {path}").into());
        }
    }
    let pool = db::build_pool(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    invariants::check(&mut conn).map_err(|e| e.to_string().into())
}

//! The `essor` command line.

pub mod check;
pub mod purge;

use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::domain::access::Role;
use crate::domain::Code;
use crate::startup::{token_keys, Application};

#[derive(Debug, Parser)]
#[command(name = "essor", version, about = "Essor: grant management for ESS aid schemes")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Manage territories (created by the operator, never over HTTP).
    Territory {
        #[command(subcommand)]
        action: TerritoryAction,
    },
    /// Maintain the documents' storage.
    Documents {
        #[command(subcommand)]
        action: DocumentsAction,
    },
    /// Remove the personal data of dossiers over before 1 January of a year (closed, rejected,
    /// dismissed, withdrawn or cancelled, nothing recorded since): their documents, the free
    /// text people wrote and who did what; amounts, dates, references and identifiers stay.
    /// Older records belonging to no dossier lose their actors too, and the stored answers of
    /// money requests go (never one less than 30 days old: its key still answers retries).
    /// Prints what it did.
    Purge {
        /// The year the retention period starts: what was over before 1 January of it goes.
        #[arg(long, value_name = "YEAR")]
        before: i32,
        /// Only this territory's data (each territory may keep it for its own period).
        #[arg(long, value_name = "CODE")]
        territory: Option<String>,
        /// Print what would be removed; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Verify every invariant the money rules promise on the configured database (envelopes
    /// against their ledger, reservations, grants and disbursements, the append-only histories):
    /// one line per violation with its ids and figures, then a summary; exits 1 if any. Run it
    /// after an incident or a restore. Read-only.
    Check,
    /// Mint a token signed with the configured secret, for local use and scripts.
    Token {
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Territory code.
        #[arg(long)]
        territory: String,
        /// Applicants: the SIRET of the organisation they act for.
        #[arg(long)]
        organisation: Option<String>,
        /// Subject (user id); defaults to "<role>@<territory>".
        #[arg(long)]
        sub: Option<String>,
        /// Lifetime, e.g. 1h, 30m, 7d.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        ttl: Duration,
    },
    /// Check that the server is ready (GET /health/ready); exits non-zero if not. For container
    /// health checks: the image needs no HTTP client of its own.
    Health {
        /// The URL to check; defaults to /health/ready on ESSOR_BIND (a wildcard address is
        /// asked on the loopback).
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DocumentsAction {
    /// Remove the document files no row names (filesystem storage; the database storage has
    /// none to remove): left by an upload whose database write failed.
    Gc {
        /// Only files at least this old: an upload on a running instance may be between its
        /// file and its row.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        grace: Duration,
    },
}

#[derive(Debug, Subcommand)]
pub enum TerritoryAction {
    /// Register a territory: `essor territory add rouen "Métropole Rouen Normandie"`.
    Add {
        code: String,
        name: String,
        /// The territory's own SIRET (open data `idAttribuant`).
        #[arg(long)]
        siret: Option<String>,
    },
    /// Set a territory's own SIRET (open data `idAttribuant`): `essor territory siret rouen 20002341400010`.
    Siret { code: String, siret: String },
}

/// `http://ADDRESS/health/ready` for the address Essor listens on; `0.0.0.0` and `[::]` are
/// asked on the loopback.
pub fn health_url(bind: &str) -> String {
    let address = match bind.parse::<std::net::SocketAddr>() {
        Ok(mut addr) if addr.ip().is_unspecified() => {
            addr.set_ip(match addr {
                std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
            addr.to_string()
        }
        _ => bind.to_string(),
    };
    format!("http://{address}/health/ready")
}

async fn check_health(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(3)).build()?;
    let response = client.get(url).send().await.map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url}: {}", response.status()).into());
    }
    println!("{url}: {}", response.status());
    Ok(())
}

pub async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let settings = Settings::from_env()?;
            Application::build(&settings)?.run_until_stopped().await?;
        }
        Command::Migrate => {
            let settings = Settings::from_env()?;
            let applied = crate::db::run_migrations(&settings.database_url)?;
            println!("{} migration(s) applied", applied.len());
        }
        Command::Openapi => print!("{}", crate::api::openapi_json()),
        Command::Health { url } => {
            let bind = std::env::var("ESSOR_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
            check_health(&url.unwrap_or_else(|| health_url(bind.trim()))).await?;
        }
        Command::Territory { action: TerritoryAction::Add { code, name, siret } } => {
            let settings = Settings::from_env()?;
            add_territory(&settings.database_url, &code, &name, siret.as_deref())?;
            println!("territory {code} added");
        }
        Command::Territory { action: TerritoryAction::Siret { code, siret } } => {
            let siret =
                crate::domain::ids::Siret::parse(&siret).map_err(|e| format!("SIRET: {}", e.as_str()))?;
            let settings = Settings::from_env()?;
            crate::db::run_migrations(&settings.database_url)?;
            let pool = crate::db::build_pool(&settings.database_url, 1)?;
            let mut conn = pool.get()?;
            if !crate::db::territories::set_siret(&mut conn, &code.as_str().into(), &siret)? {
                return Err(format!("no territory {code}").into());
            }
            println!("territory {code}: SIRET {siret}");
        }
        Command::Documents { action: DocumentsAction::Gc { grace } } => {
            let settings = Settings::from_env()?;
            let removed = collect_document_garbage(&settings, grace)?;
            println!("{removed} orphan document file(s) removed ({} storage)", storage_name(&settings));
        }
        Command::Purge { before, territory, dry_run } => {
            let settings = Settings::from_env()?;
            let report = purge::purge(&settings, &purge::PurgeOptions { before, territory, dry_run })?;
            println!("{report}");
        }
        Command::Check => {
            let settings = Settings::from_env()?;
            let report = check::check(&settings)?;
            println!("{report}");
            if !report.violations.is_empty() {
                return Err(format!("{} invariant violation(s) found", report.violations.len()).into());
            }
        }
        Command::Token { role, territory, organisation, sub, ttl } => {
            let settings = Settings::from_env()?;
            let keys = token_keys(&settings)?;
            let sub = sub.unwrap_or_else(|| format!("{}@{}", role.as_str(), territory));
            let claims = keys.claims(&sub, role, &territory, organisation.as_deref(), ttl);
            println!("{}", keys.mint(&claims)?);
        }
    }
    Ok(())
}

fn storage_name(settings: &Settings) -> &'static str {
    match settings.document_storage {
        crate::db::document_store::StorageSettings::Database => "database",
        crate::db::document_store::StorageSettings::Filesystem(_) => "filesystem",
    }
}

/// Removes the document contents no row names, at least `grace` old (`essor documents gc`);
/// returns how many.
pub fn collect_document_garbage(
    settings: &Settings,
    grace: Duration,
) -> Result<usize, Box<dyn std::error::Error>> {
    crate::db::run_migrations(&settings.database_url)?;
    let store = crate::db::document_store::open(&settings.document_storage)?;
    let pool = crate::db::build_pool(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    store.collect_garbage(&mut conn, grace).map_err(|e| e.to_string().into())
}

/// Registers a territory (migrating the database first if needed).
pub fn add_territory(
    database_url: &str,
    code: &str,
    name: &str,
    siret: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    use crate::db::territories::NewTerritoryRow;
    let code_ok = !code.is_empty()
        && code.len() <= 40
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !code_ok {
        return Err("CODE must be 1 to 40 lowercase letters, digits or dashes".into());
    }
    // The open data's `nomAttribuant`: one line of 1 to 200 characters that no spreadsheet
    // runs as a formula, like every name Essor publishes.
    let mut errors = Vec::new();
    crate::domain::checks::check_cell_line(&mut errors, "NAME", name, 1, 200);
    if let Some(error) = errors.first() {
        return Err(error.message.in_(crate::domain::Lang::En).to_string().into());
    }
    let siret = siret
        .map(crate::domain::ids::Siret::parse)
        .transpose()
        .map_err(|e| format!("--siret: {}", e.as_str()))?;
    crate::db::run_migrations(database_url)?;
    let pool = crate::db::build_pool(database_url, 1)?;
    let mut conn = pool.get()?;
    let row =
        NewTerritoryRow { code: code.into(), name: name.trim().into(), siret, created_at: crate::db::now() };
    crate::db::territories::insert(&mut conn, &row).map_err(|e| match e {
        crate::db::DbError::Integrity(_) => format!("territory {code} already exists"),
        other => other.to_string(),
    })?;
    Ok(())
}

/// A role by its code, for `--role`.
fn parse_role(code: &str) -> Result<Role, String> {
    Role::parse(code).ok_or_else(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("unknown role {code:?}; one of: {}", names.join(", "))
    })
}

#[cfg(test)]
mod health_tests {
    #[test]
    fn the_health_url_asks_a_wildcard_address_on_the_loopback() {
        assert_eq!(super::health_url("0.0.0.0:8080"), "http://127.0.0.1:8080/health/ready");
        assert_eq!(super::health_url("[::]:8080"), "http://[::1]:8080/health/ready");
        assert_eq!(super::health_url("10.0.0.5:80"), "http://10.0.0.5:80/health/ready");
        assert_eq!(super::health_url("localhost:8080"), "http://localhost:8080/health/ready");
    }
}

#[cfg(test)]
mod territory_tests {
    /// The territory's name is the open data's `nomAttribuant`: checked before any database is
    /// touched (this URL names none).
    #[test]
    fn a_territory_name_is_one_line_that_no_spreadsheet_runs() {
        let add = |name: &str| super::add_territory("", "rouen", name, None).unwrap_err().to_string();
        assert!(add("=HYPERLINK(\"http://evil.example\")").contains("formula"), "{}", add("=1"));
        assert!(add("  -Rouen").contains("formula"));
        assert!(add("Rouen\u{1b}").contains("control character"));
        assert!(add(" ").contains("required"));
        assert!(add(&"x".repeat(201)).contains("at most 200"));
    }
}

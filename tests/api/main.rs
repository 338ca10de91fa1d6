//! Black-box tests: the real application on port 0, a fresh database per test, real HTTP and
//! real JWTs. Every test runs on SQLite and on PostgreSQL (see `helpers::both_backends!`).

mod builders;
mod calls;
mod helpers;

mod auth;
mod cli;
mod conventions;
mod cors;
mod crash;
mod documents;
mod dossiers;
mod eligibility;
mod errors;
mod exports;
mod exports_xlsx;
mod hardening;
mod hardening_csv;
mod health;
mod imports;
mod input;
mod jwks;
mod jwt;
mod language;
mod logs;
mod metrics;
mod migrations;
mod money;
mod notifications;
mod openapi;
mod organisation_history;
mod organisations;
mod outage;
mod purge;
mod receipts;
mod request_rules;
mod resilience;
mod rules_config;
mod scdl;
mod schema;
mod schemes;
mod sessions;
mod storage;

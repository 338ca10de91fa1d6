//! Essor: a grant-management API for public aid to social and solidarity economy enterprises.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod letters;
pub mod metrics;
pub mod startup;
pub mod state;
pub mod telemetry;

#[cfg(test)]
mod layering;

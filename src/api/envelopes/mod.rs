//! Yearly envelopes (finance and admin write; staff read), their reservations and ledger.

pub mod create;
pub mod dto;
pub mod get;
pub mod list;
pub mod movements;
pub mod reserve;
pub mod unreserve;
pub mod update;

use crate::auth::Role;

/// Who manages envelopes.
pub const WRITERS: [Role; 2] = [Role::Finance, Role::Admin];
/// Who reads them: staff.
pub const READERS: [Role; 3] = [Role::Instructor, Role::Finance, Role::Admin];

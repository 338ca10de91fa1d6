//! Committee sessions: `POST/GET /sessions`, `GET /sessions/{id}`, the agenda
//! (`POST /sessions/{id}/items`), its closing (`POST /sessions/{id}/close-agenda`) and the annex
//! the deliberation carries (`GET /sessions/{id}/annex`). The vote itself decides dossiers: it
//! is recorded with the other decisions (`dossiers::deliberation`).

pub mod add_item;
pub mod annex;
pub mod annex_pdf;
pub mod close_agenda;
pub mod create;
pub mod dto;
pub mod get;
pub mod list;

use crate::domain::access::Role;

/// Who runs sessions: the territory's administrators and instructors.
pub const ORGANISERS: [Role; 2] = [Role::Admin, Role::Instructor];
/// Who reads them: every member of staff.
pub const READERS: [Role; 3] = [Role::Admin, Role::Instructor, Role::Finance];

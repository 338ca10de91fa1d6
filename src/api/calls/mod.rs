//! Calls for projects: `POST/GET /calls`, `GET /calls/{id}`. A scheme's call opens and closes
//! at set times (Europe/Paris), draws on its envelope of one budget year and may have its own
//! assessment grid; dossiers answer it (`call_id` at creation) and are submitted while it is
//! open; a session may be the call's (`call_id`), its annex then ranks the proposals.

pub mod create;
pub mod dto;
pub mod get;
pub mod list;

use crate::domain::access::Role;

/// Who opens calls: the territory's administrators and instructors.
pub const ORGANISERS: [Role; 2] = [Role::Admin, Role::Instructor];

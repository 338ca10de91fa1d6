//! Notifications of decisions: `GET /dossiers/{id}/notifications` (JSON), each one's letter
//! (`…/notifications/{notification_id}/pdf`) and the day it was received
//! (`POST …/notifications/{notification_id}/reception`). Issued by the decisions
//! (`dossiers::notification`).

pub mod dto;
pub mod letter;
pub mod list;
pub mod reception;

//! Committee sessions: the deciding body of a territory (its council, its bureau, its
//! commission permanente) sits on a day; instructors put proposals on its agenda; the vote is
//! recorded once, as one deliberation, each proposal approved (maybe for less), rejected (with
//! its reasons) or deferred (back to review).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecidingBody {
    /// The assembly (conseil métropolitain, conseil communautaire).
    Council,
    /// The bureau, by delegation of the assembly.
    Bureau,
    /// The commission permanente, by delegation of the assembly.
    StandingCommittee,
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Proposals may be put on its agenda.
    Planned,
    /// The agenda is sent to the members: no proposal is added any more.
    AgendaClosed,
    /// Its deliberation is recorded.
    Decided,
}

/// What the vote made of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    /// Granted, for the amount voted (at most the one proposed).
    Approved,
    /// Refused, for the reasons the notification will carry.
    Rejected,
    /// Put off: the dossier goes back to review, for a later session.
    Deferred,
}

impl SessionStatus {
    /// Whether proposals may still be put on the agenda.
    pub fn takes_proposals(self) -> bool {
        self == SessionStatus::Planned
    }

    /// Whether its deliberation may be recorded.
    pub fn awaits_its_vote(self) -> bool {
        matches!(self, SessionStatus::Planned | SessionStatus::AgendaClosed)
    }
}

//! The dossier lifecycle (DESIGN.md): which transitions exist and which role performs each.
//!
//! ```text
//! draft -> submitted -> under_review -> approved -> (disbursements) -> closed
//!                   \-> changes_requested -> submitted   (also from under_review)
//! under_review -> rejected | dismissed        draft|submitted|changes_requested -> withdrawn
//! approved -> approved (amendment)       approved -> cancelled
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::access::Role;
use super::code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    Draft,
    Submitted,
    UnderReview,
    ChangesRequested,
    Approved,
    Rejected,
    Dismissed,
    Withdrawn,
    Cancelled,
    Closed,
}

impl DossierStatus {
    /// The applicant may edit the dossier's content only in these states.
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::ChangesRequested)
    }

    /// Whether the dossier is judged by its organisation as kept at its last submission rather
    /// than as it is today: once it has left its applicant's hands. While the applicant edits
    /// it (a draft, or changes requested), today's organisation, which the next submission keeps.
    pub fn is_judged_as_submitted(self) -> bool {
        !self.is_editable()
    }

    /// The states no transition leaves: the dossier's story is over.
    pub const FINAL: [DossierStatus; 5] = [
        DossierStatus::Closed,
        DossierStatus::Rejected,
        DossierStatus::Dismissed,
        DossierStatus::Withdrawn,
        DossierStatus::Cancelled,
    ];
}

/// A named move of the lifecycle; each is its own `POST /dossiers/{id}/<action>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Transition {
    Submit,
    Review,
    RequestChanges,
    Withdraw,
    Reject,
    Dismiss,
    Approve,
    /// An amendment (avenant): the grant raised or lowered, the dossier stays approved.
    Amend,
    Cancel,
    Close,
}

impl Transition {
    /// The states this transition leaves from.
    pub fn from_states(self) -> &'static [DossierStatus] {
        use DossierStatus::*;
        match self {
            Self::Submit => &[Draft, ChangesRequested],
            Self::Review => &[Submitted],
            // DESIGN.md draws the branch from `submitted`; an instructor who has taken the
            // dossier (`under_review`) must be able to ask for changes too.
            Self::RequestChanges => &[Submitted, UnderReview],
            Self::Withdraw => &[Draft, Submitted, ChangesRequested],
            Self::Reject | Self::Dismiss | Self::Approve => &[UnderReview],
            Self::Amend | Self::Cancel | Self::Close => &[Approved],
        }
    }

    pub fn to_state(self) -> DossierStatus {
        use DossierStatus::*;
        match self {
            Self::Submit => Submitted,
            Self::Review => UnderReview,
            Self::RequestChanges => ChangesRequested,
            Self::Withdraw => Withdrawn,
            Self::Reject => Rejected,
            Self::Dismiss => Dismissed,
            Self::Approve | Self::Amend => Approved,
            Self::Cancel => Cancelled,
            Self::Close => Closed,
        }
    }

    /// Who performs it: the applicant moves its own dossier in and out of instruction,
    /// instructors decide, finance closes a fully handled grant.
    pub fn allowed_roles(self) -> &'static [Role] {
        match self {
            Self::Submit | Self::Withdraw => &[Role::Applicant],
            Self::Review | Self::RequestChanges | Self::Reject | Self::Dismiss => &[Role::Instructor],
            Self::Approve | Self::Amend | Self::Cancel => &[Role::Instructor],
            // Finance closes a grant by paying its balance.
            Self::Close => &[Role::Finance],
        }
    }

    pub fn allowed_from(self, status: DossierStatus) -> bool {
        self.from_states().contains(&status)
    }
}

/// The transitions that leave `status`, whoever performs them (for a 409's `allowed_transitions`).
pub fn transitions_from(status: DossierStatus) -> Vec<Transition> {
    Transition::ALL.iter().copied().filter(|t| t.allowed_from(status)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus::*;

    #[test]
    fn the_lifecycle_graph_is_exactly_the_designed_one() {
        let mut edges: Vec<(DossierStatus, DossierStatus)> = Vec::new();
        for &t in Transition::ALL {
            for from in t.from_states() {
                edges.push((*from, t.to_state()));
            }
        }
        edges.sort_by_key(|(a, b)| (a.as_str(), b.as_str()));
        let mut expected = vec![
            (Draft, Submitted),
            (Submitted, UnderReview),
            (UnderReview, Approved),
            (Approved, Closed),
            (Submitted, ChangesRequested),
            (ChangesRequested, Submitted),
            (UnderReview, Rejected),
            (UnderReview, Dismissed),
            (Draft, Withdrawn),
            (Submitted, Withdrawn),
            (ChangesRequested, Withdrawn),
            (Approved, Cancelled),
        ];
        // Beyond the drawing: changes may also be requested while under review; an amendment
        // keeps the dossier approved.
        expected.push((UnderReview, ChangesRequested));
        expected.push((Approved, Approved));
        expected.sort_by_key(|(a, b)| (a.as_str(), b.as_str()));
        assert_eq!(edges, expected);
    }

    #[test]
    fn terminal_states_have_no_way_out() {
        for s in DossierStatus::FINAL {
            assert!(transitions_from(s).is_empty(), "{s:?}");
        }
        for s in [Draft, Submitted, UnderReview, ChangesRequested, Approved] {
            assert!(!transitions_from(s).is_empty(), "{s:?}");
        }
        assert_eq!(transitions_from(Draft), vec![Transition::Submit, Transition::Withdraw]);
    }
}

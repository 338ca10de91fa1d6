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

/// The annex a deliberation carries: the proposals in the agenda's order and, per scheme, the
/// total proposed against what its envelope of the session's year has available.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annex {
    pub session_id: String,
    pub title: String,
    pub body: DecidingBody,
    pub sits_on: chrono::NaiveDate,
    pub deliberation_number: Option<String>,
    pub deliberated_on: Option<chrono::NaiveDate>,
    pub lines: Vec<AnnexLine>,
    pub schemes: Vec<AnnexScheme>,
    /// The call for projects the session is for: its lines are then ranked.
    #[serde(default)]
    pub call_id: Option<String>,
}

/// One proposal of the annex.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnexLine {
    pub position: i32,
    pub dossier_id: String,
    pub beneficiary: String,
    pub siret: String,
    /// The dossier's title: what the grant is for.
    pub object: String,
    pub scheme_id: String,
    pub scheme: String,
    pub proposed_cents: i64,
    pub recommendation: crate::domain::assessment::Recommendation,
    pub outcome: Option<ItemOutcome>,
    pub voted_cents: Option<i64>,
    /// The weighted total (0 to 100) of the dossier's latest assessment, if assessed.
    #[serde(default)]
    pub weighted_total: Option<f64>,
    /// In a call's session: its rank by weighted total (1 the highest; equal totals share a
    /// rank; the unassessed none, last).
    #[serde(default)]
    pub rank: Option<u32>,
}

/// A scheme's proposals against its envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnexScheme {
    pub scheme_id: String,
    pub scheme: String,
    pub year: i32,
    pub proposed_cents: i64,
    /// `None` when the scheme has no envelope that year.
    pub available_cents: Option<i64>,
    pub fits: bool,
}

impl Annex {
    /// The schemes of `lines`, in the order they first appear, with their totals; what each
    /// envelope has available is then given by `available` (scheme id → cents, if any).
    pub fn schemes_of(
        lines: &[AnnexLine],
        year: i32,
        available: impl Fn(&str) -> Option<i64>,
    ) -> Vec<AnnexScheme> {
        let mut schemes: Vec<AnnexScheme> = Vec::new();
        for line in lines {
            match schemes.iter_mut().find(|s| s.scheme_id == line.scheme_id) {
                Some(scheme) => scheme.proposed_cents += line.proposed_cents,
                None => schemes.push(AnnexScheme {
                    scheme_id: line.scheme_id.clone(),
                    scheme: line.scheme.clone(),
                    year,
                    proposed_cents: line.proposed_cents,
                    available_cents: None,
                    fits: false,
                }),
            }
        }
        for scheme in &mut schemes {
            scheme.available_cents = available(&scheme.scheme_id);
            scheme.fits = scheme.available_cents.is_some_and(|a| scheme.proposed_cents <= a);
        }
        schemes
    }

    /// A call's annex: its lines in the order of their weighted totals, each with its rank.
    pub fn rank_lines(&mut self) {
        let totals: Vec<Option<f64>> = self.lines.iter().map(|l| l.weighted_total).collect();
        let mut lines: Vec<Option<AnnexLine>> =
            std::mem::take(&mut self.lines).into_iter().map(Some).collect();
        for (index, rank) in crate::domain::calls::ranks(&totals) {
            if let Some(mut line) = lines[index].take() {
                line.rank = rank;
                self.lines.push(line);
            }
        }
    }

    pub fn total_proposed_cents(&self) -> i64 {
        self.lines.iter().map(|l| l.proposed_cents).sum()
    }

    /// What the annex's letter template is given (values written as a French letter writes
    /// them), under the territory's letterhead `territory`.
    pub fn letter_context(&self, territory: serde_json::Value) -> serde_json::Value {
        use crate::domain::lang::{cents_text, date_in};
        use crate::domain::Lang;
        let euros = |cents: i64| cents_text(cents).0;
        let day = |d: chrono::NaiveDate| date_in(d, Lang::Fr);
        serde_json::json!({
            "territory": territory,
            "session": {
                "title": self.title,
                "body": body_label(self.body),
                "sits_on": day(self.sits_on),
                "deliberation_number": self.deliberation_number,
                "deliberated_on": self.deliberated_on.map(day),
            },
            "lines": self.lines.iter().map(|l| serde_json::json!({
                "position": l.position,
                "beneficiary": l.beneficiary,
                "siret": l.siret,
                "object": l.object,
                "scheme": l.scheme,
                "proposed": euros(l.proposed_cents),
                "recommendation": recommendation_label(l.recommendation),
                "outcome": l.outcome.map(outcome_label),
                "voted": l.voted_cents.map(euros),
                "weighted_total": l.weighted_total.map(|t| format!("{t:.2}").replace('.', ",")),
                "rank": l.rank,
            })).collect::<Vec<_>>(),
            "ranked": self.call_id.is_some(),
            "schemes": self.schemes.iter().map(|s| serde_json::json!({
                "scheme": s.scheme,
                "year": s.year,
                "proposed": euros(s.proposed_cents),
                "available": s.available_cents.map(euros),
                "fits": s.fits,
            })).collect::<Vec<_>>(),
            "total_proposed": euros(self.total_proposed_cents()),
        })
    }
}

fn body_label(body: DecidingBody) -> String {
    let text = match body {
        DecidingBody::Council => crate::text!("sessions-body-council"),
        DecidingBody::Bureau => crate::text!("sessions-body-bureau"),
        DecidingBody::StandingCommittee => crate::text!("sessions-body-standing-committee"),
    };
    text.in_(crate::domain::Lang::Fr)
}

fn recommendation_label(r: crate::domain::assessment::Recommendation) -> String {
    use crate::domain::assessment::Recommendation::*;
    let text = match r {
        Favourable => crate::text!("sessions-recommendation-favourable"),
        Reserved => crate::text!("sessions-recommendation-reserved"),
        Unfavourable => crate::text!("sessions-recommendation-unfavourable"),
    };
    text.in_(crate::domain::Lang::Fr)
}

fn outcome_label(o: ItemOutcome) -> String {
    let text = match o {
        ItemOutcome::Approved => crate::text!("sessions-outcome-approved"),
        ItemOutcome::Rejected => crate::text!("sessions-outcome-rejected"),
        ItemOutcome::Deferred => crate::text!("sessions-outcome-deferred"),
    };
    text.in_(crate::domain::Lang::Fr)
}

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::common::{full_date, utc};
use crate::db::sessions::{EventRow, ItemRow, SessionRow};
use crate::domain::assessment::Recommendation;
use crate::domain::checks;
use crate::domain::sessions::{DecidingBody, ItemOutcome, SessionStatus};

/// A session to plan.
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    pub body: DecidingBody,
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Bureau métropolitain du 15 janvier 2027",
        pattern = "{LINE_PATTERN}"
    )]
    #[validate(custom(function = checks::line::<1, 200>))]
    pub title: String,
    /// The day it sits.
    #[validate(custom(function = full_date))]
    pub sits_on: NaiveDate,
    /// The call for projects it decides (`GET /calls`): its agenda then takes only the dossiers
    /// answering the call (422 `not_in_call`), and its annex ranks them by their assessment's
    /// weighted total.
    #[serde(default)]
    pub call_id: Option<uuid::Uuid>,
}

/// A committee session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    #[schema(format = Uuid)]
    pub id: String,
    pub body: DecidingBody,
    pub title: String,
    pub sits_on: NaiveDate,
    pub status: SessionStatus,
    /// Once decided: the deliberation's number and date.
    pub deliberation_number: Option<String>,
    pub deliberated_on: Option<NaiveDate>,
    /// The call for projects it decides, if any.
    #[schema(format = Uuid)]
    pub call_id: Option<String>,
    /// Row version, as in the ETag.
    pub version: i32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SessionRow> for SessionView {
    fn from(row: SessionRow) -> Self {
        SessionView {
            id: row.id.into(),
            body: row.body,
            title: row.title,
            sits_on: row.sits_on,
            status: row.status,
            deliberation_number: row.deliberation_number,
            deliberated_on: row.deliberated_on,
            call_id: row.call_id.map(String::from),
            version: row.version,
            created_by: row.created_by,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// A session with its agenda and its record.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDetail {
    #[serde(flatten)]
    pub session: SessionView,
    /// The agenda, in order.
    pub items: Vec<ItemView>,
    /// What happened to the session, oldest first (append-only).
    pub record: Vec<SessionEventView>,
}

/// A proposal to put on the agenda (instructors).
#[derive(Debug, Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// A dossier under review, on no other agenda.
    pub dossier_id: uuid::Uuid,
    /// The amount proposed: at most the maximum grant the dossier's rules allow on the day the
    /// session sits.
    #[schema(minimum = 1, maximum = 100000000000i64, example = 6000000)]
    #[validate(custom(function = checks::amount))]
    pub proposed_cents: i64,
    pub recommendation: Recommendation,
    /// Conditions proposed with the grant.
    #[schema(min_length = 1, max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub conditions: Option<String>,
    /// A note for the elected members.
    #[schema(min_length = 1, max_length = 4000, pattern = "{TEXT_PATTERN}")]
    #[validate(custom(function = checks::text::<0, 4000>))]
    #[serde(default)]
    pub note: Option<String>,
}

/// A proposal on the agenda, and what the vote made of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    #[schema(minimum = 1)]
    pub position: i32,
    #[schema(minimum = 1)]
    pub proposed_cents: i64,
    pub recommendation: Recommendation,
    pub conditions: Option<String>,
    pub note: Option<String>,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    /// Null until the deliberation is recorded.
    pub outcome: Option<ItemOutcome>,
    /// The amount voted, when approved.
    pub voted_cents: Option<i64>,
    /// Why, when rejected or deferred.
    pub reasons: Option<String>,
}

impl From<ItemRow> for ItemView {
    fn from(row: ItemRow) -> Self {
        ItemView {
            id: row.id.into(),
            dossier_id: row.dossier_id.into(),
            position: row.position,
            proposed_cents: row.proposed_cents,
            recommendation: row.recommendation,
            conditions: row.conditions,
            note: row.note,
            proposed_by: row.proposed_by,
            proposed_at: utc(row.proposed_at),
            outcome: row.outcome,
            voted_cents: row.voted_cents,
            reasons: row.reasons,
        }
    }
}

/// One line of a session's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionEventView {
    #[schema(minimum = 1)]
    pub seq: i32,
    pub actor: String,
    pub actor_role: crate::domain::access::Role,
    pub at: DateTime<Utc>,
    /// `created`, `item_added`, `agenda_closed`, `deliberation_recorded`.
    #[schema(example = "item_added")]
    pub action: String,
    pub detail: Option<String>,
}

impl From<EventRow> for SessionEventView {
    fn from(row: EventRow) -> Self {
        SessionEventView {
            seq: row.seq,
            actor: row.actor,
            actor_role: row.actor_role,
            at: utc(row.at),
            action: row.action,
            detail: row.detail,
        }
    }
}

/// Which sessions a list shows.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SessionFilter {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000, default = 1)]
    pub page: Option<i64>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<i64>,
    pub status: Option<SessionStatus>,
}

/// The annex of a deliberation: one line per proposal, and per scheme the total proposed
/// against what its envelope of the session's year has available.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnexView {
    #[schema(format = Uuid)]
    pub session_id: String,
    pub title: String,
    pub sits_on: NaiveDate,
    /// In the agenda's order; for a call's session, by rank.
    pub lines: Vec<AnnexLineView>,
    pub schemes: Vec<AnnexSchemeView>,
    /// The call for projects the session decides: its lines are then ranked.
    #[schema(format = Uuid)]
    pub call_id: Option<String>,
    #[schema(minimum = 0)]
    pub total_proposed_cents: i64,
}

/// One proposal as the annex lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnexLineView {
    #[schema(minimum = 1)]
    pub position: i32,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    pub beneficiary: String,
    pub siret: String,
    /// The dossier's title: what the grant is for.
    pub object: String,
    pub scheme: String,
    #[schema(minimum = 1)]
    pub proposed_cents: i64,
    pub recommendation: Recommendation,
    pub outcome: Option<ItemOutcome>,
    pub voted_cents: Option<i64>,
    /// The weighted total (0 to 100, two decimals) of the dossier's latest assessment; null
    /// when not assessed.
    #[schema(minimum = 0, maximum = 100, example = 72.5)]
    pub weighted_total: Option<f64>,
    /// In a call's session: the rank by weighted total (1 the highest, equal totals share a
    /// rank); null otherwise and for a dossier not assessed (listed last).
    #[schema(minimum = 1)]
    pub rank: Option<u32>,
}

/// A scheme's proposals against its envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnexSchemeView {
    #[schema(format = Uuid)]
    pub scheme_id: String,
    pub scheme: String,
    /// The envelope's year: the session's.
    pub year: i32,
    #[schema(minimum = 0)]
    pub proposed_cents: i64,
    /// What the envelope has available now; null when the scheme has no envelope that year.
    pub available_cents: Option<i64>,
    /// Whether the proposals fit in what is available.
    pub fits: bool,
}

impl From<crate::domain::sessions::Annex> for AnnexView {
    fn from(annex: crate::domain::sessions::Annex) -> Self {
        AnnexView {
            total_proposed_cents: annex.total_proposed_cents(),
            session_id: annex.session_id,
            title: annex.title,
            sits_on: annex.sits_on,
            call_id: annex.call_id,
            lines: annex
                .lines
                .into_iter()
                .map(|l| AnnexLineView {
                    position: l.position,
                    dossier_id: l.dossier_id,
                    beneficiary: l.beneficiary,
                    siret: l.siret,
                    object: l.object,
                    scheme: l.scheme,
                    proposed_cents: l.proposed_cents,
                    recommendation: l.recommendation,
                    outcome: l.outcome,
                    voted_cents: l.voted_cents,
                    weighted_total: l.weighted_total,
                    rank: l.rank,
                })
                .collect(),
            schemes: annex
                .schemes
                .into_iter()
                .map(|s| AnnexSchemeView {
                    scheme_id: s.scheme_id,
                    scheme: s.scheme,
                    year: s.year,
                    proposed_cents: s.proposed_cents,
                    available_cents: s.available_cents,
                    fits: s.fits,
                })
                .collect(),
        }
    }
}

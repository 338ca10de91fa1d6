//! The one way a dossier changes status: checked, conditional on the state read, and recorded
//! in the append-only history in the same transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::dto::{callable_from, status_of, TransitionRequest};
use super::get::visible_dossier;
use crate::api::common::{new_id, now, IfMatch};
use crate::auth::AuthUser;
use crate::db::models::{DossierRow, HistoryRow};
use crate::db::schema::{dossier_history, dossiers};
use crate::db::DbConnection;
use crate::domain::lifecycle::Transition;
use crate::error::{ApiError, ApiResult};

/// Columns a transition sets besides the status (None: left as is).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = dossiers)]
pub struct TransitionEffects {
    pub submitted_at: Option<NaiveDateTime>,
    pub year: Option<i32>,
    pub rules_version_id: Option<String>,
    pub assigned_instructor: Option<String>,
}

/// Moves dossier `id` by `transition`: 404 if the caller cannot see it, 412 on a stale
/// If-Match, 409 if the status does not allow it. `effects` may refuse (e.g. incomplete
/// submission) or add column changes. Returns the updated row.
pub fn perform(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
    transition: Transition,
    request: &TransitionRequest,
    if_match: &IfMatch,
    effects: impl FnOnce(&mut DbConnection, &DossierRow) -> ApiResult<TransitionEffects>,
) -> ApiResult<DossierRow> {
    let row = visible_dossier(conn, user, id)?;
    if_match.expected_version(row.version)?;
    let from = status_of(&row)?;
    if !transition.allowed_from(from) {
        return Err(ApiError::TransitionNotAllowed {
            transition,
            current: from,
            allowed: callable_from(from),
        });
    }
    let effects = effects(conn, &row)?;
    let at = now();
    let to = transition.to_state();
    let touched = diesel::update(
        dossiers::table
            .filter(dossiers::id.eq(&row.id))
            .filter(dossiers::version.eq(row.version))
            .filter(dossiers::status.eq(from.as_str())),
    )
    .set((
        dossiers::status.eq(to.as_str()),
        dossiers::version.eq(row.version + 1),
        dossiers::updated_at.eq(at),
        &effects,
    ))
    .execute(conn)?;
    if touched != 1 {
        // Someone else moved or edited it between our read and our write.
        return Err(ApiError::PreconditionFailed);
    }
    let last_seq: Option<i32> = dossier_history::table
        .filter(dossier_history::dossier_id.eq(&row.id))
        .select(diesel::dsl::max(dossier_history::seq))
        .first(conn)?;
    let clean = |s: &Option<String>| s.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let entry = HistoryRow {
        id: new_id(),
        dossier_id: row.id.clone(),
        seq: last_seq.unwrap_or(0) + 1,
        actor: user.sub.clone(),
        actor_role: user.role.as_str().into(),
        at,
        from_status: Some(from.as_str().into()),
        to_status: to.as_str().into(),
        comment: clean(&request.comment),
        internal_note: clean(&request.internal_note),
    };
    diesel::insert_into(dossier_history::table).values(&entry).execute(conn)?;
    Ok(dossiers::table.find(&row.id).select(DossierRow::as_select()).first(conn)?)
}

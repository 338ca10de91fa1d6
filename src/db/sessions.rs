//! Committee sessions, their agenda (items) and their own append-only record of events. Every
//! change of a session first advances its version by a conditional UPDATE, checked to touch one
//! row: concurrent changes of one session take turns (its row lock on PostgreSQL, the write lock
//! on SQLite), and a change made on a session that moved meanwhile touches nothing.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::schema::{dossiers, organisations, schemes, session_events, session_items, sessions};
use crate::db::{assessments, envelopes, DbConnection};
use crate::domain::access::Caller;
use crate::domain::assessment::Recommendation;
use crate::domain::ids::{
    CallId, DossierId, GeneratedDocumentId, SchemeId, SessionId, SessionItemId, Siret, TerritoryCode,
};
use crate::domain::sessions::{Annex, AnnexLine, DecidingBody, ItemOutcome, SessionStatus};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: SessionId,
    pub territory: TerritoryCode,
    pub body: DecidingBody,
    pub title: String,
    pub sits_on: NaiveDate,
    pub status: SessionStatus,
    pub deliberation_number: Option<String>,
    pub deliberated_on: Option<NaiveDate>,
    /// The annex as the deliberation carried it (a generated PDF), once decided.
    pub annex_document_id: Option<GeneratedDocumentId>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The call for projects the session decides, if any: its agenda takes only the call's
    /// dossiers, its annex ranks them.
    pub call_id: Option<CallId>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = session_items)]
pub struct ItemRow {
    pub id: SessionItemId,
    pub session_id: SessionId,
    pub dossier_id: DossierId,
    /// Its place on the agenda, from 1.
    pub position: i32,
    pub proposed_cents: i64,
    pub recommendation: Recommendation,
    pub conditions: Option<String>,
    /// For the elected members.
    pub note: Option<String>,
    pub proposed_by: String,
    pub proposed_at: NaiveDateTime,
    pub outcome: Option<ItemOutcome>,
    pub voted_cents: Option<i64>,
    pub reasons: Option<String>,
}

pub fn insert(conn: &mut DbConnection, row: &SessionRow) -> DbResult<()> {
    diesel::insert_into(sessions::table).values(row).execute(conn)?;
    Ok(())
}

/// The territory's session with this id (other territories' do not exist for the caller).
pub fn find(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    id: &SessionId,
) -> DbResult<Option<SessionRow>> {
    Ok(sessions::table
        .filter(sessions::id.eq(id))
        .filter(sessions::territory.eq(territory))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?)
}

/// A page of the territory's sessions, the latest sitting first.
pub fn page(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    status: Option<SessionStatus>,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<SessionRow>, i64)> {
    let listed = || {
        let mut q = sessions::table.filter(sessions::territory.eq(territory.clone())).into_boxed();
        if let Some(status) = status {
            q = q.filter(sessions::status.eq(status));
        }
        q
    };
    let rows = listed()
        .order((sessions::sits_on.desc(), sessions::id.asc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(SessionRow::as_select())
        .load(conn)?;
    let total = listed().count().get_result(conn)?;
    Ok((rows, total))
}

/// Takes the session for a change, if it is still at `version` and in one of `statuses`:
/// advances its version (`DbError::Stale` when it moved meanwhile). Returns it as it becomes.
pub fn take(
    conn: &mut DbConnection,
    row: &SessionRow,
    statuses: &[SessionStatus],
    at: NaiveDateTime,
) -> DbResult<SessionRow> {
    let touched = diesel::update(
        sessions::table
            .filter(sessions::id.eq(&row.id))
            .filter(sessions::version.eq(row.version))
            .filter(sessions::status.eq_any(statuses.to_vec())),
    )
    .set((sessions::version.eq(row.version + 1), sessions::updated_at.eq(at)))
    .execute(conn)?;
    if touched != 1 {
        return Err(DbError::Stale);
    }
    let mut taken = row.clone();
    taken.version += 1;
    taken.updated_at = at;
    Ok(taken)
}

/// Moves a session taken by [`take`] to `status` (with its deliberation once decided).
pub fn set_status(
    conn: &mut DbConnection,
    row: &SessionRow,
    status: SessionStatus,
    deliberation: Option<(&str, NaiveDate)>,
) -> DbResult<SessionRow> {
    let (number, on) = deliberation.map(|(n, d)| (Some(n.to_string()), Some(d))).unwrap_or((None, None));
    diesel::update(sessions::table.filter(sessions::id.eq(&row.id)))
        .set((
            sessions::status.eq(status),
            sessions::deliberation_number.eq(&number),
            sessions::deliberated_on.eq(on),
        ))
        .execute(conn)?;
    let mut moved = row.clone();
    moved.status = status;
    moved.deliberation_number = number;
    moved.deliberated_on = on;
    Ok(moved)
}

/// The session's agenda, in order.
pub fn items(conn: &mut DbConnection, session: &SessionId) -> DbResult<Vec<ItemRow>> {
    Ok(session_items::table
        .filter(session_items::session_id.eq(session))
        .order(session_items::position.asc())
        .select(ItemRow::as_select())
        .load(conn)?)
}

/// The annex of `session`: the agenda with, for each item, the beneficiary (its name and SIRET
/// as registered), the dossier's title and its scheme; per scheme, the total proposed against
/// what the envelope of the session's year has available now.
pub fn annex(conn: &mut DbConnection, session: &SessionRow) -> DbResult<Annex> {
    let rows = session_items::table
        .inner_join(dossiers::table.inner_join(organisations::table).inner_join(schemes::table))
        .filter(session_items::session_id.eq(&session.id))
        .order(session_items::position.asc())
        .select((
            ItemRow::as_select(),
            organisations::name,
            organisations::siret,
            dossiers::title,
            schemes::id,
            schemes::name,
        ))
        .load::<(ItemRow, String, Siret, String, SchemeId, String)>(conn)?;
    let ids: Vec<DossierId> = rows.iter().map(|(item, ..)| item.dossier_id.clone()).collect();
    let totals = assessments::latest_totals(conn, &ids)?;
    let lines: Vec<AnnexLine> = rows
        .into_iter()
        .map(|(item, beneficiary, siret, object, scheme_id, scheme)| AnnexLine {
            position: item.position,
            beneficiary,
            siret: siret.to_string(),
            object,
            scheme_id: scheme_id.to_string(),
            scheme,
            proposed_cents: item.proposed_cents,
            recommendation: item.recommendation,
            outcome: item.outcome,
            voted_cents: item.voted_cents,
            weighted_total: totals.get(&item.dossier_id).copied(),
            rank: None,
            dossier_id: item.dossier_id.to_string(),
        })
        .collect();
    let year = session.sits_on.year();
    let mut available = Vec::new();
    for line in &lines {
        if !available.iter().any(|(id, _): &(String, Option<i64>)| *id == line.scheme_id) {
            let envelope =
                envelopes::for_year(conn, &session.territory, &line.scheme_id.as_str().into(), year)?;
            available.push((line.scheme_id.clone(), envelope.map(|e| e.figures().available_cents())));
        }
    }
    let schemes =
        Annex::schemes_of(&lines, year, |id| available.iter().find(|(s, _)| s == id).and_then(|(_, a)| *a));
    let mut annex = Annex {
        session_id: session.id.to_string(),
        title: session.title.clone(),
        body: session.body,
        sits_on: session.sits_on,
        deliberation_number: session.deliberation_number.clone(),
        deliberated_on: session.deliberated_on,
        lines,
        schemes,
        call_id: session.call_id.as_ref().map(|c| c.to_string()),
    };
    if annex.call_id.is_some() {
        annex.rank_lines();
    }
    Ok(annex)
}

/// Names the annex the deliberation carried.
pub fn set_annex(
    conn: &mut DbConnection,
    session: &SessionId,
    document: &GeneratedDocumentId,
) -> DbResult<()> {
    diesel::update(sessions::table.filter(sessions::id.eq(session)))
        .set(sessions::annex_document_id.eq(document))
        .execute(conn)?;
    Ok(())
}

/// The agenda item on which the dossier waits, if any.
pub fn pending_item_of(conn: &mut DbConnection, dossier: &DossierId) -> DbResult<Option<ItemRow>> {
    Ok(session_items::table
        .filter(session_items::dossier_id.eq(dossier))
        .filter(session_items::outcome.is_null())
        .select(ItemRow::as_select())
        .first(conn)
        .optional()?)
}

/// The position after the agenda's last.
pub fn next_position(conn: &mut DbConnection, session: &SessionId) -> DbResult<i32> {
    let last: Option<i32> = session_items::table
        .filter(session_items::session_id.eq(session))
        .select(diesel::dsl::max(session_items::position))
        .first(conn)?;
    Ok(last.unwrap_or(0) + 1)
}

pub fn insert_item(conn: &mut DbConnection, row: &ItemRow) -> DbResult<()> {
    diesel::insert_into(session_items::table).values(row).execute(conn)?;
    Ok(())
}

/// Records what the vote made of an item still waiting for it.
pub fn set_outcome(
    conn: &mut DbConnection,
    item: &SessionItemId,
    outcome: ItemOutcome,
    voted_cents: Option<i64>,
    reasons: Option<&str>,
) -> DbResult<()> {
    let touched = diesel::update(
        session_items::table.filter(session_items::id.eq(item)).filter(session_items::outcome.is_null()),
    )
    .set((
        session_items::outcome.eq(outcome),
        session_items::voted_cents.eq(voted_cents),
        session_items::reasons.eq(reasons),
    ))
    .execute(conn)?;
    if touched != 1 {
        return Err(DbError::Stale);
    }
    Ok(())
}

/// One line of a session's record.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = session_events)]
pub struct EventRow {
    pub session_id: SessionId,
    pub seq: i32,
    pub actor: String,
    pub actor_role: crate::domain::access::Role,
    pub at: NaiveDateTime,
    /// `created`, `item_added`, `agenda_closed`, `deliberation_recorded`.
    pub action: String,
    pub detail: Option<String>,
}

/// Appends to the session's record (in the transaction that took the session).
pub fn record(
    conn: &mut DbConnection,
    session: &SessionId,
    actor: &Caller,
    at: NaiveDateTime,
    action: &str,
    detail: Option<String>,
) -> DbResult<()> {
    let last: Option<i32> = session_events::table
        .filter(session_events::session_id.eq(session))
        .select(diesel::dsl::max(session_events::seq))
        .first(conn)?;
    let row = EventRow {
        session_id: session.clone(),
        seq: last.unwrap_or(0) + 1,
        actor: actor.sub.clone(),
        actor_role: actor.role,
        at,
        action: action.to_string(),
        detail,
    };
    diesel::insert_into(session_events::table).values(&row).execute(conn)?;
    Ok(())
}

/// The session's record, oldest first.
pub fn events(conn: &mut DbConnection, session: &SessionId) -> DbResult<Vec<EventRow>> {
    Ok(session_events::table
        .filter(session_events::session_id.eq(session))
        .order(session_events::seq.asc())
        .select(EventRow::as_select())
        .load(conn)?)
}

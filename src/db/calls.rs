//! Calls for projects: kept once created; read by id, listed by closing time, and the window a
//! dossier's submission is judged by.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::schema::{calls, envelopes};
use crate::db::types::Json;
use crate::db::DbConnection;
use crate::domain::calls::{CallState, Window};
use crate::domain::ids::{CallId, EnvelopeId, SchemeId, TerritoryCode};
use crate::domain::rules::GridCriterion;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = calls)]
pub struct CallRow {
    pub id: CallId,
    pub territory: TerritoryCode,
    pub scheme_id: SchemeId,
    /// The envelope of the budget year the call draws on.
    pub envelope_id: EnvelopeId,
    pub title: String,
    pub description: Option<String>,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    /// Its own grid, or none for its dossiers' rules version's.
    pub assessment_grid: Option<Json<Vec<GridCriterion>>>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl CallRow {
    pub fn window(&self) -> Window {
        Window { opens_at: self.opens_at, closes_at: self.closes_at }
    }

    /// Its own grid, if it has one.
    pub fn grid(&self) -> Option<&[GridCriterion]> {
        self.assessment_grid.as_ref().map(|g| g.0.as_slice())
    }
}

pub fn insert(conn: &mut DbConnection, row: &CallRow) -> DbResult<()> {
    diesel::insert_into(calls::table).values(row).execute(conn)?;
    Ok(())
}

/// The territory's call with this id (other territories' do not exist for the caller).
pub fn find(conn: &mut DbConnection, territory: &TerritoryCode, id: &CallId) -> DbResult<Option<CallRow>> {
    Ok(calls::table
        .filter(calls::id.eq(id))
        .filter(calls::territory.eq(territory))
        .select(CallRow::as_select())
        .first(conn)
        .optional()?)
}

/// The territory's call with this id and the budget year of its envelope.
pub fn find_with_year(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    id: &CallId,
) -> DbResult<Option<(CallRow, i32)>> {
    Ok(calls::table
        .inner_join(envelopes::table)
        .filter(calls::id.eq(id))
        .filter(calls::territory.eq(territory))
        .select((CallRow::as_select(), envelopes::year))
        .first(conn)
        .optional()?)
}

/// Which calls a list shows.
#[derive(Debug, Default, Clone)]
pub struct CallFilter {
    pub scheme_id: Option<SchemeId>,
    /// Where they stand at `now`.
    pub state: Option<CallState>,
}

/// A page of the territory's calls (each with its envelope's budget year), the latest closing
/// first, with the total.
pub fn page(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    filter: &CallFilter,
    now: NaiveDateTime,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<(CallRow, i32)>, i64)> {
    let listed = || {
        let mut q = calls::table
            .inner_join(envelopes::table)
            .filter(calls::territory.eq(territory.clone()))
            .into_boxed();
        if let Some(scheme) = &filter.scheme_id {
            q = q.filter(calls::scheme_id.eq(scheme.clone()));
        }
        match filter.state {
            Some(CallState::Upcoming) => q = q.filter(calls::opens_at.gt(now)),
            Some(CallState::Open) => q = q.filter(calls::opens_at.le(now)).filter(calls::closes_at.gt(now)),
            Some(CallState::Closed) => q = q.filter(calls::closes_at.le(now)),
            None => {}
        }
        q
    };
    let rows = listed()
        .order((calls::closes_at.desc(), calls::id.asc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select((CallRow::as_select(), envelopes::year))
        .load(conn)?;
    let total = listed().count().get_result(conn)?;
    Ok((rows, total))
}

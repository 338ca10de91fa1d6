//! Dossiers: the rows, the content columns (declared once for reading, inserting and editing),
//! the caller's view of them, and every status change.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult, Missing};
use crate::db::schema::{dossiers, organisations};
use crate::db::{DbBackend, DbConnection};
use crate::domain::access::Caller;
use crate::domain::dossier::{self, DossierContent, ProjectKind};
use crate::domain::eligibility::Aid;
use crate::domain::ids::{
    CallId, DossierId, EnvelopeId, OrganisationId, RulesVersionId, SchemeId, TerritoryCode,
};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::procedure;
use crate::domain::Refused;

/// What the applicant writes: read, inserted and updated as one group of columns.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = dossiers, treat_none_as_null = true)]
pub struct DossierContentColumns {
    pub title: String,
    pub project_kind: ProjectKind,
    pub eligible_expenses_cents: Option<i64>,
    pub monthly_rent_cents: Option<i64>,
    pub rent_months: Option<i32>,
    pub premises_address: Option<String>,
    pub premises_commune_code: Option<String>,
    pub requested_cents: Option<i64>,
    pub planned_start_on: Option<NaiveDate>,
    pub jobs_created_fte: Option<f64>,
    pub jobs_kept_fte: Option<f64>,
    pub description: Option<String>,
    pub total_budget_cents: Option<i64>,
    pub premises_district_code: Option<String>,
}

/// The domain content and its columns are the same fields: one list maps both ways.
macro_rules! same_fields {
    ($a:ident <-> $b:ident { $($field:ident),+ $(,)? }) => {
        impl From<$a> for $b {
            fn from(from: $a) -> Self {
                $b { $($field: from.$field),+ }
            }
        }
        impl From<$b> for $a {
            fn from(from: $b) -> Self {
                $a { $($field: from.$field),+ }
            }
        }
    };
}

same_fields!(DossierContent <-> DossierContentColumns {
    title,
    project_kind,
    eligible_expenses_cents,
    monthly_rent_cents,
    rent_months,
    premises_address,
    premises_commune_code,
    requested_cents,
    planned_start_on,
    jobs_created_fte,
    jobs_kept_fte,
    description,
    total_budget_cents,
    premises_district_code,
});

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = dossiers)]
pub struct DossierRow {
    pub id: DossierId,
    pub territory: TerritoryCode,
    pub scheme_id: SchemeId,
    pub organisation_id: OrganisationId,
    pub status: DossierStatus,
    #[diesel(embed)]
    pub content: DossierContentColumns,
    pub submitted_at: Option<NaiveDateTime>,
    /// Filing year: of creation, then of first submission.
    pub year: i32,
    pub assigned_instructor: Option<String>,
    pub rules_version_id: Option<RulesVersionId>,
    pub granted_cents: Option<i64>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The deliberation that granted it: the grant's date for every total and for de minimis.
    pub decided_on: Option<NaiveDate>,
    pub decision_reference: Option<String>,
    pub convention_signed_on: Option<NaiveDate>,
    /// The envelope the grant is committed against.
    pub envelope_id: Option<EnvelopeId>,
    pub paid_cents: i64,
    /// Requested and not yet paid or refused.
    pub pending_disbursement_cents: i64,
    /// A grant decided before Essor, imported from an SCDL file: read-only.
    pub imported: bool,
    /// When `essor purge` removed its personal data: read-only since.
    pub purged_at: Option<NaiveDateTime>,
    /// While a decision is due: the day silence becomes an implicit rejection.
    pub implicit_decision_on: Option<NaiveDate>,
    /// The day the latest decision's notification was received, once recorded.
    pub notified_on: Option<NaiveDate>,
    /// The last day an appeal against that decision may be brought.
    pub appeal_until: Option<NaiveDate>,
    /// The call for projects it answers, if any.
    pub call_id: Option<CallId>,
}

impl DossierRow {
    /// Whether anything may change it: not if imported or purged
    /// ([`domain::dossier::ensure_changeable`](crate::domain::dossier::ensure_changeable)).
    pub fn ensure_changeable(&self) -> Result<(), Refused> {
        dossier::ensure_changeable(self.imported, self.purged_at.is_some())
    }

    /// What of the grant is neither paid nor requested.
    pub fn requestable_cents(&self) -> i64 {
        self.granted_cents.unwrap_or(0) - self.paid_cents - self.pending_disbursement_cents
    }

    /// The content as the domain checks it.
    pub fn content(&self) -> DossierContent {
        self.content.clone().into()
    }
}

/// A new draft.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dossiers)]
pub struct NewDossierRow {
    pub id: DossierId,
    pub territory: TerritoryCode,
    pub scheme_id: SchemeId,
    pub organisation_id: OrganisationId,
    pub status: DossierStatus,
    #[diesel(embed)]
    pub content: DossierContentColumns,
    pub year: i32,
    pub call_id: Option<CallId>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Columns a status change sets besides the status (`None`: left as is).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = dossiers)]
pub struct TransitionEffects {
    pub submitted_at: Option<NaiveDateTime>,
    pub year: Option<i32>,
    pub rules_version_id: Option<RulesVersionId>,
    pub assigned_instructor: Option<String>,
    pub granted_cents: Option<i64>,
    pub decided_on: Option<NaiveDate>,
    pub decision_reference: Option<String>,
    pub convention_signed_on: Option<NaiveDate>,
    pub envelope_id: Option<EnvelopeId>,
}

impl TransitionEffects {
    /// What the update sets, on a row read before it.
    fn apply_to(&self, row: &mut DossierRow) {
        let TransitionEffects {
            submitted_at,
            year,
            rules_version_id,
            assigned_instructor,
            granted_cents,
            decided_on,
            decision_reference,
            convention_signed_on,
            envelope_id,
        } = self;
        macro_rules! set {
            ($($field:ident),+) => {$(
                if let Some(value) = $field {
                    row.$field = Some(value.clone());
                }
            )+};
        }
        set!(
            submitted_at,
            rules_version_id,
            assigned_instructor,
            granted_cents,
            decided_on,
            decision_reference,
            convention_signed_on,
            envelope_id
        );
        if let Some(year) = year {
            row.year = *year;
        }
    }
}

/// Which dossiers a list shows, besides what the caller may see.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub status: Option<DossierStatus>,
    /// Only dossiers whose silence date (a decision being due) falls before this day.
    pub implicit_decision_before: Option<NaiveDate>,
    pub scheme_id: Option<SchemeId>,
    pub year: Option<i32>,
    pub organisation_id: Option<OrganisationId>,
    pub call_id: Option<CallId>,
}

/// Dossiers the caller may see: its territory's, and for an applicant only its own
/// organisation's. The rest does not exist for the caller.
fn visible_to(caller: &Caller) -> dossiers::BoxedQuery<'static, DbBackend> {
    let mut query = dossiers::table.filter(dossiers::territory.eq(caller.territory.clone())).into_boxed();
    if !caller.is_staff() {
        let own = organisations::table
            .filter(organisations::territory.eq(caller.territory.clone()))
            .filter(organisations::siret.eq(caller.organisation_siret.clone().unwrap_or_default()))
            .select(organisations::id);
        query = query.filter(dossiers::organisation_id.eq_any(own));
    }
    query
}

/// One dossier the caller may see, or `NotFound`. Staff (the hot path: instructors reading dossiers)
/// get a statement that is the same type every time, kept prepared by diesel's statement cache;
/// applicants get the boxed query of [`visible_to`] (cached by its SQL).
pub fn visible(conn: &mut DbConnection, caller: &Caller, id: &DossierId) -> DbResult<DossierRow> {
    let found = if caller.is_staff() {
        dossiers::table
            .filter(dossiers::territory.eq(&caller.territory))
            .filter(dossiers::id.eq(id))
            .select(DossierRow::as_select())
            .first(conn)
            .optional()?
    } else {
        visible_to(caller)
            .filter(dossiers::id.eq(id.clone()))
            .select(DossierRow::as_select())
            .first(conn)
            .optional()?
    };
    found.ok_or_else(|| DbError::NotFound(Missing::Dossier))
}

/// The dossiers a list shows, before paging.
fn listed(caller: &Caller, filter: &ListFilter) -> dossiers::BoxedQuery<'static, DbBackend> {
    let mut q = visible_to(caller);
    if let Some(status) = filter.status {
        q = q.filter(dossiers::status.eq(status));
    }
    if let Some(scheme) = &filter.scheme_id {
        q = q.filter(dossiers::scheme_id.eq(scheme.clone()));
    }
    if let Some(year) = filter.year {
        q = q.filter(dossiers::year.eq(year));
    }
    if let Some(before) = filter.implicit_decision_before {
        q = q.filter(dossiers::implicit_decision_on.lt(before));
    }
    if let Some(organisation) = &filter.organisation_id {
        q = q.filter(dossiers::organisation_id.eq(organisation.clone()));
    }
    if let Some(call) = &filter.call_id {
        q = q.filter(dossiers::call_id.eq(call.clone()));
    }
    q
}

/// A page of the dossiers the caller may see, newest first (in the order of index
/// `dossiers_territory_created`); by silence date, the nearest first, when the filter asks
/// for those about to be implicitly rejected (index `dossiers_territory_implicit_decision`).
pub fn page(
    conn: &mut DbConnection,
    caller: &Caller,
    filter: &ListFilter,
    page: i64,
    per_page: i64,
) -> DbResult<Vec<DossierRow>> {
    let ordered = if filter.implicit_decision_before.is_some() {
        listed(caller, filter).order((dossiers::implicit_decision_on.asc(), dossiers::id.asc()))
    } else {
        listed(caller, filter).order((dossiers::created_at.desc(), dossiers::id.asc()))
    };
    Ok(ordered.limit(per_page).offset((page - 1) * per_page).select(DossierRow::as_select()).load(conn)?)
}

/// How many dossiers the list shows over all its pages.
pub fn count(conn: &mut DbConnection, caller: &Caller, filter: &ListFilter) -> DbResult<i64> {
    Ok(listed(caller, filter).count().get_result(conn)?)
}

fn reload(conn: &mut DbConnection, id: &DossierId) -> DbResult<DossierRow> {
    Ok(dossiers::table.find(id).select(DossierRow::as_select()).first(conn)?)
}

/// After a conditional update: the updated row, or `DbError::Stale` when the condition matched
/// no row
/// (someone moved or edited the dossier since it was read).
fn updated(conn: &mut DbConnection, id: &DossierId, touched: usize) -> DbResult<DossierRow> {
    if touched != 1 {
        return Err(DbError::Stale);
    }
    reload(conn, id)
}

pub fn insert(conn: &mut DbConnection, row: &NewDossierRow) -> DbResult<DossierRow> {
    diesel::insert_into(dossiers::table).values(row).execute(conn)?;
    reload(conn, &row.id)
}

/// Replaces the content of `row` if it is still at the version read and still editable
/// (`DbError::Stale` otherwise: someone moved or edited it since). Returns the updated row.
pub fn replace_content(
    conn: &mut DbConnection,
    row: &DossierRow,
    content: &DossierContentColumns,
    at: NaiveDateTime,
) -> DbResult<DossierRow> {
    let touched = diesel::update(
        dossiers::table
            .filter(dossiers::id.eq(&row.id))
            .filter(dossiers::version.eq(row.version))
            .filter(dossiers::status.eq_any([DossierStatus::Draft, DossierStatus::ChangesRequested])),
    )
    .set((content, dossiers::version.eq(row.version + 1), dossiers::updated_at.eq(at)))
    .execute(conn)?;
    updated(conn, &row.id, touched)
}

/// Moves `row` from its status to `to` with `effects`, if it is still at the version and status
/// read (`DbError::Stale` otherwise). Returns the updated row. Its silence date follows
/// ([`procedure::silence_date_after`]): `received` is the day a submission was received.
pub fn move_status(
    conn: &mut DbConnection,
    row: &DossierRow,
    to: DossierStatus,
    effects: &TransitionEffects,
    received: Option<NaiveDate>,
    at: NaiveDateTime,
) -> DbResult<DossierRow> {
    let silence = procedure::silence_date_after(to, received, row.implicit_decision_on);
    let touched = diesel::update(
        dossiers::table
            .filter(dossiers::id.eq(&row.id))
            .filter(dossiers::version.eq(row.version))
            .filter(dossiers::status.eq(row.status)),
    )
    .set((
        dossiers::status.eq(to),
        dossiers::version.eq(row.version + 1),
        dossiers::updated_at.eq(at),
        dossiers::implicit_decision_on.eq(silence),
        effects,
    ))
    .execute(conn)?;
    if touched != 1 {
        return Err(DbError::Stale);
    }
    // The row as the update left it, without reading it again.
    let mut moved = row.clone();
    moved.status = to;
    moved.version = row.version + 1;
    moved.updated_at = at;
    moved.implicit_decision_on = silence;
    effects.apply_to(&mut moved);
    Ok(moved)
}

/// Grants this territory made to establishments of the SIREN (other than `exclude`), dated by
/// their decision: what de minimis counts besides declarations. A cancelled grant counts for
/// what was paid of it.
pub fn grants_to_siren(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    siren: &str,
    exclude: &DossierId,
) -> DbResult<Vec<Aid>> {
    let granted: Vec<(Option<i64>, Option<NaiveDate>)> = dossiers::table
        .inner_join(organisations::table)
        .filter(dossiers::territory.eq(territory))
        .filter(organisations::territory.eq(territory))
        .filter(organisations::siren.eq(siren))
        .filter(dossiers::status.eq_any([
            DossierStatus::Approved,
            DossierStatus::Closed,
            DossierStatus::Cancelled,
        ]))
        .filter(dossiers::id.ne(exclude))
        .select((dossiers::granted_cents, dossiers::decided_on))
        .load(conn)?;
    Ok(granted
        .into_iter()
        .filter_map(|(cents, decided_on)| Some(Aid { granted_on: decided_on?, amount_cents: cents? }))
        .filter(|aid| aid.amount_cents > 0)
        .collect())
}

/// Adds `cents` to what is requested of an approved grant, if requested + paid stay within it.
/// `Ok(false)` (nothing written) otherwise.
pub fn request_disbursement(
    conn: &mut DbConnection,
    id: &DossierId,
    cents: i64,
    at: NaiveDateTime,
) -> DbResult<bool> {
    let touched = diesel::update(
        dossiers::table
            .filter(dossiers::id.eq(id))
            .filter(dossiers::status.eq(DossierStatus::Approved))
            .filter(
                (dossiers::paid_cents + dossiers::pending_disbursement_cents + cents)
                    .nullable()
                    .le(dossiers::granted_cents),
            ),
    )
    .set((
        dossiers::pending_disbursement_cents.eq(dossiers::pending_disbursement_cents + cents),
        dossiers::version.eq(dossiers::version + 1),
        dossiers::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(touched == 1)
}

/// Settles `cents` of what was requested: paid (moved to `paid_cents`) or refused (given back).
pub fn settle_disbursement(
    conn: &mut DbConnection,
    id: &DossierId,
    cents: i64,
    paid: bool,
    at: NaiveDateTime,
) -> DbResult<()> {
    let paid_delta = if paid { cents } else { 0 };
    let touched = diesel::update(
        dossiers::table.filter(dossiers::id.eq(id)).filter(dossiers::pending_disbursement_cents.ge(cents)),
    )
    .set((
        dossiers::pending_disbursement_cents.eq(dossiers::pending_disbursement_cents - cents),
        dossiers::paid_cents.eq(dossiers::paid_cents + paid_delta),
        dossiers::version.eq(dossiers::version + 1),
        dossiers::updated_at.eq(at),
    ))
    .execute(conn)?;
    if touched != 1 {
        return Err(DbError::internal(
            "settling a disbursement",
            format!("dossier {id} has less pending than {cents}"),
        ));
    }
    Ok(())
}

/// Takes the dossier's row lock for the rest of the transaction: the first lock of every use
/// case that changes a dossier or its money (ARCHITECTURE.md, "Locks"), so that two of them on
/// one dossier queue here instead of deadlocking on the rows they touch next. PostgreSQL:
/// `SELECT … FOR UPDATE`. SQLite: nothing to do, a write transaction (`BEGIN IMMEDIATE`) holds
/// the database's one write lock from its start.
pub fn lock(conn: &mut DbConnection, id: &DossierId) -> DbResult<()> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT id FROM dossiers WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(id)
            .execute(pg)?;
    }
    Ok(())
}

/// The dossier `id` locked ([`lock`]) and read, if nothing forbids changing it (imported or
/// purged: refused, see [`DossierRow::ensure_changeable`]). The one guard of every write that
/// reaches a dossier by another object (a disbursement, a reservation).
pub fn lock_changeable(conn: &mut DbConnection, id: &DossierId) -> DbResult<DossierRow> {
    lock(conn, id)?;
    let row = reload(conn, id)?;
    row.ensure_changeable()?;
    Ok(row)
}

/// The statuses a dossier may still be granted from (a reservation can only be made for these).
pub const GRANTABLE: [DossierStatus; 4] = [
    DossierStatus::Draft,
    DossierStatus::Submitted,
    DossierStatus::UnderReview,
    DossierStatus::ChangesRequested,
];

/// Takes the row lock of a dossier that may still be granted (to make a reservation for it), in
/// one conditional UPDATE that changes nothing (its version and ETag stay: a reservation is not
/// an edit of the dossier). `Ok(false)` when it is no longer grantable (decided, withdrawn…),
/// imported or purged: the condition is in the statement, evaluated on the row as committed
/// once the lock is held, so a decision committed a moment before is seen.
pub fn lock_if_grantable(conn: &mut DbConnection, id: &DossierId) -> DbResult<bool> {
    let touched = diesel::update(
        dossiers::table
            .filter(dossiers::id.eq(id))
            .filter(dossiers::status.eq_any(GRANTABLE))
            .filter(dossiers::imported.eq(false))
            .filter(dossiers::purged_at.is_null()),
    )
    .set(dossiers::version.eq(dossiers::version))
    .execute(conn)?;
    Ok(touched == 1)
}

/// Reloads a dossier by id (after a change made in this transaction).
pub fn find(conn: &mut DbConnection, id: &DossierId) -> DbResult<DossierRow> {
    reload(conn, id)
}

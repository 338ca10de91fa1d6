//! Envelopes, their reservations and their append-only ledger. Every change of a figure is one
//! conditional UPDATE that keeps the invariant (checked to touch one row, portable to both
//! backends, safe across instances) plus one ledger row, in the caller's transaction; CHECK
//! constraints are the backstop.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::schema::{envelope_movements, envelopes, reservations};
use crate::db::{new_id, DbConnection};
use crate::domain::ids::{DossierId, EnvelopeId, ReservationId, SchemeId, TerritoryCode};
use crate::domain::money::{EnvelopeFigures, Figure, MovementKind, ReservationStatus};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = envelopes)]
pub struct EnvelopeRow {
    pub id: EnvelopeId,
    pub territory: TerritoryCode,
    pub scheme_id: SchemeId,
    pub year: i32,
    pub label: Option<String>,
    pub amount_cents: i64,
    pub reserved_cents: i64,
    pub committed_cents: i64,
    pub disbursed_cents: i64,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl EnvelopeRow {
    pub fn figures(&self) -> EnvelopeFigures {
        EnvelopeFigures {
            amount_cents: self.amount_cents,
            reserved_cents: self.reserved_cents,
            committed_cents: self.committed_cents,
            disbursed_cents: self.disbursed_cents,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reservations)]
pub struct ReservationRow {
    pub id: ReservationId,
    pub envelope_id: EnvelopeId,
    pub dossier_id: DossierId,
    pub amount_cents: i64,
    pub comment: String,
    pub status: ReservationStatus,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub closed_by: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = envelope_movements)]
pub struct MovementRow {
    pub id: String,
    pub envelope_id: EnvelopeId,
    pub kind: MovementKind,
    pub dossier_id: Option<DossierId>,
    /// Signed: what the movement adds to (or takes from) its figure.
    pub amount_cents: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub reference: Option<String>,
}

/// The envelope with this id in this territory.
pub fn find(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    id: &EnvelopeId,
) -> DbResult<Option<EnvelopeRow>> {
    Ok(envelopes::table
        .filter(envelopes::id.eq(id))
        .filter(envelopes::territory.eq(territory))
        .select(EnvelopeRow::as_select())
        .first(conn)
        .optional()?)
}

/// The envelope of a scheme for a year, if the territory opened one.
pub fn for_year(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    scheme_id: &SchemeId,
    year: i32,
) -> DbResult<Option<EnvelopeRow>> {
    Ok(envelopes::table
        .filter(envelopes::territory.eq(territory))
        .filter(envelopes::scheme_id.eq(scheme_id))
        .filter(envelopes::year.eq(year))
        .select(EnvelopeRow::as_select())
        .first(conn)
        .optional()?)
}

/// The territory's envelopes, newest year first, then by scheme.
pub fn list(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    year: Option<i32>,
    scheme_id: Option<&SchemeId>,
) -> DbResult<Vec<EnvelopeRow>> {
    let mut query = envelopes::table.filter(envelopes::territory.eq(territory.clone())).into_boxed();
    if let Some(year) = year {
        query = query.filter(envelopes::year.eq(year));
    }
    if let Some(scheme) = scheme_id {
        query = query.filter(envelopes::scheme_id.eq(scheme.clone()));
    }
    Ok(query
        .order((envelopes::year.desc(), envelopes::scheme_id.asc()))
        .limit(1000)
        .select(EnvelopeRow::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, row: &EnvelopeRow) -> DbResult<()> {
    diesel::insert_into(envelopes::table).values(row).execute(conn)?;
    Ok(())
}

/// Sets the amount if the envelope is still at `read_version` and the amount still covers what
/// is reserved and committed. `Ok(false)` when it would not cover them; `DbError::Stale` when stale.
pub fn set_amount(
    conn: &mut DbConnection,
    envelope: &EnvelopeRow,
    amount_cents: i64,
    label: Option<String>,
    at: NaiveDateTime,
) -> DbResult<bool> {
    let touched = diesel::update(
        envelopes::table
            .filter(envelopes::id.eq(&envelope.id))
            .filter(envelopes::version.eq(envelope.version))
            .filter((envelopes::reserved_cents + envelopes::committed_cents).le(amount_cents)),
    )
    .set((
        envelopes::amount_cents.eq(amount_cents),
        envelopes::label.eq(label),
        envelopes::version.eq(envelope.version + 1),
        envelopes::updated_at.eq(at),
    ))
    .execute(conn)?;
    if touched == 1 {
        return Ok(true);
    }
    let current = reload(conn, &envelope.id)?;
    if current.version != envelope.version {
        return Err(DbError::Stale);
    }
    Ok(false)
}

pub fn reload(conn: &mut DbConnection, id: &EnvelopeId) -> DbResult<EnvelopeRow> {
    Ok(envelopes::table.find(id).select(EnvelopeRow::as_select()).first(conn)?)
}

/// A movement to apply to an envelope.
pub struct Movement<'a> {
    pub envelope_id: &'a EnvelopeId,
    pub kind: MovementKind,
    pub dossier_id: Option<&'a DossierId>,
    /// Signed.
    pub amount_cents: i64,
    pub at: NaiveDateTime,
    pub actor: &'a str,
    pub reference: Option<String>,
}

/// Applies a movement: one conditional UPDATE of the figure it moves, which keeps
/// reserved + committed ≤ amount and disbursed ≤ committed (and no figure below zero), and its
/// ledger row. `Ok(false)`, nothing written, when the envelope cannot take it.
pub fn apply(conn: &mut DbConnection, movement: Movement<'_>) -> DbResult<bool> {
    let d = movement.amount_cents;
    let target = envelopes::table.filter(envelopes::id.eq(movement.envelope_id));
    let bump = envelopes::version.eq(envelopes::version + 1);
    let stamp = envelopes::updated_at.eq(movement.at);
    let touched = match movement.kind.figure() {
        Figure::Reserved => diesel::update(target.filter((envelopes::reserved_cents + d).ge(0)).filter(
            (envelopes::reserved_cents + d + envelopes::committed_cents).le(envelopes::amount_cents),
        ))
        .set((envelopes::reserved_cents.eq(envelopes::reserved_cents + d), bump, stamp))
        .execute(conn)?,
        Figure::Committed => diesel::update(
            target.filter((envelopes::committed_cents + d).ge(envelopes::disbursed_cents)).filter(
                (envelopes::committed_cents + d + envelopes::reserved_cents).le(envelopes::amount_cents),
            ),
        )
        .set((envelopes::committed_cents.eq(envelopes::committed_cents + d), bump, stamp))
        .execute(conn)?,
        Figure::Disbursed => diesel::update(
            target
                .filter((envelopes::disbursed_cents + d).ge(0))
                .filter((envelopes::disbursed_cents + d).le(envelopes::committed_cents)),
        )
        .set((envelopes::disbursed_cents.eq(envelopes::disbursed_cents + d), bump, stamp))
        .execute(conn)?,
    };
    if touched != 1 {
        return Ok(false);
    }
    let row = MovementRow {
        id: new_id(),
        envelope_id: movement.envelope_id.clone(),
        kind: movement.kind,
        dossier_id: movement.dossier_id.cloned(),
        amount_cents: d,
        at: movement.at,
        actor: movement.actor.to_string(),
        reference: movement.reference,
    };
    diesel::insert_into(envelope_movements::table).values(&row).execute(conn)?;
    Ok(true)
}

/// A page of the envelope's ledger, oldest first, and the number of movements.
pub fn movements(
    conn: &mut DbConnection,
    envelope_id: &EnvelopeId,
    page: i64,
    per_page: i64,
) -> DbResult<(Vec<MovementRow>, i64)> {
    let total: i64 = envelope_movements::table
        .filter(envelope_movements::envelope_id.eq(envelope_id))
        .count()
        .get_result(conn)?;
    let rows = envelope_movements::table
        .filter(envelope_movements::envelope_id.eq(envelope_id))
        .order((envelope_movements::at.asc(), envelope_movements::id.asc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(MovementRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_reservation(conn: &mut DbConnection, row: &ReservationRow) -> DbResult<()> {
    diesel::insert_into(reservations::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_reservation(
    conn: &mut DbConnection,
    envelope_id: &EnvelopeId,
    reservation_id: &ReservationId,
) -> DbResult<Option<ReservationRow>> {
    Ok(reservations::table
        .filter(reservations::id.eq(reservation_id))
        .filter(reservations::envelope_id.eq(envelope_id))
        .select(ReservationRow::as_select())
        .first(conn)
        .optional()?)
}

/// The dossier's active reservation in the envelope, if any.
pub fn active_reservation(
    conn: &mut DbConnection,
    envelope_id: &EnvelopeId,
    dossier_id: &DossierId,
) -> DbResult<Option<ReservationRow>> {
    Ok(reservations::table
        .filter(reservations::envelope_id.eq(envelope_id))
        .filter(reservations::dossier_id.eq(dossier_id))
        .filter(reservations::status.eq(ReservationStatus::Active))
        .select(ReservationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn reservations_of(conn: &mut DbConnection, envelope_id: &EnvelopeId) -> DbResult<Vec<ReservationRow>> {
    Ok(reservations::table
        .filter(reservations::envelope_id.eq(envelope_id))
        .order((reservations::created_at.asc(), reservations::id.asc()))
        .select(ReservationRow::as_select())
        .load(conn)?)
}

/// Closes an active reservation (consumed or released). `Ok(false)` when it was no longer active.
pub fn close_reservation(
    conn: &mut DbConnection,
    reservation_id: &ReservationId,
    status: ReservationStatus,
    by: &str,
    at: NaiveDateTime,
) -> DbResult<bool> {
    let touched = diesel::update(
        reservations::table
            .filter(reservations::id.eq(reservation_id))
            .filter(reservations::status.eq(ReservationStatus::Active)),
    )
    .set((reservations::status.eq(status), reservations::closed_by.eq(by), reservations::closed_at.eq(at)))
    .execute(conn)?;
    Ok(touched == 1)
}

/// Releases every active reservation of the dossier (in envelope order), but the one in
/// `keep` (the envelope an approval commits against, which consumes its own): each closed as
/// `released` with its ledger movement. For a dossier that can no longer be granted (rejected,
/// dismissed, withdrawn, cancelled) or was granted in another year's envelope. Returns the
/// reservations released, `(envelope_id, amount_cents)`.
pub fn release_reservations_of(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
    keep: Option<&EnvelopeId>,
    actor: &str,
    at: NaiveDateTime,
    reference: &str,
) -> DbResult<Vec<(EnvelopeId, i64)>> {
    let active: Vec<ReservationRow> = reservations::table
        .filter(reservations::dossier_id.eq(dossier_id))
        .filter(reservations::status.eq(ReservationStatus::Active))
        .order((reservations::envelope_id.asc(), reservations::id.asc()))
        .select(ReservationRow::as_select())
        .load(conn)?;
    let mut released = Vec::new();
    for reservation in active.into_iter().filter(|r| Some(&r.envelope_id) != keep) {
        if !close_reservation(conn, &reservation.id, ReservationStatus::Released, actor, at)? {
            continue;
        }
        let movement = Movement {
            envelope_id: &reservation.envelope_id,
            kind: MovementKind::ReservationRelease,
            dossier_id: Some(dossier_id),
            amount_cents: -reservation.amount_cents,
            at,
            actor,
            reference: Some(reference.to_string()),
        };
        if !apply(conn, movement)? {
            return Err(DbError::internal("reservation", "the envelope refused a release"));
        }
        released.push((reservation.envelope_id, reservation.amount_cents));
    }
    Ok(released)
}

/// Gives what of a grant is neither paid nor requested back to its envelope (a cancellation,
/// or the balance paid); returns the amount released.
pub fn release_unpaid(
    conn: &mut DbConnection,
    dossier: &crate::db::dossiers::DossierRow,
    actor: &str,
    at: NaiveDateTime,
    reference: &str,
) -> DbResult<i64> {
    let remainder = dossier.requestable_cents();
    if remainder <= 0 {
        return Ok(0);
    }
    let envelope_id =
        dossier.envelope_id.as_ref().ok_or_else(|| DbError::internal("release", "grant without envelope"))?;
    let movement = Movement {
        envelope_id,
        kind: MovementKind::Release,
        dossier_id: Some(&dossier.id),
        amount_cents: -remainder,
        at,
        actor,
        reference: Some(reference.to_string()),
    };
    if !apply(conn, movement)? {
        return Err(DbError::internal("release", "the envelope refused a release"));
    }
    Ok(remainder)
}

//! The purge's queries (`essor purge`): which dossiers are over, and erasing their personal
//! data; then what older records say of people. What is erased and kept is
//! [`domain::retention`](crate::domain::retention)'s to say; the append-only tables accept
//! these updates because they only erase (migration 000014).

use chrono::NaiveDateTime;
use diesel::dsl::max;
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::schema::{
    assessments, convention_documents, convention_signatures, conventions, disbursements,
    document_blob_chunks, document_blobs, documents, dossier_history, dossiers, eligibility_snapshots,
    envelope_movements, envelopes, generated_documents, idempotency_keys, notification_receptions,
    notifications, organisation_history, organisations, receipts, reservations, rules_versions, schemes,
    session_items, submission_documents,
};
use crate::db::DbConnection;
use crate::domain::ids::{DossierId, TerritoryCode};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::retention::ANONYMISED;

/// A dossier whose story is over, not purged yet.
#[derive(Debug, Clone)]
pub struct FinalDossier {
    pub id: DossierId,
    pub status: DossierStatus,
    /// Its last history entry or its last update, whichever is later.
    pub last_event: NaiveDateTime,
}

/// Every dossier of the territory in a final state, not purged yet.
pub fn final_dossiers(conn: &mut DbConnection, territory: &TerritoryCode) -> DbResult<Vec<FinalDossier>> {
    let rows: Vec<(DossierId, DossierStatus, NaiveDateTime, Option<NaiveDateTime>)> = dossiers::table
        .inner_join(dossier_history::table)
        .filter(dossiers::territory.eq(territory))
        .filter(dossiers::status.eq_any(DossierStatus::FINAL))
        .filter(dossiers::purged_at.is_null())
        .group_by((dossiers::id, dossiers::status, dossiers::updated_at))
        .select((dossiers::id, dossiers::status, dossiers::updated_at, max(dossier_history::at)))
        .order(dossiers::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, status, updated_at, last_step)| FinalDossier {
            id,
            status,
            last_event: last_step.map_or(updated_at, |at| at.max(updated_at)),
        })
        .collect())
}

/// What purging one dossier (or several, summed) erased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierErasure {
    /// Document rows removed (current, replaced and deleted ones kept for a submission).
    pub documents: usize,
    /// Contents no remaining document names, removed with their database chunks: (SHA-256,
    /// size). Their files, with the filesystem storage, go at the end of the purge with every
    /// file no row names (`DocumentStore::collect_garbage`).
    pub contents: Vec<(String, i64)>,
    /// Letters Essor generated for it (receipts…) removed with their records: they name the
    /// applicant.
    pub letters: usize,
    pub history_entries: usize,
    pub assessments: usize,
    pub eligibility_records: usize,
    pub disbursements: usize,
    pub reservations: usize,
    pub ledger_rows: usize,
}

impl DossierErasure {
    pub fn absorb(&mut self, other: DossierErasure) {
        self.documents += other.documents;
        self.contents.extend(other.contents);
        self.letters += other.letters;
        self.history_entries += other.history_entries;
        self.assessments += other.assessments;
        self.eligibility_records += other.eligibility_records;
        self.disbursements += other.disbursements;
        self.reservations += other.reservations;
        self.ledger_rows += other.ledger_rows;
    }
}

/// Erases the personal data of a dossier in a final state, in the caller's transaction: its
/// documents and the contents only they named, its description, every comment and note, and
/// every actor id. `None` when it is no longer there to purge (another purge took it, or it
/// left its final state: it cannot, but the update checks rather than trusts).
pub fn purge_dossier(
    conn: &mut DbConnection,
    id: &DossierId,
    at: NaiveDateTime,
) -> DbResult<Option<DossierErasure>> {
    let marked = diesel::update(
        dossiers::table
            .filter(dossiers::id.eq(id))
            .filter(dossiers::purged_at.is_null())
            .filter(dossiers::status.eq_any(DossierStatus::FINAL)),
    )
    .set((
        dossiers::purged_at.eq(Some(at)),
        dossiers::description.eq(None::<String>),
        dossiers::created_by.eq(ANONYMISED),
        dossiers::version.eq(dossiers::version + 1),
        dossiers::updated_at.eq(at),
    ))
    .execute(conn)?;
    if marked != 1 {
        return Ok(None);
    }
    diesel::update(
        dossiers::table.filter(dossiers::id.eq(id)).filter(dossiers::assigned_instructor.is_not_null()),
    )
    .set(dossiers::assigned_instructor.eq(ANONYMISED))
    .execute(conn)?;

    // The convention names the beneficiary and its signed copies are documents: it goes first,
    // its letters with the others below.
    diesel::delete(convention_signatures::table.filter(convention_signatures::dossier_id.eq(id)))
        .execute(conn)?;
    diesel::delete(convention_documents::table.filter(convention_documents::dossier_id.eq(id)))
        .execute(conn)?;
    diesel::delete(conventions::table.filter(conventions::dossier_id.eq(id))).execute(conn)?;

    // Documents: what each submission was made with, then the rows, then the contents that no
    // other document (of any dossier) names.
    diesel::delete(submission_documents::table.filter(submission_documents::dossier_id.eq(id)))
        .execute(conn)?;
    let mut named: Vec<(String, i64)> = documents::table
        .filter(documents::dossier_id.eq(id))
        .select((documents::sha256, documents::size))
        .load(conn)?;
    let removed_documents =
        diesel::delete(documents::table.filter(documents::dossier_id.eq(id))).execute(conn)?;
    named.sort();
    named.dedup();
    let mut contents = Vec::new();
    for (sha256, size) in named {
        let others: i64 = documents::table.filter(documents::sha256.eq(&sha256)).count().get_result(conn)?;
        if others == 0 {
            diesel::delete(document_blob_chunks::table.filter(document_blob_chunks::sha256.eq(&sha256)))
                .execute(conn)?;
            diesel::delete(document_blobs::table.filter(document_blobs::sha256.eq(&sha256))).execute(conn)?;
            contents.push((sha256, size));
        }
    }

    // What instructors wrote of it on a session's agenda, and who.
    diesel::update(session_items::table.filter(session_items::dossier_id.eq(id)))
        .set((
            session_items::proposed_by.eq(ANONYMISED),
            session_items::note.eq(None::<String>),
            session_items::conditions.eq(None::<String>),
            session_items::reasons.eq(None::<String>),
        ))
        .execute(conn)?;
    // Receipts, notifications and their letters name the applicant (and a refusal's reasons):
    // they go, as the documents do.
    diesel::delete(receipts::table.filter(receipts::dossier_id.eq(id))).execute(conn)?;
    diesel::delete(notification_receptions::table.filter(notification_receptions::dossier_id.eq(id)))
        .execute(conn)?;
    diesel::delete(notifications::table.filter(notifications::dossier_id.eq(id))).execute(conn)?;
    let letters = diesel::delete(generated_documents::table.filter(generated_documents::dossier_id.eq(id)))
        .execute(conn)?;

    let history_entries = diesel::update(dossier_history::table.filter(dossier_history::dossier_id.eq(id)))
        .set((
            dossier_history::actor.eq(ANONYMISED),
            dossier_history::comment.eq(None::<String>),
            dossier_history::internal_note.eq(None::<String>),
        ))
        .execute(conn)?;
    let assessments = diesel::update(assessments::table.filter(assessments::dossier_id.eq(id)))
        .set((assessments::instructor.eq(ANONYMISED), assessments::comments.eq(None::<String>)))
        .execute(conn)?;
    let eligibility_records =
        diesel::update(eligibility_snapshots::table.filter(eligibility_snapshots::dossier_id.eq(id)))
            .set(eligibility_snapshots::created_by.eq(ANONYMISED))
            .execute(conn)?;
    let disbursements = diesel::update(disbursements::table.filter(disbursements::dossier_id.eq(id)))
        .set((
            disbursements::requested_by.eq(ANONYMISED),
            disbursements::comment.eq(None::<String>),
            disbursements::refusal_comment.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(
        disbursements::table
            .filter(disbursements::dossier_id.eq(id))
            .filter(disbursements::decided_by.is_not_null()),
    )
    .set(disbursements::decided_by.eq(ANONYMISED))
    .execute(conn)?;
    let reservations = diesel::update(reservations::table.filter(reservations::dossier_id.eq(id)))
        .set((reservations::created_by.eq(ANONYMISED), reservations::comment.eq("")))
        .execute(conn)?;
    diesel::update(
        reservations::table
            .filter(reservations::dossier_id.eq(id))
            .filter(reservations::closed_by.is_not_null()),
    )
    .set(reservations::closed_by.eq(ANONYMISED))
    .execute(conn)?;
    let ledger_rows = diesel::update(envelope_movements::table.filter(envelope_movements::dossier_id.eq(id)))
        .set(envelope_movements::actor.eq(ANONYMISED))
        .execute(conn)?;

    Ok(Some(DossierErasure {
        documents: removed_documents,
        contents,
        letters,
        history_entries,
        assessments,
        eligibility_records,
        disbursements,
        reservations,
        ledger_rows,
    }))
}

/// What the purge erased of records older than the cut-off that belong to no dossier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OlderErasure {
    /// Organisation history entries whose actor was erased.
    pub organisation_history_entries: usize,
    /// Organisations whose registering applicant was erased (`created_by`).
    pub organisations: usize,
    /// Schemes, rules versions and envelopes whose author was erased.
    pub configuration_records: usize,
    /// Stored answers of idempotent requests deleted (they carry the caller's id and the
    /// answer's body, and only serve retries).
    pub idempotency_records: usize,
}

impl OlderErasure {
    pub fn absorb(&mut self, other: OlderErasure) {
        self.organisation_history_entries += other.organisation_history_entries;
        self.organisations += other.organisations;
        self.configuration_records += other.configuration_records;
        self.idempotency_records += other.idempotency_records;
    }
}

/// Erases who did what in the territory's records made before `cutoff` that belong to no
/// dossier: the organisations' histories and registrations, schemes, rules versions and
/// envelopes; deletes the idempotency records made before `keys_before` (the cut-off, or
/// earlier: [`idempotency_cutoff`](crate::domain::retention::idempotency_cutoff) keeps each key
/// for its retention). The organisations' own facts
/// stay: they are a legal person's, and the dossiers' copies of them must still say what a
/// decision was made on.
pub fn erase_older(
    conn: &mut DbConnection,
    territory: &TerritoryCode,
    cutoff: NaiveDateTime,
    keys_before: NaiveDateTime,
) -> DbResult<OlderErasure> {
    let organisations_of_territory =
        organisations::table.filter(organisations::territory.eq(territory)).select(organisations::id);
    let organisation_history_entries = diesel::update(
        organisation_history::table
            .filter(organisation_history::organisation_id.eq_any(organisations_of_territory))
            .filter(organisation_history::at.lt(cutoff))
            .filter(organisation_history::actor.ne(ANONYMISED)),
    )
    .set(organisation_history::actor.eq(ANONYMISED))
    .execute(conn)?;
    let organisations = diesel::update(
        organisations::table
            .filter(organisations::territory.eq(territory))
            .filter(organisations::created_at.lt(cutoff))
            .filter(organisations::created_by.ne(ANONYMISED)),
    )
    .set(organisations::created_by.eq(ANONYMISED))
    .execute(conn)?;

    let schemes_of_territory = schemes::table.filter(schemes::territory.eq(territory)).select(schemes::id);
    let mut configuration_records = diesel::update(
        schemes::table
            .filter(schemes::territory.eq(territory))
            .filter(schemes::created_at.lt(cutoff))
            .filter(schemes::created_by.ne(ANONYMISED)),
    )
    .set(schemes::created_by.eq(ANONYMISED))
    .execute(conn)?;
    configuration_records += diesel::update(
        rules_versions::table
            .filter(rules_versions::scheme_id.eq_any(schemes_of_territory))
            .filter(rules_versions::created_at.lt(cutoff))
            .filter(rules_versions::created_by.ne(ANONYMISED)),
    )
    .set(rules_versions::created_by.eq(ANONYMISED))
    .execute(conn)?;
    configuration_records += diesel::update(
        envelopes::table
            .filter(envelopes::territory.eq(territory))
            .filter(envelopes::created_at.lt(cutoff))
            .filter(envelopes::created_by.ne(ANONYMISED)),
    )
    .set(envelopes::created_by.eq(ANONYMISED))
    .execute(conn)?;

    // Scopes are `<territory>/<sub>`; territory codes are lowercase letters, digits and dashes,
    // none of them a LIKE wildcard.
    let idempotency_records = diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::scope.like(format!("{territory}/%")))
            .filter(idempotency_keys::created_at.lt(keys_before)),
    )
    .execute(conn)?;

    Ok(OlderErasure {
        organisation_history_entries,
        organisations,
        configuration_records,
        idempotency_records,
    })
}

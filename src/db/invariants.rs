//! `essor check`: every invariant the money rules promise, verified on the whole database. The
//! service keeps them by construction (conditional updates, CHECK constraints, a ledger row in
//! the same transaction, append-only triggers); this reads what is stored and says where it does
//! not hold, for an operator after an incident or a restore, and for the tests after their races.
//!
//! Everything is read in one transaction that sees one snapshot (PostgreSQL: REPEATABLE READ,
//! read only; SQLite: a read transaction), so a check on a running instance never reports a
//! change half seen. Sums and counts are grouped by the database; the comparisons are here.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::exports::sum_cents;
use crate::db::schema::{
    disbursements, dossier_history, dossier_submissions, dossiers, envelope_movements, envelopes,
    reservations,
};
use crate::db::DbConnection;
use crate::db::{DbError, DbResult};
use crate::domain::ids::{DossierId, EnvelopeId};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::money::{DisbursementStatus, Figure, MovementKind, ReservationStatus};
use crate::domain::Code;

/// One promise of the money rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Invariant {
    EnvelopeLedger,
    EnvelopeWithinAmount,
    EnvelopeDisbursedWithinCommitted,
    EnvelopeNotNegative,
    EnvelopeReservations,
    LedgerReservations,
    DossierWithinGrant,
    DossierDisbursements,
    DossierPayments,
    DossierCommitments,
    ReservationGrantable,
    DossierHistory,
    DossierSubmissions,
}

impl Invariant {
    pub const ALL: [Invariant; 13] = [
        Invariant::EnvelopeLedger,
        Invariant::EnvelopeWithinAmount,
        Invariant::EnvelopeDisbursedWithinCommitted,
        Invariant::EnvelopeNotNegative,
        Invariant::EnvelopeReservations,
        Invariant::LedgerReservations,
        Invariant::DossierWithinGrant,
        Invariant::DossierDisbursements,
        Invariant::DossierPayments,
        Invariant::DossierCommitments,
        Invariant::ReservationGrantable,
        Invariant::DossierHistory,
        Invariant::DossierSubmissions,
    ];

    /// Its name in `essor check`'s output.
    pub fn code(self) -> &'static str {
        match self {
            Self::EnvelopeLedger => "envelope_ledger",
            Self::EnvelopeWithinAmount => "envelope_within_amount",
            Self::EnvelopeDisbursedWithinCommitted => "envelope_disbursed_within_committed",
            Self::EnvelopeNotNegative => "envelope_not_negative",
            Self::EnvelopeReservations => "envelope_reservations",
            Self::LedgerReservations => "ledger_reservations",
            Self::DossierWithinGrant => "dossier_within_grant",
            Self::DossierDisbursements => "dossier_disbursements",
            Self::DossierPayments => "dossier_payments",
            Self::DossierCommitments => "dossier_commitments",
            Self::ReservationGrantable => "reservation_grantable",
            Self::DossierHistory => "dossier_history",
            Self::DossierSubmissions => "dossier_submissions",
        }
    }

    /// What it promises, in a few words.
    pub fn rule(self) -> &'static str {
        match self {
            Self::EnvelopeLedger => {
                "an envelope's reserved, committed and disbursed figures equal the sums of its ledger's movements"
            }
            Self::EnvelopeWithinAmount => "an envelope's reserved + committed is at most its amount",
            Self::EnvelopeDisbursedWithinCommitted => "an envelope's disbursed is at most its committed",
            Self::EnvelopeNotNegative => "no figure of an envelope is below 0",
            Self::EnvelopeReservations => "an envelope's active reservations add up to its reserved figure",
            Self::LedgerReservations => {
                "one reservation movement per reservation, one reservation_release per reservation consumed or released"
            }
            Self::DossierWithinGrant => "a dossier's paid + pending is at most its grant, and neither is below 0",
            Self::DossierDisbursements => {
                "a dossier's paid and pending equal the sums of its paid and requested disbursements"
            }
            Self::DossierPayments => {
                "a dossier's paid equals its payment movements, one per paid disbursement"
            }
            Self::DossierCommitments => {
                "a decided grant's commitment, amendment and release movements add up to its grant, in its envelope; \
                 a dossier never granted has none"
            }
            Self::ReservationGrantable => {
                "an active reservation is on a dossier that may still be granted: draft, submitted, under_review \
                 or changes_requested"
            }
            Self::DossierHistory => {
                "a dossier's history is numbered 1 to n with nothing missing, and its last entry's `to` is its status"
            }
            Self::DossierSubmissions => {
                "a dossier keeps one submission copy per submission in its history, numbered 1 to n"
            }
        }
    }
}

/// Where an invariant does not hold: which, about what (ids), and the figures that disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub invariant: Invariant,
    /// `("envelope", id)`, `("dossier", id)`, `("reservation", id)`.
    pub ids: Vec<(&'static str, String)>,
    /// The figures compared, by name (cents or counts).
    pub figures: Vec<(&'static str, i64)>,
    /// The statuses compared, by name (`None`: none recorded).
    pub statuses: Vec<(&'static str, Option<DossierStatus>)>,
}

impl Violation {
    fn new(
        invariant: Invariant,
        ids: Vec<(&'static str, String)>,
        figures: Vec<(&'static str, i64)>,
    ) -> Self {
        Violation { invariant, ids, figures, statuses: Vec::new() }
    }

    /// The id of this kind (`"envelope"`, `"dossier"`, `"reservation"`), if named.
    pub fn id(&self, kind: &str) -> Option<&str> {
        self.ids.iter().find(|(k, _)| *k == kind).map(|(_, id)| id.as_str())
    }
}

/// One line: `violation <invariant> <kind>=<id>…: <figure>=<value>… (<rule>)`.
impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "violation {}", self.invariant.code())?;
        for (kind, id) in &self.ids {
            write!(f, " {kind}={id}")?;
        }
        f.write_str(":")?;
        for (name, value) in &self.figures {
            write!(f, " {name}={value}")?;
        }
        for (name, status) in &self.statuses {
            write!(f, " {name}={}", status.map_or("none", |s| s.as_str()))?;
        }
        write!(f, " ({})", self.invariant.rule())
    }
}

/// What a check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub envelopes: usize,
    pub dossiers: usize,
    pub reservations: usize,
    pub ledger_rows: i64,
    pub violations: Vec<Violation>,
}

/// Each violation on its line, then the summary line.
impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for violation in &self.violations {
            writeln!(f, "{violation}")?;
        }
        let counted = |n: i64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        write!(
            f,
            "essor check: {} ({}, {}, {}, {} checked)",
            counted(count(self.violations.len()), "violation"),
            counted(count(self.envelopes), "envelope"),
            counted(self.ledger_rows, "ledger row"),
            counted(count(self.reservations), "reservation"),
            counted(count(self.dossiers), "dossier"),
        )
    }
}

/// The statuses a dossier may still be granted from (a reservation earmarks money for those).
const GRANTABLE: [DossierStatus; 4] = [
    DossierStatus::Draft,
    DossierStatus::Submitted,
    DossierStatus::UnderReview,
    DossierStatus::ChangesRequested,
];

/// The statuses of a decided grant: its ledger's committed movements add up to its grant.
const GRANTED: [DossierStatus; 3] =
    [DossierStatus::Approved, DossierStatus::Closed, DossierStatus::Cancelled];

/// What a dossier says of its money.
#[derive(Queryable)]
struct DossierMoney {
    id: DossierId,
    status: DossierStatus,
    imported: bool,
    granted_cents: Option<i64>,
    paid_cents: i64,
    pending_cents: i64,
    envelope_id: Option<EnvelopeId>,
}

#[derive(QueryableByName)]
struct LastStep {
    #[diesel(sql_type = Text)]
    dossier_id: DossierId,
    #[diesel(sql_type = Text)]
    to_status: String,
}

/// Checks every invariant on the whole database, in one snapshot.
pub fn check(conn: &mut DbConnection) -> DbResult<CheckReport> {
    conn.transaction::<_, DbError, _>(|conn| {
        if matches!(conn, DbConnection::Pg(_)) {
            // The first statement of the transaction: every query below sees the same snapshot.
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(conn)?;
        }
        check_in_snapshot(conn)
    })
}

type Cents = i64;

fn check_in_snapshot(conn: &mut DbConnection) -> DbResult<CheckReport> {
    let mut violations = Vec::new();

    // Envelopes and their ledger.
    let envelope_rows: Vec<(String, Cents, Cents, Cents, Cents)> = envelopes::table
        .select((
            envelopes::id,
            envelopes::amount_cents,
            envelopes::reserved_cents,
            envelopes::committed_cents,
            envelopes::disbursed_cents,
        ))
        .order(envelopes::id)
        .load(conn)?;
    let ledger: Vec<(String, MovementKind, Cents, i64)> = envelope_movements::table
        .group_by((envelope_movements::envelope_id, envelope_movements::kind))
        .select((
            envelope_movements::envelope_id,
            envelope_movements::kind,
            sum_cents("envelope_movements.amount_cents"),
            count_star(),
        ))
        .into_boxed()
        .load(conn)?;
    let ledger_rows = ledger.iter().map(|(_, _, _, n)| n).sum();
    let mut by_envelope: HashMap<&str, HashMap<MovementKind, (Cents, i64)>> = HashMap::new();
    for (envelope, kind, cents, n) in &ledger {
        by_envelope.entry(envelope.as_str()).or_default().insert(*kind, (*cents, *n));
    }
    let reservation_rows: Vec<(String, String, String, ReservationStatus, Cents)> = reservations::table
        .select((
            reservations::id,
            reservations::envelope_id,
            reservations::dossier_id,
            reservations::status,
            reservations::amount_cents,
        ))
        .order(reservations::id)
        .load(conn)?;

    let mut reservations_of: HashMap<&str, Vec<(ReservationStatus, Cents)>> = HashMap::new();
    for (_, envelope, _, status, cents) in &reservation_rows {
        reservations_of.entry(envelope.as_str()).or_default().push((*status, *cents));
    }

    for (id, amount, reserved, committed, disbursed) in &envelope_rows {
        let ids = || vec![("envelope", id.clone())];
        let movements = by_envelope.get(id.as_str());
        let moved = |kinds: &[MovementKind]| -> (Cents, i64) {
            kinds
                .iter()
                .filter_map(|k| movements.and_then(|m| m.get(k)))
                .fold((0, 0), |(c, n), (c2, n2)| (c + c2, n + n2))
        };
        for (figure, name, value) in [
            (Figure::Reserved, "reserved_cents", *reserved),
            (Figure::Committed, "committed_cents", *committed),
            (Figure::Disbursed, "disbursed_cents", *disbursed),
        ] {
            let kinds: Vec<MovementKind> =
                MOVEMENT_KINDS.into_iter().filter(|k| k.figure() == figure).collect();
            let (sum, _) = moved(&kinds);
            if sum != value {
                let ledger_name = match figure {
                    Figure::Reserved => "ledger_reserved_cents",
                    Figure::Committed => "ledger_committed_cents",
                    Figure::Disbursed => "ledger_disbursed_cents",
                };
                violations.push(Violation::new(
                    Invariant::EnvelopeLedger,
                    ids(),
                    vec![(name, value), (ledger_name, sum)],
                ));
            }
        }
        if reserved + committed > *amount {
            violations.push(Violation::new(
                Invariant::EnvelopeWithinAmount,
                ids(),
                vec![
                    ("amount_cents", *amount),
                    ("reserved_cents", *reserved),
                    ("committed_cents", *committed),
                ],
            ));
        }
        if disbursed > committed {
            violations.push(Violation::new(
                Invariant::EnvelopeDisbursedWithinCommitted,
                ids(),
                vec![("disbursed_cents", *disbursed), ("committed_cents", *committed)],
            ));
        }
        for (name, value) in [
            ("amount_cents", *amount),
            ("reserved_cents", *reserved),
            ("committed_cents", *committed),
            ("disbursed_cents", *disbursed),
        ] {
            if value < 0 {
                violations.push(Violation::new(Invariant::EnvelopeNotNegative, ids(), vec![(name, value)]));
            }
        }
        let (mut active_cents, mut made, mut closed) = (0, 0, 0);
        for (status, cents) in reservations_of.get(id.as_str()).map(Vec::as_slice).unwrap_or_default() {
            made += 1;
            match status {
                ReservationStatus::Active => active_cents += cents,
                ReservationStatus::Consumed | ReservationStatus::Released => closed += 1,
            }
        }
        if active_cents != *reserved {
            violations.push(Violation::new(
                Invariant::EnvelopeReservations,
                ids(),
                vec![("reserved_cents", *reserved), ("active_reservations_cents", active_cents)],
            ));
        }
        let (_, reservation_movements) = moved(&[MovementKind::Reservation]);
        let (_, release_movements) = moved(&[MovementKind::ReservationRelease]);
        if reservation_movements != made || release_movements != closed {
            violations.push(Violation::new(
                Invariant::LedgerReservations,
                ids(),
                vec![
                    ("reservations", made),
                    ("reservation_movements", reservation_movements),
                    ("reservations_closed", closed),
                    ("reservation_release_movements", release_movements),
                ],
            ));
        }
    }

    // Dossiers, their disbursements and their part of the ledger.
    let dossier_rows: Vec<DossierMoney> = dossiers::table
        .select((
            dossiers::id,
            dossiers::status,
            dossiers::imported,
            dossiers::granted_cents,
            dossiers::paid_cents,
            dossiers::pending_disbursement_cents,
            dossiers::envelope_id,
        ))
        .order(dossiers::id)
        .load(conn)?;
    let disbursed: Vec<(String, DisbursementStatus, Cents, i64)> = disbursements::table
        .group_by((disbursements::dossier_id, disbursements::status))
        .select((
            disbursements::dossier_id,
            disbursements::status,
            sum_cents("disbursements.amount_cents"),
            count_star(),
        ))
        .into_boxed()
        .load(conn)?;
    let mut disbursed_by: HashMap<(&str, DisbursementStatus), (Cents, i64)> = HashMap::new();
    for (dossier, status, cents, n) in &disbursed {
        disbursed_by.insert((dossier.as_str(), *status), (*cents, *n));
    }
    let moved: Vec<(Option<String>, String, MovementKind, Cents, i64)> = envelope_movements::table
        .filter(envelope_movements::dossier_id.is_not_null())
        .group_by((envelope_movements::dossier_id, envelope_movements::envelope_id, envelope_movements::kind))
        .select((
            envelope_movements::dossier_id,
            envelope_movements::envelope_id,
            envelope_movements::kind,
            sum_cents("envelope_movements.amount_cents"),
            count_star(),
        ))
        .into_boxed()
        .load(conn)?;
    // Per dossier: (envelope, kind) → (sum, count).
    let mut moved_by: HashMap<&str, Vec<(&str, MovementKind, Cents, i64)>> = HashMap::new();
    for (dossier, envelope, kind, cents, n) in &moved {
        if let Some(dossier) = dossier {
            moved_by.entry(dossier.as_str()).or_default().push((envelope.as_str(), *kind, *cents, *n));
        }
    }
    let history: Vec<(String, i64, Option<i32>, Option<i32>)> = dossier_history::table
        .group_by(dossier_history::dossier_id)
        .select((
            dossier_history::dossier_id,
            count_star(),
            min(dossier_history::seq),
            max(dossier_history::seq),
        ))
        .load(conn)?;
    let history: HashMap<&str, (i64, Option<i32>, Option<i32>)> =
        history.iter().map(|(d, n, first, last)| (d.as_str(), (*n, *first, *last))).collect();
    let last_steps: Vec<LastStep> = diesel::sql_query(
        "SELECT h.dossier_id, h.to_status FROM dossier_history h \
         JOIN (SELECT dossier_id, MAX(seq) AS seq FROM dossier_history GROUP BY dossier_id) l \
         ON l.dossier_id = h.dossier_id AND l.seq = h.seq",
    )
    .load(conn)?;
    let last_steps: HashMap<&str, &str> =
        last_steps.iter().map(|s| (s.dossier_id.as_str(), s.to_status.as_str())).collect();
    let submissions: Vec<(String, i64, Option<i32>)> = dossier_submissions::table
        .group_by(dossier_submissions::dossier_id)
        .select((dossier_submissions::dossier_id, count_star(), max(dossier_submissions::seq)))
        .load(conn)?;
    let submissions: HashMap<&str, (i64, Option<i32>)> =
        submissions.iter().map(|(d, n, last)| (d.as_str(), (*n, *last))).collect();
    let submit_steps: Vec<(String, i64)> = dossier_history::table
        .filter(dossier_history::to_status.eq(DossierStatus::Submitted))
        .filter(
            dossier_history::from_status
                .is_null()
                .or(dossier_history::from_status.ne(DossierStatus::Submitted)),
        )
        .group_by(dossier_history::dossier_id)
        .select((dossier_history::dossier_id, count_star()))
        .load(conn)?;
    let submit_steps: HashMap<&str, i64> = submit_steps.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    let statuses: HashMap<&str, DossierStatus> =
        dossier_rows.iter().map(|d| (d.id.as_str(), d.status)).collect();

    for dossier in &dossier_rows {
        let DossierMoney {
            id,
            status,
            imported,
            granted_cents,
            paid_cents: paid,
            pending_cents: pending,
            envelope_id: envelope,
        } = dossier;
        let ids = || vec![("dossier", id.to_string())];
        let granted_cents = granted_cents.unwrap_or(0);
        if paid + pending > granted_cents || *paid < 0 || *pending < 0 {
            violations.push(Violation::new(
                Invariant::DossierWithinGrant,
                ids(),
                vec![("granted_cents", granted_cents), ("paid_cents", *paid), ("pending_cents", *pending)],
            ));
        }
        // An imported grant moved no money through Essor: no disbursement, no ledger row.
        if !imported {
            let of = |s| disbursed_by.get(&(id.as_str(), s)).copied().unwrap_or((0, 0));
            let ((paid_sum, paid_count), (requested_sum, _)) =
                (of(DisbursementStatus::Paid), of(DisbursementStatus::Requested));
            if paid_sum != *paid || requested_sum != *pending {
                violations.push(Violation::new(
                    Invariant::DossierDisbursements,
                    ids(),
                    vec![
                        ("paid_cents", *paid),
                        ("paid_disbursements_cents", paid_sum),
                        ("pending_cents", *pending),
                        ("requested_disbursements_cents", requested_sum),
                    ],
                ));
            }
            let movements = moved_by.get(id.as_str()).map(Vec::as_slice).unwrap_or_default();
            let (payments, payment_rows) = movements
                .iter()
                .filter(|(_, kind, ..)| *kind == MovementKind::Payment)
                .fold((0, 0), |(c, n), (_, _, c2, n2)| (c + c2, n + n2));
            if payments != *paid || payment_rows != paid_count {
                violations.push(Violation::new(
                    Invariant::DossierPayments,
                    ids(),
                    vec![
                        ("paid_cents", *paid),
                        ("ledger_payments_cents", payments),
                        ("paid_disbursements", paid_count),
                        ("payment_movements", payment_rows),
                    ],
                ));
            }
            let expected = if GRANTED.contains(status) { granted_cents } else { 0 };
            let mut in_envelope = 0;
            let mut elsewhere: BTreeMap<&str, Cents> = BTreeMap::new();
            for (at, kind, cents, _) in movements {
                if kind.figure() != Figure::Committed {
                    continue;
                }
                if Some(*at) == envelope.as_deref() {
                    in_envelope += cents;
                } else {
                    *elsewhere.entry(at).or_default() += cents;
                }
            }
            if in_envelope != expected {
                let mut v = Violation::new(
                    Invariant::DossierCommitments,
                    ids(),
                    vec![("granted_cents", expected), ("ledger_committed_cents", in_envelope)],
                );
                if let Some(envelope) = envelope {
                    v.ids.push(("envelope", envelope.to_string()));
                }
                v.statuses.push(("status", Some(*status)));
                violations.push(v);
            }
            for (other, cents) in elsewhere.into_iter().filter(|(_, cents)| *cents != 0) {
                let mut v = Violation::new(
                    Invariant::DossierCommitments,
                    vec![("dossier", id.to_string()), ("envelope", other.to_string())],
                    vec![("ledger_committed_cents", cents)],
                );
                v.statuses.push(("status", Some(*status)));
                violations.push(v);
            }
        }
        let (entries, first, last) = history.get(id.as_str()).copied().unwrap_or((0, None, None));
        let numbered = entries > 0 && first == Some(1) && last.map(i64::from) == Some(entries);
        let last_to = last_steps.get(id.as_str()).and_then(|s| DossierStatus::parse(s));
        if !numbered || last_to != Some(*status) {
            let mut v = Violation::new(
                Invariant::DossierHistory,
                ids(),
                vec![("history_entries", entries), ("last_seq", last.map_or(0, i64::from))],
            );
            v.statuses = vec![("status", Some(*status)), ("last_entry_to", last_to)];
            violations.push(v);
        }
        let (copies, last_copy) = submissions.get(id.as_str()).copied().unwrap_or((0, None));
        let steps = submit_steps.get(id.as_str()).copied().unwrap_or(0);
        if copies != steps || last_copy.map_or(0, i64::from) != copies {
            violations.push(Violation::new(
                Invariant::DossierSubmissions,
                ids(),
                vec![
                    ("submission_copies", copies),
                    ("last_copy_seq", last_copy.map_or(0, i64::from)),
                    ("submission_steps", steps),
                ],
            ));
        }
    }

    // Reservations still earmarking money for a dossier that can no longer be granted.
    for (id, envelope, dossier, status, cents) in &reservation_rows {
        if *status != ReservationStatus::Active {
            continue;
        }
        let dossier_status = statuses.get(dossier.as_str()).copied();
        if !dossier_status.is_some_and(|s| GRANTABLE.contains(&s)) {
            let mut v = Violation::new(
                Invariant::ReservationGrantable,
                vec![
                    ("reservation", id.clone()),
                    ("envelope", envelope.clone()),
                    ("dossier", dossier.clone()),
                ],
                vec![("amount_cents", *cents)],
            );
            v.statuses.push(("dossier_status", dossier_status));
            violations.push(v);
        }
    }

    violations.sort_by(|a, b| (a.invariant, &a.ids).cmp(&(b.invariant, &b.ids)));
    Ok(CheckReport {
        envelopes: envelope_rows.len(),
        dossiers: dossier_rows.len(),
        reservations: reservation_rows.len(),
        ledger_rows,
        violations,
    })
}

const MOVEMENT_KINDS: [MovementKind; 6] = [
    MovementKind::Reservation,
    MovementKind::ReservationRelease,
    MovementKind::Commitment,
    MovementKind::Amendment,
    MovementKind::Release,
    MovementKind::Payment,
];

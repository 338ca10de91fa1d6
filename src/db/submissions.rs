//! What each submission of a dossier kept of its organisation: a copy of the whole domain
//! `Organisation` as it was then, written in the same transaction as the submission and never
//! rewritten (database triggers refuse UPDATE and DELETE). Instruction judges the dossier by the
//! latest copy (`db::eligibility`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::DbResult;
use crate::db::organisations::OrganisationRow;
use crate::db::schema::dossier_submissions;
use crate::db::types::Json;
use crate::db::DbConnection;
use crate::domain::ids::DossierId;
use crate::domain::organisation::Organisation;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_submissions)]
pub struct SubmissionRow {
    pub dossier_id: DossierId,
    /// 1 for the first submission, then one more for each resubmission.
    pub seq: i32,
    pub submitted_at: NaiveDateTime,
    /// The organisation's version the copy was taken from.
    pub organisation_version: i32,
    pub organisation: Json<Organisation>,
}

/// Keeps `organisation` as the dossier is submitted with it, after its previous submissions.
/// Returns the submission's `seq`.
pub fn record(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
    organisation: &OrganisationRow,
    at: NaiveDateTime,
) -> DbResult<i32> {
    let last_seq: Option<i32> = dossier_submissions::table
        .filter(dossier_submissions::dossier_id.eq(dossier_id))
        .select(diesel::dsl::max(dossier_submissions::seq))
        .first(conn)?;
    let row = SubmissionRow {
        dossier_id: dossier_id.clone(),
        seq: last_seq.unwrap_or(0) + 1,
        submitted_at: at,
        organisation_version: organisation.version,
        organisation: Json(organisation.organisation()),
    };
    diesel::insert_into(dossier_submissions::table).values(&row).execute(conn)?;
    Ok(row.seq)
}

/// Whether the dossier has a submission `seq`.
pub fn exists(conn: &mut DbConnection, dossier_id: &DossierId, seq: i32) -> DbResult<bool> {
    let n: i64 = dossier_submissions::table
        .filter(dossier_submissions::dossier_id.eq(dossier_id))
        .filter(dossier_submissions::seq.eq(seq))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The dossier's last submission, if it was ever submitted (since copies are kept).
pub fn latest(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Option<SubmissionRow>> {
    Ok(dossier_submissions::table
        .filter(dossier_submissions::dossier_id.eq(dossier_id))
        .order(dossier_submissions::seq.desc())
        .select(SubmissionRow::as_select())
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Copies are kept for as long as dossiers are, in the shape `Organisation` had when each was
    /// written. If this fails, `Organisation` changed shape: keep the stored copies readable
    /// (`#[serde(default)]`, `alias`, a custom `Deserialize`) or rewrite them in a migration
    /// (`UPDATE dossier_submissions SET organisation = …`, both backends), then add the new shape
    /// here beside this one.
    #[test]
    fn a_copy_kept_today_still_reads() {
        let stored = r#"{"siret":"73282932000074","name":"Les Ateliers Solidaires","legal_form":"9220",
            "esus":{"kind":"approval","starts_on":"2024-01-10","ends_on":"2029-01-09"},"ess_statutes":null,"rna":"W763001234",
            "address":{"line":"12 rue de la République","postal_code":"76000","city":"Rouen","commune_code":"76540"},
            "market_activity":"Vente de meubles réemployés","salaried_staff_fte":4.5,
            "accounts":{"kind":"closed","year":2025,"operating_revenue_cents":30000000,"sales_revenue_cents":21000000,"operating_costs_cents":32000000},
            "de_minimis_aids":[{"grantor":"Région Normandie","granted_on":"2025-03-01","amount_cents":1500000}]}"#;
        let org: Organisation = serde_json::from_str(stored).expect("a stored copy reads");
        assert_eq!(org.salaried_staff_fte, 4.5);
        assert_eq!(org.address.commune_code, "76540");
        assert_eq!(org.accounts.map(|a| a.operating_revenue_cents), Some(30_000_000));
        assert_eq!(org.de_minimis_aids.map(|aids| aids.len()), Some(1));
        assert!(matches!(org.esus, Some(crate::domain::organisation::Esus::Approval { .. })));
        // Accounts kept before they had a kind read as closed.
        let older = stored.replace(r#""kind":"closed","#, "");
        let org: Organisation = serde_json::from_str(&older).expect("an older copy reads");
        assert_eq!(org.accounts.map(|a| a.kind), Some(crate::domain::organisation::AccountsKind::Closed));
    }
}

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{dossier_history, dossiers};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossiers)]
pub struct DossierRow {
    pub id: String,
    pub territory: String,
    pub scheme_id: String,
    pub organisation_id: String,
    pub status: String,
    pub title: String,
    pub project_kind: String,
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
    pub submitted_at: Option<NaiveDateTime>,
    pub year: i32,
    pub assigned_instructor: Option<String>,
    pub rules_version_id: Option<String>,
    pub granted_cents: Option<i64>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The applicant-editable columns, written together by PATCH.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = dossiers, treat_none_as_null = true)]
pub struct DossierContentChanges {
    pub title: String,
    pub project_kind: String,
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
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dossier_history)]
pub struct HistoryRow {
    pub id: String,
    pub dossier_id: String,
    pub seq: i32,
    pub actor: String,
    pub actor_role: String,
    pub at: NaiveDateTime,
    pub from_status: Option<String>,
    pub to_status: String,
    pub comment: Option<String>,
    /// Instructors' private annotation: never shown to applicants.
    pub internal_note: Option<String>,
}

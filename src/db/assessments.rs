//! Instructors' assessments: one per instructor per dossier, replaced by its author.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::error::{DbError, DbResult};
use crate::db::schema::assessments;
use crate::db::types::{ConditionCodes, Json};
use crate::db::DbConnection;
use crate::domain::assessment::{Recommendation, Score};
use crate::domain::ids::{DossierId, RulesVersionId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = assessments, treat_none_as_null = true)]
pub struct AssessmentRow {
    pub id: String,
    pub dossier_id: DossierId,
    pub instructor: String,
    pub rules_version_id: RulesVersionId,
    pub scores: Json<Vec<Score>>,
    pub comments: Option<String>,
    pub recommendation: Recommendation,
    pub weighted_total: f64,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The `instructor_condition` bonuses the instructor ticked (codes of the rules version).
    pub conditions_met: Json<ConditionCodes>,
}

/// Every assessment of the dossier, oldest first.
pub fn of_dossier(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Vec<AssessmentRow>> {
    Ok(assessments::table
        .filter(assessments::dossier_id.eq(dossier_id))
        .order((assessments::created_at.asc(), assessments::id.asc()))
        .select(AssessmentRow::as_select())
        .load(conn)?)
}

/// The conditions ticked on the dossier's latest assessment (the one written last, whoever
/// wrote it): what bonuses of the `instructor_condition` kind see. None without an assessment.
pub fn latest_conditions_met(conn: &mut DbConnection, dossier_id: &DossierId) -> DbResult<Vec<String>> {
    let latest: Option<Json<ConditionCodes>> = assessments::table
        .filter(assessments::dossier_id.eq(dossier_id))
        .order((assessments::updated_at.desc(), assessments::id.desc()))
        .select(assessments::conditions_met)
        .first(conn)
        .optional()?;
    Ok(latest.map(|codes| codes.0 .0).unwrap_or_default())
}

/// The weighted total of each dossier's latest assessment (written last, whoever wrote it), for
/// those of `dossiers` assessed.
pub fn latest_totals(
    conn: &mut DbConnection,
    dossiers: &[DossierId],
) -> DbResult<std::collections::HashMap<DossierId, f64>> {
    let rows: Vec<(DossierId, f64)> = assessments::table
        .filter(assessments::dossier_id.eq_any(dossiers))
        .order((assessments::updated_at.desc(), assessments::id.desc()))
        .select((assessments::dossier_id, assessments::weighted_total))
        .load(conn)?;
    let mut totals = std::collections::HashMap::with_capacity(rows.len());
    for (dossier, total) in rows {
        totals.entry(dossier).or_insert(total);
    }
    Ok(totals)
}

/// The instructor's assessment of the dossier, if any.
pub fn by_instructor(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
    instructor: &str,
) -> DbResult<Option<AssessmentRow>> {
    Ok(assessments::table
        .filter(assessments::dossier_id.eq(dossier_id))
        .filter(assessments::instructor.eq(instructor))
        .select(AssessmentRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &AssessmentRow) -> DbResult<()> {
    diesel::insert_into(assessments::table).values(row).execute(conn)?;
    Ok(())
}

/// Replaces the assessment if it is still at `read_version` (`DbError::Stale` otherwise).
pub fn replace(conn: &mut DbConnection, row: &AssessmentRow, read_version: i32) -> DbResult<()> {
    let touched = diesel::update(
        assessments::table.filter(assessments::id.eq(&row.id)).filter(assessments::version.eq(read_version)),
    )
    .set(row)
    .execute(conn)?;
    if touched != 1 {
        return Err(DbError::Stale);
    }
    Ok(())
}

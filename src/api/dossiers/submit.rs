//! Submission: what it checks, what it fixes, and what it keeps.

use crate::domain::Arg;
use crate::text;
use chrono::{Datelike, NaiveDateTime};

use crate::db::dossiers::{DossierRow, TransitionEffects};
use crate::db::organisations::OrganisationRow;
use crate::db::{calls, documents, organisations, schemes, submissions, DbConnection};
use crate::domain::documents::missing_documents;
use crate::domain::organisation::Esus;
use crate::domain::FieldError;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult};

/// Checks completeness, listing every missing or invalid field (the dossier's and its
/// organisation's) and every missing document type (`documents.<code>`, `missing_document`),
/// against the rules the dossier is judged by. The first submission fixes
/// those rules (the version in force that day) and the filing year; resubmissions keep them.
/// Returns them with the organisation as it is now, for [`keep_organisation`].
pub fn effects(
    conn: &mut DbConnection,
    row: &DossierRow,
    at: NaiveDateTime,
) -> ApiResult<(TransitionEffects, OrganisationRow)> {
    let version = schemes::rules_version_for(conn, row, at.date())?.ok_or_else(|| {
        ApiError::conflict(
            ProblemCode::NoRulesInForce,
            text!("dossier-no-rules-in-force-on", date = Arg::Date(at.date())),
        )
    })?;
    let mut errors: Vec<FieldError> =
        row.content().check_complete(&version.parameters.0).err().unwrap_or_default();
    let organisation = organisations::find(conn, &row.territory, &row.organisation_id)?
        .ok_or_else(|| ApiError::internal("dossier without its organisation", row.id.clone()))?;
    errors.extend(organisation.organisation().missing_for_submission(&version.parameters.0));
    // Every document type the rules require for this kind of project, beside the fields.
    let present = documents::current(conn, &row.id)?;
    let has_esus_approval = matches!(organisation.organisation().esus, Some(Esus::Approval { .. }));
    errors.extend(missing_documents(
        &version.parameters.0.documents,
        row.content().project_kind,
        has_esus_approval,
        present.iter().map(|d| d.doc_type.as_str()),
    ));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let first = row.submitted_at.is_none();
    if first {
        within_call(conn, row, at)?;
    }
    let effects = TransitionEffects {
        submitted_at: first.then_some(at),
        year: first.then_some(at.year()),
        rules_version_id: row.rules_version_id.is_none().then_some(version.id),
        ..TransitionEffects::default()
    };
    Ok((effects, organisation))
}

/// A dossier answering a call is first submitted while the call is open (409 `call_not_open`,
/// `call_closed`); a resubmission, after changes were asked, answers a request received in
/// time.
fn within_call(conn: &mut DbConnection, row: &DossierRow, at: NaiveDateTime) -> ApiResult<()> {
    let Some(call_id) = &row.call_id else { return Ok(()) };
    let call = calls::find(conn, &row.territory, call_id)?
        .ok_or_else(|| ApiError::internal("dossier without its call", row.id.clone()))?;
    call.window().receives_at(at).map_err(|(code, detail)| ApiError::conflict(code, detail))
}

/// Every submission (the first and each resubmission) keeps a copy of the organisation as it
/// was submitted: instruction judges the dossier by it, whatever the organisation becomes. It
/// keeps the documents it was made with too: they stay readable as they were, whatever the
/// applicant deletes or replaces in a later round. Returns the submission's `seq`.
pub fn keep_organisation(
    conn: &mut DbConnection,
    dossier: &DossierRow,
    organisation: &OrganisationRow,
    at: NaiveDateTime,
) -> ApiResult<i32> {
    let seq = submissions::record(conn, &dossier.id, organisation, at)?;
    documents::keep_with_submission(conn, &dossier.id, seq)?;
    Ok(seq)
}

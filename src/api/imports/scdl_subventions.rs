use actix_web::{post, web, HttpRequest, HttpResponse};

use super::dto::{ImportQuery, ImportReport, ScdlFile};
use super::IMPORTERS;
use crate::api::extract::read_file;
use crate::api::openapi::FileErrors;
use crate::auth::AuthUser;
use crate::db::{imports, now};
use crate::domain::scdl::{self, ImportContext, MAX_ERRORS};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Imports the grants the territory decided before Essor, from an SCDL "subventions" 2.1.1 CSV
/// file (finance, admin). Each row becomes a closed, read-only grant of the caller's territory,
/// counted in every export and in de minimis: beneficiary by SIRET (`idBeneficiaire`; an
/// organisation unknown in the territory is created from `nomBeneficiaire`, marked `imported`,
/// its address and legal form placeholders), scheme by `dispositifAide` (a code, or else a name,
/// of the territory's schemes), decided and convention signed on `dateConvention`, granted and
/// paid `montant` (exact cents), `referenceDecision` as the decision's reference, `objet` as the
/// title. `idAttribuant` must be the territory's own SIRET (409 `territory_siret_missing` when
/// it has none). Every field follows the API's rule for one line of text (`control_character`
/// for a NUL, an ESC…); `referenceDecision`, `nomBeneficiaire`, `objet`, `conditionsVersement`
/// and `idRAE`, which the open-data export republishes, do not start with `=`, `+`, `-` or `@`
/// (`formula_prefix`: a spreadsheet would run them); `dateConvention` is from 2000-01-01 to
/// today, the dates of `datesPeriodeVersement` from 2000-01-01 to 2100-12-31, in order
/// (`out_of_range`; `in_future` for a convention after today).
///
/// All or nothing: any invalid row refuses the whole file (422), `errors` listing every error
/// (at most 1 000) with its `line` (1 is the header), `field` (the SCDL column) and `code`.
/// A row already imported, identified by (`idAttribuant`, `referenceDecision`, `idBeneficiaire`,
/// `dateConvention`, `montant`), is skipped, as is a row repeated in the file: importing a file
/// again adds nothing. `dry_run=true` checks and counts, and writes nothing.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(ImportQuery),
    request_body(
        content = ScdlFile,
        content_type = "text/csv",
        description = "An SCDL \"subventions\" 2.1.1 file: UTF-8 (a byte order mark is allowed), comma \
            separated, the header row with the 16 fields in their order, then one grant per row; \
            20 MiB at most."
    ),
    responses(
        (status = 200, description = "Imported (or, on a dry run, checked): how many rows the file \
            has, how many grants were written, how many were already known", body = ImportReport),
        FileErrors,
    )
)]
#[post("/imports/scdl-subventions")]
#[tracing::instrument(skip_all, fields(territory = %user.territory, role = ?user.role))]
pub async fn import_scdl_subventions(
    user: AuthUser,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    let query = web::Query::<ImportQuery>::from_query(req.query_string())
        .map_err(|err| crate::api::extract::query_error(&err))?;
    let dry_run = query.dry_run.unwrap_or(false);
    let file = read_file(&req, payload, "text/csv").await?;
    let caller = user.clone();
    let report = state
        .db(move |conn| {
            let (attributor_siret, schemes) = imports::context(conn, &caller.territory)?;
            let today = chrono::Utc::now().date_naive();
            let ctx = ImportContext { attributor_siret: &attributor_siret, schemes: &schemes, today };
            let grants = scdl::parse(&file, &ctx).map_err(|rejection| {
                let count = rejection.errors.len();
                let detail = if rejection.truncated {
                    text!("exports-file-has-more-than-errors", MAX_ERRORS = &MAX_ERRORS)
                } else if count == 1 {
                    text!("exports-file-has-1-error-nothing")
                } else {
                    text!("exports-file-has-errors-nothing-imported", count = &count)
                };
                ApiError::Validation { detail, errors: rejection.errors }
            })?;
            let report = crate::db::write_transaction(conn, |conn| {
                let (new, already_known) = imports::split_known(conn, &caller.territory, &grants)?;
                let imported = if dry_run { 0 } else { imports::record(conn, &caller, &new, now())? };
                Ok::<_, ApiError>(ImportReport { rows: grants.len(), imported, already_known })
            })?;
            if report.imported > 0 {
                imports::refresh_statistics(conn);
            }
            Ok(report)
        })
        .await?;
    tracing::info!(
        rows = report.rows,
        imported = report.imported,
        already_known = report.already_known,
        dry_run,
        "SCDL import"
    );
    Ok(HttpResponse::Ok().json(report))
}

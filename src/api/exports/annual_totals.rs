use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::dto::{AnnualTotals, AnnualTotalsQuery, ExportFormat, SchemeYear, SchemeYearTotals, XlsxWorkbook};
use super::{
    check_format, check_year, csv_document, csv_response, negotiate, parse_query, query_errors,
    xlsx_response, Sheet, READERS,
};
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::exports::{self, Years};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// A year's totals per scheme of the territory, and in total: the envelope (amount, reserved,
/// available), the grants decided in the year (committed, count, distinct beneficiaries by
/// SIREN), what was paid in the year, the dossiers filed in the year by status, and the
/// pipeline. Finance, admin and instructors. JSON, CSV (`format=csv` or `Accept: text/csv`) or
/// XLSX (`format=xlsx` or `Accept` of the XLSX media type) with one row per scheme and a
/// `total` row.
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(AnnualTotalsQuery),
    responses(
        (status = 200, description = "The year's totals (CSV: integer cents in `*_cents` columns, \
            one `dossiers_<status>` column per status, an attachment; XLSX: the same columns, \
            amounts as numbers in euros in columns named without `_cents`, an attachment)",
            content((AnnualTotals = "application/json"), (String = "text/csv"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
        ListErrors,
    )
)]
#[get("/exports/annual-totals")]
#[tracing::instrument(skip_all, fields(territory = %user.territory))]
pub async fn annual_totals(
    user: AuthUser,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    user.require(&READERS)?;
    let query: AnnualTotalsQuery = parse_query(&req)?;
    let mut errors = Vec::new();
    let format = check_format(&mut errors, query.format.as_deref());
    let year = check_year(&mut errors, "year", query.year);
    query_errors(errors)?;
    let only = query.scheme_id.map(crate::domain::ids::SchemeId::from);
    let territory = user.territory.clone();
    let totals = state
        .db(move |conn| {
            let schemes = exports::schemes(conn, &territory, only.as_ref())?;
            if only.is_some() && schemes.is_empty() {
                return Err(ApiError::NotFound(text!("exports-no-such-scheme")));
            }
            let years = Years::one(year);
            let mut envelopes = exports::envelopes_by_scheme(conn, &territory, year)?;
            let mut grants = exports::grants_by_scheme(conn, &territory, years)?;
            let mut paid = exports::paid_by_scheme(conn, &territory, years)?;
            let mut by_status = exports::dossiers_by_status(conn, &territory, year)?;
            let mut pipeline = exports::pipeline_by_scheme(conn, &territory, year)?;
            let beneficiaries = exports::beneficiaries(conn, &territory, years, only.as_ref())?;
            let rows = schemes
                .into_iter()
                .map(|scheme| {
                    let id = scheme.id.clone();
                    SchemeYearTotals::from(SchemeYear {
                        envelope: envelopes.remove(&id).unwrap_or_default(),
                        grants: grants.remove(&id).unwrap_or_default(),
                        disbursed_cents: paid.remove(&id).unwrap_or(0),
                        by_status: by_status.remove(&id).unwrap_or_default(),
                        pipeline_cents: pipeline.remove(&id).unwrap_or(0),
                        scheme,
                    })
                })
                .collect();
            Ok(AnnualTotals::new(year, rows, beneficiaries))
        })
        .await?;
    match negotiate(&req, format) {
        ExportFormat::Json => Ok(HttpResponse::Ok().insert_header((header::VARY, "Accept")).json(totals)),
        ExportFormat::Csv => {
            let body = csv_document(&AnnualTotals::csv_header(), &totals.rows())?;
            let mut res = csv_response(&format!("essor-annual-totals-{year}.csv"), body);
            res.headers_mut().insert(header::VARY, header::HeaderValue::from_static("Accept"));
            Ok(res)
        }
        ExportFormat::Xlsx => {
            let body = web::block(move || {
                let mut sheet = Sheet::new(&format!("annual totals {year}"), &AnnualTotals::xlsx_columns())?;
                for row in totals.rows() {
                    sheet.row(&row)?;
                }
                sheet.finish()
            })
            .await??;
            Ok(xlsx_response(&format!("essor-annual-totals-{year}.xlsx"), body))
        }
    }
}

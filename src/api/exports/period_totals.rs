use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::dto::{
    ExportFormat, PeriodFigures, PeriodTotals, PeriodTotalsQuery, SchemePeriodTotals, XlsxWorkbook,
};
use super::{
    check_format, check_year, csv_document, csv_response, negotiate, parse_query, query_errors,
    xlsx_response, Sheet, READERS,
};
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::exports::{self, Years};
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Totals over whole years `from`..=`to`, per scheme of the territory and in total: grants
/// decided in the period (count, granted, distinct beneficiaries by SIREN, each counted once
/// over the period) and what was paid in it. Finance, admin and instructors. JSON, CSV
/// (`format=csv` or `Accept: text/csv`) or XLSX (`format=xlsx` or `Accept` of the XLSX media
/// type) with one row per scheme and a `total` row.
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(PeriodTotalsQuery),
    responses(
        (status = 200, description = "The period's totals (CSV: integer cents in `*_cents` \
            columns, an attachment; XLSX: the same columns, amounts as numbers in euros in \
            columns named without `_cents`, an attachment)",
            content((PeriodTotals = "application/json"), (String = "text/csv"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
        (status = 422, response = crate::api::openapi::UnprocessableContent),
        ListErrors,
    )
)]
#[get("/exports/period-totals")]
#[tracing::instrument(skip_all, fields(territory = %user.territory))]
pub async fn period_totals(
    user: AuthUser,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    user.require(&READERS)?;
    let query: PeriodTotalsQuery = parse_query(&req)?;
    let mut errors = Vec::new();
    let format = check_format(&mut errors, query.format.as_deref());
    let from = check_year(&mut errors, "from", query.from);
    let to = check_year(&mut errors, "to", query.to);
    query_errors(errors)?;
    // Well-formed, but a period that ends before it starts: a rule between two parameters, 422.
    if from > to {
        return Err(ApiError::validation(vec![FieldError::new(
            "to",
            FieldCode::BeforeFrom,
            text!("exports-before-from", to = &to, from = &from),
        )]));
    }
    let only = query.scheme_id.map(crate::domain::ids::SchemeId::from);
    let territory = user.territory.clone();
    let totals = state
        .db(move |conn| {
            let schemes = exports::schemes(conn, &territory, only.as_ref())?;
            if only.is_some() && schemes.is_empty() {
                return Err(ApiError::NotFound(text!("exports-no-such-scheme")));
            }
            let years = Years { first: from, last: to };
            let mut grants = exports::grants_by_scheme(conn, &territory, years)?;
            let mut paid = exports::paid_by_scheme(conn, &territory, years)?;
            let beneficiaries = exports::beneficiaries(conn, &territory, years, only.as_ref())?;
            let rows = schemes
                .into_iter()
                .map(|scheme| {
                    let granted = grants.remove(&scheme.id).unwrap_or_default();
                    SchemePeriodTotals {
                        figures: PeriodFigures {
                            beneficiaries: granted.beneficiaries,
                            grants: granted.grants,
                            granted_cents: granted.granted_cents,
                            paid_cents: paid.remove(&scheme.id).unwrap_or(0),
                        },
                        scheme_id: scheme.id.into(),
                        scheme_code: scheme.code,
                    }
                })
                .collect();
            Ok(PeriodTotals::new(from, to, rows, beneficiaries))
        })
        .await?;
    match negotiate(&req, format) {
        ExportFormat::Json => Ok(HttpResponse::Ok().insert_header((header::VARY, "Accept")).json(totals)),
        ExportFormat::Csv => {
            let body = csv_document(&PeriodTotals::csv_header(), &totals.rows())?;
            let mut res = csv_response(&format!("essor-period-totals-{from}-{to}.csv"), body);
            res.headers_mut().insert(header::VARY, header::HeaderValue::from_static("Accept"));
            Ok(res)
        }
        ExportFormat::Xlsx => {
            let body = web::block(move || {
                let mut sheet =
                    Sheet::new(&format!("period totals {from}-{to}"), &PeriodTotals::xlsx_columns())?;
                for row in totals.rows() {
                    sheet.row(&row)?;
                }
                sheet.finish()
            })
            .await??;
            Ok(xlsx_response(&format!("essor-period-totals-{from}-{to}.xlsx"), body))
        }
    }
}

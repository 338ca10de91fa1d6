use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpRequest, HttpResponse};
use futures_util::stream;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{attachment, check_year, csv_writer, parse_query, query_errors, CSV_CONTENT_TYPE, READERS};
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::open_data::{self, GrantSource};
use crate::db::territories;
use crate::domain::ids::{DossierId, TerritoryCode};
use crate::domain::open_data::{GrantRecord, SCDL_COLUMNS};
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::state::AppState;
use crate::text;

/// Grants read per page: memory holds one page, however many grants.
const PAGE: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScdlQuery {
    /// The year of the decisions (`decided_on`).
    #[param(required = true, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// The attributor's identity, fixed for the whole file.
#[derive(Clone)]
struct Attributor {
    name: String,
    siret: String,
}

/// The grants decided in a year as the SCDL "subventions" 2.1.1 open-data file (décret
/// 2017-779): exactly its columns, order and formats, one row per grant, streamed. The
/// attributor is the territory (its name and SIRET: 409 `territory_siret_missing` until the
/// operator sets it). Finance, admin and instructors. No cell starts like a formula: the texts
/// are refused so at input, and one stored before is written with a leading `'`.
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(ScdlQuery),
    responses(
        (status = 200, description = "The SCDL subventions 2.1.1 CSV (UTF-8, comma-separated, header row)",
            content((String = "text/csv")),
            headers(("Content-Disposition" = String, description = "attachment; filename=\"subventions-<territory>-<year>.csv\""))),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 409, response = crate::api::openapi::Conflict),
        ListErrors,
    )
)]
#[get("/exports/scdl-subventions")]
#[tracing::instrument(skip_all, fields(territory = %user.territory))]
pub async fn export_scdl(
    user: AuthUser,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    user.require(&READERS)?;
    let query: ScdlQuery = parse_query(&req)?;
    let mut errors = Vec::new();
    let year = check_year(&mut errors, "year", query.year);
    query_errors(errors)?;
    let territory = user.territory.clone();
    let (attributor, first) = {
        let territory = territory.clone();
        state
            .db(move |conn| {
                let row = territories::find(conn, &territory)?
                    .ok_or_else(|| ApiError::NotFound(text!("not-found-territory")))?;
                let siret = row.siret.ok_or_else(|| {
                    ApiError::refused(
                        ProblemCode::TerritorySiretMissing,
                        text!("exports-territory-siret-missing", territory = &territory),
                        RefusalFigures::default(),
                    )
                })?;
                let first = page(conn, &territory, year, None)?;
                Ok((Attributor { name: row.name, siret: siret.into() }, first))
            })
            .await?
    };
    let filename = format!("subventions-{territory}-{year}.csv");
    let body = stream::unfold(Some((first, true)), move |step| {
        let (state, territory, attributor) = (state.clone(), territory.clone(), attributor.clone());
        async move {
            let (lines, header) = step?;
            let next = match lines.last() {
                Some((source, _)) if lines.len() as i64 == PAGE => {
                    Some((source.decided_on.unwrap_or_default(), source.dossier_id.clone()))
                }
                _ => None,
            };
            let chunk = render(&attributor, lines, header);
            let following = match (chunk.is_ok(), next) {
                (true, Some(after)) => {
                    match state.db(move |conn| page(conn, &territory, year, Some(&after))).await {
                        Ok(lines) => Some((lines, false)),
                        Err(e) => return Some((Err(e), None)),
                    }
                }
                _ => None,
            };
            Some((chunk, following))
        }
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, CSV_CONTENT_TYPE))
        .insert_header(attachment(&filename))
        .streaming(body))
}

/// A page of grants with their payments.
fn page(
    conn: &mut crate::db::DbConnection,
    territory: &TerritoryCode,
    year: i32,
    after: Option<&(chrono::NaiveDate, DossierId)>,
) -> ApiResult<Vec<(GrantSource, open_data::Payments)>> {
    let sources = open_data::grants_page(conn, territory, year, after, PAGE)?;
    let ids: Vec<DossierId> = sources.iter().map(|s| s.dossier_id.clone()).collect();
    let mut payments = open_data::payments_of(conn, &ids)?;
    Ok(sources
        .into_iter()
        .map(|s| {
            let paid = payments.remove(&s.dossier_id).unwrap_or_default();
            (s, paid)
        })
        .collect())
}

fn render(
    attributor: &Attributor,
    lines: Vec<(GrantSource, open_data::Payments)>,
    header: bool,
) -> ApiResult<Bytes> {
    let mut out = Vec::new();
    let mut writer = csv_writer(&mut out);
    let fail = |e: csv::Error| ApiError::internal_from("writing the SCDL file", e);
    if header {
        writer.write_record(SCDL_COLUMNS).map_err(fail)?;
    }
    for (source, payments) in lines {
        let (purpose, published) = match source.imported {
            Some(fields) => {
                let (object, terms) = fields.into_parts();
                (object, Some(terms))
            }
            None => (source.title, None),
        };
        let record = GrantRecord {
            attributor_name: attributor.name.clone(),
            attributor_siret: attributor.siret.clone(),
            decided_on: source.decided_on.unwrap_or_default(),
            convention_signed_on: source.convention_signed_on,
            decision_reference: source.decision_reference,
            beneficiary_name: source.beneficiary_name,
            beneficiary_siret: source.beneficiary_siret.into(),
            beneficiary_rna: source.beneficiary_rna,
            purpose,
            granted_cents: source.granted_cents.unwrap_or(0),
            paid_on: payments.paid_on,
            payments: payments.count,
            scheme_name: source.scheme_name,
            published,
        };
        writer.write_record(record.to_row()).map_err(fail)?;
    }
    writer.flush().map_err(|e| ApiError::internal_from("writing the SCDL file", e))?;
    drop(writer);
    Ok(Bytes::from(out))
}

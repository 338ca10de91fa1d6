use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::{AnnexLineView, AnnexView};
use super::READERS;
use crate::api::openapi::ReadErrors;
use crate::api::tables::{
    check_format, csv_document, csv_response, negotiate, xlsx_response, Cell, Column, ExportFormat, Kind,
    Sheet, XlsxWorkbook,
};
use crate::auth::AuthUser;
use crate::db::{sessions, DbConnection};
use crate::domain::access::Caller;
use crate::domain::ids::SessionId;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// `GET /sessions/{id}/annex`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AnnexQuery {
    /// `json` (the default), `csv` or `xlsx`; `Accept` asks for them too, `format` wins.
    #[param(value_type = Option<ExportFormat>)]
    pub format: Option<String>,
}

/// The CSV annex's columns: one row per proposal.
const CSV_HEADER: [&str; 12] = [
    "position",
    "beneficiary",
    "siret",
    "object",
    "scheme",
    "proposed_cents",
    "recommendation",
    "outcome",
    "voted_cents",
    "dossier_id",
    "weighted_total",
    "rank",
];

/// The annex the deliberation carries (staff): every proposal on the agenda, in order
/// (beneficiary, SIRET, object, scheme, amount proposed, recommendation, and once voted the
/// outcome), and per scheme the total proposed against what its envelope of the session's
/// year has available. Each line shows the weighted total of the dossier's latest assessment;
/// a call for projects' session lists them by it, with their rank. JSON, or one row per proposal in CSV (`format=csv` or `Accept:
/// text/csv`; integer cents in `*_cents` columns, texts a spreadsheet would run as formulas
/// written with a leading `'`) or XLSX (`format=xlsx`; the same columns, amounts as numbers in
/// euros in columns named without `_cents`).
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Session id"), AnnexQuery),
    responses(
        (status = 200, description = "The annex",
            content((AnnexView = "application/json"), (String = "text/csv"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, response = crate::api::openapi::Forbidden),
        ReadErrors,
    )
)]
#[get("/sessions/{id}/annex")]
pub async fn get_annex(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    query: web::Query<AnnexQuery>,
) -> ApiResult<HttpResponse> {
    user.require(&READERS)?;
    let mut errors = Vec::new();
    let format = check_format(&mut errors, query.format.as_deref());
    if !errors.is_empty() {
        return Err(ApiError::BadRequest {
            detail: text!("exports-format-json-csv-xlsx"),
            errors: Some(errors),
        });
    }
    let id = SessionId::from(id.into_inner());
    let annex = state.db(move |conn| annex(conn, &user, &id)).await?;
    let name = format!("annexe-{}-{}", annex.sits_on, &annex.session_id[..8]);
    match negotiate(&req, format) {
        ExportFormat::Json => Ok(HttpResponse::Ok().json(annex)),
        ExportFormat::Csv => {
            let header: Vec<String> = CSV_HEADER.iter().map(|c| c.to_string()).collect();
            let rows: Vec<Vec<Cell<'_>>> = annex.lines.iter().map(cells).collect();
            Ok(csv_response(&format!("{name}.csv"), csv_document(&header, &rows)?))
        }
        ExportFormat::Xlsx => {
            let columns = [
                Column::new("position", Kind::Integer, 9.0),
                Column::new("beneficiary", Kind::Text, 36.0),
                Column::new("siret", Kind::Text, 16.0),
                Column::new("object", Kind::Text, 40.0),
                Column::new("scheme", Kind::Text, 28.0),
                Column::new("proposed", Kind::Euros, 16.0),
                Column::new("recommendation", Kind::Text, 16.0),
                Column::new("outcome", Kind::Text, 12.0),
                Column::new("voted", Kind::Euros, 16.0),
                Column::new("dossier_id", Kind::Text, 38.0),
                Column::new("weighted_total", Kind::Decimal, 14.0),
                Column::new("rank", Kind::Integer, 8.0),
            ];
            let mut sheet = Sheet::new("annexe", &columns)?;
            for line in &annex.lines {
                sheet.row(&cells(line))?;
            }
            Ok(xlsx_response(&format!("{name}.xlsx"), sheet.finish()?))
        }
    }
}

/// A proposal's cells, in the columns' order (cents as integers in CSV, as euros in XLSX).
fn cells(line: &AnnexLineView) -> Vec<Cell<'_>> {
    use crate::domain::Code;
    vec![
        Cell::Integer(line.position.into()),
        Cell::Text(&line.beneficiary),
        Cell::Text(&line.siret),
        Cell::Text(&line.object),
        Cell::Text(&line.scheme),
        Cell::Cents(line.proposed_cents),
        Cell::Text(line.recommendation.as_str()),
        line.outcome.map_or(Cell::None, |o| Cell::Text(o.as_str())),
        line.voted_cents.map_or(Cell::None, Cell::Cents),
        Cell::Text(&line.dossier_id),
        line.weighted_total.map_or(Cell::None, |t| Cell::Hundredths((t * 100.0).round() as i64)),
        line.rank.map_or(Cell::None, |r| Cell::Integer(r.into())),
    ]
}

/// The annex of the caller's territory's session `id`.
pub fn annex(conn: &mut DbConnection, caller: &Caller, id: &SessionId) -> ApiResult<AnnexView> {
    let session = sessions::find(conn, &caller.territory, id)?
        .ok_or_else(|| ApiError::NotFound(text!("not-found-session")))?;
    Ok(AnnexView::from(sessions::annex(conn, &session)?))
}

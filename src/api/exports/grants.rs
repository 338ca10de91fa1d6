use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpRequest, HttpResponse};
use futures_util::stream;

use super::dto::{ExportFormat, GrantList, GrantView, GrantsQuery, XlsxWorkbook};
use super::{
    attachment, check_format, check_year, csv_writer, negotiate, parse_query, query_errors, write_csv_row,
    xlsx_response, Sheet, CSV_CONTENT_TYPE, READERS,
};
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::exports::{self, GrantCursor, GrantLine, Years};
use crate::domain::ids::TerritoryCode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Grants read from the database per page: memory holds one page, however many grants.
const PAGE: i64 = 500;

/// The CSV columns, in the order of [`GrantView`]'s fields and of [`GrantView::cells`].
const CSV_HEADER: [&str; 11] = [
    "dossier_id",
    "beneficiary_name",
    "siret",
    "scheme_code",
    "decision_reference",
    "decided_on",
    "convention_signed_on",
    "granted_cents",
    "paid_cents",
    "remaining_cents",
    "status",
];

/// The grants decided in a year (`decided_on`), by decision date: beneficiary, SIRET, scheme,
/// decision reference and date, convention date, granted, paid, remaining, status. Finance,
/// admin and instructors. JSON, or CSV (`format=csv` or `Accept: text/csv`, an attachment),
/// both streamed page by page; or XLSX (`format=xlsx` or `Accept` of the XLSX media type, an
/// attachment), written page by page in constant memory and sent once complete. In CSV, a text
/// cell that a spreadsheet would run as a formula (stored before Essor refused such input) is
/// written with a leading `'`; in XLSX, text cells are string cells.
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(GrantsQuery),
    responses(
        (status = 200, description = "The year's grants (CSV: the same columns, integer cents in \
            `*_cents` columns, dates as YYYY-MM-DD; XLSX: the same columns, amounts as numbers in \
            euros in columns named without `_cents`, dates as dates)",
            content((GrantList = "application/json"), (String = "text/csv"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, response = crate::api::openapi::Forbidden),
        ListErrors,
    )
)]
#[get("/exports/grants")]
#[tracing::instrument(skip_all, fields(territory = %user.territory))]
pub async fn export_grants(
    user: AuthUser,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    user.require(&READERS)?;
    let query: GrantsQuery = parse_query(&req)?;
    let mut errors = Vec::new();
    let format = check_format(&mut errors, query.format.as_deref());
    let year = check_year(&mut errors, "year", query.year);
    query_errors(errors)?;
    let years = Years::one(year);
    let territory = user.territory.clone();
    // The first page before the answer starts: a failure is still a problem document.
    let first = {
        let territory = territory.clone();
        state.db(move |conn| Ok(exports::grants_page(conn, &territory, years, None, PAGE)?)).await?
    };
    let format = negotiate(&req, format);
    if format == ExportFormat::Xlsx {
        let body = workbook(&state, territory, years, first).await?;
        return Ok(xlsx_response(&format!("essor-grants-{year}.xlsx"), body));
    }
    let csv = format == ExportFormat::Csv;
    let pages = Pages { state, territory, years, csv, year, written: 0, started: false };
    let body = stream::unfold((pages, Step::Page(first)), |(mut pages, step)| async move {
        let lines = match step {
            Step::Done => return None,
            Step::Close => return Some((Ok(pages.closing()), (pages, Step::Done))),
            Step::Page(lines) => lines,
            Step::After(cursor) => match pages.load(cursor).await {
                Ok(lines) => lines,
                Err(e) => {
                    tracing::error!(error = %e, "grants export interrupted");
                    return Some((Err(e), (pages, Step::Done)));
                }
            },
        };
        let next = next_page(&lines).map_or(Step::Close, Step::After);
        match pages.render(lines) {
            Ok(chunk) => Some((Ok(chunk), (pages, next))),
            Err(e) => {
                tracing::error!(error = %e, "grants export interrupted");
                Some((Err(e), (pages, Step::Done)))
            }
        }
    });
    let mut res = HttpResponse::Ok();
    res.insert_header((header::VARY, "Accept"));
    if csv {
        res.insert_header((header::CONTENT_TYPE, CSV_CONTENT_TYPE))
            .insert_header(attachment(&format!("essor-grants-{year}.csv")));
    } else {
        res.content_type("application/json");
    }
    Ok(res.streaming(body))
}

/// Where the page after `lines` starts, unless `lines` is the last page.
fn next_page(lines: &[GrantLine]) -> Option<GrantCursor> {
    match lines.last() {
        Some(last) if lines.len() as i64 == PAGE => {
            Some((last.decided_on.unwrap_or_default(), last.dossier_id.clone()))
        }
        _ => None,
    }
}

/// The year's grants as an XLSX workbook: each page read is written to a constant-memory
/// worksheet (finished rows go to a temporary file), then the workbook is zipped in memory.
/// A failure at any point is still a problem document: nothing is sent before the end.
async fn workbook(
    state: &web::Data<AppState>,
    territory: TerritoryCode,
    years: Years,
    first: Vec<GrantLine>,
) -> ApiResult<Vec<u8>> {
    let name = format!("grants {}", years.first);
    let mut sheet = web::block(move || Sheet::new(&name, &GrantView::xlsx_columns())).await??;
    let mut lines = first;
    loop {
        let next = next_page(&lines);
        sheet = web::block(move || {
            for line in lines {
                sheet.row(&GrantView::from(line).cells())?;
            }
            Ok::<_, ApiError>(sheet)
        })
        .await??;
        let Some(after) = next else { break };
        let territory = territory.clone();
        lines = state
            .db(move |conn| Ok(exports::grants_page(conn, &territory, years, Some(&after), PAGE)?))
            .await?;
    }
    web::block(move || sheet.finish()).await?
}

/// Where the stream stands.
enum Step {
    Page(Vec<GrantLine>),
    After(GrantCursor),
    Close,
    Done,
}

/// What the stream needs to load and render the next page.
struct Pages {
    state: web::Data<AppState>,
    territory: TerritoryCode,
    years: Years,
    csv: bool,
    year: i32,
    /// Grants written so far.
    written: usize,
    /// Whether the header (CSV) or the opening (JSON) is written.
    started: bool,
}

impl Pages {
    async fn load(&self, after: GrantCursor) -> ApiResult<Vec<GrantLine>> {
        let territory = self.territory.clone();
        let years = self.years;
        self.state
            .db(move |conn| Ok(exports::grants_page(conn, &territory, years, Some(&after), PAGE)?))
            .await
    }

    /// A page as a chunk of the document: the CSV header or the JSON opening before the first.
    fn render(&mut self, lines: Vec<GrantLine>) -> ApiResult<Bytes> {
        let first = !self.started;
        self.started = true;
        let mut out = Vec::new();
        if self.csv {
            let mut writer = csv_writer(&mut out);
            if first {
                writer.write_record(CSV_HEADER).map_err(|e| ApiError::internal_from("writing CSV", e))?;
            }
            for line in lines {
                let grant = GrantView::from(line);
                write_csv_row(&mut writer, &grant.cells())
                    .map_err(|e| ApiError::internal_from("writing CSV", e))?;
                self.written += 1;
            }
            writer.flush().map_err(|e| ApiError::internal_from("writing CSV", e))?;
        } else {
            if first {
                out.extend_from_slice(format!("{{\"year\":{},\"grants\":[", self.year).as_bytes());
            }
            for line in lines {
                if self.written > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut out, &GrantView::from(line))
                    .map_err(|e| ApiError::internal_from("writing JSON", e))?;
                self.written += 1;
            }
        }
        Ok(Bytes::from(out))
    }

    /// The end of the document: JSON's closing brackets (CSV has none).
    fn closing(&self) -> Bytes {
        if self.csv {
            Bytes::new()
        } else {
            Bytes::from_static(b"]}")
        }
    }
}

use actix_web::{get, web};
use chrono::NaiveDate;

use super::dto::{DisbursementFilter, DisbursementView};
use crate::api::common::{page_bounds, Page};
use crate::api::openapi::ListErrors;
use crate::auth::{AuthUser, Role};
use crate::db::disbursements;
use crate::domain::money::{FIRST_YEAR, LAST_YEAR};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The territory's disbursements, oldest request first: finance's work list (staff).
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(DisbursementFilter),
    responses(
        (status = 200, description = "A page of disbursements", body = Page<DisbursementView>),
        (status = 403, response = crate::api::openapi::Forbidden),
        ListErrors,
    )
)]
#[get("/disbursements")]
pub async fn list_disbursements(
    user: AuthUser,
    state: web::Data<AppState>,
    query: web::Query<DisbursementFilter>,
) -> ApiResult<web::Json<Page<DisbursementView>>> {
    user.require(&[Role::Finance, Role::Instructor, Role::Admin])?;
    let filter = query.into_inner();
    let (page, per_page) = page_bounds(filter.page, filter.per_page)?;
    let requested_in = match filter.year {
        None => None,
        Some(y) if (FIRST_YEAR..=LAST_YEAR).contains(&y) => {
            let start =
                |y| NaiveDate::from_ymd_opt(y, 1, 1).expect("date").and_hms_opt(0, 0, 0).expect("time");
            Some((start(y), start(y + 1)))
        }
        Some(_) => {
            return Err(ApiError::bad_request(text!(
                "money-year-between",
                FIRST_YEAR = &FIRST_YEAR,
                LAST_YEAR = &LAST_YEAR
            )))
        }
    };
    let (rows, total) = state
        .db(move |conn| {
            Ok(disbursements::list(conn, &user.territory, filter.status, requested_in, page, per_page)?)
        })
        .await?;
    Ok(web::Json(Page {
        items: rows.into_iter().map(DisbursementView::from).collect(),
        page,
        per_page,
        total,
    }))
}

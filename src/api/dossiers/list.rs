use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::DossierView;
use crate::api::common::{page_bounds, Page, FULL_DATE_FIRST, FULL_DATE_LAST};
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::dossiers::{self, ListFilter};
use crate::domain::lifecycle::DossierStatus;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DossierFilter {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000, default = 1)]
    pub page: Option<i64>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<i64>,
    pub status: Option<DossierStatus>,
    pub scheme_id: Option<uuid::Uuid>,
    /// Filing year.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    pub organisation_id: Option<uuid::Uuid>,
    /// Only the dossiers answering this call for projects.
    pub call_id: Option<uuid::Uuid>,
    /// Only dossiers awaiting a decision whose silence date (`implicit_decision_on`) falls
    /// before this day: those about to be implicitly rejected.
    pub implicit_decision_before: Option<chrono::NaiveDate>,
}

/// Dossiers the caller may see, newest first: its territory's for staff, its organisation's
/// for an applicant.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierFilter),
    responses(
        (status = 200, description = "A page of dossiers", body = Page<DossierView>),
        ListErrors,
    )
)]
#[get("/dossiers")]
pub async fn list_dossiers(
    user: AuthUser,
    state: web::Data<AppState>,
    query: web::Query<DossierFilter>,
) -> ApiResult<web::Json<Page<DossierView>>> {
    let filter = query.into_inner();
    let (page, per_page) = page_bounds(filter.page, filter.per_page)?;
    if filter.year.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(ApiError::bad_request(text!("dossiers-year-between-2000-2100")));
    }
    if filter.implicit_decision_before.is_some_and(|d| !(FULL_DATE_FIRST..=FULL_DATE_LAST).contains(&d)) {
        return Err(ApiError::bad_request(text!("dossiers-silence-date-full-date")));
    }
    let scope = ListFilter {
        status: filter.status,
        implicit_decision_before: filter.implicit_decision_before,
        scheme_id: filter.scheme_id.map(Into::into),
        year: filter.year,
        organisation_id: filter.organisation_id.map(Into::into),
        call_id: filter.call_id.map(Into::into),
    };
    let (reader, listed) = (user.clone(), scope.clone());
    let rows = state.read(move |conn| Ok(dossiers::page(conn, &reader, &listed, page, per_page)?)).await?;
    // A page that is not full (and not past the end) says the total itself; otherwise count,
    // or take the count made a moment ago (see `AppState::total`).
    let shown = rows.len() as i64;
    let total = if shown < per_page && (shown > 0 || page == 1) {
        (page - 1) * per_page + shown
    } else {
        let key = format!(
            "dossiers|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            user.territory,
            if user.is_staff() { "" } else { user.organisation_siret.as_deref().unwrap_or("") },
            scope.status,
            scope.scheme_id,
            scope.year,
            scope.organisation_id,
            scope.implicit_decision_before,
            scope.call_id
        );
        let reader = user.clone();
        state.total(key, move |conn| Ok(dossiers::count(conn, &reader, &scope)?)).await?
    };
    let items = rows.into_iter().map(|r| DossierView::for_user(r, &user)).collect();
    Ok(web::Json(Page { items, page, per_page, total }))
}

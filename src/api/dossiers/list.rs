use actix_web::{get, web};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::DossierView;
use super::get::visible_dossiers;
use crate::api::common::{page_bounds, Page};
use crate::auth::AuthUser;
use crate::db::models::DossierRow;
use crate::db::schema::dossiers;
use crate::domain::lifecycle::DossierStatus;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

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
}

/// Dossiers the caller may see, newest first: its territory's for staff, its organisation's
/// for an applicant.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierFilter),
    responses(
        (status = 200, description = "A page of dossiers", body = Page<DossierView>),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
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
        return Err(ApiError::bad_request("year must be between 2000 and 2100."));
    }
    let reader = user.clone();
    let (rows, total) = state
        .db(move |conn| {
            let filtered = || {
                let mut q = visible_dossiers(&reader);
                if let Some(status) = filter.status {
                    q = q.filter(dossiers::status.eq(status.as_str()));
                }
                if let Some(scheme) = filter.scheme_id {
                    q = q.filter(dossiers::scheme_id.eq(scheme.to_string()));
                }
                if let Some(year) = filter.year {
                    q = q.filter(dossiers::year.eq(year));
                }
                if let Some(org) = filter.organisation_id {
                    q = q.filter(dossiers::organisation_id.eq(org.to_string()));
                }
                q
            };
            let total: i64 = filtered().count().get_result(conn)?;
            let rows = filtered()
                .order((dossiers::created_at.desc(), dossiers::id.asc()))
                .limit(per_page)
                .offset((page - 1) * per_page)
                .select(DossierRow::as_select())
                .load(conn)?;
            Ok((rows, total))
        })
        .await?;
    let items = rows.into_iter().map(|r| DossierView::for_user(r, &user)).collect::<ApiResult<_>>()?;
    Ok(web::Json(Page { items, page, per_page, total }))
}

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::OrganisationView;
use crate::api::common::{page_bounds, Page};
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::organisations;
use crate::domain::ids::Siret;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilter {
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 1000000, default = 1)]
    pub page: Option<i64>,
    /// Items per page.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub per_page: Option<i64>,
    /// Only this SIRET.
    #[param(pattern = "^[0-9]{14}$")]
    pub siret: Option<String>,
}

/// Organisations of the caller's territory, by name (applicants see only their own).
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(OrganisationFilter),
    responses(
        (status = 200, description = "A page of organisations", body = Page<OrganisationView>),
        ListErrors,
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    user: AuthUser,
    state: web::Data<AppState>,
    query: web::Query<OrganisationFilter>,
) -> ApiResult<web::Json<Page<OrganisationView>>> {
    let filter = query.into_inner();
    let (page, per_page) = page_bounds(filter.page, filter.per_page)?;
    if filter.siret.as_deref().is_some_and(|s| s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit())) {
        return Err(ApiError::BadRequest {
            detail: text!("organisations-siret-14-digits"),
            errors: Some(vec![FieldError::new(
                "siret",
                FieldCode::SiretFormat,
                text!("organisations-siret-exactly-14-digits"),
            )]),
        });
    }
    // Fourteen digits that fail a checksum: no organisation has that SIRET (only parsed ones
    // are stored), so the page is empty, as the database would have answered.
    let Ok(siret) = filter.siret.as_deref().map(Siret::parse).transpose() else {
        return Ok(web::Json(Page { items: Vec::new(), page, per_page, total: 0 }));
    };
    let (rows, total) =
        state.db(move |conn| Ok(organisations::list(conn, &user, siret.as_ref(), page, per_page)?)).await?;
    let items = rows.into_iter().map(OrganisationView::from).collect();
    Ok(web::Json(Page { items, page, per_page, total }))
}

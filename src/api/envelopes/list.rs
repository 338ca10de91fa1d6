use actix_web::{get, web};

use super::dto::{EnvelopeFilter, EnvelopeView};
use super::READERS;
use crate::api::openapi::ListErrors;
use crate::auth::AuthUser;
use crate::db::envelopes;
use crate::domain::money::{FIRST_YEAR, LAST_YEAR};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The territory's envelopes, newest year first (staff). A territory has one per scheme and
/// year: the list is not paginated.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    params(EnvelopeFilter),
    responses(
        (status = 200, description = "The envelopes", body = Vec<EnvelopeView>),
        (status = 403, response = crate::api::openapi::Forbidden),
        ListErrors,
    )
)]
#[get("/envelopes")]
pub async fn list_envelopes(
    user: AuthUser,
    state: web::Data<AppState>,
    query: web::Query<EnvelopeFilter>,
) -> ApiResult<web::Json<Vec<EnvelopeView>>> {
    user.require(&READERS)?;
    let filter = query.into_inner();
    if filter.year.is_some_and(|y| !(FIRST_YEAR..=LAST_YEAR).contains(&y)) {
        return Err(ApiError::bad_request(text!(
            "money-year-between",
            FIRST_YEAR = &FIRST_YEAR,
            LAST_YEAR = &LAST_YEAR
        )));
    }
    let scheme = filter.scheme_id.map(crate::domain::ids::SchemeId::from);
    let rows = state
        .db(move |conn| Ok(envelopes::list(conn, &user.territory, filter.year, scheme.as_ref())?))
        .await?;
    Ok(web::Json(rows.into_iter().map(EnvelopeView::from).collect()))
}

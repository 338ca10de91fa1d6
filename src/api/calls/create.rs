use actix_web::{post, web, HttpResponse};

use super::dto::{CallView, NewCall};
use super::ORGANISERS;
use crate::api::extract::ApiJson;
use crate::api::openapi::CreateErrors;
use crate::auth::AuthUser;
use crate::db::calls::{self, CallRow};
use crate::db::types::Json;
use crate::db::{envelopes, new_id, now, schemes, DbConnection};
use crate::domain::access::Caller;
use crate::domain::ids::SchemeId;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Opens a call for projects on a scheme (admin, instructors): its title, when it opens and
/// closes, the budget year whose envelope it draws on, and maybe its own assessment grid.
/// Applicants then open dossiers on it (`call_id`) and submit them while it is open.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    request_body = NewCall,
    responses(
        (status = 201, description = "Opened", body = CallView,
            headers(("Location" = String, description = "URL of the call"))),
        CreateErrors,
    )
)]
#[post("/calls")]
pub async fn create_call(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewCall>,
) -> ApiResult<HttpResponse> {
    user.require(&ORGANISERS)?;
    let body = body.into_inner()?;
    let errors = body.check();
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let (row, year) = state.write(move |conn| open(conn, &user, &body)).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/calls/{}", row.id)))
        .json(CallView::of(row, year, now())))
}

/// The call kept, once its scheme and its envelope of the budget year are found.
fn open(conn: &mut DbConnection, caller: &Caller, body: &NewCall) -> ApiResult<(CallRow, i32)> {
    let scheme_id = SchemeId::from(body.scheme_id);
    if schemes::find(conn, &caller.territory, &scheme_id)?.is_none() {
        return Err(ApiError::validation(vec![FieldError::new(
            "scheme_id",
            FieldCode::Unknown,
            text!("dossiers-scheme-id-names-no-scheme"),
        )]));
    }
    let envelope =
        envelopes::for_year(conn, &caller.territory, &scheme_id, body.budget_year)?.ok_or_else(|| {
            ApiError::validation(vec![FieldError::new(
                "budget_year",
                FieldCode::NoEnvelope,
                text!("money-no-envelope-for-year", year = body.budget_year),
            )])
        })?;
    let clean =
        |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let row = CallRow {
        id: new_id().into(),
        territory: caller.territory.clone(),
        scheme_id,
        envelope_id: envelope.id,
        title: body.title.trim().to_string(),
        description: clean(&body.description),
        opens_at: body.opens_at.naive_utc(),
        closes_at: body.closes_at.naive_utc(),
        assessment_grid: body.assessment_grid.clone().map(Json),
        created_by: caller.sub.clone(),
        created_at: now(),
    };
    calls::insert(conn, &row)?;
    Ok((row, body.budget_year))
}

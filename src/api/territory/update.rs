use actix_web::{patch, web, HttpRequest, HttpResponse};

use super::dto::{TerritoryPatch, TerritoryView};
use crate::api::common::{etag_header, IfMatch};
use crate::api::extract::{rule_errors, ApiJson};
use crate::api::openapi::UpdateErrors;
use crate::auth::AuthUser;
use crate::db::territories;
use crate::domain::access::Role;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Sets the service in charge that the territory's receipts and letters state: its name,
/// address, contact, the administrative court for appeals and the signatory's title (admin;
/// JSON Merge Patch, `If-Match` required). Letters already issued keep what they said.
#[utoipa::path(
    tag = "territory",
    security(("bearer" = [])),
    params(("If-Match" = String, Header, description = "The ETag last read")),
    request_body(content = TerritoryPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = TerritoryView, headers(("ETag" = String, description = "The new version tag"))),
        UpdateErrors,
    )
)]
#[patch("/territory")]
pub async fn update_territory(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<TerritoryPatch>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let if_match = IfMatch::required(&req)?;
    let patch = body.into_inner()?;
    let errors = rule_errors(&patch);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let row = state
        .write(move |conn| {
            let row = territories::find(conn, &user.territory)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-territory")))?;
            if_match.expected_version(row.version)?;
            let service = patch.applied_to(row.service.clone().into());
            if !territories::set_service(conn, &row.code, row.version, &service)? {
                return Err(ApiError::PreconditionFailed);
            }
            territories::find(conn, &row.code)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-territory")))
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(TerritoryView::from(row)))
}

use actix_web::{patch, web, HttpRequest, HttpResponse};

use super::dto::{DossierPatch, DossierView};
use crate::api::common::{etag_header, IfMatch};
use crate::api::extract::{ApiJson, DossierPath};
use crate::api::openapi::UpdateErrors;
use crate::auth::{AuthUser, Role};
use crate::db::{dossiers, now};
use crate::domain::Code;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Edits a dossier's content (JSON Merge Patch), in draft or changes_requested only, by its
/// applicant. Requires `If-Match`: 428 without, 412 when stale.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierPath, ("If-Match" = String, Header, description = "The ETag last read")),
    request_body(content = DossierPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated", body = DossierView,
            headers(("ETag" = String, description = "The new version tag"))),
        (status = 409, response = crate::api::openapi::Conflict),
        UpdateErrors,
    )
)]
#[patch("/dossiers/{id}")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn update_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    body: ApiJson<DossierPatch>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    let if_match = IfMatch::required(&req)?;
    let patch = body.into_inner()?;
    let actor = user.clone();
    let row = state
        .write(move |conn| {
            let row = dossier.load_to_change(conn, &actor)?;
            if_match.expected_version(row.version)?;
            if !row.status.is_editable() {
                let status = row.status.as_str();
                return Err(ApiError::conflict(
                    ProblemCode::NotEditable,
                    text!("dossier-not-editable", status = status),
                ));
            }
            let content = patch.clone().apply(row.content())?;
            content.validate_fields(chrono::Utc::now().date_naive()).map_err(ApiError::validation)?;
            // Replaces only the version read, and only while editable.
            Ok(dossiers::replace_content(conn, &row, &content.into(), now())?)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(DossierView::for_user(row, &user)))
}

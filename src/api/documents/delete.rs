use actix_web::{delete, web, HttpRequest, HttpResponse};

use super::{document_id, ensure_editable};
use crate::api::extract::DossierPath;
use crate::auth::{AuthUser, Role};
use crate::db::documents::{self, Removed};
use crate::db::error::Missing;
use crate::db::{now, DbError};
use crate::error::ApiResult;
use crate::state::AppState;

/// Deletes a document (its applicant, while the dossier is in draft or changes_requested: 409
/// otherwise). A document a submission was made with stays readable in that submission's list
/// (`?submission=n`); any other is removed, with its content once no document names it.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierPath, ("document_id" = uuid::Uuid, Path, description = "Document id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 404, response = crate::api::openapi::NotFound),
        (status = 409, response = crate::api::openapi::Conflict),
    )
)]
#[delete("/dossiers/{id}/documents/{document_id}")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn delete_document(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    let id = document_id(&req)?;
    let removed = state
        .write(move |conn| {
            let row = dossier.load_to_change(conn, &user)?;
            let doc = documents::find(conn, &row.id, &id)?;
            if doc.deleted_at.is_some() {
                return Err(DbError::NotFound(Missing::DeletedDocument).into());
            }
            ensure_editable(&row)?;
            Ok(documents::delete(conn, &doc, now())?)
        })
        .await?;
    if let Removed::RowAndContent(sha256) = removed {
        state.documents.removed(&sha256);
    }
    Ok(HttpResponse::NoContent().finish())
}

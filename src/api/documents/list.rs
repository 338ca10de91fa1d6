use actix_web::{get, web, HttpRequest};

use super::dto::{DocumentView, DocumentsQuery};
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::documents;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The dossier's documents, oldest first: type, name, size, SHA-256, who uploaded them and
/// when. With `submission=n`: the documents submission `n` was made with, as they were (404
/// when the dossier has no such submission), readable even after the applicant deleted or
/// replaced one during a changes_requested round.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierPath, DocumentsQuery),
    responses(
        (status = 200, description = "The documents", body = Vec<DocumentView>),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/documents")]
pub async fn list_documents(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<web::Json<Vec<DocumentView>>> {
    let query = web::Query::<DocumentsQuery>::from_query(req.query_string())
        .map_err(|err| crate::api::extract::query_error(&err))?;
    if query.submission.is_some_and(|n| n < 1) {
        return Err(ApiError::BadRequest {
            detail: text!("documents-submissions-numbered-from-1"),
            errors: Some(vec![FieldError::new(
                "submission",
                FieldCode::OutOfRange,
                text!("documents-submissions-numbered-from-1-2"),
            )]),
        });
    }
    let rows = state
        .db(move |conn| {
            let row = dossier.load(conn, &user)?;
            match query.submission {
                None => Ok(documents::current(conn, &row.id)?),
                Some(seq) => documents::submitted(conn, &row.id, seq)?.ok_or_else(|| {
                    ApiError::NotFound(text!("documents-dossier-has-no-submission", seq = &seq))
                }),
            }
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(DocumentView::from).collect()))
}

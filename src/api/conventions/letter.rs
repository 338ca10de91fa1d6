use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::api::extract::{no_resource_at, DossierPath};
use crate::api::letters::{pdf_response, PdfBytes};
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::generated;
use crate::domain::convention::convention_label;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The convention (`seq` 0) or one of its amendments as a PDF in French, exactly as drafted
/// (its SHA-256 is the ETag and the document's `letter.sha256`).
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(DossierPath, ("seq" = i32, Path, minimum = 0, description = "0 for the convention, 1, 2… for its amendments")),
    responses(
        (status = 200, description = "The document", content((PdfBytes = "application/pdf")),
            headers(
                ("ETag" = String, description = "The SHA-256 of the document, quoted"),
                ("Content-Disposition" = String, description = "attachment, named after the document's number"),
            )),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/convention/documents/{seq}/pdf")]
pub async fn convention_letter(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<HttpResponse> {
    let seq: i32 = req
        .match_info()
        .get("seq")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::NotFound(no_resource_at(req.path())))?;
    let (name, sha256, bytes) = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            let (convention, documents) = super::load(conn, &dossier.id)?;
            let (row, letter, _) = documents
                .into_iter()
                .find(|(row, _, _)| row.seq == seq)
                .ok_or_else(|| ApiError::NotFound(text!("not-found-convention-document")))?;
            let bytes = generated::bytes(conn, &letter.id)?;
            Ok((convention_label(convention.year, convention.number, row.seq), letter.sha256, bytes))
        })
        .await?;
    Ok(pdf_response(&name, Some(&sha256), bytes))
}

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::api::extract::DossierPath;
use crate::api::letters::{path_uuid, pdf_response, PdfBytes};
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::{generated, receipts};
use crate::domain::ids::ReceiptId;
use crate::domain::procedure;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The receipt's letter, a PDF in French, exactly as it was made when the receipt was issued
/// (its SHA-256 is the ETag and the receipt's `letter.sha256`).
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(DossierPath, ("receipt_id" = uuid::Uuid, Path, description = "Receipt id")),
    responses(
        (status = 200, description = "The letter", content((PdfBytes = "application/pdf")),
            headers(
                ("ETag" = String, description = "The SHA-256 of the letter, quoted"),
                ("Content-Disposition" = String, description = "attachment, named after the receipt's number"),
            )),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/receipts/{receipt_id}/pdf")]
pub async fn receipt_letter(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<HttpResponse> {
    let id = ReceiptId::from(path_uuid(&req, "receipt_id")?);
    let (receipt, letter, bytes) = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            let (receipt, letter) = receipts::find(conn, &dossier.id, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-receipt")))?;
            let bytes = generated::bytes(conn, &letter.id)?;
            Ok((receipt, letter, bytes))
        })
        .await?;
    let name = procedure::receipt_label(receipt.year, receipt.number);
    Ok(pdf_response(&name, Some(&letter.sha256), bytes))
}

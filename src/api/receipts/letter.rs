use actix_web::http::header::{self, ContentEncoding};
use actix_web::{get, web, HttpRequest, HttpResponse};
use utoipa::ToSchema;

use crate::api::extract::{no_resource_at, DossierPath};
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::{generated, receipts};
use crate::domain::ids::ReceiptId;
use crate::domain::procedure;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The bytes of a PDF letter.
#[derive(ToSchema)]
#[schema(format = Binary)]
#[allow(dead_code)]
pub struct PdfBytes(String);

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
    let id = req
        .match_info()
        .get("receipt_id")
        .and_then(|id| uuid::Uuid::parse_str(id).ok())
        .map(ReceiptId::from)
        .ok_or_else(|| ApiError::NotFound(no_resource_at(req.path())))?;
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
    Ok(HttpResponse::Ok()
        .content_type(letter.content_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.pdf\"")))
        .insert_header((header::ETAG, format!("\"{}\"", letter.sha256)))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header(ContentEncoding::Identity)
        .body(bytes))
}

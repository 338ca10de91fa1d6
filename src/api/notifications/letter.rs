use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::api::extract::DossierPath;
use crate::api::letters::{path_uuid, pdf_response, PdfBytes};
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::{generated, notifications};
use crate::domain::ids::NotificationId;
use crate::domain::notification::notification_label;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The notification's letter, a PDF in French, exactly as it was made with the decision (its
/// SHA-256 is the ETag and the notification's `letter.sha256`).
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(DossierPath, ("notification_id" = uuid::Uuid, Path, description = "Notification id")),
    responses(
        (status = 200, description = "The letter", content((PdfBytes = "application/pdf")),
            headers(
                ("ETag" = String, description = "The SHA-256 of the letter, quoted"),
                ("Content-Disposition" = String, description = "attachment, named after the notification's number"),
            )),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/notifications/{notification_id}/pdf")]
pub async fn notification_letter(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<HttpResponse> {
    let id = NotificationId::from(path_uuid(&req, "notification_id")?);
    let (name, sha256, bytes) = state
        .db(move |conn| {
            let dossier = dossier.load(conn, &user)?;
            let (row, letter, _) = notifications::find(conn, &dossier.id, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-notification")))?;
            let bytes = generated::bytes(conn, &letter.id)?;
            Ok((notification_label(row.year, row.number), letter.sha256, bytes))
        })
        .await?;
    Ok(pdf_response(&name, Some(&sha256), bytes))
}

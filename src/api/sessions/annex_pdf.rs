use actix_web::{get, web, HttpResponse};

use super::READERS;
use crate::api::letters::{pdf_response, PdfBytes};
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::{generated, now, sessions, territories};
use crate::domain::ids::SessionId;
use crate::domain::procedure::letterhead;
use crate::error::{ApiError, ApiResult};
use crate::letters::{LetterKind, LetterMeta};
use crate::state::AppState;
use crate::text;

/// The annex as a PDF in French (staff). Once the deliberation is recorded, the annex it carried,
/// made then and kept (outcomes, amounts voted, the envelopes as they stood; its SHA-256 is the
/// ETag); before, a draft made from the agenda as it stands ("Projet d'annexe").
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses(
        (status = 200, description = "The annex", content((PdfBytes = "application/pdf")),
            headers(("ETag" = String, description = "The SHA-256 of the annex kept, once decided"))),
        (status = 403, response = crate::api::openapi::Forbidden),
        ReadErrors,
    )
)]
#[get("/sessions/{id}/annex/pdf")]
pub async fn annex_pdf(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(&READERS)?;
    let id = SessionId::from(id.into_inner());
    let letters = state.letters.clone();
    let (bytes, sha256) = state
        .db(move |conn| {
            let session = sessions::find(conn, &user.territory, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-session")))?;
            if let Some(kept) = &session.annex_document_id {
                let row = generated::find(conn, kept)?;
                return Ok((generated::bytes(conn, kept)?, Some(row.sha256)));
            }
            let territory = territories::find(conn, &session.territory)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-territory")))?;
            let head = letterhead(
                &territory.name,
                territory.siret.as_ref().map(|s| s.as_str()),
                &territory.service.into(),
            );
            let context = sessions::annex(conn, &session)?.letter_context(head);
            let meta = LetterMeta { title: session.title.clone(), issued_at: crate::api::common::utc(now()) };
            let pdf = letters
                .get(session.territory.as_str(), LetterKind::Annex)
                .render(&context, &meta)
                .map_err(|e| ApiError::internal_from("render an annex", e))?;
            Ok((pdf, None))
        })
        .await?;
    Ok(pdf_response("annexe", sha256.as_deref(), bytes))
}

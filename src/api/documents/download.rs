use actix_web::http::header::{self, ContentEncoding};
use actix_web::{get, web, HttpRequest, HttpResponse};

use super::document_id;
use super::dto::DocumentBytes;
use crate::api::extract::DossierPath;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::document_store::CHUNK_BYTES;
use crate::db::documents;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Downloads a document, streamed as stored, with its content type (told by its bytes at
/// upload), `Content-Disposition: attachment` and its name (RFC 6266 `filename*`),
/// `X-Content-Type-Options: nosniff`, and its SHA-256 as ETag (`If-None-Match` with it: 304).
/// The same access as the dossier: another organisation's or territory's document is 404. A
/// document a submission kept stays readable after its applicant deleted it.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierPath,
        ("document_id" = uuid::Uuid, Path, description = "Document id"),
        ("If-None-Match" = Option<String>, Header, nullable = false, description = "The ETag of a copy the client holds")),
    responses(
        (status = 200, description = "The document's bytes",
            content(
                (DocumentBytes = "application/pdf"),
                (DocumentBytes = "image/png"),
                (DocumentBytes = "image/jpeg"),
                (DocumentBytes = "application/vnd.oasis.opendocument.text"),
                (DocumentBytes = "application/vnd.oasis.opendocument.spreadsheet"),
                (DocumentBytes = "application/vnd.oasis.opendocument.presentation"),
                (DocumentBytes = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (DocumentBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (DocumentBytes = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            ),
            headers(
                ("ETag" = String, description = "The SHA-256 of the content, quoted"),
                ("Content-Disposition" = String, description = "attachment, with the document's name"),
            )),
        (status = 304, description = "Not modified: the client's copy (If-None-Match) is this content"),
        ReadErrors,
    )
)]
#[get("/dossiers/{id}/documents/{document_id}")]
pub async fn download_document(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
) -> ApiResult<HttpResponse> {
    let id = document_id(&req)?;
    let doc = state
        .db(move |conn| {
            let row = dossier.load(conn, &user)?;
            Ok(documents::find(conn, &row.id, &id)?)
        })
        .await?;
    let etag = format!("\"{}\"", doc.sha256);
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| matches!(tag.trim(), t if t == etag || t == "*" || t.strip_prefix("W/") == Some(etag.as_str()))));
    if not_modified {
        return Ok(HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish());
    }
    let chunks = (i64::from(doc.size > 0) + (doc.size - 1).max(0) / CHUNK_BYTES as i64) as i32;
    let (store, state, sha256) = (state.documents.clone(), state.clone(), doc.sha256.clone());
    // One chunk read at a time, as the client takes them: never the whole file in memory.
    let body = futures_util::stream::unfold(0i32, move |seq| {
        let (store, state, sha256) = (store.clone(), state.clone(), sha256.clone());
        async move {
            if seq >= chunks {
                return None;
            }
            let chunk = state
                .db(move |conn| Ok(store.read_chunk(conn, &sha256, seq)?))
                .await
                .and_then(|c| c.ok_or_else(|| ApiError::internal("document store", "a chunk is missing")));
            match chunk {
                Ok(bytes) => Some((Ok(web::Bytes::from(bytes)), seq + 1)),
                Err(e) => {
                    tracing::error!(error = %e, "document download failed");
                    Some((Err(actix_web::error::ErrorInternalServerError("document unreadable")), chunks))
                }
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type(doc.content_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, content_disposition(&doc.name)))
        .insert_header((header::ETAG, etag))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        // Already compressed formats, and the ETag names these exact bytes.
        .insert_header(ContentEncoding::Identity)
        .no_chunking(u64::try_from(doc.size).unwrap_or(0))
        .streaming(body))
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name>` (RFC 6266,
/// RFC 8187): every client gets a safe name, those that read `filename*` the exact one.
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn names_are_quoted_and_encoded() {
        assert_eq!(
            content_disposition("relevé \"bancaire\".pdf"),
            "attachment; filename=\"relev_ _bancaire_.pdf\"; filename*=UTF-8''relev%C3%A9%20%22bancaire%22.pdf"
        );
    }
}

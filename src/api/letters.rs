//! What the endpoints serving generated letters share (receipts, notifications, conventions,
//! annexes): the description of a letter kept, its schema as bytes, and the PDF response.

use actix_web::http::header::{self, ContentEncoding};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::no_resource_at;
use crate::db::generated::GeneratedRow;
use crate::error::ApiError;

/// The bytes of a PDF letter.
#[derive(ToSchema)]
#[schema(format = Binary)]
#[allow(dead_code)]
pub struct PdfBytes(String);

/// A letter Essor generated: kept as made, never regenerated.
#[derive(Debug, Serialize, ToSchema)]
pub struct LetterView {
    /// Where to download it.
    #[schema(example = "/api/v1/dossiers/3f0c…/receipts/9a1b…/pdf")]
    pub href: String,
    #[schema(example = "application/pdf")]
    pub content_type: String,
    #[schema(minimum = 0)]
    pub size: i64,
    /// SHA-256 of its bytes (lowercase hexadecimal).
    #[schema(min_length = 64, max_length = 64, pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// The template that made it.
    #[schema(example = "receipt@3f2a9c0d1e4b")]
    pub template_version: String,
}

impl LetterView {
    /// The letter `row`, downloaded at `href`.
    pub fn new(href: String, row: GeneratedRow) -> Self {
        LetterView {
            href,
            content_type: row.content_type,
            size: row.size,
            sha256: row.sha256,
            template_version: row.template_version,
        }
    }
}

/// The UUID in the path segment `name`, or 404 for the path (not a UUID: no such resource).
pub fn path_uuid(req: &HttpRequest, name: &str) -> Result<uuid::Uuid, ApiError> {
    req.match_info()
        .get(name)
        .and_then(|id| uuid::Uuid::parse_str(id).ok())
        .ok_or_else(|| ApiError::NotFound(no_resource_at(req.path())))
}

/// A PDF as an attachment named `name.pdf`; its SHA-256, when it is a letter kept, is the ETag.
pub fn pdf_response(name: &str, sha256: Option<&str>, bytes: Vec<u8>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type(crate::db::generated::PDF)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.pdf\"")))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .insert_header(ContentEncoding::Identity);
    if let Some(sha256) = sha256 {
        response.insert_header((header::ETAG, format!("\"{sha256}\"")));
    }
    response.body(bytes)
}

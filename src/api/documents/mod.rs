//! The supporting documents of a dossier: upload (its applicant, while the dossier is editable,
//! and the signed convention once the grant is approved),
//! list and download (whoever may see the dossier), delete (its applicant, while editable).

pub mod delete;
pub mod download;
pub mod dto;
pub mod list;
pub mod upload;

use crate::text;
use actix_web::HttpRequest;

use crate::db::dossiers::DossierRow;
use crate::domain::Code;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult};

/// The `{document_id}` of a route: a UUID, or the route names nothing (404).
pub fn document_id(req: &HttpRequest) -> ApiResult<crate::domain::ids::DocumentId> {
    req.match_info()
        .get("document_id")
        .and_then(|id| uuid::Uuid::parse_str(id).ok())
        .map(crate::domain::ids::DocumentId::from)
        .ok_or_else(|| ApiError::NotFound(crate::api::extract::no_resource_at(req.path())))
}

/// The document type of a signed convention (or amendment): uploaded by the beneficiary once the
/// grant is approved, whatever the rules' own types, and named in its signature.
pub const SIGNED_CONVENTION: &str = "convention_signee";

/// Whether a document of `doc_type` (any, when not known yet) may be added to the dossier: any
/// type while the applicant holds it (draft, changes requested), the signed convention once
/// it is approved.
pub fn ensure_accepts(row: &DossierRow, doc_type: Option<&str>) -> ApiResult<()> {
    let signed_copy = row.status == crate::domain::lifecycle::DossierStatus::Approved
        && doc_type.is_none_or(|t| t == SIGNED_CONVENTION);
    if signed_copy {
        return Ok(());
    }
    ensure_editable(row)
}

/// Documents change only while the applicant holds the dossier (draft, changes requested).
pub fn ensure_editable(row: &DossierRow) -> ApiResult<()> {
    if row.status.is_editable() {
        return Ok(());
    }
    let status = row.status.as_str();
    Err(ApiError::conflict(ProblemCode::DocumentsLocked, text!("documents-locked", status = status)))
}

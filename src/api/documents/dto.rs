use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::utc;
use crate::db::documents::DocumentRow;

/// `POST /dossiers/{id}/documents`: a `multipart/form-data` body of two parts.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DocumentUpload {
    /// A document code of the dossier's rules version (`statuts`, `rib`...).
    #[schema(pattern = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", min_length = 1, max_length = 40, example = "rib")]
    r#type: String,
    /// The file: PDF, PNG, JPEG, OpenDocument or Office Open XML, told by its bytes; its file
    /// name is kept as a display name only.
    #[schema(format = Binary)]
    file: String,
}

/// A document's bytes, as uploaded.
#[derive(ToSchema)]
#[schema(format = Binary)]
#[allow(dead_code)]
pub struct DocumentBytes(String);

/// A document of a dossier.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub dossier_id: String,
    /// The document code of the rules version.
    #[schema(example = "rib")]
    pub r#type: String,
    /// The client's file name, cleaned (no path, no control character, at most 120 characters).
    #[schema(example = "rib.pdf")]
    pub name: String,
    /// The type its bytes showed at upload.
    #[schema(example = "application/pdf")]
    pub content_type: String,
    /// In bytes.
    #[schema(minimum = 0)]
    pub size: i64,
    /// Lowercase hex SHA-256 of the content (also the download's ETag).
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    /// Set when the applicant deleted it after a submission kept it (only in a submission's
    /// list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
}

impl From<DocumentRow> for DocumentView {
    fn from(row: DocumentRow) -> Self {
        DocumentView {
            id: row.id.into(),
            dossier_id: row.dossier_id.into(),
            r#type: row.doc_type,
            name: row.name,
            content_type: row.content_type,
            size: row.size,
            sha256: row.sha256,
            uploaded_by: row.uploaded_by,
            uploaded_at: utc(row.uploaded_at),
            deleted_at: row.deleted_at.map(utc),
        }
    }
}

/// `GET /dossiers/{id}/documents`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentsQuery {
    /// The documents submission `n` of the dossier was made with (1 is the first submission),
    /// as they were, even if the applicant deleted or replaced some since. Without it: the
    /// current documents.
    #[param(minimum = 1, maximum = 2147483647)]
    pub submission: Option<i32>,
}

use std::path::PathBuf;

use crate::domain::Arg;
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::dto::{DocumentUpload, DocumentView};
use super::{ensure_accepts, SIGNED_CONVENTION};
use crate::api::extract::{DossierPath, UploadLimit};
use crate::api::openapi::FileErrors;
use crate::auth::{AuthUser, Role};
use crate::db::documents::{self, DocumentRow};
use crate::db::dossiers::DossierRow;
use crate::db::{new_id, now, schemes, DbConnection};
use crate::domain::documents::{
    clean_file_name, declared_type_agrees, sniff, DocumentRequirement, SNIFF_BYTES,
};
use crate::domain::ProblemCode;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Bytes a multipart body may carry beyond its file (boundaries, part headers, the `type`).
const MULTIPART_OVERHEAD: u64 = 64 * 1024;
/// The `type` part is a code: anything longer is not one.
const MAX_TYPE_BYTES: usize = 1024;
/// A dossier carries at most this many current documents.
pub const MAX_DOCUMENTS: usize = 100;

/// Attaches a document to a dossier (its applicant, in draft or changes_requested). The body is
/// `multipart/form-data` with a `type` part (a document code of the dossier's rules version:
/// the one it was first submitted under, else the one in force today) and one `file` part.
///
/// The file is streamed to disk while it is hashed and counted: 413 as soon as it passes
/// `ESSOR_MAX_DOCUMENT_BYTES` (20 MB by default). Its type is told by its bytes: PDF, PNG,
/// JPEG, OpenDocument or Office Open XML, anything else 415, and 415 too when the part's own
/// `Content-Type` names another type (`application/octet-stream` or none says nothing). Its
/// SHA-256 and size are recorded; identical content is stored once. The file name is kept only
/// as a display name (last path segment, no control character, at most 120 characters).
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(DossierPath),
    request_body(
        content = DocumentUpload,
        content_type = "multipart/form-data",
        description = "`type`: the document code; `file`: the file (one part each)"
    ),
    responses(
        (status = 201, description = "Attached", body = DocumentView,
            headers(("Location" = String, description = "The document's download URL"))),
        FileErrors,
    )
)]
#[post("/dossiers/{id}/documents")]
#[tracing::instrument(skip_all, fields(dossier_id = %dossier, role = ?user.role))]
pub async fn upload_document(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    // The dossier first: nothing is read of a body that could not be accepted anyway.
    let (caller, path) = (user.clone(), dossier.clone());
    let (types, editable) = state
        .db(move |conn| {
            let row = path.load_to_change(conn, &caller)?;
            ensure_accepts(&row, None)?;
            Ok((document_types(conn, &row)?, row.status.is_editable()))
        })
        .await?;
    let limit = req.app_data::<web::Data<UploadLimit>>().map(|l| *l.get_ref()).unwrap_or_default();
    let received = receive(&req, payload, limit, state.documents.staging_dir()).await?;
    // An approved grant takes its signed convention only; a dossier being written, its rules' types.
    let accepted = if editable {
        types.iter().any(|t| t.code == received.doc_type)
    } else {
        received.doc_type == SIGNED_CONVENTION
    };
    if !accepted {
        let codes: Vec<&str> = types.iter().map(|t| t.code.as_str()).collect();
        let message = if codes.is_empty() {
            text!("documents-dossier-s-rules-ask-no")
        } else {
            text!("documents-unknown-document-type-dossier-s", codes_join = &codes.join(", "))
        };
        return Err(ApiError::validation(vec![FieldError::new(
            "type",
            FieldCode::UnknownDocumentType,
            message,
        )]));
    }

    let store = state.documents.clone();
    let sha256 = received.sha256.clone();
    let staged = received.file.path().to_path_buf();
    let created = {
        let (store, sha256) = (store.clone(), sha256.clone());
        web::block(move || store.stage(&sha256, &staged))
            .await?
            .map_err(|e| ApiError::internal_from("store the document", e))?
    };
    let row = DocumentRow {
        id: new_id().into(),
        dossier_id: dossier.id().clone(),
        doc_type: received.doc_type.clone(),
        name: received.name.clone(),
        content_type: received.content_type.to_string(),
        size: i64::try_from(received.size).unwrap_or(i64::MAX),
        sha256: sha256.clone(),
        uploaded_by: user.sub.clone(),
        uploaded_at: now(),
        deleted_at: None,
    };
    let settled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let written = {
        let (store, sha256, caller, settled) = (store.clone(), sha256.clone(), user.clone(), settled.clone());
        state
            .db(move |conn| {
                let staged = received.file; // kept (and removed) until the transaction ends
                let result = crate::db::write_transaction(conn, |conn| {
                    let dossier_row = dossier.load_to_change(conn, &caller)?;
                    ensure_accepts(&dossier_row, Some(&received.doc_type))?;
                    if documents::current(conn, &dossier_row.id)?.len() >= MAX_DOCUMENTS {
                        return Err(ApiError::conflict(
                            ProblemCode::TooManyDocuments,
                            text!(
                                "documents-dossier-carries-most-documents-delete",
                                MAX_DOCUMENTS = &MAX_DOCUMENTS
                            ),
                        ));
                    }
                    if documents::insert_blob(conn, &row.sha256, row.size)? {
                        store.write_new(conn, &row.sha256, staged.path())?;
                    }
                    documents::insert(conn, &row)?;
                    Ok(row)
                });
                settled.store(true, std::sync::atomic::Ordering::SeqCst);
                match &result {
                    Ok(_) => store.committed(&sha256),
                    Err(_) => store.abandon(Some(conn), &sha256, created),
                }
                result
            })
            .await
    };
    if written.is_err() && !settled.load(std::sync::atomic::Ordering::SeqCst) {
        // No connection: the file stays for garbage collection to judge.
        store.abandon(None, &sha256, created);
    }
    let row = written?;
    let location = format!("/api/v1/dossiers/{}/documents/{}", row.dossier_id, row.id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, location)).json(DocumentView::from(row)))
}

/// The document types of the dossier's rules (the version it was first submitted under, else
/// the one in force today); 409 when the scheme has no rules in force.
pub fn document_types(conn: &mut DbConnection, row: &DossierRow) -> ApiResult<Vec<DocumentRequirement>> {
    let today = chrono::Utc::now().date_naive();
    let version = schemes::rules_version_for(conn, row, today)?.ok_or_else(|| {
        ApiError::conflict(
            ProblemCode::NoRulesInForce,
            text!("documents-no-rules-in-force-on", date = Arg::Date(today)),
        )
    })?;
    Ok(version.parameters.0.documents)
}

/// An upload, received whole on disk.
struct Received {
    doc_type: String,
    name: String,
    content_type: &'static str,
    size: u64,
    sha256: String,
    /// Removed when dropped.
    file: tempfile::NamedTempFile,
}

/// The `file` part as received: on disk, hashed, counted, its first bytes kept to tell its type.
struct FilePart {
    temp: tempfile::NamedTempFile,
    size: u64,
    sha256: String,
    head: Vec<u8>,
    /// The part's own Content-Type, if it sent one.
    declared: Option<String>,
    /// The client's file name, as sent.
    raw_name: String,
}

fn too_large(limit: UploadLimit) -> ApiError {
    ApiError::PayloadTooLarge(text!("documents-file-larger-than-limit-bytes", bytes = &limit.bytes))
}

fn unreadable() -> ApiError {
    ApiError::bad_request(text!("documents-multipart-form-data-body-could"))
}

/// Reads the `multipart/form-data` body: the `type` part in memory (a code), the `file` part
/// streamed to a temporary file in `staging` while hashed and counted, refused (413) as soon as
/// it passes the limit, within the upload's time limit (408).
async fn receive(
    req: &HttpRequest,
    payload: web::Payload,
    limit: UploadLimit,
    staging: PathBuf,
) -> ApiResult<Received> {
    let essence = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    if essence.as_deref() != Some("multipart/form-data") {
        return Err(ApiError::UnsupportedMediaType(text!("documents-send-document-multipart-form-data")));
    }
    let declared_len = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared_len.is_some_and(|n| n > limit.bytes.saturating_add(MULTIPART_OVERHEAD)) {
        return Err(too_large(limit));
    }
    // The whole body is counted too: parts other than the file may not carry it past the limit.
    let max_body = limit.bytes.saturating_add(MULTIPART_OVERHEAD);
    let mut seen: u64 = 0;
    let counted = payload.into_inner().map(move |chunk| {
        let chunk = chunk?;
        seen += chunk.len() as u64;
        if seen > max_body {
            return Err(actix_web::error::PayloadError::Overflow);
        }
        Ok(chunk)
    });
    let mut multipart = actix_multipart::Multipart::new(req.headers(), counted);
    let deadline = tokio::time::Instant::now() + limit.timeout;
    let timeout = || {
        let secs = limit.timeout.as_secs();
        ApiError::RequestTimeout(text!("documents-file-did-arrive-within-s", secs = &secs))
    };
    let part_error = |e: actix_multipart::MultipartError| match e {
        actix_multipart::MultipartError::Payload(actix_web::error::PayloadError::Overflow) => {
            too_large(limit)
        }
        _ => unreadable(),
    };

    let mut doc_type: Option<String> = None;
    let mut file: Option<FilePart> = None;
    loop {
        let next = tokio::time::timeout_at(deadline, multipart.next()).await.map_err(|_| timeout())?;
        let Some(field) = next else { break };
        let mut field = field.map_err(part_error)?;
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "type" if doc_type.is_none() => {
                let mut value = Vec::new();
                while let Some(chunk) =
                    tokio::time::timeout_at(deadline, field.next()).await.map_err(|_| timeout())?
                {
                    value.extend_from_slice(&chunk.map_err(part_error)?);
                    if value.len() > MAX_TYPE_BYTES {
                        return Err(ApiError::validation(vec![FieldError::new(
                            "type",
                            FieldCode::UnknownDocumentType,
                            text!("documents-document-type-code-most-40"),
                        )]));
                    }
                }
                let value = String::from_utf8(value).map_err(|_| {
                    ApiError::validation(vec![FieldError::new(
                        "type",
                        FieldCode::UnknownDocumentType,
                        text!("documents-document-type-utf-8-text"),
                    )])
                })?;
                doc_type = Some(value.trim().to_string());
            }
            "file" if file.is_none() => {
                let disposition = field.content_disposition();
                let raw_name = disposition
                    .and_then(|d| d.get_filename_ext())
                    .map(|ext| String::from_utf8_lossy(&ext.value).into_owned())
                    .or_else(|| disposition.and_then(|d| d.get_filename()).map(str::to_string))
                    .unwrap_or_default();
                let declared = field
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let temp = tempfile::Builder::new()
                    .prefix("upload-")
                    .tempfile_in(&staging)
                    .map_err(|e| ApiError::internal_from("create a staging file", e))?;
                let handle = temp.reopen().map_err(|e| ApiError::internal_from("open a staging file", e))?;
                let mut out = tokio::fs::File::from_std(handle);
                let mut hasher = Sha256::new();
                let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES.min(8192));
                let mut size: u64 = 0;
                while let Some(chunk) =
                    tokio::time::timeout_at(deadline, field.next()).await.map_err(|_| timeout())?
                {
                    let chunk = chunk.map_err(part_error)?;
                    size += chunk.len() as u64;
                    if size > limit.bytes {
                        return Err(too_large(limit));
                    }
                    if head.len() < SNIFF_BYTES {
                        let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                        head.extend_from_slice(&chunk[..take]);
                    }
                    hasher.update(&chunk);
                    out.write_all(&chunk)
                        .await
                        .map_err(|e| ApiError::internal_from("write a staging file", e))?;
                }
                out.flush().await.map_err(|e| ApiError::internal_from("write a staging file", e))?;
                let sha256 = format!("{:x}", hasher.finalize());
                file = Some(FilePart { temp, size, sha256, head, declared, raw_name });
            }
            "type" | "file" => {
                return Err(ApiError::bad_request(text!("documents-part-sent-more-than-once", name = &name)));
            }
            _ => {
                let shown: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
                return Err(ApiError::bad_request(text!(
                    "documents-unexpected-part-only-type-file",
                    shown = &shown
                )));
            }
        }
    }
    let mut missing = Vec::new();
    if doc_type.as_deref().is_none_or(str::is_empty) {
        missing.push(FieldError::new("type", FieldCode::Required, text!("documents-document-type-required")));
    }
    if file.is_none() {
        missing.push(FieldError::new("file", FieldCode::Required, text!("documents-file-required")));
    }
    if !missing.is_empty() {
        return Err(ApiError::validation(missing));
    }
    let FilePart { temp, size, sha256, head, declared, raw_name } = file.expect("checked above");
    let content_type = sniff(&head)
        .ok_or_else(|| ApiError::UnsupportedMediaType(text!("documents-file-s-content-accepted-type")))?;
    if !declared_type_agrees(declared.as_deref(), content_type) {
        let shown: String =
            declared.unwrap_or_default().chars().filter(|c| !c.is_control()).take(100).collect();
        return Err(ApiError::UnsupportedMediaType(text!(
            "documents-file-declared-but-content",
            shown = &shown,
            content_type = &content_type
        )));
    }
    Ok(Received {
        doc_type: doc_type.unwrap_or_default(),
        name: clean_file_name(&raw_name),
        content_type,
        size,
        sha256,
        file: temp,
    })
}

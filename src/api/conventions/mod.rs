//! A grant's convention: `GET /dossiers/{id}/convention` (the convention and its amendments,
//! with their signatures), each document's PDF (`…/convention/documents/{seq}/pdf`), and the
//! parties' signatures (`POST …/convention/sign`). Drafted by the decisions
//! (`dossiers::convention`).

pub mod dto;
pub mod get;
pub mod letter;
pub mod sign;

use crate::db::conventions::{self, ConventionRow, SignedDocument};
use crate::db::DbConnection;
use crate::domain::ids::DossierId;
use crate::error::{ApiError, ApiResult};
use crate::text;

/// The dossier's convention with its documents (404 when it has none).
pub fn load(
    conn: &mut DbConnection,
    dossier_id: &DossierId,
) -> ApiResult<(ConventionRow, Vec<SignedDocument>)> {
    let convention = conventions::of_dossier(conn, dossier_id)?
        .ok_or_else(|| ApiError::NotFound(text!("not-found-convention")))?;
    let documents = conventions::documents(conn, &convention.id)?;
    Ok((convention, documents))
}

use actix_web::{get, web};

use super::dto::{AnnexLineView, AnnexSchemeView, AnnexView};
use super::READERS;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::{envelopes, sessions, DbConnection};
use crate::domain::access::Caller;
use crate::domain::ids::SessionId;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// The annex the deliberation carries (staff): every proposal on the agenda, in order
/// (beneficiary, SIRET, object, scheme, amount proposed, recommendation, and once voted the
/// outcome), and per scheme the total proposed against what its envelope of the session's
/// year has available.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Session id")),
    responses(
        (status = 200, description = "The annex", body = AnnexView),
        ReadErrors,
    )
)]
#[get("/sessions/{id}/annex")]
pub async fn get_annex(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<AnnexView>> {
    user.require(&READERS)?;
    let id = SessionId::from(id.into_inner());
    Ok(web::Json(state.db(move |conn| annex(conn, &user, &id)).await?))
}

/// The annex of the caller's territory's session `id`.
pub fn annex(conn: &mut DbConnection, caller: &Caller, id: &SessionId) -> ApiResult<AnnexView> {
    let session = sessions::find(conn, &caller.territory, id)?
        .ok_or_else(|| ApiError::NotFound(text!("not-found-session")))?;
    let lines = sessions::annex(conn, &session.id)?;
    let year = chrono::Datelike::year(&session.sits_on);
    let mut schemes: Vec<AnnexSchemeView> = Vec::new();
    for line in &lines {
        match schemes.iter_mut().find(|s| s.scheme_id == line.scheme_id.as_str()) {
            Some(scheme) => scheme.proposed_cents += line.item.proposed_cents,
            None => schemes.push(AnnexSchemeView {
                scheme_id: line.scheme_id.to_string(),
                scheme: line.scheme_name.clone(),
                year,
                proposed_cents: line.item.proposed_cents,
                available_cents: None,
                fits: false,
            }),
        }
    }
    for scheme in &mut schemes {
        let envelope = envelopes::for_year(conn, &caller.territory, &scheme.scheme_id.as_str().into(), year)?;
        scheme.available_cents = envelope.map(|e| e.figures().available_cents());
        scheme.fits = scheme.available_cents.is_some_and(|available| scheme.proposed_cents <= available);
    }
    Ok(AnnexView {
        session_id: session.id.to_string(),
        title: session.title,
        sits_on: session.sits_on,
        total_proposed_cents: lines.iter().map(|l| l.item.proposed_cents).sum(),
        lines: lines
            .into_iter()
            .map(|l| AnnexLineView {
                position: l.item.position,
                dossier_id: l.item.dossier_id.to_string(),
                beneficiary: l.beneficiary,
                siret: l.siret.to_string(),
                object: l.object,
                scheme: l.scheme_name,
                proposed_cents: l.item.proposed_cents,
                recommendation: l.item.recommendation,
                outcome: l.item.outcome,
                voted_cents: l.item.voted_cents,
            })
            .collect(),
        schemes,
    })
}

use actix_web::{post, web, HttpResponse};
use chrono::Datelike;

use super::dto::{DossierView, NewDossier};
use crate::api::common::etag_header;
use crate::api::extract::ApiJson;
use crate::api::openapi::CreateErrors;
use crate::auth::{AuthUser, Role};
use crate::db::dossiers::NewDossierRow;
use crate::db::history::{self, Step};
use crate::db::{calls, new_id, now, organisations, schemes, DbConnection};
use crate::domain::access::Caller;
use crate::domain::ids::{CallId, SchemeId, Siret};
use crate::domain::lifecycle::DossierStatus;
use crate::domain::ProblemCode;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Opens a draft dossier for the applicant's organisation.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    request_body = NewDossier,
    responses(
        (status = 201, description = "Draft created", body = DossierView,
            headers(("Location" = String, description = "URL of the dossier"), ("ETag" = String, description = "Version tag for If-Match"))),
        CreateErrors,
    )
)]
#[post("/dossiers")]
#[tracing::instrument(skip_all, fields(role = ?user.role))]
pub async fn create_dossier(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewDossier>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    // The token's SIRET; one that does not parse names no registered organisation.
    let siret = Siret::parse(user.applicant_siret()?).ok();
    let body = body.into_inner()?;
    let content = body.content();
    content.validate_fields(chrono::Utc::now().date_naive()).map_err(ApiError::validation)?;
    let scheme_id = SchemeId::from(body.scheme_id);
    let call_id = body.call_id.map(CallId::from);
    let actor = user.clone();
    let row = state
        .write(move |conn| {
            let registered = match &siret {
                Some(siret) => organisations::find_by_siret(conn, &actor.territory, siret)?,
                None => None,
            };
            let organisation = registered.ok_or_else(|| {
                ApiError::conflict(
                    ProblemCode::OrganisationNotRegistered,
                    text!("dossiers-register-your-organisation-post-api"),
                )
            })?;
            if schemes::find(conn, &actor.territory, &scheme_id)?.is_none() {
                return Err(ApiError::validation(vec![FieldError::new(
                    "scheme_id",
                    FieldCode::Unknown,
                    text!("dossiers-scheme-id-names-no-scheme"),
                )]));
            }
            let at = now();
            if let Some(call_id) = &call_id {
                answerable_call(conn, &actor, call_id, &scheme_id, at)?;
            }
            let row = crate::db::dossiers::insert(
                conn,
                &NewDossierRow {
                    id: new_id().into(),
                    territory: actor.territory.clone(),
                    scheme_id: scheme_id.clone(),
                    organisation_id: organisation.id,
                    status: DossierStatus::Draft,
                    content: content.clone().into(),
                    year: at.year(),
                    call_id: call_id.clone(),
                    created_by: actor.sub.clone(),
                    created_at: at,
                    updated_at: at,
                },
            )?;
            history::append(
                conn,
                Step {
                    dossier_id: &row.id,
                    actor: &actor,
                    at,
                    from: None,
                    to: row.status,
                    comment: None,
                    internal_note: None,
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/dossiers/{}", row.id)))
        .insert_header(etag_header(row.version))
        .json(DossierView::for_user(row, &user)))
}

/// The call a new dossier answers: one of the territory's, of the dossier's scheme (422 at
/// `call_id` otherwise), not closed (409 `call_closed`).
fn answerable_call(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &CallId,
    scheme_id: &SchemeId,
    at: chrono::NaiveDateTime,
) -> ApiResult<()> {
    let call = calls::find(conn, &caller.territory, id)?.ok_or_else(|| {
        ApiError::validation(vec![FieldError::new(
            "call_id",
            FieldCode::Unknown,
            text!("calls-id-names-no-call"),
        )])
    })?;
    if call.scheme_id != *scheme_id {
        return Err(ApiError::validation(vec![FieldError::new(
            "call_id",
            FieldCode::NotApplicable,
            text!("calls-of-another-scheme"),
        )]));
    }
    call.window().takes_drafts_at(at).map_err(|(code, detail)| ApiError::conflict(code, detail))
}

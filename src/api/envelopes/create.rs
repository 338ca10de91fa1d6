use actix_web::{post, web, HttpResponse};

use super::dto::{EnvelopeView, NewEnvelope};
use super::WRITERS;
use crate::api::common::{etag_header, require_territory};
use crate::api::extract::{rule_errors, ApiJson};
use crate::api::openapi::CreateErrors;
use crate::auth::AuthUser;
use crate::db::envelopes::{self, EnvelopeRow};
use crate::db::{new_id, now, schemes};
use crate::domain::money::check_year;
use crate::domain::ProblemCode;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult, RefusalFigures};
use crate::state::AppState;
use crate::text;

/// Opens a scheme's envelope for a year (finance, admin): one per scheme and year.
#[utoipa::path(
    tag = "money",
    security(("bearer" = [])),
    request_body = NewEnvelope,
    responses(
        (status = 201, description = "Opened", body = EnvelopeView,
            headers(("Location" = String, description = "URL of the envelope"), ("ETag" = String, description = "Version tag for If-Match"))),
        CreateErrors,
    )
)]
#[post("/envelopes")]
#[tracing::instrument(skip_all, fields(role = ?user.role))]
pub async fn create_envelope(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewEnvelope>,
) -> ApiResult<HttpResponse> {
    user.require(&WRITERS)?;
    let body = body.into_inner()?;
    let mut errors = Vec::new();
    check_year(&mut errors, "year", body.year);
    errors.extend(rule_errors(&body));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let at = now();
    let row = EnvelopeRow {
        id: new_id().into(),
        territory: user.territory.clone(),
        scheme_id: body.scheme_id.into(),
        year: body.year,
        label: body.label.map(|l| l.trim().to_string()),
        amount_cents: body.amount_cents,
        reserved_cents: 0,
        committed_cents: 0,
        disbursed_cents: 0,
        version: 1,
        created_by: user.sub.clone(),
        created_at: at,
        updated_at: at,
    };
    let row = state
        .write(move |conn| {
            require_territory(conn, &row.territory)?;
            if schemes::find(conn, &row.territory, &row.scheme_id)?.is_none() {
                return Err(ApiError::validation(vec![FieldError::new(
                    "scheme_id",
                    FieldCode::Unknown,
                    text!("dossiers-scheme-id-names-no-scheme"),
                )]));
            }
            if let Some(existing) = envelopes::for_year(conn, &row.territory, &row.scheme_id, row.year)? {
                return Err(ApiError::refused(
                    ProblemCode::EnvelopeExists,
                    text!("money-scheme-already-has-envelope", year = &row.year, id = &existing.id),
                    RefusalFigures { amount_cents: Some(existing.amount_cents), ..RefusalFigures::default() },
                ));
            }
            envelopes::insert(conn, &row)?;
            Ok(row.clone())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/envelopes/{}", row.id)))
        .insert_header(etag_header(row.version))
        .json(EnvelopeView::from(row)))
}

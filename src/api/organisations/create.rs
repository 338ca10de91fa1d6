use actix_web::{post, web, HttpResponse};

use super::dto::{NewOrganisation, OrganisationView};
use crate::api::common::{etag_header, require_territory};
use crate::api::extract::ApiJson;
use crate::api::openapi::CreateErrors;
use crate::auth::{AuthUser, Role};
use crate::db::organisation_history;
use crate::db::organisations::{self, OrganisationRow};
use crate::db::{new_id, now};
use crate::domain::ids::Siret;
use crate::domain::ProblemCode;
use crate::domain::{FieldCode, FieldError};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Registers the applicant's organisation in the caller's territory. The SIRET must be the one
/// the applicant's token names, and is unique in the territory. The registration is the first
/// entry of the organisation's history.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = NewOrganisation,
    responses(
        (status = 201, description = "Registered", body = OrganisationView,
            headers(("Location" = String, description = "URL of the organisation"), ("ETag" = String, description = "Version tag for If-Match"))),
        CreateErrors,
    )
)]
#[post("/organisations")]
#[tracing::instrument(skip_all, fields(role = ?user.role))]
pub async fn create_organisation(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewOrganisation>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    let claimed = user.applicant_siret()?.to_string();
    let org = body.into_inner()?.into_domain();
    org.validate(chrono::Utc::now().date_naive()).map_err(ApiError::validation)?;
    if org.siret != claimed {
        return Err(ApiError::validation(vec![FieldError::new(
            "siret",
            FieldCode::NotYours,
            text!("organisations-siret-siret-organisation-your-token"),
        )]));
    }
    // `validate` accepted the SIRET, so it parses: typed from here on.
    let siret = Siret::parse(&org.siret)
        .map_err(|code| ApiError::internal("a validated SIRET", crate::domain::Code::as_str(code)))?;
    let row =
        OrganisationRow::new(new_id().into(), user.territory.clone(), siret, &org, user.sub.clone(), now());
    let actor = user.clone();
    let row = state
        .write(move |conn| {
            require_territory(conn, &row.territory)?;
            if organisations::find_by_siret(conn, &row.territory, &row.siret)?.is_some() {
                return Err(ApiError::conflict(
                    ProblemCode::OrganisationExists,
                    text!("organisations-organisation-siret-already-registered-territory"),
                ));
            }
            organisations::insert(conn, &row)?;
            organisation_history::record(conn, &row, None, &actor, row.created_at)?;
            Ok(row.clone())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/organisations/{}", row.id)))
        .insert_header(etag_header(row.version))
        .json(OrganisationView::from(row)))
}

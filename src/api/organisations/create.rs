use actix_web::{post, web, HttpResponse};
use diesel::prelude::*;

use super::dto::{store_into, NewOrganisation, OrganisationView};
use crate::api::common::{etag_header, new_id, now, require_territory};
use crate::api::extract::ApiJson;
use crate::auth::{AuthUser, Role};
use crate::db::models::OrganisationRow;
use crate::db::schema::organisations;
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Registers the applicant's organisation in the caller's territory. The SIRET must be the one
/// the applicant's token names, and is unique in the territory.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    request_body = NewOrganisation,
    responses(
        (status = 201, description = "Registered", body = OrganisationView,
            headers(("Location" = String, description = "URL of the organisation"), ("ETag" = String, description = "Version tag for If-Match"))),
        (status = 400, response = crate::api::openapi::BadRequest),
        (status = 401, response = crate::api::openapi::Unauthorized),
        (status = 403, response = crate::api::openapi::Forbidden),
        (status = 409, response = crate::api::openapi::Conflict),
        (status = 413, response = crate::api::openapi::PayloadTooLarge),
        (status = 415, response = crate::api::openapi::UnsupportedMediaType),
        (status = 422, response = crate::api::openapi::UnprocessableContent),
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewOrganisation>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Applicant])?;
    let claimed = user.applicant_siret()?.to_string();
    let org = body.into_inner()?.into_domain();
    let today = chrono::Utc::now().date_naive();
    org.validate(today).map_err(ApiError::validation)?;
    if org.siret != claimed {
        return Err(ApiError::validation(vec![FieldError::new(
            "siret",
            "not_yours",
            "siret must be the SIRET of the organisation your token names",
        )]));
    }
    let at = now();
    let mut row = OrganisationRow {
        id: new_id(),
        territory: user.territory.clone(),
        siret: org.siret.clone(),
        name: String::new(),
        legal_form: String::new(),
        esus_approved_on: None,
        rna: None,
        address_line: String::new(),
        postal_code: String::new(),
        city: String::new(),
        commune_code: String::new(),
        market_activity: None,
        salaried_staff_fte: 0.0,
        accounts_year: None,
        operating_revenue_cents: None,
        sales_revenue_cents: None,
        operating_costs_cents: None,
        de_minimis_aids: None,
        version: 1,
        created_by: user.sub.clone(),
        created_at: at,
        updated_at: at,
    };
    store_into(&mut row, &org)?;
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                require_territory(conn, &row.territory)?;
                if OrganisationRow::find_by_siret(conn, &row.territory, &row.siret)?.is_some() {
                    return Err(ApiError::Conflict(
                        "An organisation with this SIRET is already registered in this territory.".into(),
                    ));
                }
                diesel::insert_into(organisations::table).values(&row).execute(conn)?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/organisations/{}", row.id)))
        .insert_header(etag_header(row.version))
        .json(OrganisationView::try_from(row)?))
}

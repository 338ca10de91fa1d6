use actix_web::{get, web};

use super::dto::OrganisationHistoryEntryView;
use crate::api::openapi::ReadErrors;
use crate::auth::AuthUser;
use crate::db::{organisation_history, organisations};
use crate::error::ApiResult;
use crate::state::AppState;

/// The organisation's history, oldest first: its registration (every declared field, from null)
/// and each update, with who, role, when and each field it changed, before and after. Entry
/// `seq` made version `seq` of the organisation; an update that changed nothing is an entry with
/// no changes. Append-only. For staff and the organisation's own applicants.
#[utoipa::path(
    tag = "organisations",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "Every recorded edit", body = Vec<OrganisationHistoryEntryView>),
        ReadErrors,
    )
)]
#[get("/organisations/{id}/history")]
pub async fn get_organisation_history(
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
) -> ApiResult<web::Json<Vec<OrganisationHistoryEntryView>>> {
    let id = crate::domain::ids::OrganisationId::from(id.into_inner());
    let rows = state
        .db(move |conn| {
            let organisation = organisations::visible(conn, &user, &id)?;
            Ok(organisation_history::of_organisation(conn, &organisation.id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(OrganisationHistoryEntryView::from).collect()))
}

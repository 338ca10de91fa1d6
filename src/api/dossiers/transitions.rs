//! The instruction transitions: each its own endpoint, all through [`perform`].

use actix_web::{post, web, HttpRequest, HttpResponse};

use super::dto::{DossierView, TransitionRequest};
use super::transition::{perform, TransitionEffects};
use crate::api::common::{etag_header, IfMatch};
use crate::api::extract::ApiJsonOrEmpty;
use crate::auth::AuthUser;
use crate::domain::lifecycle::Transition;
use crate::error::ApiResult;
use crate::state::AppState;

/// Runs a transition whose only effect is the status change (and, for review, the assignment).
async fn run(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: uuid::Uuid,
    body: ApiJsonOrEmpty<TransitionRequest>,
    transition: Transition,
) -> ApiResult<HttpResponse> {
    user.require(transition.allowed_roles())?;
    let request = body.into_inner()?;
    request.validate(&user, transition)?;
    let if_match = IfMatch::from_request(&req)?;
    let id = id.to_string();
    let actor = user.clone();
    let row = state
        .db(move |conn| {
            crate::db::write_transaction(conn, |conn| {
                perform(conn, &actor, &id, transition, &request, &if_match, |_, _| {
                    Ok(TransitionEffects {
                        assigned_instructor: (transition == Transition::Review).then(|| actor.sub.clone()),
                        ..TransitionEffects::default()
                    })
                })
            })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag_header(row.version)).json(DossierView::for_user(row, &user)?))
}

/// Takes a submitted dossier for review (instructors); the caller becomes its instructor.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    request_body(content = Option<TransitionRequest>, description = "Optional comment and internal note"),
    responses(
        (status = 200, description = "Under review", body = DossierView, headers(("ETag" = String, description = "The new version tag"))),
        crate::api::openapi::TransitionErrors,
    )
)]
#[post("/dossiers/{id}/review")]
pub async fn review_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJsonOrEmpty<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    run(req, user, state, id.into_inner(), body, Transition::Review).await
}

/// Sends a submitted or reviewed dossier back to its applicant for changes (instructors). The
/// comment, shown to the applicant, is required.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    request_body(content = TransitionRequest, description = "What to change (comment required)"),
    responses(
        (status = 200, description = "Changes requested", body = DossierView, headers(("ETag" = String, description = "The new version tag"))),
        crate::api::openapi::TransitionErrors,
    )
)]
#[post("/dossiers/{id}/request-changes")]
pub async fn request_changes(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJsonOrEmpty<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    run(req, user, state, id.into_inner(), body, Transition::RequestChanges).await
}

/// Withdraws a dossier not yet under review (its applicant).
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    request_body(content = Option<TransitionRequest>, description = "Optional comment"),
    responses(
        (status = 200, description = "Withdrawn", body = DossierView, headers(("ETag" = String, description = "The new version tag"))),
        crate::api::openapi::TransitionErrors,
    )
)]
#[post("/dossiers/{id}/withdraw")]
pub async fn withdraw_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJsonOrEmpty<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    run(req, user, state, id.into_inner(), body, Transition::Withdraw).await
}

/// Rejects a dossier under review (instructors): it does not meet the scheme's conditions.
/// The comment, shown to the applicant, is required.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    request_body(content = TransitionRequest, description = "Why (comment required)"),
    responses(
        (status = 200, description = "Rejected", body = DossierView, headers(("ETag" = String, description = "The new version tag"))),
        crate::api::openapi::TransitionErrors,
    )
)]
#[post("/dossiers/{id}/reject")]
pub async fn reject_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJsonOrEmpty<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    run(req, user, state, id.into_inner(), body, Transition::Reject).await
}

/// Dismisses a dossier under review without a decision on the merits (instructors): out of
/// scope, duplicate, abandoned. The comment, shown to the applicant, is required.
#[utoipa::path(
    tag = "dossiers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Dossier id"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
    request_body(content = TransitionRequest, description = "Why (comment required)"),
    responses(
        (status = 200, description = "Dismissed", body = DossierView, headers(("ETag" = String, description = "The new version tag"))),
        crate::api::openapi::TransitionErrors,
    )
)]
#[post("/dossiers/{id}/dismiss")]
pub async fn dismiss_dossier(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    id: web::Path<uuid::Uuid>,
    body: ApiJsonOrEmpty<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    run(req, user, state, id.into_inner(), body, Transition::Dismiss).await
}

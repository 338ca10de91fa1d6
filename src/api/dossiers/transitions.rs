//! The lifecycle endpoints, one line of the table each: `POST /dossiers/{id}/<action>`, all
//! through [`run`](super::transition::run). What a transition checks besides its status and
//! role lives in its own file (`submit.rs`).

use actix_web::{post, web, HttpRequest, HttpResponse};

use super::dto::{ApplicantComment, DossierView, Reason, StaffComment};
use super::transition::run;
use crate::api::extract::{ApiJsonOrEmpty, DossierPath};
use crate::api::openapi::TransitionErrors;
use crate::auth::AuthUser;
use crate::domain::lifecycle::Transition;
use crate::error::ApiResult;
use crate::state::AppState;

/// For each line: the handler's doc (the operation's description), its name, the transition,
/// the route, the documented body and what 200 means.
macro_rules! transition_endpoints {
    ($(
        $(#[doc = $doc:tt])*
        $handler:ident: $transition:ident at $path:tt,
            body $body:ident [$($documented:tt)+] $body_description:tt,
            ok $ok:tt;
    )+) => {$(
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = "dossiers",
            security(("bearer" = [])),
            params(DossierPath,
                ("If-Match" = Option<String>, Header, nullable = false, description = "Optional: the ETag last read")),
            request_body(content = $($documented)+, description = $body_description),
            responses(
                (status = 200, description = $ok, body = DossierView,
                    headers(("ETag" = String, description = "The new version tag"))),
                TransitionErrors,
            )
        )]
        #[post($path)]
        pub async fn $handler(
            req: HttpRequest,
            user: AuthUser,
            state: web::Data<AppState>,
            dossier: DossierPath,
            body: ApiJsonOrEmpty<$body>,
        ) -> ApiResult<HttpResponse> {
            run(req, user, state, dossier, body, Transition::$transition).await
        }
    )+};
}

transition_endpoints! {
    /// Submits a draft (or a dossier with changes requested) for instruction. Checks completeness
    /// and lists every missing or invalid field. The first submission fixes the rules version the
    /// dossier is judged by: the one in force on that day.
    submit_dossier: Submit at "/dossiers/{id}/submit",
        body ApplicantComment [Option<ApplicantComment>] "Optional comment",
        ok "Submitted";

    /// Takes a submitted dossier for review (instructors); the caller becomes its instructor.
    review_dossier: Review at "/dossiers/{id}/review",
        body StaffComment [Option<StaffComment>] "Optional comment and internal note",
        ok "Under review";

    /// Sends a submitted or reviewed dossier back to its applicant for changes (instructors). The
    /// comment, shown to the applicant, is required.
    request_changes: RequestChanges at "/dossiers/{id}/request-changes",
        body Reason [Reason] "What to change (comment required)",
        ok "Changes requested";

    /// Withdraws a dossier not yet under review (its applicant).
    withdraw_dossier: Withdraw at "/dossiers/{id}/withdraw",
        body ApplicantComment [Option<ApplicantComment>] "Optional comment",
        ok "Withdrawn";

    /// Rejects a dossier under review (instructors): it does not meet the scheme's conditions.
    /// The comment, shown to the applicant, is required.
    reject_dossier: Reject at "/dossiers/{id}/reject",
        body Reason [Reason] "Why (comment required)",
        ok "Rejected";

    /// Dismisses a dossier under review without a decision on the merits (instructors): out of
    /// scope, duplicate, abandoned. The comment, shown to the applicant, is required.
    dismiss_dossier: Dismiss at "/dossiers/{id}/dismiss",
        body Reason [Reason] "Why (comment required)",
        ok "Dismissed";
}

use actix_web::{post, web, HttpRequest};

use super::dto::{NotificationView, ReceptionRequest};
use crate::api::extract::{check_rules, ApiJson, DossierPath};
use crate::api::letters::path_uuid;
use crate::api::openapi::TransitionErrors;
use crate::auth::AuthUser;
use crate::db::history::{self, Step};
use crate::db::notifications::{self, ReceptionRow};
use crate::db::now;
use crate::domain::access::Role;
use crate::domain::ids::NotificationId;
use crate::domain::notification::{appeal_until, notification_label};
use crate::domain::procedure::paris_date;
use crate::domain::{Arg, FieldCode, FieldError, ProblemCode};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Records the day the applicant received the notification (instructors, admins): once. It
/// starts the appeal period, whose last day is computed (two clear months, to the next working
/// day) and shown with the notification and, for the dossier's latest decision, on the dossier
/// (`notified_on`, `appeal_until`). A second record is 409 `already_notified`; a day before the
/// notification was issued is 422 `before_issue`, after today 422.
#[utoipa::path(
    tag = "procedure",
    security(("bearer" = [])),
    params(DossierPath, ("notification_id" = uuid::Uuid, Path, description = "Notification id")),
    request_body = ReceptionRequest,
    responses(
        (status = 200, description = "Recorded", body = NotificationView),
        TransitionErrors,
    )
)]
#[post("/dossiers/{id}/notifications/{notification_id}/reception")]
pub async fn record_reception(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    dossier: DossierPath,
    body: ApiJson<ReceptionRequest>,
) -> ApiResult<web::Json<NotificationView>> {
    user.require(&[Role::Instructor, Role::Admin])?;
    let id = NotificationId::from(path_uuid(&req, "notification_id")?);
    let body = body.into_inner()?;
    let view = state
        .write(move |conn| {
            let dossier = dossier.load_to_change(conn, &user)?;
            let (row, _, reception) = notifications::find(conn, &dossier.id, &id)?
                .ok_or_else(|| ApiError::NotFound(text!("not-found-notification")))?;
            if let Some(reception) = reception {
                return Err(already(reception.notified_on));
            }
            // The date's rules once the notification is known (an unknown one is 404 first).
            check_rules(&body)?;
            let issued_on = paris_date(row.issued_at);
            if body.notified_on < issued_on {
                return Err(ApiError::validation(vec![FieldError::new(
                    "notified_on",
                    FieldCode::BeforeIssue,
                    text!("notifications-received-before-issue", day = Arg::Date(issued_on)),
                )]));
            }
            let at = now();
            let reception = ReceptionRow {
                notification_id: row.id.clone(),
                dossier_id: dossier.id.clone(),
                notified_on: body.notified_on,
                appeal_until: appeal_until(body.notified_on),
                recorded_by: user.sub.clone(),
                recorded_at: at,
            };
            let latest = notifications::latest_id(conn, &dossier.id)?.as_ref() == Some(&row.id);
            if !notifications::record_reception(conn, &reception, latest)? {
                return Err(already(body.notified_on));
            }
            history::append(
                conn,
                Step {
                    dossier_id: &dossier.id,
                    actor: &user,
                    at,
                    from: Some(dossier.status),
                    to: dossier.status,
                    comment: Some(
                        text!(
                            "history-notification-received",
                            number = notification_label(row.year, row.number),
                            notified_on = Arg::Date(reception.notified_on),
                            appeal_until = Arg::Date(reception.appeal_until)
                        )
                        .stored(),
                    ),
                    internal_note: None,
                },
            )?;
            let found = notifications::find(conn, &dossier.id, &id)?
                .ok_or_else(|| ApiError::internal("notification reception", "the notification vanished"))?;
            Ok(NotificationView::from(found))
        })
        .await?;
    Ok(web::Json(view))
}

fn already(notified_on: chrono::NaiveDate) -> ApiError {
    ApiError::conflict(
        ProblemCode::AlreadyNotified,
        text!("notifications-already-received", notified_on = Arg::Date(notified_on)),
    )
}

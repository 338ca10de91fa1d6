use actix_web::{post, web, HttpResponse};

use super::dto::{FromTemplate, NewRulesVersion, NewScheme, SchemeView};
use crate::api::common::require_territory;
use crate::api::extract::ApiJson;
use crate::api::openapi::CreateErrors;
use crate::auth::{AuthUser, Role};
use crate::db::schemes::{self, RulesVersionRow, SchemeRow};
use crate::db::types::Json;
use crate::db::{new_id, now};
use crate::domain::rules;
use crate::domain::ProblemCode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;

/// Creates a scheme in the caller's territory (admins), optionally with its first rules version
/// from a template (DI-ESS, DL-ESS).
#[utoipa::path(
    tag = "schemes",
    security(("bearer" = [])),
    request_body = NewScheme,
    responses(
        (status = 201, description = "Created; `Location` names it", body = SchemeView,
            headers(("Location" = String, description = "URL of the new scheme"))),
        CreateErrors,
    )
)]
#[post("/schemes")]
#[tracing::instrument(skip_all, fields(role = ?user.role))]
pub async fn create_scheme(
    user: AuthUser,
    state: web::Data<AppState>,
    body: ApiJson<NewScheme>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let body = body.into_inner()?;
    body.validate()?;
    let template = body.from_template.as_ref().map(|t| t.template.as_str().to_string());
    let description = match (&body.from_template, body.description.trim()) {
        (Some(t), "") => {
            rules::template_scheme(t.template.as_str()).map(|(_, d)| d.to_string()).unwrap_or_default()
        }
        (_, given) => given.to_string(),
    };
    let row = SchemeRow {
        id: new_id().into(),
        territory: user.territory.clone(),
        code: body.code,
        name: body.name.trim().to_string(),
        description,
        template,
        created_by: user.sub.clone(),
        created_at: now(),
    };
    let first_rules = match body.from_template {
        None => None,
        Some(t) => Some(template_rules(&row, &user, t)?),
    };
    let row = state
        .write(move |conn| {
            require_territory(conn, &row.territory)?;
            if schemes::code_taken(conn, &row.territory, &row.code)? {
                return Err(ApiError::conflict(
                    ProblemCode::SchemeExists,
                    text!("rules-scheme-code-already-exists-territory", code = &row.code),
                ));
            }
            schemes::insert(conn, &row)?;
            if let Some(rules) = &first_rules {
                schemes::insert_rules_version(conn, rules)?;
            }
            Ok(row.clone())
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/schemes/{}", row.id)))
        .json(SchemeView::from(row)))
}

/// The first rules version of a scheme created from a template, validated like any other.
fn template_rules(scheme: &SchemeRow, user: &AuthUser, t: FromTemplate) -> ApiResult<RulesVersionRow> {
    let parameters = rules::template(t.template.as_str(), t.commune_codes)
        .ok_or_else(|| ApiError::internal("template", "unknown template code"))?;
    let version = NewRulesVersion { effective_from: t.effective_from, parameters, comment: None };
    version.validate().map_err(|e| match e {
        // Report the commune codes under the field the client sent.
        ApiError::Validation { errors, .. } => ApiError::validation(
            errors
                .into_iter()
                .map(|mut fe| {
                    fe.field = fe
                        .field
                        .replace("parameters.territory.commune_codes", "from_template.commune_codes")
                        .replace("effective_from", "from_template.effective_from");
                    fe
                })
                .collect(),
        ),
        other => other,
    })?;
    Ok(RulesVersionRow {
        id: new_id().into(),
        scheme_id: scheme.id.clone(),
        effective_from: version.effective_from,
        parameters: Json(version.parameters),
        comment: Some(format!(
            "Created from the {} template: default figures, to be set by the territory's deliberation.",
            t.template.as_str()
        )),
        created_by: user.sub.clone(),
        created_at: now(),
    })
}

//! The HTTP surface: the one route table, and how actix's own errors become problem+json.

pub mod assessments;
pub mod calls;
pub mod common;
pub mod conventions;
pub mod disbursements;
pub mod documents;
pub mod dossiers;
pub mod eligibility;
pub mod envelopes;
pub mod exports;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod imports;
pub mod language;
pub mod letters;
pub mod notifications;
pub mod openapi;
pub mod organisations;
pub mod receipts;
pub mod schemes;
pub mod sessions;
pub mod tables;
pub mod territory;

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpRequest, HttpResponse};
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};

use crate::domain::Lang;
use crate::error::{ApiError, PROBLEM_JSON};
use crate::text;

/// Every endpoint of Essor, in one screen.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health::live).service(health::ready).service(
        scope::scope("/api/v1")
            .service(territory::get::get_territory)
            .service(territory::update::update_territory)
            .service(schemes::list::list_schemes)
            .service(schemes::create::create_scheme)
            .service(schemes::get::get_scheme)
            .service(schemes::list_rules::list_rules)
            .service(schemes::create_rules::create_rules)
            .service(organisations::list::list_organisations)
            .service(organisations::create::create_organisation)
            .service(organisations::get::get_organisation)
            .service(organisations::update::update_organisation)
            .service(organisations::history::get_organisation_history)
            .service(dossiers::list::list_dossiers)
            .service(dossiers::create::create_dossier)
            .service(dossiers::get::get_dossier)
            .service(dossiers::update::update_dossier)
            .service(dossiers::history::get_history)
            .service(dossiers::organisation_changes::get_organisation_changes)
            .service(dossiers::transitions::submit_dossier)
            .service(dossiers::transitions::review_dossier)
            .service(dossiers::transitions::request_changes)
            .service(dossiers::transitions::withdraw_dossier)
            .service(dossiers::transitions::reject_dossier)
            .service(dossiers::transitions::dismiss_dossier)
            .service(dossiers::approve::approve_dossier)
            .service(dossiers::amend::amend_dossier)
            .service(dossiers::cancel::cancel_dossier)
            .service(receipts::list::list_receipts)
            .service(receipts::letter::receipt_letter)
            .service(notifications::list::list_notifications)
            .service(notifications::letter::notification_letter)
            .service(notifications::reception::record_reception)
            .service(conventions::get::get_convention)
            .service(conventions::letter::convention_letter)
            .service(conventions::sign::sign_convention)
            .service(calls::list::list_calls)
            .service(calls::create::create_call)
            .service(calls::get::get_call)
            .service(sessions::list::list_sessions)
            .service(sessions::create::create_session)
            .service(sessions::get::get_session)
            .service(sessions::add_item::add_item)
            .service(sessions::close_agenda::close_agenda)
            .service(sessions::annex::get_annex)
            .service(sessions::annex_pdf::annex_pdf)
            .service(dossiers::deliberation::record_deliberation)
            .service(documents::upload::upload_document)
            .service(documents::list::list_documents)
            .service(documents::download::download_document)
            .service(documents::delete::delete_document)
            .service(eligibility::get::get_eligibility)
            .service(eligibility::record::record_eligibility)
            .service(assessments::put::put_assessment)
            .service(assessments::list::list_assessments)
            .service(envelopes::list::list_envelopes)
            .service(envelopes::create::create_envelope)
            .service(envelopes::get::get_envelope)
            .service(envelopes::update::update_envelope)
            .service(envelopes::reserve::reserve)
            .service(envelopes::unreserve::unreserve)
            .service(envelopes::movements::list_movements)
            .service(disbursements::request::request_disbursement)
            .service(disbursements::of_dossier::list_dossier_disbursements)
            .service(disbursements::list::list_disbursements)
            .service(disbursements::pay::pay_disbursement)
            .service(disbursements::refuse::refuse_disbursement)
            .service(exports::annual_totals::annual_totals)
            .service(exports::period_totals::period_totals)
            .service(exports::grants::export_grants)
            .service(exports::scdl::export_scdl)
            .service(imports::scdl_subventions::import_scdl_subventions),
    );
}

/// The OpenAPI document, generated from the route table and the handlers' annotations.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) =
        App::new().into_utoipa_app().openapi(openapi::BaseDoc::openapi()).configure(routes).split_for_parts();
    // Runs once every schema of the routes is in the document.
    utoipa::Modify::modify(&openapi::TextPatterns, &mut api);
    utoipa::Modify::modify(&openapi::ClosedTaggedVariants, &mut api);
    utoipa::Modify::modify(&openapi::UniqueLists, &mut api);
    utoipa::Modify::modify(&openapi::RulesVariants, &mut api);
    utoipa::Modify::modify(&openapi::Languages, &mut api);
    api
}

/// The document as served and committed: pretty JSON with a final newline.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().expect("the OpenAPI document serialises");
    json.push('\n');
    json
}

/// Path templates and their methods, taken from the OpenAPI document, to tell an unknown
/// route (404) from a known route with the wrong method (405 with `Allow`).
#[derive(Debug, Clone)]
pub struct KnownRoutes(Vec<(Vec<String>, Vec<Method>)>);

impl KnownRoutes {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.trim_matches('/').split('/').map(str::to_string).collect();
                let mut methods: Vec<Method> = Vec::new();
                let ops = [
                    (Method::GET, item.get.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                ];
                for (m, present) in ops {
                    if present {
                        methods.push(m);
                    }
                }
                if methods.contains(&Method::GET) {
                    methods.push(Method::HEAD);
                }
                (segments, methods)
            })
            .collect();
        Self(routes)
    }

    fn allowed(&self, path: &str) -> Option<&[Method]> {
        let wanted: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.0
            .iter()
            .find(|(segments, _)| {
                segments.len() == wanted.len()
                    && segments
                        .iter()
                        .zip(&wanted)
                        .all(|(s, w)| (s.starts_with('{') && !w.is_empty()) || s == w)
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

/// Answers requests that matched no route: 405 with `Allow` for a known path, else 404.
pub async fn no_route(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let allowed = req
        .app_data::<web::Data<KnownRoutes>>()
        .and_then(|known| known.allowed(req.path()).map(<[Method]>::to_vec));
    match allowed {
        Some(methods) if !methods.contains(req.method()) => {
            let allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
            Err(ApiError::MethodNotAllowed { allow: allow.join(", ") })
        }
        _ => Err(ApiError::NotFound(extract::no_resource_at(req.path()))),
    }
}

/// Query strings that do not parse are 400 problems.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| extract::query_error(&err).into())
}

/// A path segment that does not parse (e.g. a malformed id) names nothing: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default()
        .error_handler(|_, req| ApiError::NotFound(extract::no_resource_at(req.path())).into())
}

/// Every error response leaves here as problem+json in the language the request negotiated
/// (`Accept-Language`, see [`language`]). A problem raised as an [`ApiError`] (rendered in the
/// default language by `error_response`, which cannot see the request) is rendered again in the
/// request's language; any other error response (an actix internal error, a panic caught by the
/// runtime) is replaced by a problem with no internals: the last line of defence.
pub fn problem_safety_net<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(|res: ServiceResponse<B>| {
        let lang = language::of_request(res.request());
        let is_problem =
            res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
        if is_problem {
            let raised = res.response().error().and_then(|e| e.as_error::<ApiError>());
            let again = match raised {
                Some(error) if lang != Lang::default() => Some(error.problem_response(lang)),
                _ => None,
            };
            let Some(mut problem) = again else {
                return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
            };
            *problem.status_mut() = res.status();
            for (name, value) in res.headers() {
                if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                    problem.headers_mut().insert(name.clone(), value.clone());
                }
            }
            let (req, _) = res.into_parts();
            let res = ServiceResponse::new(req, problem.map_into_boxed_body()).map_into_right_body();
            return Ok(ErrorHandlerResponse::Response(res));
        }
        let status = res.status();
        let error = match status {
            StatusCode::NOT_FOUND => ApiError::NotFound(text!("not-found-row")),
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(text!("requests-body-too-large")),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::UnsupportedMediaType(text!("requests-send-body-application-json"))
            }
            s if s.is_client_error() => {
                ApiError::bad_request(text!("requests-client-error", status = s.as_u16()))
            }

            s => ApiError::internal("error response", format!("unhandled status {s}")),
        };
        if let ApiError::Internal(cause) = &error {
            tracing::error!(cause = %cause, "request failed");
        }
        let mut problem = error.problem_response(lang);
        *problem.status_mut() =
            if status.is_server_error() { StatusCode::INTERNAL_SERVER_ERROR } else { status };
        let (req, _) = res.into_parts();
        let res = ServiceResponse::new(req, problem.map_into_boxed_body()).map_into_right_body();
        Ok(ErrorHandlerResponse::Response(res))
    })
}

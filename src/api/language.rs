//! The reader's language at the HTTP boundary: `Accept-Language` is negotiated once per request
//! ([`Lang::negotiate`]); handlers take it as an extractor, problems are rendered in it
//! ([`super::problem_safety_net`]), and every response says it in `Content-Language` (with
//! `Vary: Accept-Language`).

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::dev::{forward_ready, Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::domain::Lang;

/// The language of a request: the one the middleware negotiated, or negotiated now (a request
/// that did not go through it, as in unit tests).
pub fn of_request(req: &HttpRequest) -> Lang {
    if let Some(lang) = req.extensions().get::<Lang>() {
        return *lang;
    }
    negotiate(req.headers())
}

fn negotiate(headers: &header::HeaderMap) -> Lang {
    // Several Accept-Language fields make one list (RFC 9110 §5.3); a value that is not
    // visible ASCII is malformed: the default.
    let mut values = headers.get_all(header::ACCEPT_LANGUAGE);
    match (values.next(), values.next()) {
        (None, _) => Lang::default(),
        (Some(one), None) => Lang::negotiate(one.to_str().ok()),
        (Some(first), Some(second)) => {
            let joined: Option<Vec<&str>> =
                [first, second].into_iter().chain(values).map(|v| v.to_str().ok()).collect();
            Lang::negotiate(joined.map(|parts| parts.join(",")).as_deref())
        }
    }
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(of_request(req)))
    }
}

/// The documents served for developers (Swagger UI, the OpenAPI document) are in English
/// whatever was asked.
fn is_english_only(path: &str) -> bool {
    path == "/docs" || path.starts_with("/docs/") || path.starts_with("/api-docs/")
}

/// Negotiates the language of each request (kept in its extensions for the extractor and the
/// problem renderer) and says it in `Content-Language` on the response, with
/// `Vary: Accept-Language`.
pub struct Language;

impl<S, B> Transform<S, ServiceRequest> for Language
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = LanguageMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(LanguageMiddleware { service: Rc::new(service) }))
    }
}

pub struct LanguageMiddleware<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for LanguageMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let english_only = is_english_only(req.path());
        let lang = if english_only { Lang::En } else { negotiate(req.headers()) };
        req.extensions_mut().insert(lang);
        let fut = self.service.call(req);
        Box::pin(async move {
            let mut res = fut.await?;
            let headers = res.headers_mut();
            headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.tag()));
            if !english_only {
                headers.append(header::VARY, HeaderValue::from_static("accept-language"));
            }
            Ok(res)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_request_language_comes_from_every_accept_language_field() {
        let lang = |req: TestRequest| of_request(&req.to_http_request());
        assert_eq!(lang(TestRequest::default()), Lang::Fr);
        assert_eq!(lang(TestRequest::default().insert_header(("Accept-Language", "en-GB"))), Lang::En);
        assert_eq!(
            lang(
                TestRequest::default()
                    .append_header(("Accept-Language", "de"))
                    .append_header(("Accept-Language", "en;q=0.5"))
            ),
            Lang::En
        );
        assert_eq!(
            lang(
                TestRequest::default()
                    .insert_header(("Accept-Language", HeaderValue::from_bytes(b"en\xff").unwrap()))
            ),
            Lang::Fr
        );
    }
}

//! The base OpenAPI document: info, security scheme, tags and the reusable problem responses.
//! Paths and their schemas are collected from the route table by utoipa-actix-web.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToResponse};

use crate::error::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Essor",
        description = "Grant management for public aid to social and solidarity economy (ESS) \
            enterprises: schemes and their versioned rules, organisations, dossiers and their \
            lifecycle. Amounts are integer cents (`*_cents`). Errors are RFC 9457 \
            `application/problem+json`. Texts for people are in French by default and in English \
            with `Accept-Language: en`; every response says which in `Content-Language`.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    servers((url = "/", description = "This Essor instance")),
    modifiers(&BearerAuth),
    components(schemas(Problem), responses(
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        PreconditionFailed,
        PreconditionRequired,
        UnprocessableContent,
        PayloadTooLarge,
        RequestTimeout,
        UnsupportedMediaType,
        ServiceUnavailable,
    )),
    tags(
        (name = "health", description = "Liveness and readiness probes"),
        (name = "territory", description = "The caller's territory"),
        (name = "schemes", description = "Aid schemes and their versioned rules"),
        (name = "organisations", description = "Applicant organisations"),
        (name = "dossiers", description = "Dossiers and their lifecycle"),
        (name = "eligibility", description = "Eligibility criteria, snapshots and assessments"),
        (name = "money", description = "Decisions, envelopes and their ledger, disbursements"),
        (name = "procedure", description = "The administrative procedure around a decision: acknowledgements of receipt (CRPA L112-3), silence dates"),
        (name = "exports", description = "Finance exports: yearly and period totals, the grants of a year (JSON, CSV or XLSX), and the SCDL open-data file"),
        (name = "imports", description = "Imports of grants decided before Essor (SCDL \"subventions\" CSV files)"),
    )
)]
pub struct BaseDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".into());
        scheme.description = Some(
            "JWT with claims sub, role (applicant|instructor|finance|admin), territory, \
             organisation (applicants: the SIRET they act for), exp, iss and aud."
                .into(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The variants of internally tagged enums refuse unknown fields (`deny_unknown_fields`), which
/// utoipa does not carry into their `oneOf` items: say `additionalProperties: false` there.
pub struct ClosedTaggedVariants;

/// The internally tagged enums (`deny_unknown_fields`) whose variants are closed objects.
const TAGGED_ENUMS: [&str; 3] = ["MaxGrant", "BonusCondition", "Esus"];

impl Modify for ClosedTaggedVariants {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AdditionalProperties, Schema};
        use utoipa::openapi::RefOr;
        let Some(components) = openapi.components.as_mut() else { return };
        for name in TAGGED_ENUMS {
            if let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut(name) {
                for item in &mut one_of.items {
                    if let RefOr::T(Schema::Object(object)) = item {
                        object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
                    }
                }
            }
        }
    }
}

/// Lists the server refuses with a repeated item say `uniqueItems: true` (utoipa has no attribute
/// for it). Lists unique by one field of their items (grid codes, scored criteria) cannot say it.
pub struct UniqueLists;

impl Modify for UniqueLists {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::Schema;
        use utoipa::openapi::RefOr;
        const LISTS: [(&str, &str); 7] = [
            ("DocumentRequirement", "required_for"),
            ("TerritoryRule", "commune_codes"),
            ("FromTemplate", "commune_codes"),
            ("EssStatusRule", "accepted_families"),
            ("AssessmentInput", "conditions_met"),
            // In the variants of a bonus condition that list codes.
            ("BonusCondition", "commune_codes"),
            ("BonusCondition", "district_codes"),
        ];
        let Some(components) = openapi.components.as_mut() else { return };
        for (schema, property) in LISTS {
            let list = match components.schemas.get_mut(schema) {
                Some(RefOr::T(Schema::Object(object))) => object.properties.get_mut(property),
                Some(RefOr::T(Schema::OneOf(one_of))) => {
                    one_of.items.iter_mut().find_map(|item| match item {
                        RefOr::T(Schema::Object(object)) => object.properties.get_mut(property),
                        _ => None,
                    })
                }
                _ => None,
            };
            match list {
                Some(RefOr::T(Schema::Array(array))) => array.unique_items = true,
                _ => panic!("{schema}.{property} is not an array of the document"),
            }
        }
    }
}

/// The patterns of texts, written once (`domain::checks`): a schema attribute names one as
/// `pattern = "{LINE_PATTERN}"` (utoipa takes only a literal there), and this puts the constant
/// in its place wherever the document has a schema. A name it does not know fails the build of
/// the document, so no placeholder reaches it.
pub struct TextPatterns;

/// Each placeholder of a schema attribute, and the pattern it stands for.
pub const TEXT_PATTERNS: [(&str, &str); 4] = {
    use crate::domain::checks::{CELL_LINE_PATTERN, LINE_PATTERN, TEXT_PATTERN, TEXT_REQUIRED_PATTERN};
    [
        ("{LINE_PATTERN}", LINE_PATTERN),
        ("{CELL_LINE_PATTERN}", CELL_LINE_PATTERN),
        ("{TEXT_PATTERN}", TEXT_PATTERN),
        ("{TEXT_REQUIRED_PATTERN}", TEXT_REQUIRED_PATTERN),
    ]
};

impl Modify for TextPatterns {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema};
        use utoipa::openapi::RefOr;
        fn fill(schema: &mut Schema) {
            match schema {
                Schema::Object(object) => {
                    if let Some(pattern) = object.pattern.as_mut() {
                        if pattern.starts_with('{') {
                            let Some((_, real)) = TEXT_PATTERNS.iter().find(|(name, _)| name == pattern)
                            else {
                                panic!("the schema pattern {pattern} names no text pattern")
                            };
                            *pattern = real.to_string();
                        }
                    }
                    object.properties.values_mut().for_each(fill_ref);
                    if let Some(AdditionalProperties::RefOr(more)) =
                        object.additional_properties.as_deref_mut()
                    {
                        fill_ref(more);
                    }
                }
                Schema::Array(array) => {
                    if let ArrayItems::RefOrSchema(items) = &mut array.items {
                        fill_ref(items);
                    }
                    array.prefix_items.iter_mut().for_each(fill);
                }
                Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(fill_ref),
                Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(fill_ref),
                Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(fill_ref),
                _ => {}
            }
        }
        fn fill_ref(schema: &mut RefOr<Schema>) {
            if let RefOr::T(schema) = schema {
                fill(schema);
            }
        }
        if let Some(components) = openapi.components.as_mut() {
            components.schemas.values_mut().for_each(fill_ref);
        }
        for item in openapi.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.put, &mut item.post, &mut item.patch, &mut item.delete]
                .into_iter()
                .flatten()
            {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(parameter) = parameter {
                        parameter.schema.iter_mut().for_each(fill_ref);
                    }
                }
                if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
                    for content in body.content.values_mut() {
                        if let RefOr::T(content) = content {
                            content.schema.iter_mut().for_each(fill_ref);
                        }
                    }
                }
            }
        }
    }
}

/// A rules version's bonuses, said in the document (issue 20: two refusals it did not announce).
/// Bonuses add points to a rate, so a version whose maximum grant is `flat` lists none; and once
/// bonuses are listed, `max_extra_bp` is at least 1 (with 0 none would ever apply). Both are rules
/// between two fields, which JSON Schema says with a `oneOf`:
///
/// - `RulesParameters` is one of two objects with the same properties: a rate maximum grant
///   (`RateMaxGrant`: `investment`, `rent` or `budget`) with `Bonuses`, or a `FlatMaxGrant` with
///   `NoBonuses`; the derived `MaxGrant` is split into those two and goes;
/// - `Bonuses` is one of `NoBonuses` (no item, `max_extra_bp` 0 to 10000) or 1 to 20 items with
///   `max_extra_bp` 1 to 10000.
///
/// Runs after [`ClosedTaggedVariants`] (the variants of `MaxGrant` are closed objects by then).
pub struct RulesVariants;

impl Modify for RulesVariants {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{OneOf, Schema};
        use utoipa::openapi::{Ref, RefOr};
        let reference = |name: &str, description: Option<&String>| {
            let mut r = Ref::from_schema_name(name);
            if let Some(description) = description {
                r.description = description.clone();
            }
            RefOr::Ref(r)
        };
        let Some(components) = openapi.components.as_mut() else { return };
        let schemas = &mut components.schemas;

        // MaxGrant: its rate kinds, and the flat one.
        let Some(RefOr::T(Schema::OneOf(max_grant))) = schemas.remove("MaxGrant") else {
            panic!("MaxGrant is a oneOf of the document")
        };
        let is_flat = |item: &RefOr<Schema>| match item {
            RefOr::T(Schema::Object(object)) => match object.properties.get("kind") {
                Some(RefOr::T(Schema::Object(kind))) => {
                    kind.enum_values.as_deref() == Some(&[serde_json::json!("flat")][..])
                }
                _ => false,
            },
            _ => false,
        };
        let (flat, rate): (Vec<_>, Vec<_>) = max_grant.items.into_iter().partition(is_flat);
        let mut flat = match <[_; 1]>::try_from(flat).ok() {
            Some([RefOr::T(Schema::Object(flat))]) => flat,
            _ => panic!("one flat maximum grant, an object"),
        };
        assert_eq!(rate.len(), 3, "investment, rent and budget");
        flat.title = Some("FlatMaxGrant".into());
        let mut rate_kinds = OneOf::new();
        rate_kinds.items = rate;
        rate_kinds.description = Some(
            "A maximum grant computed from a rate (`investment`, `rent` or `budget`), which the \
             bonuses met raise."
                .into(),
        );
        schemas.insert("RateMaxGrant".into(), RefOr::T(Schema::OneOf(rate_kinds)));
        schemas.insert("FlatMaxGrant".into(), RefOr::T(Schema::Object(flat)));

        // Bonuses: none, or 1 to 20 with room for a point.
        let Some(RefOr::T(Schema::Object(bonuses))) = schemas.remove("Bonuses") else {
            panic!("Bonuses is an object of the document")
        };
        let mut none = bonuses.clone();
        none.title = Some("NoBonuses".into());
        none.description = Some(
            "No bonus: the only bonuses of a flat maximum grant (no rate to raise). `max_extra_bp` \
             is then never used."
                .into(),
        );
        if let Some(RefOr::T(Schema::Array(array))) = none.properties.get_mut("items") {
            array.max_items = Some(0);
            array.description = Some("No bonus.".into());
        }
        let mut some = bonuses.clone();
        some.title = Some("ListedBonuses".into());
        some.description = Some("1 to 20 bonuses, and room for at least one point.".into());
        if let Some(RefOr::T(Schema::Array(array))) = some.properties.get_mut("items") {
            array.min_items = Some(1);
            array.description = Some("1 to 20 bonuses, unique codes.".into());
        }
        if let Some(RefOr::T(Schema::Object(cap))) = some.properties.get_mut("max_extra_bp") {
            cap.minimum = Some(utoipa::Number::Int(1));
            cap.description = Some(
                "Most points all bonuses together add, in basis points (1 to 10000: with 0 none \
                 would ever apply)."
                    .into(),
            );
        }
        let mut either = OneOf::new();
        either.description = bonuses.description.clone();
        either.items = vec![reference("NoBonuses", None), RefOr::T(Schema::Object(some))];
        schemas.insert("NoBonuses".into(), RefOr::T(Schema::Object(none)));
        schemas.insert("Bonuses".into(), RefOr::T(Schema::OneOf(either)));

        // RulesParameters: one object per kind of maximum grant.
        let Some(RefOr::T(Schema::Object(rules))) = schemas.remove("RulesParameters") else {
            panic!("RulesParameters is an object of the document")
        };
        let variant = |title: &str, description: &str, max_grant: &str, bonuses: (&str, &str)| {
            let mut object = rules.clone();
            object.title = Some(title.into());
            object.description = Some(description.into());
            object.properties.insert("max_grant".into(), reference(max_grant, None));
            object.properties.insert("bonuses".into(), reference(bonuses.0, Some(&bonuses.1.to_string())));
            RefOr::T(Schema::Object(object))
        };
        let mut parameters = OneOf::new();
        parameters.description = rules.description.as_ref().map(|d| {
            format!(
                "{d}\n\nOne of two shapes, by the kind of maximum grant: a rate (`investment`, `rent`, \
                 `budget`), which bonuses may raise, or a flat amount, which takes none."
            )
        });
        parameters.items = vec![
            variant(
                "Rules with a rate maximum grant",
                "The maximum grant is a rate (`investment`, `rent` or `budget`) that bonuses may raise.",
                "RateMaxGrant",
                (
                    "Bonuses",
                    "Extra rate points for dossiers that meet listed conditions (\"bonifications\"); \
                     none by default.",
                ),
            ),
            variant(
                "Rules with a flat maximum grant",
                "The maximum grant is a fixed amount: no rate, so no bonus.",
                "FlatMaxGrant",
                ("NoBonuses", "None: a flat maximum grant has no rate to raise. May be left out."),
            ),
        ];
        schemas.insert("RulesParameters".into(), RefOr::T(Schema::OneOf(parameters)));
    }
}

/// The reader's language, documented once: `Accept-Language` as a reusable parameter that every
/// operation references, and `Content-Language` as a reusable header that every response carries.
pub struct Languages;

/// The name of the reusable `Accept-Language` parameter and `Content-Language` header.
const ACCEPT_LANGUAGE: &str = "AcceptLanguage";
const CONTENT_LANGUAGE: &str = "ContentLanguage";

impl Modify for Languages {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::header::HeaderBuilder;
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Ref, RefOr, Required, Type};

        let parameter = ParameterBuilder::new()
            .name("Accept-Language")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "The language of the texts for people (RFC 9110 section 12.5.4): `fr`, the default, or \
                 `en`, with the usual ranges and weights (`fr-FR`, `en-GB`, `en;q=0.8, fr;q=0.5`, `*`). \
                 Problem `title`, `detail` and `errors[].message`, and eligibility `reason`s, come in \
                 the language preferred; codes, field names and problem types never change. Any other \
                 language, or a malformed value, gives French.",
            ))
            .example(Some(serde_json::json!("en")))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build();
        let header = HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["fr", "en"]))))
            .description(Some("The language of the texts for people in this response, as negotiated."))
            .build();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.parameters.insert(ACCEPT_LANGUAGE.to_string(), RefOr::T(parameter));
        components.headers.insert(CONTENT_LANGUAGE.to_string(), RefOr::T(header));
        let header_ref = || RefOr::Ref(Ref::new(format!("#/components/headers/{CONTENT_LANGUAGE}")));
        for response in components.responses.values_mut() {
            if let RefOr::T(response) = response {
                response.headers.insert("Content-Language".to_string(), header_ref());
            }
        }
        for item in openapi.paths.paths.values_mut() {
            let operations =
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                let parameter_ref =
                    RefOr::Ref(Ref::new(format!("#/components/parameters/{ACCEPT_LANGUAGE}")));
                operation.parameters.get_or_insert_with(Vec::new).push(parameter_ref);
                for response in operation.responses.responses.values_mut() {
                    if let RefOr::T(response) = response {
                        response.headers.insert("Content-Language".to_string(), header_ref());
                    }
                }
            }
        }
    }
}

// These types only document responses: their field is never read.
/// The request cannot be read: malformed JSON, a wrong type, an unknown field or query parameter,
/// two `Authorization` headers.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct BadRequest(Problem);

/// No valid bearer token: missing, malformed, expired, badly signed, wrong issuer or audience.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct Unauthorized(Problem);

/// The caller's role may not perform this operation.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct Forbidden(Problem);

/// No such resource in the caller's territory (or organisation, for applicants).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct NotFound(Problem);

/// The request conflicts with the resource's state (a duplicate, or a transition not allowed
/// from the current status: `current_status` and `allowed_transitions` say which).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct Conflict(Problem);

/// The `If-Match` ETag is stale: the resource changed since it was read.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct PreconditionFailed(Problem);

/// The update needs an `If-Match` header.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct PreconditionRequired(Problem);

/// The input is well-formed but invalid; `errors` lists each field and why.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct UnprocessableContent(Problem);

/// The request body is larger than the configured limit.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct PayloadTooLarge(Problem);

/// The body did not arrive within the configured time (`ESSOR_BODY_TIMEOUT_SECS`).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct RequestTimeout(Problem);

/// The body is not `application/json`.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct UnsupportedMediaType(Problem);

/// The database cannot be reached (`unavailable`), or other work held what this request needs
/// past the lock timeout (`contention`): nothing was written; retry after `Retry-After` seconds.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub struct ServiceUnavailable(Problem);

/// An `IntoResponses` set of the problem responses above, by status, for one endpoint family:
/// each `#[utoipa::path]` then lists only what is particular to it.
macro_rules! response_set {
    ($(#[doc = $doc:tt])* $name:ident { $($status:tt => $response:ident),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(utoipa::IntoResponses)]
        #[allow(dead_code)]
        pub enum $name {
            $(#[response(status = $status)] $response(#[ref_response] $response),)+
        }
    };
}

response_set!(
    /// The error responses every lifecycle transition documents.
    TransitionErrors {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        408 => RequestTimeout,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => UnprocessableContent,
        503 => ServiceUnavailable,
    }
);

response_set!(
    /// The error responses of every money request (`Idempotency-Key` required: 400 without; 409
    /// for a refusal with a `code`, or a key still in flight; 422 for a key reused with another
    /// body, or invalid input).
    MoneyErrors {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        408 => RequestTimeout,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => UnprocessableContent,
        503 => ServiceUnavailable,
    }
);

response_set!(
    /// The error responses of every read of one resource (400: a malformed request, such as two
    /// `Authorization` headers).
    ReadErrors { 400 => BadRequest, 401 => Unauthorized, 404 => NotFound, 503 => ServiceUnavailable }
);

response_set!(
    /// The error responses of every paginated, filtered list.
    ListErrors { 400 => BadRequest, 401 => Unauthorized, 503 => ServiceUnavailable }
);

response_set!(
    /// The error responses of every `POST` that creates a resource from a JSON body.
    CreateErrors {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        408 => RequestTimeout,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => UnprocessableContent,
        503 => ServiceUnavailable,
    }
);

response_set!(
    /// The error responses of every file sent to Essor: an SCDL import (`text/csv` body: 415 for
    /// another type, 413 above 20 MiB; 409 `territory_siret_missing`; 422 listing every error
    /// with its `line`) or a document upload (`multipart/form-data`: 415 for another body type,
    /// or a file whose bytes are no accepted type or disagree with its declared type; 413 above
    /// `ESSOR_MAX_DOCUMENT_BYTES`; 409 when the dossier is no longer editable; 422 for a missing
    /// part or an unknown document type).
    FileErrors {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        408 => RequestTimeout,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => UnprocessableContent,
        503 => ServiceUnavailable,
    }
);

response_set!(
    /// The error responses of every edit of an existing resource with `If-Match`.
    UpdateErrors {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        408 => RequestTimeout,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => UnprocessableContent,
        428 => PreconditionRequired,
        503 => ServiceUnavailable,
    }
);

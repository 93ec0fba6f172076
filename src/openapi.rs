//! The OpenAPI document: its base (title, security schemes, shared
//! schemas) and [`complete`], which runs once the routes have added their
//! operations and documents, for every operation, the error answers that
//! follow from what it takes:
//!
//! | The operation takes | It may answer |
//! |---|---|
//! | a JSON or file body | 400 (`malformed_json`, `unsupported_content_type`, ...), 413 `payload_too_large`, 422, 404 (it names something unknown) |
//! | query parameters | 400 `invalid_query`, 422 (a value out of its set) |
//! | path parameters | 404 |
//! | any | 422 `control_character`, `bidi_control` (in the path or query) |
//! | a credential (every operation not marked `security(())`) | 401, 403 |
//! | an unsafe method (POST, PUT, PATCH, DELETE) | 403 `cross_site_request` |
//!
//! Each refers to the `ErrorBody` schema. An operation's own description of
//! a status stays. Operation ids are made unique across tags.

use std::collections::HashMap;

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

use crate::auth::extract::SESSION_COOKIE;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Laatu",
        description = "ISO 9001 quality-management system. Authenticate with the `laatu_session` cookie from `POST /api/v1/session`, or with `Authorization: Bearer <token>` from `POST /api/v1/tokens`. Errors are `{\"error\":{\"code\",\"message\"}}` with a stable code. Times are RFC 3339 in UTC (`2026-11-01T08:00:00.000000Z`), dates `2026-11-01`."
    ),
    components(schemas(
        crate::error::ErrorBody,
        crate::error::ErrorDetail,
        crate::nonconformities::model::NcStatusFilter,
        crate::documents::model::DocStatus,
        crate::documents::model::DocumentKind,
        crate::processes::model::ProcessStatus,
        crate::nonconformities::model::NcKind
    )),
    security(("bearer" = []), ("session" = [])),
    modifiers(&SecuritySchemes)
)]
struct ApiDoc;

struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(SESSION_COOKIE))),
        );
    }
}

/// The document before the routes add their operations.
pub fn base() -> OpenApi {
    <ApiDoc as utoipa::OpenApi>::openapi()
}

/// Adds the generic error answers to every operation and makes operation
/// ids unique (see the module documentation).
pub fn complete(doc: &mut OpenApi) {
    let global_auth = doc
        .security
        .as_ref()
        .is_some_and(|s| requires_credential(s));
    let mut ids: HashMap<String, usize> = HashMap::new();
    for item in doc.paths.paths.values() {
        for op in operations(item) {
            if let Some(id) = &op.operation_id {
                *ids.entry(id.clone()).or_default() += 1;
            }
        }
    }
    for item in doc.paths.paths.values_mut() {
        for (unsafe_method, op) in operations_mut(item) {
            let needs_credential = match &op.security {
                Some(s) => requires_credential(s),
                None => global_auth,
            };
            add_error_responses(op, needs_credential, unsafe_method);
            if let (Some(id), Some(tag)) =
                (&op.operation_id, op.tags.as_ref().and_then(|t| t.first()))
                && ids.get(id).copied().unwrap_or(0) > 1
            {
                op.operation_id = Some(format!("{}_{id}", tag.replace('-', "_")));
            }
        }
    }
}

/// A list of requirements demands a credential unless one of them is empty.
fn requires_credential(reqs: &[SecurityRequirement]) -> bool {
    !reqs.is_empty() && !reqs.iter().any(|r| *r == SecurityRequirement::default())
}

fn add_error_responses(op: &mut Operation, needs_credential: bool, unsafe_method: bool) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_query = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let has_path = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let has_body = op.request_body.is_some();
    let mut add = |status: &str, description: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| error_response(description));
    };
    if has_body {
        add(
            "400",
            "The body cannot be read: `malformed_json`, `unsupported_content_type`, `malformed_body`",
        );
        add(
            "413",
            "The body is larger than the limit: `payload_too_large`",
        );
        add(
            "422",
            "The body is well-formed but invalid: `invalid_json` or a validation code",
        );
        add(
            "404",
            "The body names something that does not exist (a user, a process, a document)",
        );
    }
    if has_query {
        add("400", "A query parameter does not parse: `invalid_query`");
        add("422", "A query parameter is outside its set or range");
    }
    if has_path {
        add(
            "404",
            "No such thing, or a path parameter that does not parse",
        );
    }
    // Every request: its decoded path and query are checked for control
    // characters and direction overrides before any handler runs.
    add(
        "422",
        "The address holds a control character or a direction override: `control_character`, `bidi_control`",
    );
    if needs_credential {
        add(
            "401",
            "No valid session cookie or API token: `not_authenticated`, `invalid_token`",
        );
        add(
            "403",
            "The caller's roles do not allow this: `forbidden` or a more specific code",
        );
    }
    if unsafe_method {
        add(
            "403",
            "A request from another site: `cross_site_request` (see `public_url`)",
        );
    }
}

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

fn operations(item: &utoipa::openapi::PathItem) -> impl Iterator<Item = &Operation> {
    [
        &item.get,
        &item.put,
        &item.post,
        &item.delete,
        &item.options,
        &item.head,
        &item.patch,
        &item.trace,
    ]
    .into_iter()
    .flatten()
}

/// Every operation of `item`, each with whether its method is unsafe
/// (it changes something, so the cross-site guard checks it).
fn operations_mut(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = (bool, &mut Operation)> {
    [
        (false, &mut item.get),
        (true, &mut item.put),
        (true, &mut item.post),
        (true, &mut item.delete),
        (false, &mut item.options),
        (false, &mut item.head),
        (true, &mut item.patch),
        (false, &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(unsafe_method, op)| op.as_mut().map(|op| (unsafe_method, op)))
}

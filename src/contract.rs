//! The API's answers checked against its own OpenAPI document while it
//! runs: with `check_api_contract` on (the test suite turns it on), every
//! answer under `/api/v1` whose status the document does not give for that
//! operation is logged and kept in [`Breaches`], so that the tests fail on
//! it as schemathesis would, on every request any test makes.
//!
//! Paths are compared as patterns: actix's `/kpis/{id}/measurements`
//! (a `{name:regex}` segment read as `{name}`) against the document's.
//! Requests no route took (404 `route_not_found`, 405) are the generic
//! answers of the fallbacks in `lib.rs` and are not checked.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use utoipa::openapi::OpenApi;

use crate::state::AppState;

/// For each (method, path pattern), the statuses the document gives.
#[derive(Debug, Default)]
pub struct Contract {
    statuses: HashMap<(String, String), HashSet<u16>>,
}

impl Contract {
    /// Reads the statuses of every operation of `doc`.
    pub fn from_openapi(doc: &OpenApi) -> Contract {
        let mut statuses = HashMap::new();
        for (path, item) in &doc.paths.paths {
            let ops = [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("PATCH", &item.patch),
                ("HEAD", &item.head),
                ("OPTIONS", &item.options),
            ];
            for (method, op) in ops {
                if let Some(op) = op {
                    let set = op
                        .responses
                        .responses
                        .keys()
                        .filter_map(|s| s.parse::<u16>().ok())
                        .collect();
                    statuses.insert((method.to_string(), normalise(path)), set);
                }
            }
        }
        Contract { statuses }
    }

    /// Whether the document gives `status` for `method` on `pattern`;
    /// `None` when it does not know the operation at all.
    pub fn documents(&self, method: &str, pattern: &str, status: u16) -> Option<bool> {
        self.statuses
            .get(&(method.to_string(), normalise(pattern)))
            .map(|set| set.contains(&status))
    }
}

/// `{name:regex}` read as `{name}`.
fn normalise(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_regex = false;
    let mut depth = 0usize;
    for ch in pattern.chars() {
        match ch {
            '{' => {
                depth += 1;
                if !in_regex {
                    out.push(ch);
                }
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    in_regex = false;
                    out.push(ch);
                }
            }
            ':' if depth == 1 => in_regex = true,
            _ if in_regex => {}
            _ => out.push(ch),
        }
    }
    out
}

/// The answers that broke the contract, as `METHOD pattern -> status`
/// lines, each once.
#[derive(Debug, Default, Clone)]
pub struct Breaches(Arc<Mutex<Vec<String>>>);

impl Breaches {
    /// Keeps one, unless it is already kept.
    pub fn record(&self, line: String) {
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !list.contains(&line) {
            list.push(line);
        }
    }

    /// Every one kept so far.
    pub fn all(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The middleware: checks each answer of the API against [`Contract`]
/// when the configuration asks for it.
///
/// # Errors
/// Whatever the inner service fails with.
pub async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let request = res.request();
    let Some(state) = request.app_data::<web::Data<AppState>>() else {
        return Ok(res);
    };
    if !state.config.check_api_contract {
        return Ok(res);
    }
    let (Some(contract), Some(pattern)) = (
        request.app_data::<web::Data<Contract>>(),
        request.match_pattern(),
    ) else {
        return Ok(res);
    };
    let method = request.method().as_str().to_string();
    let status = res.status().as_u16();
    if contract.documents(&method, &pattern, status) == Some(false) {
        tracing::error!(%method, %pattern, status, "answer not in the OpenAPI document");
        state
            .contract_breaches
            .record(format!("{method} {pattern} -> {status}"));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_segments_read_as_plain_names() {
        assert_eq!(normalise("/a/{file:.*}/b"), "/a/{file}/b");
        assert_eq!(normalise("/a/{id}"), "/a/{id}");
        assert_eq!(normalise("/a/{n:[0-9]{2}}"), "/a/{n}");
    }
}

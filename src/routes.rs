//! Which methods each path takes, so that a known path asked with another
//! method answers `405 method_not_allowed` with an `Allow` header instead of
//! falling through to the 404 of the scope.
//!
//! actix puts the method guard of `#[get]` and `cfg.route` on the resource,
//! so a request with another method skips the resource and ends in the
//! scope's default service. That default service asks a [`MethodTable`]: for
//! the API it is built from the OpenAPI document (generated from the
//! handlers actually registered), for the pages from [`PageRoutes`], through
//! which every page route is registered.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::{FromRequest, Handler, Responder, web};

/// Path patterns and the methods each takes, in registration order.
#[derive(Default)]
pub struct MethodTable {
    entries: Vec<(String, ResourceDef, Vec<Method>)>,
}

impl MethodTable {
    /// Records that `pattern` (an actix path pattern) takes `method`.
    pub fn add(&mut self, pattern: &str, method: Method) {
        if let Some((_, _, methods)) = self.entries.iter_mut().find(|(p, _, _)| p == pattern) {
            if !methods.contains(&method) {
                methods.push(method);
            }
            return;
        }
        self.entries
            .push((pattern.to_string(), ResourceDef::new(pattern), vec![method]));
    }

    /// The table of an OpenAPI document: its paths and their operations.
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> MethodTable {
        let mut table = MethodTable::default();
        for (path, item) in &doc.paths.paths {
            let ops = [
                (Method::GET, &item.get),
                (Method::PUT, &item.put),
                (Method::POST, &item.post),
                (Method::DELETE, &item.delete),
                (Method::OPTIONS, &item.options),
                (Method::HEAD, &item.head),
                (Method::PATCH, &item.patch),
                (Method::TRACE, &item.trace),
            ];
            for (method, op) in ops {
                if op.is_some() {
                    table.add(path, method);
                }
            }
        }
        table
    }

    /// The methods that some pattern matching `path` takes (empty when no
    /// pattern matches), in a stable order.
    pub fn allowed(&self, path: &str) -> Vec<Method> {
        let mut found: Vec<Method> = Vec::new();
        for (_, def, methods) in &self.entries {
            if def.is_match(path) {
                for m in methods {
                    if !found.contains(m) {
                        found.push(m.clone());
                    }
                }
            }
        }
        const ORDER: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
        found.sort_by_key(|m| {
            ORDER
                .iter()
                .position(|o| *o == m.as_str())
                .unwrap_or(ORDER.len())
        });
        found
    }

    /// The `Allow` header value for `path`, or `None` when no route matches it.
    pub fn allow_header(&self, path: &str) -> Option<String> {
        let allowed = self.allowed(path);
        (!allowed.is_empty()).then(|| {
            allowed
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// Registers page routes and remembers their methods in a [`MethodTable`].
pub struct PageRoutes<'a> {
    cfg: &'a mut web::ServiceConfig,
    table: &'a mut MethodTable,
}

impl<'a> PageRoutes<'a> {
    /// Wraps a scope's configuration and the table to fill.
    pub fn new(cfg: &'a mut web::ServiceConfig, table: &'a mut MethodTable) -> Self {
        PageRoutes { cfg, table }
    }

    /// A `GET` page.
    pub fn get<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.table.add(path, Method::GET);
        self.cfg.route(path, web::get().to(handler));
        self
    }

    /// A `POST` form target.
    pub fn post<F, Args>(&mut self, path: &str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.table.add(path, Method::POST);
        self.cfg.route(path, web::post().to(handler));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_the_methods_of_every_matching_pattern() {
        let mut t = MethodTable::default();
        t.add("/documents", Method::GET);
        t.add("/documents", Method::POST);
        t.add("/documents/new", Method::GET);
        t.add("/documents/{number}", Method::GET);
        t.add("/documents/{number}/edit", Method::POST);
        assert_eq!(t.allow_header("/documents").as_deref(), Some("GET, POST"));
        assert_eq!(t.allow_header("/documents/new").as_deref(), Some("GET"));
        assert_eq!(
            t.allow_header("/documents/QP-1/edit").as_deref(),
            Some("POST")
        );
        assert_eq!(t.allow_header("/nothing"), None);
    }
}

//! Users, roles, sessions, API tokens, CSRF, login throttling, and the
//! extractors that tell handlers who is asking.

pub mod api;
pub mod csrf;
pub mod extract;
pub mod login;
pub mod model;
pub mod pages;
pub mod password;
pub mod service;
pub mod throttle;
pub mod tokens;

/// What authentication adds: logins, accounts, users and tokens (routes only).
pub const AREA: crate::area::Area = crate::area::Area {
    name: "auth",
    api: api::configure,
    pages: pages::configure,
    ..crate::area::Area::EMPTY
};

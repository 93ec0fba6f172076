//! Users, roles, sessions, API tokens, CSRF, and the extractors that tell
//! handlers who is asking.

pub mod api;
pub mod csrf;
pub mod extract;
pub mod model;
pub mod pages;
pub mod service;

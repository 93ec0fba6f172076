//! Document control (ISO 9001 7.5): controlled documents, their revisions in
//! git, approval by signature, effective dates, redlines, periodic review.

pub mod api;
pub mod api_files;
pub mod model;
pub mod pages;
pub mod redline;
pub mod render;
pub mod service;

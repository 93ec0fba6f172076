//! All integration tests, in one binary so the suite links once.
//! Every test talks to a real server on a real port, over HTTP.

mod helpers;

mod acknowledgements;
mod api_contract;
mod areas;
mod audit;
mod auth;
mod auth_csrf;
mod auth_throttle;
mod auth_tokens;
mod authz;
mod browser;
mod browser_csp;
mod cli;
mod competence;
mod competence_browser;
mod competence_demo;
mod competence_pages;
mod config;
mod crash;
mod doc_numbers;
mod documents;
mod documents_review_flow;
mod documents_signers;
mod i18n;
mod kpi_sources;
mod map_load;
mod migrations;
mod nc_browser;
mod nc_demo;
mod nc_files;
mod nc_flow;
mod nc_life_cycle;
mod nc_pages;
mod nc_stats;
mod nc_stats_pages;
mod nonconformities;
mod pages;
mod pages_security;
mod processes;
mod records;
mod records_demo;
mod text_input;
mod users;

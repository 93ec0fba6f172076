//! All integration tests, in one binary so the suite links once.
//! Every test talks to a real server on a real port, over HTTP.

mod helpers;

mod api_contract;
mod audit;
mod auth;
mod authz;
mod browser;
mod cli;
mod config;
mod crash;
mod documents;
mod i18n;
mod kpi_sources;
mod migrations;
mod nc_browser;
mod nc_demo;
mod nc_files;
mod nc_life_cycle;
mod nc_pages;
mod nc_stats;
mod nc_stats_pages;
mod nonconformities;
mod pages;
mod processes;
mod users;

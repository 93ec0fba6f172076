//! Processes (ISO 9001 4.4): owners, members, inputs and outputs, internal
//! customers. The process map, turtle diagrams and KPIs come next.

pub mod api;
pub mod chart;
pub mod kpi_sources;
pub mod kpis;
pub mod map;
pub mod map_cache;
pub mod model;
pub mod pages;
pub mod service;

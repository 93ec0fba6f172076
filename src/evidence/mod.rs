//! Evidence for auditors: a zip bundle whose `manifest.json` names every
//! file with its size and SHA-256 and a root hash over that list, and the
//! check that proves a bundle was not changed (`laatu verify`), which needs
//! neither a server nor a database.
//!
//! - [`bundle`] writes a bundle as a stream (the first bytes can leave
//!   before the last file is read), hashing each file as it passes.
//! - [`verify`] recomputes every hash, the root, and the hash chain of the
//!   audit-trail segment the bundle carries, and names what differs.
//!
//! - [`export`] fills a bundle from every area's parts (documents as of a
//!   date, registers, records, competence) with the audit-trail segment,
//!   [`index`] and the manifest, and records each export.
//! - [`api`] streams it (`GET /api/v1/evidence`, through [`stream`]);
//!   [`pages`] is the export page and the clause views; `laatu export`
//!   writes it to a file.

pub mod api;
pub mod bundle;
pub mod clause_pages;
pub mod clauses;
pub mod export;
pub mod index;
pub mod pages;
pub mod stream;
pub mod verify;

/// What the evidence area adds: the export's routes and pages. The
/// bundle's content comes from every area's `evidence` parts.
pub const AREA: crate::area::Area = crate::area::Area {
    name: "evidence",
    api: api::configure,
    pages: pages::configure,
    ..crate::area::Area::EMPTY
};

/// The name of the manifest inside a bundle.
pub const MANIFEST: &str = "manifest.json";

/// The audit-trail segment: one event per line, as the API shows it.
pub const AUDIT_EVENTS: &str = "audit/events.jsonl";

/// The segment's bounds: the first and last sequence numbers and the hash
/// before the first event, from which the chain is recomputed.
pub const AUDIT_SEGMENT: &str = "audit/segment.json";

/// The format written in every manifest.
pub const FORMAT: &str = "laatu-evidence/1";

-- Every evidence export (ISO 9001 7.5.3): who made it, when, asking for
-- what, and the root hash of its manifest, so that a quality manager can
-- later prove which bundle they handed over. Written with the export's
-- audit event, in one transaction, once the bundle is finished; never
-- changed.
CREATE TABLE evidence_exports (
    id TEXT PRIMARY KEY NOT NULL,
    exported_by_id TEXT REFERENCES users(id),
    exported_by_name TEXT NOT NULL,
    exported_at TIMESTAMP NOT NULL,
    parameters TEXT NOT NULL,
    root_hash TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    files INTEGER NOT NULL
);
CREATE INDEX evidence_exports_at ON evidence_exports(exported_at);

-- Nonconformities (ISO 9001 8.7, 10.2). Numbers NC-<year>-<seq> are
-- allocated in the transaction that records the report, so a failed report
-- leaves no gap and two reports never share a number.

CREATE TABLE nc_sequences (
    year INTEGER PRIMARY KEY NOT NULL,
    next_value INTEGER NOT NULL
);

CREATE TABLE nonconformities (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    detected_on TIMESTAMP NOT NULL,
    detected_in_id TEXT REFERENCES processes(id),
    responsible_id TEXT NOT NULL REFERENCES processes(id),
    reporter_id TEXT NOT NULL REFERENCES users(id),
    severity TEXT NOT NULL,
    refs TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    rejection_reason TEXT,
    decided_by TEXT REFERENCES users(id),
    decided_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX nonconformities_status ON nonconformities(status, created_at);
CREATE INDEX nonconformities_kind ON nonconformities(kind, created_at);
CREATE INDEX nonconformities_responsible ON nonconformities(responsible_id, created_at);
CREATE INDEX nonconformities_detected_in ON nonconformities(detected_in_id, created_at);

-- Nonconformities and corrective actions (ISO 9001 8.7, 10.2).
--
-- Numbers NC-<year>-<seq> are allocated in the transaction that records the
-- report, so a failed report leaves no gap and two reports never share one.
-- Records are not edited in place: a new analysis or disposition decision is
-- a new row (the latest counts, the earlier ones stay as evidence); a
-- corrective action is completed or cancelled, never rewritten; an
-- effectiveness check that found the actions did not work stays, and the
-- next one is a new row.
-- Dates without a time (detected on, due on) are stored as midnight UTC.

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
    accept_due_at TIMESTAMP NOT NULL,
    accepted_by TEXT REFERENCES users(id),
    accepted_at TIMESTAMP,
    rejection_reason TEXT,
    effectiveness_due_on TIMESTAMP,
    closed_by TEXT REFERENCES users(id),
    closed_at TIMESTAMP,
    closing_comment TEXT NOT NULL DEFAULT '',
    overdue BOOLEAN NOT NULL DEFAULT FALSE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX nonconformities_status ON nonconformities(status, created_at);
CREATE INDEX nonconformities_kind ON nonconformities(kind, created_at);
CREATE INDEX nonconformities_responsible ON nonconformities(responsible_id, created_at);
CREATE INDEX nonconformities_detected_in ON nonconformities(detected_in_id, created_at);
CREATE INDEX nonconformities_overdue ON nonconformities(overdue, status);
CREATE INDEX nonconformities_created ON nonconformities(created_at);

-- Containment, correction and the decision about nonconforming outputs
-- (ISO 9001 8.7.1, 8.7.2: who decided).
CREATE TABLE nc_dispositions (
    id TEXT PRIMARY KEY NOT NULL,
    nc_id TEXT NOT NULL REFERENCES nonconformities(id),
    containment TEXT NOT NULL,
    disposition TEXT,
    note TEXT NOT NULL,
    decided_by TEXT NOT NULL REFERENCES users(id),
    decided_at TIMESTAMP NOT NULL
);
CREATE INDEX nc_dispositions_nc ON nc_dispositions(nc_id, decided_at);

-- Root-cause analyses: five whys and a cause category.
CREATE TABLE nc_analyses (
    id TEXT PRIMARY KEY NOT NULL,
    nc_id TEXT NOT NULL REFERENCES nonconformities(id),
    whys TEXT NOT NULL,
    root_cause TEXT NOT NULL,
    cause_category TEXT NOT NULL,
    analysed_by TEXT NOT NULL REFERENCES users(id),
    analysed_at TIMESTAMP NOT NULL
);
CREATE INDEX nc_analyses_nc ON nc_analyses(nc_id, analysed_at);

CREATE TABLE corrective_actions (
    id TEXT PRIMARY KEY NOT NULL,
    nc_id TEXT NOT NULL REFERENCES nonconformities(id),
    description TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users(id),
    due_on TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    document_id TEXT REFERENCES documents(id),
    document_revision INTEGER,
    completion_note TEXT NOT NULL DEFAULT '',
    completed_by TEXT REFERENCES users(id),
    completed_at TIMESTAMP,
    overdue BOOLEAN NOT NULL DEFAULT FALSE,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX corrective_actions_nc ON corrective_actions(nc_id, created_at);
CREATE INDEX corrective_actions_owner ON corrective_actions(owner_id, status);
CREATE INDEX corrective_actions_open ON corrective_actions(status, due_on);

CREATE TABLE effectiveness_checks (
    id TEXT PRIMARY KEY NOT NULL,
    nc_id TEXT NOT NULL REFERENCES nonconformities(id),
    result TEXT NOT NULL,
    comment TEXT NOT NULL,
    verified_by TEXT NOT NULL REFERENCES users(id),
    verified_at TIMESTAMP NOT NULL
);
CREATE INDEX effectiveness_checks_nc ON effectiveness_checks(nc_id, verified_at);

CREATE TABLE nc_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    nc_id TEXT NOT NULL REFERENCES nonconformities(id),
    action_id TEXT REFERENCES corrective_actions(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX nc_attachments_nc ON nc_attachments(nc_id, uploaded_at);

CREATE TABLE nc_documents (
    nc_id TEXT NOT NULL REFERENCES nonconformities(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    linked_by TEXT NOT NULL REFERENCES users(id),
    linked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (nc_id, document_id)
);

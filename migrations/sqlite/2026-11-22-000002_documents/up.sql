-- Controlled documents (ISO 9001 7.5). Content lives in git; these tables
-- are the truth about state, and the index that lists and searches answer from.

CREATE TABLE number_sequences (
    prefix TEXT PRIMARY KEY NOT NULL,
    next_value INTEGER NOT NULL
);

CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    process TEXT,
    owner_id TEXT NOT NULL REFERENCES users(id),
    review_interval_months INTEGER NOT NULL,
    status TEXT NOT NULL,
    effective_revision INTEGER,
    effective_commit TEXT,
    next_review_at TIMESTAMP,
    review_overdue BOOLEAN NOT NULL DEFAULT FALSE,
    search_text TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX documents_status ON documents(status, number);
CREATE INDEX documents_kind ON documents(kind, number);
CREATE INDEX documents_process ON documents(process, number);
CREATE INDEX documents_owner ON documents(owner_id, number);
CREATE INDEX documents_review ON documents(review_overdue, next_review_at);

CREATE TABLE revisions (
    id TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    rev INTEGER NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    commit_id TEXT,
    change_reason TEXT NOT NULL DEFAULT '',
    author_id TEXT NOT NULL REFERENCES users(id),
    effective_from TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    approved_at TIMESTAMP,
    effective_at TIMESTAMP,
    superseded_at TIMESTAMP,
    UNIQUE (document_id, rev)
);
CREATE INDEX revisions_status ON revisions(status, effective_from);

CREATE TABLE draft_saves (
    id TEXT PRIMARY KEY NOT NULL,
    revision_id TEXT NOT NULL REFERENCES revisions(id),
    commit_id TEXT NOT NULL,
    parent_commit TEXT,
    saved_by TEXT NOT NULL REFERENCES users(id),
    saved_by_name TEXT NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
CREATE INDEX draft_saves_revision ON draft_saves(revision_id, saved_at);

-- Approval routes: for a kind (scope_kind = 'kind') or one document ('document').
CREATE TABLE approval_steps (
    id TEXT PRIMARY KEY NOT NULL,
    scope_kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    step INTEGER NOT NULL,
    rule TEXT NOT NULL,
    role TEXT,
    required INTEGER NOT NULL,
    users TEXT NOT NULL,
    UNIQUE (scope_kind, scope, step)
);

-- The route as it stood when a revision was submitted: later route changes
-- never rewrite what a revision needed.
CREATE TABLE revision_steps (
    revision_id TEXT NOT NULL REFERENCES revisions(id),
    step INTEGER NOT NULL,
    rule TEXT NOT NULL,
    role TEXT,
    required INTEGER NOT NULL,
    users TEXT NOT NULL,
    PRIMARY KEY (revision_id, step)
);

CREATE TABLE signatures (
    id TEXT PRIMARY KEY NOT NULL,
    revision_id TEXT NOT NULL REFERENCES revisions(id),
    step INTEGER,
    purpose TEXT NOT NULL,
    meaning TEXT NOT NULL,
    signer_id TEXT NOT NULL REFERENCES users(id),
    signer_name TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    commit_id TEXT NOT NULL,
    signed_at TIMESTAMP NOT NULL,
    voided_at TIMESTAMP,
    void_reason TEXT
);
CREATE INDEX signatures_revision ON signatures(revision_id, signed_at);

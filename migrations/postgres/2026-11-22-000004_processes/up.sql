-- Processes (ISO 9001 4.4): each with an owner, members, and outputs that go
-- to internal customers (other processes) and/or external customers. A
-- process's inputs from other processes are not stored separately: they are
-- the outputs addressed to it, so the two views cannot disagree.

CREATE TABLE processes (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    owner_id TEXT NOT NULL REFERENCES users(id),
    criteria TEXT NOT NULL DEFAULT '',
    resources TEXT NOT NULL DEFAULT '',
    risks TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX processes_owner ON processes(owner_id);
CREATE INDEX processes_status ON processes(status, code);

CREATE TABLE process_members (
    process_id TEXT NOT NULL REFERENCES processes(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (process_id, user_id)
);
CREATE INDEX process_members_user ON process_members(user_id);

CREATE TABLE process_outputs (
    id TEXT PRIMARY KEY NOT NULL,
    process_id TEXT NOT NULL REFERENCES processes(id),
    name TEXT NOT NULL,
    external_customer TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX process_outputs_process ON process_outputs(process_id);

CREATE TABLE output_recipients (
    output_id TEXT NOT NULL REFERENCES process_outputs(id),
    customer_id TEXT NOT NULL REFERENCES processes(id),
    PRIMARY KEY (output_id, customer_id)
);
CREATE INDEX output_recipients_customer ON output_recipients(customer_id);

-- Inputs from outside the organisation (external providers, ISO 9001 8.4).
CREATE TABLE process_external_inputs (
    id TEXT PRIMARY KEY NOT NULL,
    process_id TEXT NOT NULL REFERENCES processes(id),
    name TEXT NOT NULL,
    external_supplier TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX process_external_inputs_process ON process_external_inputs(process_id);

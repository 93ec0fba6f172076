-- Competence (ISO 9001 7.2) and awareness (7.3): a catalogue of
-- competences, who must have them, the certifications people hold, the
-- training planned for them, and the acknowledgements of the documents
-- they work by. Certifications, trainings and acknowledgements are records:
-- rows are added, never rewritten; a correction is a new row that names
-- the one it corrects.

CREATE TABLE competences (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_fi TEXT NOT NULL,
    description_en TEXT NOT NULL DEFAULT '',
    description_fi TEXT NOT NULL DEFAULT '',
    validity_months INTEGER,
    evidence_required BOOLEAN NOT NULL,
    scale TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Who must hold a competence: everyone working in a process, every holder
-- of a role, one named person, or every reader of a document.
CREATE TABLE competence_requirements (
    id TEXT PRIMARY KEY NOT NULL,
    competence_id TEXT NOT NULL REFERENCES competences(id),
    scope TEXT NOT NULL,
    target TEXT NOT NULL,
    level INTEGER,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (competence_id, scope, target)
);
CREATE INDEX competence_requirements_target ON competence_requirements(scope, target);

CREATE TABLE trainings (
    id TEXT PRIMARY KEY NOT NULL,
    competence_id TEXT NOT NULL REFERENCES competences(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    trainer_id TEXT NOT NULL REFERENCES users(id),
    group_id TEXT NOT NULL,
    due_on TIMESTAMP NOT NULL,
    level INTEGER,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    overdue BOOLEAN NOT NULL DEFAULT FALSE,
    planned_by TEXT NOT NULL REFERENCES users(id),
    planned_at TIMESTAMP NOT NULL,
    closed_by TEXT REFERENCES users(id),
    closed_at TIMESTAMP,
    effective BOOLEAN,
    evaluation TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX trainings_user ON trainings(user_id, status);
CREATE INDEX trainings_trainer ON trainings(trainer_id, status);
CREATE INDEX trainings_open ON trainings(status, due_on);

-- `expiring` and `expired` are kept by the scheduler from `expires_on`
-- (kit::due), so that lists and tasks read them instead of the calendar.
CREATE TABLE certifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    competence_id TEXT NOT NULL REFERENCES competences(id),
    level INTEGER,
    issued_on TIMESTAMP NOT NULL,
    expires_on TIMESTAMP,
    issuer TEXT NOT NULL DEFAULT '',
    expiring BOOLEAN NOT NULL DEFAULT FALSE,
    expired BOOLEAN NOT NULL DEFAULT FALSE,
    training_id TEXT REFERENCES trainings(id),
    corrects_id TEXT REFERENCES certifications(id),
    correction_reason TEXT NOT NULL DEFAULT '',
    corrected BOOLEAN NOT NULL DEFAULT FALSE,
    verified_by TEXT REFERENCES users(id),
    verified_at TIMESTAMP,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX certifications_user ON certifications(user_id, competence_id, issued_on);
CREATE INDEX certifications_competence ON certifications(competence_id, issued_on);
CREATE INDEX certifications_expiry ON certifications(corrected, expires_on);

CREATE TABLE certification_files (
    id TEXT PRIMARY KEY NOT NULL,
    certification_id TEXT NOT NULL REFERENCES certifications(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX certification_files_certification ON certification_files(certification_id, uploaded_at);

-- The roles a document names as its readers (besides the members of its process).
CREATE TABLE document_reader_roles (
    document_id TEXT NOT NULL REFERENCES documents(id),
    role TEXT NOT NULL,
    PRIMARY KEY (document_id, role)
);

-- A revision whose approver said "no retraining needed": acknowledgements
-- of the revision before carry over to it.
ALTER TABLE revisions ADD COLUMN retraining BOOLEAN NOT NULL DEFAULT TRUE;

-- "Read and understood": an electronic signature bound to the commit of
-- the revision read.
CREATE TABLE acknowledgements (
    id TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id),
    revision_id TEXT NOT NULL REFERENCES revisions(id),
    rev INTEGER NOT NULL,
    commit_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    user_name TEXT NOT NULL,
    meaning TEXT NOT NULL,
    password_confirmed BOOLEAN NOT NULL,
    acknowledged_at TIMESTAMP NOT NULL,
    UNIQUE (revision_id, user_id)
);
CREATE INDEX acknowledgements_user ON acknowledgements(user_id, document_id);
CREATE INDEX acknowledgements_document ON acknowledgements(document_id, rev);

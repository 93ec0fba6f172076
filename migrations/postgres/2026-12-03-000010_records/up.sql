-- Records (ISO 9001 7.5.3) filled from form templates. A template is a
-- controlled document of kind `form`; its field definition lives in git
-- beside its Markdown (`<NUMBER>.form.json`). A record is never edited or
-- deleted: each correction is a new version, and the database refuses any
-- other change (triggers below), as it does for the audit trail.

-- Who must fill in a template's records for a process, and how often.
CREATE TABLE record_schedules (
    id TEXT PRIMARY KEY NOT NULL,
    template_id TEXT NOT NULL REFERENCES documents(id),
    process_id TEXT NOT NULL REFERENCES processes(id),
    frequency TEXT NOT NULL,
    assignee_id TEXT REFERENCES users(id),
    active BOOLEAN NOT NULL,
    overdue BOOLEAN NOT NULL DEFAULT FALSE,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX record_schedules_template ON record_schedules(template_id, process_id);
CREATE INDEX record_schedules_process ON record_schedules(process_id);

CREATE TABLE records (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    template_id TEXT NOT NULL REFERENCES documents(id),
    seq INTEGER NOT NULL,
    process_id TEXT REFERENCES processes(id),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    current_version_id TEXT NOT NULL,
    has_deviation BOOLEAN NOT NULL,
    signed BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (template_id, seq)
);
CREATE INDEX records_template_created ON records(template_id, created_at);
CREATE INDEX records_template_process ON records(template_id, process_id, created_at);
CREATE INDEX records_template_creator ON records(template_id, created_by, created_at);
CREATE INDEX records_process ON records(process_id, created_at);

-- Each version of a record: what was filled in, on which revision of the
-- template, by whom, and why it changed.
CREATE TABLE record_versions (
    id TEXT PRIMARY KEY NOT NULL,
    record_id TEXT NOT NULL REFERENCES records(id),
    version INTEGER NOT NULL,
    template_rev INTEGER NOT NULL,
    template_commit TEXT NOT NULL,
    answers TEXT NOT NULL,
    deviations TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    author_id TEXT NOT NULL REFERENCES users(id),
    author_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (record_id, version)
);

-- The single values of each version, for the register's filters.
CREATE TABLE record_values (
    version_id TEXT NOT NULL REFERENCES record_versions(id),
    field TEXT NOT NULL,
    text_value TEXT NOT NULL,
    num_value DOUBLE PRECISION,
    PRIMARY KEY (version_id, field, text_value)
);
CREATE INDEX record_values_text ON record_values(field, text_value, version_id);
CREATE INDEX record_values_num ON record_values(field, num_value, version_id);

CREATE TABLE record_signatures (
    id TEXT PRIMARY KEY NOT NULL,
    record_id TEXT NOT NULL REFERENCES records(id),
    version INTEGER NOT NULL,
    meaning TEXT NOT NULL,
    signer_id TEXT NOT NULL REFERENCES users(id),
    signer_name TEXT NOT NULL,
    competence_code TEXT,
    certification_id TEXT REFERENCES certifications(id),
    signed_at TIMESTAMP NOT NULL,
    UNIQUE (record_id, version, meaning)
);

-- Files of file and photo fields: uploaded first, bound to the record
-- that names them when it is submitted, never removed.
CREATE TABLE record_files (
    id TEXT PRIMARY KEY NOT NULL,
    template_id TEXT NOT NULL REFERENCES documents(id),
    record_id TEXT REFERENCES records(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX record_files_record ON record_files(record_id);

-- A nonconformity reported from a record's deviation.
CREATE TABLE record_nonconformities (
    record_id TEXT NOT NULL REFERENCES records(id),
    nc_id TEXT NOT NULL REFERENCES nonconformities(id),
    linked_by TEXT NOT NULL REFERENCES users(id),
    linked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (record_id, nc_id)
);
CREATE INDEX record_nonconformities_nc ON record_nonconformities(nc_id);

-- A KPI counted from records: which template, what is counted, of which field.
ALTER TABLE kpis ADD COLUMN source_template_id TEXT;
ALTER TABLE kpis ADD COLUMN source_measure TEXT;
ALTER TABLE kpis ADD COLUMN source_field TEXT;

CREATE FUNCTION laatu_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: a record is corrected by a new version', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION laatu_record_keep_identity() RETURNS trigger AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.number IS DISTINCT FROM OLD.number
       OR NEW.template_id IS DISTINCT FROM OLD.template_id OR NEW.seq IS DISTINCT FROM OLD.seq
       OR NEW.process_id IS DISTINCT FROM OLD.process_id OR NEW.created_by IS DISTINCT FROM OLD.created_by
       OR NEW.created_by_name IS DISTINCT FROM OLD.created_by_name
       OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.version < OLD.version THEN
        RAISE EXCEPTION 'a record is corrected by a new version, never edited';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION laatu_record_file_bound() RETURNS trigger AS $$
BEGIN
    IF OLD.record_id IS NOT NULL THEN
        RAISE EXCEPTION 'a file of a record never changes';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER records_no_delete BEFORE DELETE ON records
FOR EACH ROW EXECUTE FUNCTION laatu_record_append_only();
CREATE TRIGGER records_keep_identity BEFORE UPDATE ON records
FOR EACH ROW EXECUTE FUNCTION laatu_record_keep_identity();
CREATE TRIGGER record_versions_no_change BEFORE UPDATE OR DELETE ON record_versions
FOR EACH ROW EXECUTE FUNCTION laatu_record_append_only();
CREATE TRIGGER record_values_no_change BEFORE UPDATE OR DELETE ON record_values
FOR EACH ROW EXECUTE FUNCTION laatu_record_append_only();
CREATE TRIGGER record_signatures_no_change BEFORE UPDATE OR DELETE ON record_signatures
FOR EACH ROW EXECUTE FUNCTION laatu_record_append_only();
CREATE TRIGGER record_files_no_delete BEFORE DELETE ON record_files
FOR EACH ROW EXECUTE FUNCTION laatu_record_append_only();
CREATE TRIGGER record_files_bound BEFORE UPDATE ON record_files
FOR EACH ROW EXECUTE FUNCTION laatu_record_file_bound();

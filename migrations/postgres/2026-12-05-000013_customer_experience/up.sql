-- Customer experience (ISO 9001 5.1.2, 9.1.2). The value promise is a
-- controlled document (kind `value_promise`) whose target experiences are
-- kept in git with its revision; what is stored here only names them by
-- their stable keys.

-- Which target experiences each process serves.
CREATE TABLE process_experiences (
    process_id TEXT NOT NULL REFERENCES processes(id),
    experience TEXT NOT NULL,
    PRIMARY KEY (process_id, experience)
);

-- A KPI that measures a target experience is a customer-experience measure.
ALTER TABLE kpis ADD COLUMN experience TEXT;
CREATE INDEX kpis_experience ON kpis(process_id, experience);

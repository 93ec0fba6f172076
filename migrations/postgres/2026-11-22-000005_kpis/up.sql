-- Quality objectives and KPIs per process (ISO 9001 6.2, 9.1.1). Values are
-- decimal text so both databases keep exactly what was entered. A correction
-- is a new measurement for the same period; the latest one counts.

CREATE TABLE kpis (
    id TEXT PRIMARY KEY NOT NULL,
    process_id TEXT NOT NULL REFERENCES processes(id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    target TEXT NOT NULL,
    direction TEXT NOT NULL,
    indicator TEXT NOT NULL,
    frequency TEXT NOT NULL,
    source TEXT NOT NULL,
    measurement_overdue BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX kpis_process ON kpis(process_id);
CREATE INDEX kpis_overdue ON kpis(measurement_overdue);

CREATE TABLE kpi_measurements (
    id TEXT PRIMARY KEY NOT NULL,
    kpi_id TEXT NOT NULL REFERENCES kpis(id),
    period TEXT NOT NULL,
    value TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_by_name TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX kpi_measurements_kpi ON kpi_measurements(kpi_id, period, recorded_at);

-- The register's value filters (`value=ok:no`) select records whose version
-- in force is among the versions holding that value. With the current
-- version in the index, the count and the page look each such version up
-- in the index instead of reading every record of the template (or of the
-- template and process) from the table.
CREATE INDEX records_template_version ON records(template_id, current_version_id);
CREATE INDEX records_template_process_version ON records(template_id, process_id, current_version_id);

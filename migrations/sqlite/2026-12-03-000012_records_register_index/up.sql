-- The register's value filters (`value=ok:no`) select records whose version
-- in force is among the versions holding that value. With the template and
-- the current version in one index, the count and the page look each such
-- version up in the index instead of reading every record of the template.
CREATE INDEX records_template_version ON records(template_id, current_version_id);

DROP INDEX records_template_version;

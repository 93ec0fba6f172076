DROP TABLE nc_documents;
DROP TABLE nc_attachments;
DROP TABLE effectiveness_checks;
DROP TABLE corrective_actions;
DROP TABLE nc_analyses;
DROP TABLE nc_dispositions;
DROP TABLE nonconformities;
DROP TABLE nc_sequences;

DROP TABLE acknowledgements;
ALTER TABLE revisions DROP COLUMN retraining;
DROP TABLE document_reader_roles;
DROP TABLE certification_files;
DROP TABLE certifications;
DROP TABLE trainings;
DROP TABLE competence_requirements;
DROP TABLE competences;

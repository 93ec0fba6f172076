DROP TABLE signatures;
DROP TABLE revision_steps;
DROP TABLE approval_steps;
DROP TABLE draft_saves;
DROP TABLE revisions;
DROP TABLE documents;
DROP TABLE number_sequences;

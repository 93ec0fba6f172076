-- Full-text search over number, title and effective content: an FTS5 index
-- kept in step with documents.search_text by triggers.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    search_text,
    content = 'documents',
    content_rowid = 'rowid',
    tokenize = 'unicode61'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF search_text ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO documents_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');

-- Full-text search over number, title and effective content.
CREATE INDEX documents_search ON documents USING gin (to_tsvector('simple', search_text));

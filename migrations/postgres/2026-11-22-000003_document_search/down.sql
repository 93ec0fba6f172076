DROP INDEX documents_search;

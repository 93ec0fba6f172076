DROP TABLE evidence_exports;

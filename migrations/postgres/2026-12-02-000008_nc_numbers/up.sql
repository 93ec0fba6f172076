-- Nonconformity numbers move to the one sequence table every area uses:
-- the prefix of NC-2026-001 is `NC-2026`.
INSERT INTO number_sequences (prefix, next_value)
SELECT 'NC-' || CAST(year AS TEXT), next_value FROM nc_sequences;
DROP TABLE nc_sequences;

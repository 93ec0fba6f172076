CREATE TABLE nc_sequences (
    year INTEGER PRIMARY KEY NOT NULL,
    next_value INTEGER NOT NULL
);
INSERT INTO nc_sequences (year, next_value)
SELECT CAST(SUBSTR(prefix, 4) AS INTEGER), next_value FROM number_sequences WHERE prefix LIKE 'NC-%';
DELETE FROM number_sequences WHERE prefix LIKE 'NC-%';

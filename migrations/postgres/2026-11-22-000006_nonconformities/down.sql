DROP TABLE nonconformities;
DROP TABLE nc_sequences;

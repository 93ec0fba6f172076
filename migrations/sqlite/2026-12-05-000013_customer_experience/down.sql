DROP INDEX kpis_experience;
ALTER TABLE kpis DROP COLUMN experience;
DROP TABLE process_experiences;

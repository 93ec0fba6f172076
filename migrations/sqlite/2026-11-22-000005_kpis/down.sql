DROP TABLE kpi_measurements;
DROP TABLE kpis;

DROP TABLE process_external_inputs;
DROP TABLE output_recipients;
DROP TABLE process_outputs;
DROP TABLE process_members;
DROP TABLE processes;

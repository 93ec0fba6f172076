-- A customer complaint or an improvement opened from a survey answer: the
-- case and the answer are linked both ways. Links are only added.
CREATE TABLE survey_answer_nonconformities (
    answer_id TEXT NOT NULL REFERENCES survey_answers(id),
    nc_id TEXT NOT NULL REFERENCES nonconformities(id),
    linked_by TEXT NOT NULL REFERENCES users(id),
    linked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (answer_id, nc_id)
);
CREATE INDEX survey_answer_nonconformities_nc ON survey_answer_nonconformities(nc_id);

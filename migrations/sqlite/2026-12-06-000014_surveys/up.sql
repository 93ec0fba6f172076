-- External customer surveys (ISO 9001 9.1.2): a survey for a touchpoint and
-- a process, personal invitations (only the SHA-256 of each link's token is
-- kept, so the database alone gives no working link), and one answer per
-- invitation. Contact details can be erased; the scores stay.

CREATE TABLE surveys (
    id TEXT PRIMARY KEY NOT NULL,
    title_en TEXT NOT NULL,
    title_fi TEXT NOT NULL,
    touchpoint TEXT NOT NULL,
    process_id TEXT NOT NULL REFERENCES processes(id),
    questions TEXT NOT NULL,
    expiry_days INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX surveys_process ON surveys(process_id);

CREATE TABLE survey_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT,
    email TEXT,
    company TEXT,
    reference TEXT,
    language TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    erased_at TIMESTAMP
);
CREATE INDEX survey_invitations_survey ON survey_invitations(survey_id, created_at);

CREATE TABLE survey_answers (
    id TEXT PRIMARY KEY NOT NULL,
    invitation_id TEXT NOT NULL UNIQUE REFERENCES survey_invitations(id),
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    answered_at TIMESTAMP NOT NULL,
    nps INTEGER,
    csat INTEGER,
    effort INTEGER,
    answers TEXT NOT NULL,
    idea TEXT
);
CREATE INDEX survey_answers_survey ON survey_answers(survey_id, answered_at);

-- A detractor (NPS 0-6) or a low CSAT (1-2) asks the owner of the survey's
-- process to follow up within working days; what was done and whether the
-- customer was told are recorded once.
CREATE TABLE survey_followups (
    id TEXT PRIMARY KEY NOT NULL,
    answer_id TEXT NOT NULL UNIQUE REFERENCES survey_answers(id),
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    owner_id TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    due_on TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    done_at TIMESTAMP,
    done_by TEXT REFERENCES users(id),
    action_taken TEXT,
    customer_told BOOLEAN
);
CREATE INDEX survey_followups_owner ON survey_followups(owner_id, done_at);

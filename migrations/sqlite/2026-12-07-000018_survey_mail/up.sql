-- Survey invitations sent by e-mail. The body holds the personal link, so
-- it is kept only until the mail is sent or given up on, then wiped; an
-- erased contact's address and body are wiped at once.
CREATE TABLE survey_invitation_mail (
    invitation_id TEXT PRIMARY KEY NOT NULL REFERENCES survey_invitations(id),
    address TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX survey_invitation_mail_due ON survey_invitation_mail(state, next_attempt_at);

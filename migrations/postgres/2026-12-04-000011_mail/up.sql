-- What each person wants by e-mail: `immediate`, `digest` (one mail a day) or `off`.
ALTER TABLE users ADD COLUMN mail TEXT NOT NULL DEFAULT 'digest';

-- Mails waiting to be sent, sent, or given up on. A mail is queued in the
-- transaction of the event that causes it (or by the scheduler from the
-- task lists), rendered in the recipient's language; the scheduler sends
-- it later, so that sending never blocks or fails a request.
CREATE TABLE mail_queue (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    address TEXT NOT NULL,
    language TEXT NOT NULL,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    digest BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX mail_queue_due ON mail_queue(state, next_attempt_at);
CREATE INDEX mail_queue_reference ON mail_queue(user_id, kind, reference);

-- Internal ratings (ISO 9001 9.1.2 for internal customers): for every link
-- of the process map (an output of one process addressed to another), the
-- receiving process's people are asked each period to rate what they
-- received. A request names the link, the person and the period; a rating
-- is never edited: a correction is a new rating that names the one it
-- replaces, and the database refuses any other change. Dates are ISO
-- texts (`2026-06-30`) of the site's calendar.

CREATE TABLE internal_rating_requests (
    id TEXT PRIMARY KEY NOT NULL,
    output_id TEXT NOT NULL,
    output_name TEXT NOT NULL,
    supplier_id TEXT NOT NULL REFERENCES processes(id),
    customer_id TEXT NOT NULL REFERENCES processes(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    due_on TEXT NOT NULL,
    lapses_on TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (output_id, customer_id, user_id, period)
);
CREATE INDEX internal_rating_requests_user ON internal_rating_requests(user_id, due_on);
CREATE INDEX internal_rating_requests_supplier ON internal_rating_requests(supplier_id, period_start);

CREATE TABLE internal_ratings (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES internal_rating_requests(id),
    on_time BOOLEAN NOT NULL,
    quality INTEGER NOT NULL,
    comment TEXT NOT NULL,
    corrects_id TEXT REFERENCES internal_ratings(id),
    reason TEXT NOT NULL,
    rated_by TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (corrects_id)
);
CREATE INDEX internal_ratings_request ON internal_ratings(request_id, created_at);
-- One first rating per request; each rating is corrected at most once.
CREATE UNIQUE INDEX internal_ratings_first ON internal_ratings(request_id) WHERE corrects_id IS NULL;

CREATE TRIGGER internal_ratings_no_update BEFORE UPDATE ON internal_ratings
BEGIN SELECT RAISE(ABORT, 'internal ratings are corrected by a new rating, never edited'); END;
CREATE TRIGGER internal_ratings_no_delete BEFORE DELETE ON internal_ratings
BEGIN SELECT RAISE(ABORT, 'internal ratings are never deleted'); END;

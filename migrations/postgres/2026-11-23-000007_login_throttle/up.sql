-- Failed logins are counted per account name and client address together,
-- not per account: an attacker slows only their own attempts down, and the
-- real user from another address is never locked out. The name is the one
-- typed (lower-cased), so unknown names are throttled exactly like real ones.
CREATE TABLE login_throttles (
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP,
    PRIMARY KEY (username, client)
);
CREATE INDEX login_throttles_last_failure ON login_throttles(last_failure_at);

-- The account-wide lockout is gone.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

DROP TABLE settings;
DROP TABLE audit_events;
DROP FUNCTION laatu_audit_append_only();
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE user_roles;
DROP TABLE users;

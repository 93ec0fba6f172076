DROP TABLE mail_queue;
ALTER TABLE users DROP COLUMN mail;

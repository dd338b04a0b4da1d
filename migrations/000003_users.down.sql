DROP TRIGGER IF EXISTS set_updated_at ON trakrf.users;
DROP INDEX IF EXISTS trakrf.users_email_key;
DROP TABLE IF EXISTS trakrf.users;
DROP SEQUENCE IF EXISTS trakrf.users_id_seq;

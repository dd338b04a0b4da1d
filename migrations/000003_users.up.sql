-- Users are global (one login, possibly several accounts); membership lives in account_users.

CREATE SEQUENCE trakrf.users_id_seq AS bigint;

CREATE TABLE trakrf.users (
    id            bigint PRIMARY KEY DEFAULT trakrf.permute_id(nextval('trakrf.users_id_seq')),
    email         text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    display_name  text NOT NULL,
    password_hash text,
    is_active     boolean NOT NULL DEFAULT true,
    last_login_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE trakrf.users_id_seq OWNED BY trakrf.users.id;

-- E-mail addresses are unique regardless of case.
CREATE UNIQUE INDEX users_email_key ON trakrf.users (lower(email));

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.users
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

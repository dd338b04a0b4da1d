-- Membership of users in accounts, with a role per account.

CREATE TYPE trakrf.account_role AS ENUM ('owner', 'admin', 'member', 'viewer');

CREATE TABLE trakrf.account_users (
    account_id bigint NOT NULL REFERENCES trakrf.accounts (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES trakrf.users (id) ON DELETE CASCADE,
    role       trakrf.account_role NOT NULL DEFAULT 'member',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, user_id)
);

-- "Which accounts does this user belong to?"
CREATE INDEX account_users_user_id_idx ON trakrf.account_users (user_id);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.account_users
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

ALTER TABLE trakrf.account_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.account_users
    USING (account_id = nullif(current_setting('app.current_account_id', true), '')::bigint);

DO $$
BEGIN
    RAISE NOTICE 'account roles: %', enum_range(NULL::trakrf.account_role);
END;
$$;

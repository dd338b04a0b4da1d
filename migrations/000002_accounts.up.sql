-- Accounts are the tenants; every tenant-owned row carries an account_id.

CREATE SEQUENCE trakrf.accounts_id_seq AS bigint;

CREATE TABLE trakrf.accounts (
    id            bigint PRIMARY KEY DEFAULT trakrf.permute_id(nextval('trakrf.accounts_id_seq')),
    slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name          text NOT NULL CHECK (btrim(name) <> ''),
    plan          text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'team', 'enterprise')),
    billing_email text,
    settings      jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE trakrf.accounts_id_seq OWNED BY trakrf.accounts.id;

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.accounts
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

-- A tenant session (SET app.current_account_id = ...) sees only its own account.
ALTER TABLE trakrf.accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.accounts
    USING (id = nullif(current_setting('app.current_account_id', true), '')::bigint);

DO $$
BEGIN
    RAISE NOTICE 'created table trakrf.accounts with row-level security';
END;
$$;

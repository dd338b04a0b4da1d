-- Physical places (sites, buildings, zones), nested through parent_id.

CREATE SEQUENCE trakrf.locations_id_seq AS bigint;

CREATE TABLE trakrf.locations (
    id          bigint PRIMARY KEY DEFAULT trakrf.permute_id(nextval('trakrf.locations_id_seq')),
    account_id  bigint NOT NULL REFERENCES trakrf.accounts (id) ON DELETE CASCADE,
    parent_id   bigint,
    identifier  text NOT NULL,
    name        text NOT NULL,
    description text,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT locations_account_id_identifier_key UNIQUE (account_id, identifier),
    -- Target for composite foreign keys that keep references inside one tenant.
    CONSTRAINT locations_account_id_id_key UNIQUE (account_id, id),
    CONSTRAINT locations_parent_fkey FOREIGN KEY (account_id, parent_id)
        REFERENCES trakrf.locations (account_id, id),
    CONSTRAINT locations_not_own_parent CHECK (parent_id <> id)
);
ALTER SEQUENCE trakrf.locations_id_seq OWNED BY trakrf.locations.id;

CREATE INDEX locations_parent_idx ON trakrf.locations (account_id, parent_id);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.locations
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

ALTER TABLE trakrf.locations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.locations
    USING (account_id = nullif(current_setting('app.current_account_id', true), '')::bigint);

DO $$
BEGIN
    RAISE NOTICE 'created % tables in schema trakrf so far',
        (SELECT count(*) FROM pg_tables WHERE schemaname = 'trakrf');
END;
$$;

-- Tracked things: equipment, containers, vehicles... location_id is the last known place.

CREATE SEQUENCE trakrf.assets_id_seq AS bigint;

CREATE TABLE trakrf.assets (
    id          bigint PRIMARY KEY DEFAULT trakrf.permute_id(nextval('trakrf.assets_id_seq')),
    account_id  bigint NOT NULL REFERENCES trakrf.accounts (id) ON DELETE CASCADE,
    location_id bigint,
    identifier  text NOT NULL,                -- the customer's own asset number
    name        text NOT NULL,
    description text,
    asset_type  text NOT NULL DEFAULT 'equipment'
                CHECK (asset_type IN ('equipment', 'container', 'vehicle', 'tool', 'other')),
    metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assets_account_id_identifier_key UNIQUE (account_id, identifier),
    CONSTRAINT assets_account_id_id_key UNIQUE (account_id, id),
    CONSTRAINT assets_location_fkey FOREIGN KEY (account_id, location_id)
        REFERENCES trakrf.locations (account_id, id) ON DELETE SET NULL (location_id)
);
ALTER SEQUENCE trakrf.assets_id_seq OWNED BY trakrf.assets.id;

CREATE INDEX assets_location_idx ON trakrf.assets (account_id, location_id);
CREATE INDEX assets_metadata_idx ON trakrf.assets USING gin (metadata jsonb_path_ops);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.assets
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

ALTER TABLE trakrf.assets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.assets
    USING (account_id = nullif(current_setting('app.current_account_id', true), '')::bigint);

-- RFID tags. The EPC is unique within an account; a tag may be attached to one asset.

CREATE SEQUENCE trakrf.tags_id_seq AS bigint;

CREATE TABLE trakrf.tags (
    id          bigint PRIMARY KEY DEFAULT trakrf.permute_id(nextval('trakrf.tags_id_seq')),
    account_id  bigint NOT NULL REFERENCES trakrf.accounts (id) ON DELETE CASCADE,
    asset_id    bigint,
    epc         text NOT NULL CHECK (epc ~ '^([0-9A-F]{4}){2,16}$'),  -- upper-case hex, 32..256 bits
    tag_type    text NOT NULL DEFAULT 'passive' CHECK (tag_type IN ('passive', 'active', 'bap')),
    attached_at timestamptz,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tags_account_id_epc_key UNIQUE (account_id, epc),
    CONSTRAINT tags_account_id_id_key UNIQUE (account_id, id),
    -- Deleting an asset detaches its tags rather than deleting them.
    CONSTRAINT tags_asset_fkey FOREIGN KEY (account_id, asset_id)
        REFERENCES trakrf.assets (account_id, id) ON DELETE SET NULL (asset_id),
    CONSTRAINT tags_attached_has_asset CHECK (attached_at IS NULL OR asset_id IS NOT NULL)
);
ALTER SEQUENCE trakrf.tags_id_seq OWNED BY trakrf.tags.id;

CREATE INDEX tags_asset_idx ON trakrf.tags (account_id, asset_id) WHERE asset_id IS NOT NULL;

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.tags
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

ALTER TABLE trakrf.tags ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.tags
    USING (account_id = nullif(current_setting('app.current_account_id', true), '')::bigint);

-- RFID readers. A reader sits at a location and owns one or more antennas.

CREATE SEQUENCE trakrf.devices_id_seq AS bigint;

CREATE TABLE trakrf.devices (
    id               bigint PRIMARY KEY DEFAULT trakrf.permute_id(nextval('trakrf.devices_id_seq')),
    account_id       bigint NOT NULL REFERENCES trakrf.accounts (id) ON DELETE CASCADE,
    location_id      bigint,
    identifier       text NOT NULL,           -- serial number printed on the reader
    name             text NOT NULL,
    kind             text NOT NULL DEFAULT 'fixed' CHECK (kind IN ('fixed', 'handheld', 'gateway')),
    model            text,
    firmware_version text,
    ip_address       inet,
    is_active        boolean NOT NULL DEFAULT true,
    last_seen_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT devices_account_id_identifier_key UNIQUE (account_id, identifier),
    CONSTRAINT devices_account_id_id_key UNIQUE (account_id, id),
    -- Removing a location unassigns the reader but keeps its account_id.
    CONSTRAINT devices_location_fkey FOREIGN KEY (account_id, location_id)
        REFERENCES trakrf.locations (account_id, id) ON DELETE SET NULL (location_id)
);
ALTER SEQUENCE trakrf.devices_id_seq OWNED BY trakrf.devices.id;

CREATE INDEX devices_location_idx ON trakrf.devices (account_id, location_id);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.devices
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

ALTER TABLE trakrf.devices ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.devices
    USING (account_id = nullif(current_setting('app.current_account_id', true), '')::bigint);

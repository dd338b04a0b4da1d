-- Antennas are the ports of a reader; each may cover its own location (e.g. one per dock door).

CREATE SEQUENCE trakrf.antennas_id_seq AS bigint;

CREATE TABLE trakrf.antennas (
    id           bigint PRIMARY KEY DEFAULT trakrf.permute_id(nextval('trakrf.antennas_id_seq')),
    account_id   bigint NOT NULL REFERENCES trakrf.accounts (id) ON DELETE CASCADE,
    device_id    bigint NOT NULL,
    location_id  bigint,
    port         smallint NOT NULL CHECK (port BETWEEN 1 AND 64),
    name         text,
    tx_power_dbm numeric(4, 1) CHECK (tx_power_dbm BETWEEN 0 AND 33),
    is_active    boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT antennas_device_id_port_key UNIQUE (device_id, port),
    CONSTRAINT antennas_account_id_id_key UNIQUE (account_id, id),
    CONSTRAINT antennas_device_fkey FOREIGN KEY (account_id, device_id)
        REFERENCES trakrf.devices (account_id, id) ON DELETE CASCADE,
    CONSTRAINT antennas_location_fkey FOREIGN KEY (account_id, location_id)
        REFERENCES trakrf.locations (account_id, id) ON DELETE SET NULL (location_id)
);
ALTER SEQUENCE trakrf.antennas_id_seq OWNED BY trakrf.antennas.id;

CREATE INDEX antennas_location_idx ON trakrf.antennas (account_id, location_id);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.antennas
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

ALTER TABLE trakrf.antennas ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.antennas
    USING (account_id = nullif(current_setting('app.current_account_id', true), '')::bigint);

DO $$
BEGIN
    RAISE NOTICE 'created % tables with row-level security in schema trakrf',
        (SELECT count(*) FROM pg_tables WHERE schemaname = 'trakrf' AND rowsecurity);
END;
$$;

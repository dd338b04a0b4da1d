DROP POLICY IF EXISTS tenant_isolation ON trakrf.devices;
DROP TRIGGER IF EXISTS set_updated_at ON trakrf.devices;
DROP INDEX IF EXISTS trakrf.devices_location_idx;
DROP TABLE IF EXISTS trakrf.devices;
DROP SEQUENCE IF EXISTS trakrf.devices_id_seq;

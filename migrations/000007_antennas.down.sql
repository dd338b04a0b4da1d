DROP POLICY IF EXISTS tenant_isolation ON trakrf.antennas;
DROP TRIGGER IF EXISTS set_updated_at ON trakrf.antennas;
DROP INDEX IF EXISTS trakrf.antennas_location_idx;
DROP TABLE IF EXISTS trakrf.antennas;
DROP SEQUENCE IF EXISTS trakrf.antennas_id_seq;

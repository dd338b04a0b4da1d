DROP POLICY IF EXISTS tenant_isolation ON trakrf.assets;
DROP TRIGGER IF EXISTS set_updated_at ON trakrf.assets;
DROP INDEX IF EXISTS trakrf.assets_metadata_idx;
DROP INDEX IF EXISTS trakrf.assets_location_idx;
DROP TABLE IF EXISTS trakrf.assets;
DROP SEQUENCE IF EXISTS trakrf.assets_id_seq;

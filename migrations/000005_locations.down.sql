DROP POLICY IF EXISTS tenant_isolation ON trakrf.locations;
DROP TRIGGER IF EXISTS set_updated_at ON trakrf.locations;
DROP INDEX IF EXISTS trakrf.locations_parent_idx;
DROP TABLE IF EXISTS trakrf.locations;
DROP SEQUENCE IF EXISTS trakrf.locations_id_seq;

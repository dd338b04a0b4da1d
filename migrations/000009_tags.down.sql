DROP POLICY IF EXISTS tenant_isolation ON trakrf.tags;
DROP TRIGGER IF EXISTS set_updated_at ON trakrf.tags;
DROP INDEX IF EXISTS trakrf.tags_asset_idx;
DROP TABLE IF EXISTS trakrf.tags;
DROP SEQUENCE IF EXISTS trakrf.tags_id_seq;

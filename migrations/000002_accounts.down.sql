DROP POLICY IF EXISTS tenant_isolation ON trakrf.accounts;
DROP TRIGGER IF EXISTS set_updated_at ON trakrf.accounts;
DROP TABLE IF EXISTS trakrf.accounts;
DROP SEQUENCE IF EXISTS trakrf.accounts_id_seq;

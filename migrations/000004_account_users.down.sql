DROP POLICY IF EXISTS tenant_isolation ON trakrf.account_users;
DROP TRIGGER IF EXISTS set_updated_at ON trakrf.account_users;
DROP INDEX IF EXISTS trakrf.account_users_user_id_idx;
DROP TABLE IF EXISTS trakrf.account_users;
DROP TYPE IF EXISTS trakrf.account_role;

DROP POLICY IF EXISTS tenant_isolation ON trakrf.messages;
DROP TRIGGER IF EXISTS set_updated_at ON trakrf.messages;
DROP INDEX IF EXISTS trakrf.messages_account_created_idx;
DROP INDEX IF EXISTS trakrf.messages_due_idx;
DROP TABLE IF EXISTS trakrf.messages;
DROP SEQUENCE IF EXISTS trakrf.messages_id_seq;
DROP TYPE IF EXISTS trakrf.message_status;
DROP TYPE IF EXISTS trakrf.message_channel;

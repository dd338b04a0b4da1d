-- Outbox of notifications (alerts, digests) waiting to be delivered by a worker.

CREATE TYPE trakrf.message_channel AS ENUM ('email', 'sms', 'webhook', 'in_app');
CREATE TYPE trakrf.message_status AS ENUM ('pending', 'sending', 'sent', 'failed');

CREATE SEQUENCE trakrf.messages_id_seq AS bigint;

CREATE TABLE trakrf.messages (
    id         bigint PRIMARY KEY DEFAULT trakrf.permute_id(nextval('trakrf.messages_id_seq')),
    account_id bigint NOT NULL REFERENCES trakrf.accounts (id) ON DELETE CASCADE,
    user_id    bigint REFERENCES trakrf.users (id) ON DELETE SET NULL,
    channel    trakrf.message_channel NOT NULL,
    status     trakrf.message_status NOT NULL DEFAULT 'pending',
    subject    text,
    body       text NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
    attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error text,
    send_after timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messages_sent_has_sent_at CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);
ALTER SEQUENCE trakrf.messages_id_seq OWNED BY trakrf.messages.id;

-- The worker polls only what is due; the partial index stays small.
CREATE INDEX messages_due_idx ON trakrf.messages (send_after) WHERE status = 'pending';
CREATE INDEX messages_account_created_idx ON trakrf.messages (account_id, created_at DESC);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON trakrf.messages
    FOR EACH ROW EXECUTE FUNCTION trakrf.set_updated_at();

ALTER TABLE trakrf.messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.messages
    USING (account_id = nullif(current_setting('app.current_account_id', true), '')::bigint);

DO $$
BEGIN
    RAISE NOTICE 'schema trakrf complete: % tables, % enum types',
        (SELECT count(*) FROM pg_tables WHERE schemaname = 'trakrf'),
        (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = 'trakrf' AND t.typtype = 'e');
END;
$$;

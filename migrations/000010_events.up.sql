-- Tag reads: one row each time an antenna sees a tag. Append-only and high-volume,
-- so it uses a plain identity key and has no updated_at.

CREATE TABLE trakrf.events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES trakrf.accounts (id) ON DELETE CASCADE,
    tag_id      bigint NOT NULL,
    antenna_id  bigint,
    location_id bigint,
    seen_at     timestamptz NOT NULL,
    rssi        smallint CHECK (rssi BETWEEN -128 AND 0),   -- dBm
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_tag_fkey FOREIGN KEY (account_id, tag_id)
        REFERENCES trakrf.tags (account_id, id) ON DELETE CASCADE,
    CONSTRAINT events_antenna_fkey FOREIGN KEY (account_id, antenna_id)
        REFERENCES trakrf.antennas (account_id, id) ON DELETE SET NULL (antenna_id),
    CONSTRAINT events_location_fkey FOREIGN KEY (account_id, location_id)
        REFERENCES trakrf.locations (account_id, id) ON DELETE SET NULL (location_id)
);

-- History of one tag, newest first.
CREATE INDEX events_tag_seen_idx ON trakrf.events (account_id, tag_id, seen_at DESC);
-- What was seen at a location recently.
CREATE INDEX events_location_seen_idx ON trakrf.events (account_id, location_id, seen_at DESC);
-- Reads arrive roughly in time order, so a BRIN index serves time-range scans cheaply.
CREATE INDEX events_seen_at_brin ON trakrf.events USING brin (seen_at);

ALTER TABLE trakrf.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON trakrf.events
    USING (account_id = nullif(current_setting('app.current_account_id', true), '')::bigint);

-- Latest read per tag. security_invoker makes the caller's RLS policies apply.
CREATE VIEW trakrf.tag_last_seen WITH (security_invoker = true) AS
SELECT DISTINCT ON (e.tag_id)
       e.account_id, e.tag_id, t.epc, t.asset_id, e.location_id, e.antenna_id, e.seen_at
  FROM trakrf.events e
  JOIN trakrf.tags t ON t.account_id = e.account_id AND t.id = e.tag_id
 ORDER BY e.tag_id, e.seen_at DESC;

DO $$
BEGIN
    RAISE NOTICE 'created % indexes on trakrf.events',
        (SELECT count(*) FROM pg_indexes WHERE schemaname = 'trakrf' AND tablename = 'events');
END;
$$;

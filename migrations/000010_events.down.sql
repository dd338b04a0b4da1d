DROP VIEW IF EXISTS trakrf.tag_last_seen;
DROP POLICY IF EXISTS tenant_isolation ON trakrf.events;
DROP INDEX IF EXISTS trakrf.events_seen_at_brin;
DROP INDEX IF EXISTS trakrf.events_location_seen_idx;
DROP INDEX IF EXISTS trakrf.events_tag_seen_idx;
DROP TABLE IF EXISTS trakrf.events;

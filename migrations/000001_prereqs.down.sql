-- Removes the helper functions and the trakrf schema with anything left in it.
DROP FUNCTION IF EXISTS trakrf.permute_id(bigint);
DROP FUNCTION IF EXISTS trakrf.set_updated_at();
DROP SCHEMA IF EXISTS trakrf CASCADE;

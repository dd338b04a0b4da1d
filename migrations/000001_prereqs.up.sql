-- Prerequisites for the trakrf asset-tracking schema.
-- Everything is schema-qualified: a migration cannot rely on search_path.

CREATE SCHEMA trakrf;
COMMENT ON SCHEMA trakrf IS 'Multi-tenant RFID asset tracking';

-- Keeps updated_at current; attached as a BEFORE UPDATE trigger on mutable tables.
CREATE FUNCTION trakrf.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- Scrambles a sequence value (0 <= id < 2^62) into a non-guessable id of the
-- same range: a 3-round Feistel network over two 31-bit halves. The output swap
-- makes it its own inverse, so permute_id(permute_id(x)) = x.
CREATE FUNCTION trakrf.permute_id(id bigint) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    l bigint := (id >> 31) & 2147483647;
    r bigint := id & 2147483647;
    t bigint;
BEGIN
    IF id < 0 OR id >= (1::bigint << 62) THEN
        RAISE EXCEPTION 'permute_id: % is outside [0, 2^62)', id;
    END IF;
    FOR i IN 1..3 LOOP
        t := r;
        -- Round function: one LCG step on the right half (no round keys, so the
        -- network stays self-inverse).
        r := l # ((r * 1103515245 + 12345) % 2147483648);
        l := t;
    END LOOP;
    RETURN (r << 31) | l;
END;
$$;
COMMENT ON FUNCTION trakrf.permute_id(bigint) IS 'Self-inverse Feistel scramble of sequence ids';

DO $$
BEGIN
    RAISE NOTICE 'schema trakrf ready (permute_id(1) = %)', trakrf.permute_id(1);
END;
$$;

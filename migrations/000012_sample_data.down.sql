-- Deletes exactly the rows inserted by 000012_sample_data.up.sql, children first,
-- matching them by the natural keys they were seeded with. Several foreign keys
-- cascade (tags -> events, accounts -> everything), so the migration first checks
-- that the sample accounts and users hold only the seeded rows, and at the end that
-- nothing else still refers to them; otherwise it fails instead of taking other data along.

DO $$
DECLARE
    sample_accounts bigint[] := ARRAY(SELECT id FROM trakrf.accounts
                                       WHERE slug IN ('acme-logistics', 'globex-medical'));
    sample_users bigint[] := ARRAY(SELECT id FROM trakrf.users
                                    WHERE lower(email) IN ('alice@acme.example', 'bob@globex.example',
                                                           'carol@consulting.example'));
    found text;
BEGIN
    SELECT concat_ws(' ',
        (SELECT count(*) FROM trakrf.account_users WHERE account_id = ANY (sample_accounts)
                                                     OR user_id = ANY (sample_users)),
        (SELECT count(*) FROM trakrf.locations WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.devices WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.antennas WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.assets WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.tags WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.events WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.messages WHERE account_id = ANY (sample_accounts)
                                                OR user_id = ANY (sample_users)))
      INTO found;
    -- account_users, locations, devices, antennas, assets, tags, events, messages:
    -- exactly what the up seeded, or nothing at all (already removed by hand).
    IF found NOT IN ('4 5 2 3 5 6 6 2', '0 0 0 0 0 0 0 0') THEN
        RAISE EXCEPTION 'sample accounts/users hold rows not created by 000012_sample_data (counts: %)', found
            USING HINT = 'Delete or move that data before migrating down.';
    END IF;
END;
$$;

DELETE FROM trakrf.messages m
 USING trakrf.accounts a, trakrf.users u
 WHERE m.account_id = a.id AND m.user_id = u.id
   AND (a.slug, lower(u.email)) IN (
       ('acme-logistics', 'alice@acme.example'),
       ('globex-medical', 'bob@globex.example'))
   AND m.channel = 'email' AND m.subject = 'Welcome to trakrf';

DELETE FROM trakrf.events e
 USING trakrf.tags t, trakrf.accounts a
 WHERE e.account_id = t.account_id AND e.tag_id = t.id AND t.account_id = a.id
   AND (a.slug, t.epc, e.seen_at) IN (
       ('acme-logistics', 'E28011606000020A0000F001', timestamptz '2024-03-04 07:58:12+00'),
       ('acme-logistics', 'E28011606000020A0000F001', timestamptz '2024-03-04 08:03:40+00'),
       ('acme-logistics', 'E28011606000020A0000F002', timestamptz '2024-03-04 08:05:02+00'),
       ('acme-logistics', 'E28011606000020A0000F003', timestamptz '2024-03-04 09:12:55+00'),
       ('globex-medical', '3034257BF400B7800004CB2F', timestamptz '2024-03-04 10:00:00+00'),
       ('globex-medical', '3034257BF400B7800004CB30', timestamptz '2024-03-04 10:00:03+00'));

DELETE FROM trakrf.tags t
 USING trakrf.accounts a
 WHERE t.account_id = a.id
   AND (a.slug, t.epc) IN (
       ('acme-logistics', 'E28011606000020A0000F001'),
       ('acme-logistics', 'E28011606000020A0000F002'),
       ('acme-logistics', 'E28011606000020A0000F003'),
       ('acme-logistics', 'E28011606000020A0000F0FF'),
       ('globex-medical', '3034257BF400B7800004CB2F'),
       ('globex-medical', '3034257BF400B7800004CB30'));

DELETE FROM trakrf.assets x
 USING trakrf.accounts a
 WHERE x.account_id = a.id
   AND (a.slug, x.identifier) IN (
       ('acme-logistics', 'FL-07'), ('acme-logistics', 'PJ-12'), ('acme-logistics', 'CT-0042'),
       ('globex-medical', 'IP-301'), ('globex-medical', 'WC-18'));

DELETE FROM trakrf.antennas x
 USING trakrf.devices d, trakrf.accounts a
 WHERE x.device_id = d.id AND d.account_id = a.id
   AND (a.slug, d.identifier, x.port) IN (
       ('acme-logistics', 'R-1001', 1), ('acme-logistics', 'R-1001', 2),
       ('globex-medical', 'R-2001', 1));

DELETE FROM trakrf.devices x
 USING trakrf.accounts a
 WHERE x.account_id = a.id
   AND (a.slug, x.identifier) IN (('acme-logistics', 'R-1001'), ('globex-medical', 'R-2001'));

-- Zones and their sites in one statement, so the parent_id check passes at its end.
DELETE FROM trakrf.locations x
 USING trakrf.accounts a
 WHERE x.account_id = a.id
   AND (a.slug, x.identifier) IN (
       ('acme-logistics', 'WH1'), ('acme-logistics', 'WH1-DOCK'), ('acme-logistics', 'WH1-A01'),
       ('globex-medical', 'HQ'), ('globex-medical', 'HQ-STORE'));

DELETE FROM trakrf.account_users au
 USING trakrf.accounts a, trakrf.users u
 WHERE au.account_id = a.id AND au.user_id = u.id
   AND (a.slug, lower(u.email)) IN (
       ('acme-logistics', 'alice@acme.example'),
       ('globex-medical', 'bob@globex.example'),
       ('acme-logistics', 'carol@consulting.example'),
       ('globex-medical', 'carol@consulting.example'));

DO $$
DECLARE
    sample_accounts bigint[] := ARRAY(SELECT id FROM trakrf.accounts
                                       WHERE slug IN ('acme-logistics', 'globex-medical'));
    sample_users bigint[] := ARRAY(SELECT id FROM trakrf.users
                                    WHERE lower(email) IN ('alice@acme.example', 'bob@globex.example',
                                                           'carol@consulting.example'));
    leftover bigint;
BEGIN
    SELECT (SELECT count(*) FROM trakrf.account_users WHERE account_id = ANY (sample_accounts)
                                                         OR user_id = ANY (sample_users))
         + (SELECT count(*) FROM trakrf.locations WHERE account_id = ANY (sample_accounts))
         + (SELECT count(*) FROM trakrf.devices WHERE account_id = ANY (sample_accounts))
         + (SELECT count(*) FROM trakrf.antennas WHERE account_id = ANY (sample_accounts))
         + (SELECT count(*) FROM trakrf.assets WHERE account_id = ANY (sample_accounts))
         + (SELECT count(*) FROM trakrf.tags WHERE account_id = ANY (sample_accounts))
         + (SELECT count(*) FROM trakrf.events WHERE account_id = ANY (sample_accounts))
         + (SELECT count(*) FROM trakrf.messages WHERE account_id = ANY (sample_accounts)
                                                    OR user_id = ANY (sample_users))
      INTO leftover;
    IF leftover > 0 THEN
        RAISE EXCEPTION 'sample accounts/users are still referenced by % rows not created by 000012_sample_data', leftover
            USING HINT = 'Delete or move that data before migrating down.';
    END IF;

    DELETE FROM trakrf.users WHERE id = ANY (sample_users);
    DELETE FROM trakrf.accounts WHERE id = ANY (sample_accounts);
    RAISE NOTICE 'removed sample data (% accounts, % users)',
        cardinality(sample_accounts), cardinality(sample_users);
END;
$$;

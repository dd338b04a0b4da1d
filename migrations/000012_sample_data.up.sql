-- Demo data: two tenants with a small site each, readers, tagged assets and a few reads.
-- Rows are addressed by natural keys (slug, email, identifier, EPC) because ids are permuted.
-- The matching down migration deletes exactly these rows.

INSERT INTO trakrf.accounts (slug, name, plan, billing_email) VALUES
    ('acme-logistics', 'Acme Logistics', 'team', 'billing@acme.example'),
    ('globex-medical', 'Globex Medical', 'enterprise', 'ap@globex.example');

INSERT INTO trakrf.users (email, display_name) VALUES
    ('alice@acme.example', 'Alice Anders'),
    ('bob@globex.example', 'Bob Barker'),
    ('carol@consulting.example', 'Carol Chen');

INSERT INTO trakrf.account_users (account_id, user_id, role)
SELECT a.id, u.id, m.role::trakrf.account_role
  FROM (VALUES ('acme-logistics', 'alice@acme.example', 'owner'),
               ('globex-medical', 'bob@globex.example', 'owner'),
               ('acme-logistics', 'carol@consulting.example', 'viewer'),
               ('globex-medical', 'carol@consulting.example', 'admin')) AS m (slug, email, role)
  JOIN trakrf.accounts a ON a.slug = m.slug
  JOIN trakrf.users u ON lower(u.email) = m.email;

-- Top-level sites first, then the zones inside them.
INSERT INTO trakrf.locations (account_id, identifier, name)
SELECT a.id, l.identifier, l.name
  FROM (VALUES ('acme-logistics', 'WH1', 'Warehouse 1 (Rotterdam)'),
               ('globex-medical', 'HQ', 'Globex HQ hospital')) AS l (slug, identifier, name)
  JOIN trakrf.accounts a ON a.slug = l.slug;

INSERT INTO trakrf.locations (account_id, parent_id, identifier, name)
SELECT a.id, p.id, l.identifier, l.name
  FROM (VALUES ('acme-logistics', 'WH1', 'WH1-DOCK', 'Loading dock'),
               ('acme-logistics', 'WH1', 'WH1-A01', 'Aisle A01'),
               ('globex-medical', 'HQ', 'HQ-STORE', 'Equipment store')) AS l (slug, parent, identifier, name)
  JOIN trakrf.accounts a ON a.slug = l.slug
  JOIN trakrf.locations p ON p.account_id = a.id AND p.identifier = l.parent;

INSERT INTO trakrf.devices (account_id, location_id, identifier, name, kind, model, ip_address)
SELECT a.id, loc.id, d.identifier, d.name, d.kind, d.model, d.ip::inet
  FROM (VALUES ('acme-logistics', 'WH1-DOCK', 'R-1001', 'Dock door reader', 'fixed', 'Impinj R700', '10.10.0.21'),
               ('globex-medical', 'HQ-STORE', 'R-2001', 'Store room reader', 'fixed', 'Zebra FX9600', '10.20.0.5'))
       AS d (slug, location, identifier, name, kind, model, ip)
  JOIN trakrf.accounts a ON a.slug = d.slug
  JOIN trakrf.locations loc ON loc.account_id = a.id AND loc.identifier = d.location;

INSERT INTO trakrf.antennas (account_id, device_id, location_id, port, name, tx_power_dbm)
SELECT a.id, dev.id, loc.id, x.port, x.name, x.power
  FROM (VALUES ('acme-logistics', 'R-1001', 'WH1-DOCK', 1::smallint, 'Dock door inside', 30.0),
               ('acme-logistics', 'R-1001', 'WH1-A01', 2::smallint, 'Aisle A01 entrance', 27.5),
               ('globex-medical', 'R-2001', 'HQ-STORE', 1::smallint, 'Store room door', 25.0))
       AS x (slug, device, location, port, name, power)
  JOIN trakrf.accounts a ON a.slug = x.slug
  JOIN trakrf.devices dev ON dev.account_id = a.id AND dev.identifier = x.device
  JOIN trakrf.locations loc ON loc.account_id = a.id AND loc.identifier = x.location;

INSERT INTO trakrf.assets (account_id, location_id, identifier, name, asset_type, metadata)
SELECT a.id, loc.id, x.identifier, x.name, x.asset_type, x.metadata::jsonb
  FROM (VALUES ('acme-logistics', 'WH1-DOCK', 'FL-07', 'Forklift 7', 'vehicle', '{"make": "Toyota", "capacity_kg": 2500}'),
               ('acme-logistics', 'WH1-A01', 'PJ-12', 'Pallet jack 12', 'tool', '{}'),
               ('acme-logistics', 'WH1-A01', 'CT-0042', 'Returnable crate 42', 'container', '{"volume_l": 60}'),
               ('globex-medical', 'HQ-STORE', 'IP-301', 'Infusion pump 301', 'equipment', '{"serial": "BX-301-77"}'),
               ('globex-medical', 'HQ-STORE', 'WC-18', 'Wheelchair 18', 'equipment', '{}'))
       AS x (slug, location, identifier, name, asset_type, metadata)
  JOIN trakrf.accounts a ON a.slug = x.slug
  JOIN trakrf.locations loc ON loc.account_id = a.id AND loc.identifier = x.location;

-- One tag per asset plus a spare, unattached tag at Acme.
INSERT INTO trakrf.tags (account_id, asset_id, epc, attached_at)
SELECT a.id, ast.id, x.epc, CASE WHEN ast.id IS NOT NULL THEN timestamptz '2024-03-01 08:00:00+00' END
  FROM (VALUES ('acme-logistics', 'FL-07', 'E28011606000020A0000F001'),
               ('acme-logistics', 'PJ-12', 'E28011606000020A0000F002'),
               ('acme-logistics', 'CT-0042', 'E28011606000020A0000F003'),
               ('acme-logistics', NULL, 'E28011606000020A0000F0FF'),
               ('globex-medical', 'IP-301', '3034257BF400B7800004CB2F'),
               ('globex-medical', 'WC-18', '3034257BF400B7800004CB30'))
       AS x (slug, asset, epc)
  JOIN trakrf.accounts a ON a.slug = x.slug
  LEFT JOIN trakrf.assets ast ON ast.account_id = a.id AND ast.identifier = x.asset;

INSERT INTO trakrf.events (account_id, tag_id, antenna_id, location_id, seen_at, rssi)
SELECT a.id, t.id, ant.id, ant.location_id, x.seen_at::timestamptz, x.rssi
  FROM (VALUES ('acme-logistics', 'E28011606000020A0000F001', 'R-1001', 1, '2024-03-04 07:58:12+00', -52::smallint),
               ('acme-logistics', 'E28011606000020A0000F001', 'R-1001', 2, '2024-03-04 08:03:40+00', -61::smallint),
               ('acme-logistics', 'E28011606000020A0000F002', 'R-1001', 2, '2024-03-04 08:05:02+00', -58::smallint),
               ('acme-logistics', 'E28011606000020A0000F003', 'R-1001', 1, '2024-03-04 09:12:55+00', -47::smallint),
               ('globex-medical', '3034257BF400B7800004CB2F', 'R-2001', 1, '2024-03-04 10:00:00+00', -55::smallint),
               ('globex-medical', '3034257BF400B7800004CB30', 'R-2001', 1, '2024-03-04 10:00:03+00', -66::smallint))
       AS x (slug, epc, device, port, seen_at, rssi)
  JOIN trakrf.accounts a ON a.slug = x.slug
  JOIN trakrf.tags t ON t.account_id = a.id AND t.epc = x.epc
  JOIN trakrf.devices dev ON dev.account_id = a.id AND dev.identifier = x.device
  JOIN trakrf.antennas ant ON ant.device_id = dev.id AND ant.port = x.port;

INSERT INTO trakrf.messages (account_id, user_id, channel, subject, body)
SELECT a.id, u.id, 'email', 'Welcome to trakrf', 'Your account ' || a.name || ' is ready.'
  FROM trakrf.accounts a
  JOIN trakrf.account_users au ON au.account_id = a.id AND au.role = 'owner'
  JOIN trakrf.users u ON u.id = au.user_id
 WHERE a.slug IN ('acme-logistics', 'globex-medical');

DO $$
DECLARE
    sample_accounts bigint[] := ARRAY(SELECT id FROM trakrf.accounts
                                       WHERE slug IN ('acme-logistics', 'globex-medical'));
BEGIN
    RAISE NOTICE 'seeded % accounts, % locations, % devices',
        cardinality(sample_accounts),
        (SELECT count(*) FROM trakrf.locations WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.devices WHERE account_id = ANY (sample_accounts));
    RAISE NOTICE 'seeded % assets, % tags, % events',
        (SELECT count(*) FROM trakrf.assets WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.tags WHERE account_id = ANY (sample_accounts)),
        (SELECT count(*) FROM trakrf.events WHERE account_id = ANY (sample_accounts));
END;
$$;

-- A small FreePBX site: chan_sip on 5160 and chan_pjsip on 5060 (FreePBX's
-- defaults since both drivers run side by side), a trunk in each table, and
-- the Endpoint Manager's Cisco catalogue (brand 7, family sip79xx).
INSERT INTO sipsettings (keyword, data, seq, type) VALUES ('bindport', '5160', 0, 0);
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES ('udpport-0.0.0.0', '5060', NULL, 'noid');
INSERT INTO users (extension, name) VALUES
  ('1001', 'Alice Reception'), ('1002', 'Bob Sales'), ('1003', 'Jürgen Müller'), ('1004', 'Dora Support'),
  ('2001', 'Lab 7940');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1001', 'pjsip', 'PJSIP/1001', 'fixed', '1001', 'Alice Reception'),
  ('1002', 'pjsip', 'PJSIP/1002', 'fixed', '1002', 'Bob Sales'),
  ('1003', 'sip', 'SIP/1003', 'fixed', '1003', 'Jürgen Müller'),
  ('1004', 'sip', 'SIP/1004', 'fixed', '1004', 'Dora Support'),
  ('2001', 'sip', 'SIP/2001', 'fixed', '2001', 'Lab 7940');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1001', 'secret', 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a12', 2), ('1001', 'account', '1001', 20), ('1001', 'sipdriver', 'chan_pjsip', 3), ('1001', 'md5_cred', '', 4),
  ('1002', 'secret', 'b4e2d0f18c3e5f7a9b2c4d6e8f0a1b23', 2), ('1002', 'account', '1002', 20), ('1002', 'sipdriver', 'chan_pjsip', 3),
  ('1003', 'secret', 'c5f3e1a29d4f6a8b0c3d5e7f9a1b2c34', 2), ('1003', 'account', '1003', 20), ('1003', 'sipdriver', 'chan_sip', 3),
  ('1004', 'secret', 'd6a4f2b30e5a7b9c1d4e6f8a0b2c3d45', 2), ('1004', 'account', '1004', 20), ('1004', 'sipdriver', 'chan_sip', 3),
  ('2001', 'secret', 'e7b5a3c41f6b8c0d2e5f7a9b1c3d4e56', 2), ('2001', 'account', '2001', 20), ('2001', 'sipdriver', 'chan_sip', 3),
  ('tr-peer-1', 'secret', 'trunksecret', 2);
INSERT INTO pjsip (id, keyword, data, flags) VALUES ('1', 'secret', 'pjsiptrunksecret', 0);
INSERT INTO endpointman_brand_list (id, name, directory, installed) VALUES ('7', 'Cisco/Linksys', 'cisco', 1);
INSERT INTO endpointman_model_list (id, brand, model, max_lines, product_id, enabled) VALUES
  ('711', 7, '7940', 4, '71', 1), ('712', 7, '7960', 6, '71', 1);

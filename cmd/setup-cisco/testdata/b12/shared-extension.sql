-- Added to FreePBX 16's tables (testdb generation freepbx16: 1601 chan_sip,
-- 1602 chan_pjsip). FreePBX's own defaults for a new PJSIP device
-- (core release/16.0 functions.inc/drivers/PJSip.class.php
-- getDefaultDeviceSettings): max_contacts "1", remove_existing "no"; the
-- generated aor then has max_contacts=1 and remove_existing=yes (genConfig,
-- "Never allow zero"): a second REGISTER replaces the first contact.
-- 1603 is a PJSIP device an admin set to max_contacts 3 (a shared line).
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1602', 'max_contacts', '1', 14), ('1602', 'remove_existing', 'no', 15);
INSERT INTO users (extension, name, voicemail) VALUES ('1603', 'Ida Shared', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1603', 'pjsip', 'PJSIP/1603', 'fixed', '1603', 'Ida Shared');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1603', 'secret', 'p16Secret03', 2), ('1603', 'account', '1603', 20), ('1603', 'sipdriver', 'chan_pjsip', 3),
  ('1603', 'max_contacts', '3', 14), ('1603', 'remove_existing', 'no', 15);

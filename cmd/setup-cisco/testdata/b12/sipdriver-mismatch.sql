-- Added to FreePBX 16's tables (chan_sip on 5160, chan_pjsip on 5060).
-- Two extensions whose devices.tech and sip 'sipdriver' disagree, as Bulk
-- Handler leaves them when an exported CSV's tech column is edited and its
-- sipdriver column is not (core release/16.0 Core::bulkhandlerImport: the
-- CSV's value of every default device setting, sipdriver included,
-- replaces generateDefaultDeviceSettings' own).
-- What FreePBX then writes for Asterisk (core release/13.0-17.0):
--   chan_sip (functions.inc.php, sip_additional.conf): a peer for every sip
--   id with an 'account' row, skipping those whose sipdriver is chan_pjsip;
--   devices.tech is not looked at;
--   chan_pjsip (drivers/PJSip.class.php getAllDevs + generateEndpoint):
--   devices with tech 'pjsip' whose sipdriver is chan_pjsip.
-- So 1604 (tech pjsip, sipdriver chan_sip) is a chan_sip peer on 5160 and
-- no PJSIP endpoint; 1605 (tech sip, sipdriver chan_pjsip) is neither.
INSERT INTO users (extension, name, voicemail) VALUES ('1604', 'Jan Csv', 'default'), ('1605', 'Kim Csv', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1604', 'pjsip', 'PJSIP/1604', 'fixed', '1604', 'Jan Csv'),
  ('1605', 'sip', 'SIP/1605', 'fixed', '1605', 'Kim Csv');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1604', 'secret', 'p16Secret04', 2), ('1604', 'account', '1604', 3), ('1604', 'sipdriver', 'chan_sip', 4),
  ('1605', 'secret', 'p16Secret05', 2), ('1605', 'account', '1605', 3), ('1605', 'sipdriver', 'chan_pjsip', 4);

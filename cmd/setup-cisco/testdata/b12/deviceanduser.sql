-- Added to FreePBX 16's tables: a site in "deviceanduser" mode (Advanced
-- Settings AMPEXTENSIONS = deviceanduser: Applications > Devices and Users
-- instead of Extensions). User 200 (users.extension) has two chan_sip
-- devices whose ids are not the user's number, the layout of FreePBX's own
-- article "FreePBX Devices and Users Under the Hood" (/AMPUSER/200/device :
-- 00000001&00000002, /DEVICE/00000001/user : 200). A phone registers as the
-- device (chan_sip peer [account] = devices.id).
INSERT INTO users (extension, name, voicemail) VALUES ('200', 'Ryan Courtnage', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('00000001', 'sip', 'SIP/00000001', 'fixed', '200', 'Ryan desk'),
  ('00000002', 'sip', 'SIP/00000002', 'fixed', '200', 'Ryan lab');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('00000001', 'secret', 'd0001Secret', 2), ('00000001', 'account', '00000001', 3),
  ('00000002', 'secret', 'd0002Secret', 2), ('00000002', 'account', '00000002', 3);

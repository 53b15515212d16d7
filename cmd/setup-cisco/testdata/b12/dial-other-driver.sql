-- Added to FreePBX 16's tables. Extension 1608 is a PJSIP device whose dial
-- string still names chan_sip, as devices written by hand in SQL end up
-- (public example: huynhcntt2012/integrate script_cmd_sql/create_user.sql,
-- "INSERT INTO devices (id, tech, dial, ...) VALUES ('1001', 'pjsip',
-- 'SIP/1001', ...)"). Core::addDevice copies devices.dial into the astdb
-- (DEVICE/<id>/dial) and FreePBX rings a device through that string
-- (core release/16.0 functions.inc.php: THISDIAL = DB(DEVICE/.../dial)); the
-- hint comes from it too. So the phone registers to chan_pjsip, calls out,
-- and never rings: calls go to SIP/1608, a chan_sip peer that does not exist.
INSERT INTO users (extension, name, voicemail) VALUES ('1608', 'Lea Sql', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1608', 'pjsip', 'SIP/1608', 'fixed', '1608', 'Lea Sql');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1608', 'secret', 'p16Secret08', 2), ('1608', 'account', '1608', 3), ('1608', 'sipdriver', 'chan_pjsip', 4);

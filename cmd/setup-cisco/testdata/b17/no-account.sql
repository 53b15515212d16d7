-- Added to FreePBX 16's tables. Extensions 1721 (chan_sip) and 1722
-- (chan_pjsip) whose sip rows have a secret but no 'account' row, as SQL
-- written by hand (or a partial restore of the sip table) leaves them;
-- FreePBX's own device form always writes one (core release/16.0
-- Core::generateDefaultDeviceSettings: 'account' => the extension).
-- FreePBX names what it generates after that row: chan_sip peers come from
-- "SELECT data,id FROM sip WHERE keyword='account'", the section being
-- [<account>] (functions.inc.php, sip_additional.conf), and a PJSIP
-- endpoint is named $config['account'] (drivers/PJSip.class.php
-- generateEndpoint). Without the row neither driver has anything named
-- 1721 or 1722 to register to.
INSERT INTO users (extension, name, voicemail) VALUES ('1721', 'Nia Noacct', 'default'), ('1722', 'Ole Noacct', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1721', 'sip', 'SIP/1721', 'fixed', '1721', 'Nia Noacct'),
  ('1722', 'pjsip', 'PJSIP/1722', 'fixed', '1722', 'Ole Noacct');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1721', 'secret', 'c17Secret21', 2), ('1721', 'sipdriver', 'chan_sip', 4), ('1721', 'account', '1721', 3),
  ('1722', 'secret', 'p17Secret22', 2), ('1722', 'sipdriver', 'chan_pjsip', 4), ('1722', 'account', '1722', 3);

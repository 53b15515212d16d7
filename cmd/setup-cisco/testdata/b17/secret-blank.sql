-- Added to FreePBX 16's tables. Extension 1701 (chan_pjsip) and 1702
-- (chan_sip) have a secret pasted with a blank at its end (and, for 1702,
-- at its start): FreePBX's Secret field (core release/16.0
-- functions.inc/drivers/Sip.class.php, 'secret' with no trim) stores what
-- was typed, and writes it as "password=<secret>" into pjsip.auth.conf and
-- "secret=<secret>" into sip_additional.conf. Asterisk's config reader
-- strips blanks around every value (asterisk main/config.c
-- process_text_line: ast_variable_new(cur, ast_strip(c), ...)), so the
-- secret Asterisk checks is the one without the blanks.
INSERT INTO users (extension, name, voicemail) VALUES ('1701', 'Pat Paste', 'default'), ('1702', 'Sam Space', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1701', 'pjsip', 'PJSIP/1701', 'fixed', '1701', 'Pat Paste'),
  ('1702', 'sip', 'SIP/1702', 'fixed', '1702', 'Sam Space');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1701', 'secret', 'Pa55word17 ', 2), ('1701', 'account', '1701', 3), ('1701', 'sipdriver', 'chan_pjsip', 4),
  ('1702', 'secret', ' Secret1702	', 2), ('1702', 'account', '1702', 3), ('1702', 'sipdriver', 'chan_sip', 4);

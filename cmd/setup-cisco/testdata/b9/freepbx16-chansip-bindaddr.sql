-- On top of internal/testdb/generations/freepbx16.sql. chan_sip's "Bind
-- Address" (Settings > Asterisk SIP Settings > chan_sip, sipsettings keyword
-- 'bindaddr', type 0 = SIP_NORMAL; FreePBX/sipsettings Sipsettings.class.php
-- getChanSipDefaults has 'bindaddr' => '' and getBinds uses it as chan_sip's
-- one UDP listener, release/16.0) set to one interface, 192.0.2.5, with the
-- bindport 5160 of the fixture. Phones sent to 192.0.2.10:5160 get no answer.
INSERT INTO sipsettings (keyword, data, seq, type) VALUES ('bindaddr', '192.0.2.5', 2, 0);

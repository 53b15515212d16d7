-- On top of internal/testdb/generations/freepbx16.sql (FreePBX 16 tables from
-- FreePBX/core and sipsettings module.xml; kvstore_Sipsettings layout from
-- FreePBX's DB_Helper). Settings > Asterisk SIP Settings > chan_pjsip with the
-- UDP transport switched off and TLS on (a "TLS only" site): sipsettings
-- Sipsettings::getBinds lists only binds whose state is "on", so Asterisk's
-- pjsip.transports.conf gets no UDP transport at all. 7940/7960 SIP loads
-- speak UDP (no TLS).
UPDATE kvstore_Sipsettings SET val = '{"udp":{"0.0.0.0":"off","[::]":"off"},"tls":{"0.0.0.0":"on"}}' WHERE `key` = 'binds';
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES ('tlsport-0.0.0.0', '5061', NULL, 'noid');

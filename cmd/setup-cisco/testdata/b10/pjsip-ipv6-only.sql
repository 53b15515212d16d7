-- On top of internal/testdb/generations/freepbx16.sql. chan_pjsip's UDP
-- transport on one IPv6 address only (Settings > Asterisk SIP Settings >
-- chan_pjsip: 0.0.0.0 and [::] off, the host's global IPv6 address on;
-- sipsettings 'binds' JSON as in freepbx16-pjsip-bind-other-address.sql).
-- A 7940/7960 speaks IPv4 only: no address in SIP<MAC>.cnf can reach it.
UPDATE kvstore_Sipsettings SET val = '{"udp":{"0.0.0.0":"off","[::]":"off","[2001:db8::5]":"on"}}' WHERE `key` = 'binds';
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES ('udpport-[2001:db8::5]', '5070', NULL, 'noid');

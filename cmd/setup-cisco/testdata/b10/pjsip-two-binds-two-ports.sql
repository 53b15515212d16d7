-- On top of internal/testdb/generations/freepbx16.sql. chan_pjsip's UDP
-- transport on 192.0.2.5:5070 and 192.0.2.10:5062 (wildcards off); the
-- settings file picks pjsip_port = 5062, the port of the 192.0.2.10 bind.
UPDATE kvstore_Sipsettings SET val = '{"udp":{"0.0.0.0":"off","[::]":"off","192.0.2.5":"on","192.0.2.10":"on"}}' WHERE `key` = 'binds';
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES ('udpport-192.0.2.5', '5070', NULL, 'noid'), ('udpport-192.0.2.10', '5062', NULL, 'noid');

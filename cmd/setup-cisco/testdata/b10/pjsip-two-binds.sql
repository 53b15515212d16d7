-- On top of internal/testdb/generations/freepbx16.sql. chan_pjsip's UDP
-- transport on two addresses of the host (wildcards off): 10.0.0.5 (the
-- server VLAN) and 192.0.2.10 (the phone VLAN), both port 5070. The phones
-- are given proxy_address 192.0.2.10, an address chan_pjsip listens on.
UPDATE kvstore_Sipsettings SET val = '{"udp":{"0.0.0.0":"off","[::]":"off","10.0.0.5":"on","192.0.2.10":"on"}}' WHERE `key` = 'binds';
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES ('udpport-10.0.0.5', '5070', NULL, 'noid'), ('udpport-192.0.2.10', '5070', NULL, 'noid');

-- On top of internal/testdb/generations/freepbx16.sql. chan_pjsip bound to one
-- interface only (192.0.2.5:5070; the wildcard bind switched off, its port
-- still stored), as in shared/cases/freepbx-pjsip-bind-on-one-address.sql,
-- while the phones are given another address of this host (192.0.2.10,
-- proxy_address or the primary IPv4). Asterisk's PJSIP transport listens
-- only on 192.0.2.5:5070, so REGISTER to 192.0.2.10:5070 gets no answer.
UPDATE kvstore_Sipsettings SET val = '{"udp":{"0.0.0.0":"off","[::]":"off","192.0.2.5":"on"}}' WHERE `key` = 'binds';
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES ('udpport-192.0.2.5', '5070', NULL, 'noid');

-- On top of internal/testdb/generations/freepbx16.sql. chan_sip bound to the
-- PBX's LAN address 10.0.0.5 (sipsettings 'bindaddr', type 0); the phones
-- are at a remote site and reach the PBX through its router's public address
-- 203.0.113.7, which forwards UDP 5160 to 10.0.0.5 (proxy_address set so).
INSERT INTO sipsettings (keyword, data, seq, type) VALUES ('bindaddr', '10.0.0.5', 2, 0);

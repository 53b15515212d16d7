-- On top of internal/testdb/generations/freepbx16.sql. chan_sip's "Bind
-- Address" (sipsettings keyword 'bindaddr', type 0) set to 127.0.0.1: chan_sip
-- answers only this host (a PBX that keeps chan_sip for a local gateway).
-- No phone can reach 127.0.0.1; setup-cisco itself refuses proxy_address
-- 127.0.0.1 ("not an address a phone can reach").
INSERT INTO sipsettings (keyword, data, seq, type) VALUES ('bindaddr', '127.0.0.1', 2, 0);

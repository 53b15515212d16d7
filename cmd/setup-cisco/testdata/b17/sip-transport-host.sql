-- Added to FreePBX 16's tables. Two chan_sip extensions as FreePBX's own
-- device form can leave them (core release/16.0
-- functions.inc/drivers/Sip.class.php: 'transport' select 'TLS Only'
-- (value 'tls'), 'TCP Only', 'WS Only', ...; default 'udp,tcp,tls'; 'host'
-- default 'dynamic', a free text field), e.g. an extension first used by a
-- TLS softphone, or one whose Host was set to the phone's fixed address.
-- chan_sip answers every REGISTER of such a peer over UDP with 403 Forbidden
-- (asterisk branch 20 channels/chan_sip.c register_verify: 'not configured
-- as host=dynamic' -> AUTH_PEER_NOT_DYNAMIC; check_request_transport ->
-- AUTH_BAD_TRANSPORT), and a 7940/7960 registers over UDP.
INSERT INTO users (extension, name, voicemail) VALUES ('1711', 'Tia Tls', 'default'), ('1712', 'Hal Host', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1711', 'sip', 'SIP/1711', 'fixed', '1711', 'Tia Tls'),
  ('1712', 'sip', 'SIP/1712', 'fixed', '1712', 'Hal Host');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1711', 'secret', 'c17Secret11', 2), ('1711', 'account', '1711', 3), ('1711', 'sipdriver', 'chan_sip', 4),
  ('1711', 'host', 'dynamic', 5), ('1711', 'transport', 'tls', 6),
  ('1712', 'secret', 'c17Secret12', 2), ('1712', 'account', '1712', 3), ('1712', 'sipdriver', 'chan_sip', 4),
  ('1712', 'host', '192.0.2.77', 5), ('1712', 'transport', 'udp,tcp,tls', 6);
-- chan_sip's TLS is on (Settings > Asterisk SIP Settings > chan_sip, Enable
-- TLS: sipsettings tlsenable=yes), as it must be for the TLS softphone:
-- with it off, FreePBX drops 'tls' from the peer's transport when it writes
-- sip_additional.conf (core release/16.0 functions.inc.php, tlsenable/
-- tcpenable 'no' or unset), chan_sip falls back to its default UDP, and
-- 1711 would register.
INSERT INTO sipsettings (keyword, data, seq, type) VALUES ('tlsenable', 'yes', 10, 0);

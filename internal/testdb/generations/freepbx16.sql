-- FreePBX 15 / 16 / 17: see README.md for the sources of each table.
CREATE TABLE devices (
  id varchar(20) NOT NULL DEFAULT '',
  tech varchar(10) NOT NULL DEFAULT '',
  dial varchar(255) NOT NULL DEFAULT '',
  devicetype varchar(5) NOT NULL DEFAULT '',
  user varchar(50) DEFAULT NULL,
  description varchar(50) DEFAULT NULL,
  emergency_cid varchar(100) DEFAULT NULL,
  hint_override varchar(100) DEFAULT NULL,
  KEY id (id),
  KEY tech (tech)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE users (
  extension varchar(20) NOT NULL DEFAULT '',
  password varchar(20) DEFAULT NULL,
  name varchar(50) DEFAULT NULL,
  voicemail varchar(50) DEFAULT NULL,
  ringtimer int(11) DEFAULT NULL,
  noanswer varchar(100) DEFAULT NULL,
  recording varchar(50) DEFAULT NULL,
  outboundcid varchar(50) DEFAULT NULL,
  sipname varchar(50) DEFAULT NULL,
  noanswer_cid varchar(20) NOT NULL DEFAULT '',
  busy_cid varchar(20) NOT NULL DEFAULT '',
  chanunavail_cid varchar(20) NOT NULL DEFAULT '',
  noanswer_dest varchar(255) NOT NULL DEFAULT '',
  busy_dest varchar(255) NOT NULL DEFAULT '',
  chanunavail_dest varchar(255) NOT NULL DEFAULT '',
  mohclass varchar(80) DEFAULT 'default',
  KEY extension (extension)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE sip (
  id varchar(20) NOT NULL DEFAULT '-1',
  keyword varchar(30) NOT NULL DEFAULT '',
  data varchar(8100) NOT NULL,
  flags int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (id, keyword)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE pjsip (
  id varchar(20) NOT NULL DEFAULT '-1',
  keyword varchar(30) NOT NULL DEFAULT '',
  data varchar(8100) NOT NULL,
  flags int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (id, keyword)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE sipsettings (
  keyword varchar(50) NOT NULL DEFAULT '',
  data varchar(255) NOT NULL DEFAULT '',
  seq tinyint(1) NOT NULL DEFAULT 0,
  type tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (keyword, seq, type)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE kvstore_Sipsettings (
  `key` char(255) NOT NULL,
  val varchar(4096) DEFAULT NULL,
  type char(16) DEFAULT NULL,
  id char(255) DEFAULT NULL,
  UNIQUE KEY uniqueindex (`key`(190), id(190)),
  KEY keyindex (`key`(190)),
  KEY idindex (id(190))
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- A FreePBX 16 site with chan_sip (5160) and chan_pjsip (5060 on the
-- wildcard bind, plus an IPv6 wildcard bind on 5060 too).
INSERT INTO users (extension, name, voicemail) VALUES ('1601', 'Gina Sip', 'default'), ('1602', 'Hugo Pjsip', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1601', 'sip', 'SIP/1601', 'fixed', '1601', 'Gina Sip'), ('1602', 'pjsip', 'PJSIP/1602', 'fixed', '1602', 'Hugo Pjsip');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1601', 'secret', 'c16Secret01', 2), ('1601', 'account', '1601', 20), ('1601', 'sipdriver', 'chan_sip', 3),
  ('1601', 'host', 'dynamic', 6), ('1601', 'type', 'friend', 9), ('1601', 'transport', 'udp,tcp,tls', 13),
  ('1602', 'secret', 'p16Secret02', 2), ('1602', 'account', '1602', 20), ('1602', 'sipdriver', 'chan_pjsip', 3);
INSERT INTO sipsettings (keyword, data, seq, type) VALUES ('bindport', '5160', 1, 0);
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES
  ('binds', '{"udp":{"0.0.0.0":"on","[::]":"on"}}', 'json-arr', 'noid'),
  ('udpport-0.0.0.0', '5060', NULL, 'noid'),
  ('udpport-[::]', '5060', NULL, 'noid');

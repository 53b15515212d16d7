-- FreePBX 14: see README.md for the sources of each table.
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
) DEFAULT CHARSET=utf8;
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
) DEFAULT CHARSET=utf8;
CREATE TABLE sip (
  id varchar(20) NOT NULL DEFAULT '-1',
  keyword varchar(30) NOT NULL DEFAULT '',
  data varchar(255) NOT NULL,
  flags int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (id, keyword)
) DEFAULT CHARSET=utf8;
CREATE TABLE pjsip (
  id varchar(20) NOT NULL DEFAULT '-1',
  keyword varchar(30) NOT NULL DEFAULT '',
  data varchar(255) NOT NULL,
  flags int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (id, keyword)
) DEFAULT CHARSET=utf8;
CREATE TABLE sipsettings (
  keyword varchar(50) NOT NULL DEFAULT '',
  data varchar(255) NOT NULL DEFAULT '',
  seq tinyint(1) NOT NULL DEFAULT 0,
  type tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (keyword, seq, type)
) DEFAULT CHARSET=utf8;
CREATE TABLE kvstore_Sipsettings (
  `key` char(255) NOT NULL,
  val varchar(4096) DEFAULT NULL,
  type char(16) DEFAULT NULL,
  id char(255) DEFAULT NULL,
  UNIQUE KEY uniqueindex (`key`(190), id(190)),
  KEY keyindex (`key`(190)),
  KEY idindex (id(190))
) DEFAULT CHARSET=utf8;
-- A FreePBX 14 site, chan_pjsip only: the 0.0.0.0 bind switched off, two
-- interface binds on (5070 on 192.0.2.14, 5072 on 198.51.100.14); chan_sip
-- has no bindport row.
INSERT INTO users (extension, name, voicemail) VALUES ('1401', 'Erin Desk', 'default'), ('1402', 'Finn Lab', 'default');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES
  ('1401', 'pjsip', 'PJSIP/1401', 'fixed', '1401', 'Erin Desk'), ('1402', 'pjsip', 'PJSIP/1402', 'fixed', '1402', 'Finn Lab');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('1401', 'secret', 'p14Secret01', 2), ('1401', 'account', '1401', 20), ('1401', 'sipdriver', 'chan_pjsip', 3),
  ('1402', 'secret', 'p14Secret02', 2), ('1402', 'account', '1402', 20), ('1402', 'sipdriver', 'chan_pjsip', 3);
INSERT INTO kvstore_Sipsettings (`key`, val, type, id) VALUES
  ('binds', '{"udp":{"0.0.0.0":"off","198.51.100.14":"on","192.0.2.14":"on"},"tcp":{"0.0.0.0":"on"}}', 'json-arr', 'noid'),
  ('udpport-0.0.0.0', '5060', NULL, 'noid'),
  ('tcpport-0.0.0.0', '5060', NULL, 'noid'),
  ('udpport-192.0.2.14', '5070', NULL, 'noid'),
  ('udpport-198.51.100.14', '5072', NULL, 'noid');

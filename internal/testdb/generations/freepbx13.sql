-- FreePBX 12 / 13: see README.md for the sources of each table.
CREATE TABLE `devices` (
  `id` varchar(20) NOT NULL default '',
  `tech` varchar(10) NOT NULL default '',
  `dial` varchar(50) NOT NULL default '',
  `devicetype` varchar(5) NOT NULL default '',
  `user` varchar(50) default NULL,
  `description` varchar(50) default NULL,
  `emergency_cid` varchar(100) default NULL
);
CREATE TABLE `sip` (
  `id` varchar(20) NOT NULL default '-1',
  `keyword` varchar(30) NOT NULL default '',
  `data` varchar(255) NOT NULL default '',
  `flags` int(1) NOT NULL default '0',
  PRIMARY KEY  (`id`,`keyword`)
);
CREATE TABLE `users` (
  `extension` varchar(20) NOT NULL default '',
  `password` varchar(20) default NULL,
  `name` varchar(50) default NULL,
  `voicemail` varchar(50) default NULL,
  `ringtimer` int(3) default NULL,
  `noanswer` varchar(100) default NULL,
  `recording` varchar(50) default NULL,
  `outboundcid` varchar(50) default NULL,
  `sipname` varchar(50) default NULL,
  `mohclass` varchar(80) NOT NULL default 'default'
);
CREATE TABLE IF NOT EXISTS `sipsettings` (
  `keyword` VARCHAR (50) NOT NULL default '',
  `data`    VARCHAR (255) NOT NULL default '',
  `seq`     TINYINT (1),
  `type`    TINYINT (1) NOT NULL default '0',
  PRIMARY KEY (`keyword`,`seq`,`type`)
);
CREATE TABLE IF NOT EXISTS kvstore ( `module` CHAR(64) NOT NULL, `key` CHAR(255) NOT NULL, `val` LONGBLOB, `type` CHAR(16) DEFAULT NULL, `id` CHAR(255) DEFAULT NULL);
ALTER TABLE kvstore ADD INDEX index1 (`key`(50));
ALTER TABLE kvstore ADD UNIQUE INDEX index3 (`module`, `key`(50), `id`(50));
ALTER TABLE kvstore ADD INDEX index5 (`module`, `id`(50));
-- A FreePBX 13 site with "both" drivers: chan_sip moved to 5160 by the
-- installer, chan_pjsip on 5060 for 0.0.0.0 plus a second, switched-off
-- bind on 5080 (its port stays stored), and another module's keys.
INSERT INTO `users` (extension, password, name, voicemail, ringtimer, noanswer, recording, outboundcid, sipname) VALUES
  ('1301', '', 'Carla Sip', 'default', 0, '', '', '', ''),
  ('1302', '', 'Dan Pjsip', 'default', 0, '', '', '', '');
INSERT INTO `devices` VALUES
  ('1301', 'sip', 'SIP/1301', 'fixed', '1301', 'Carla Sip', ''),
  ('1302', 'pjsip', 'PJSIP/1302', 'fixed', '1302', 'Dan Pjsip', '');
INSERT INTO `sip` VALUES
  ('1301', 'secret', 'c13Secret01', 2), ('1301', 'sipdriver', 'chan_sip', 3),
  ('1301', 'host', 'dynamic', 6), ('1301', 'type', 'friend', 9), ('1301', 'transport', 'udp,tcp,tls', 13), ('1301', 'account', '1301', 20),
  ('1302', 'secret', 'p13Secret02', 2), ('1302', 'sipdriver', 'chan_pjsip', 3), ('1302', 'account', '1302', 20);
INSERT INTO `sipsettings` (keyword, data, seq, type) VALUES ('bindport', '5160', 1, 0), ('tlsbindport', '5161', 1, 0);
INSERT INTO kvstore (module, `key`, val, type, id) VALUES
  ('Sipsettings', 'udpport-0.0.0.0', '5060', NULL, 'noid'),
  ('Sipsettings', 'tcpport-0.0.0.0', '5060', NULL, 'noid'),
  ('Sipsettings', 'udpport-192.0.2.13', '5080', NULL, 'noid'),
  ('Sipsettings', 'binds', '{"udp":{"0.0.0.0":"on","192.0.2.13":"off"}}', 'json-arr', 'noid'),
  ('FreePBX\\modules\\Dashboard', 'udpport-0.0.0.0', '9999', NULL, 'noid');

-- IssabelPBX (the FreePBX 2.11 fork Issabel 4/5 ships), tables from its own
-- installer: IssabelFoundation/issabelPBX framework/SQL/newinstall.sql
-- (devices, users, sip, featurecodes, outbound_route*, pjsipsettings) and
-- sipsettings/install.php (the sipsettings table; install.php also inserts
-- pjsipsettings bindport 5066 and tlsbindport 5067, the chan_pjsip transport
-- ports core/functions.inc.php generate_pjsip_transport_additional() writes
-- as bind=0.0.0.0:5066 into pjsip_transport_additional.conf).
CREATE TABLE `devices` (
`id` varchar(20) PRIMARY KEY NOT NULL,
`tech` varchar(10) NOT NULL,
`dial` varchar(50) NOT NULL,
`devicetype` varchar(5) NOT NULL,
`user` varchar(50) ,
`description` varchar(50) ,
`emergency_cid` varchar(100) 
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `users` (
`extension` varchar(20) PRIMARY KEY NOT NULL,
`password` varchar(20) ,
`name` varchar(50) ,
`voicemail` varchar(50) ,
`ringtimer` INTEGER,
`noanswer` varchar(100) ,
`recording` varchar(50) ,
`outboundcid` varchar(50) ,
`sipname` varchar(50) ,
`mohclass` varchar(80) ,
`noanswer_cid` varchar(20) ,
`busy_cid` varchar(20) ,
`chanunavail_cid` varchar(20) ,
`noanswer_dest` varchar(255) ,
`busy_dest` varchar(255) ,
`chanunavail_dest` varchar(255) 
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `sip` (
`id` varchar(20) NOT NULL,
`keyword` varchar(30) NOT NULL,
`data` varchar(255) NOT NULL,
`flags` INTEGER NOT NULL,
PRIMARY KEY (`id`,`keyword`)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `featurecodes` (
`modulename` varchar(50) NOT NULL,
`featurename` varchar(50) NOT NULL,
`description` varchar(200) NOT NULL,
`defaultcode` varchar(20) ,
`customcode` varchar(20) ,
`enabled` tinyint(1) NOT NULL,
`providedest` tinyint(1) NOT NULL,
PRIMARY KEY (`modulename`,`featurename`)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `outbound_routes` (
`route_id` INTEGER PRIMARY KEY AUTO_INCREMENT NOT NULL,
`name` varchar(40) ,
`outcid` varchar(40) ,
`outcid_mode` varchar(20) ,
`password` varchar(30) ,
`emergency_route` varchar(4) ,
`intracompany_route` varchar(4) ,
`mohclass` varchar(80) ,
`time_group_id` INTEGER,
`dest` varchar(255) 
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `outbound_route_patterns` (
`route_id` INTEGER NOT NULL,
`match_pattern_prefix` varchar(60) NOT NULL,
`match_pattern_pass` varchar(60) NOT NULL,
`match_cid` varchar(60) NOT NULL,
`prepend_digits` varchar(100) NOT NULL,
PRIMARY KEY (`route_id`,`match_pattern_prefix`,`match_pattern_pass`,`match_cid`,`prepend_digits`)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `outbound_route_sequence` (
`route_id` INTEGER NOT NULL,
`seq` INTEGER NOT NULL,
PRIMARY KEY (`route_id`,`seq`)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `outbound_route_trunks` (
`route_id` INTEGER NOT NULL,
`trunk_id` INTEGER NOT NULL,
`seq` INTEGER NOT NULL,
PRIMARY KEY (`route_id`,`trunk_id`,`seq`)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE `pjsipsettings` (
`keyword` varchar(50) NOT NULL,
`data` varchar(255) NOT NULL,
`seq` tinyint(1) NOT NULL DEFAULT '1',
`type` tinyint(1) DEFAULT '0' NOT NULL,
PRIMARY KEY (`keyword`,`seq`,`type`)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS `sipsettings` (
  `keyword` VARCHAR (50) NOT NULL default '',
  `data`    VARCHAR (255) NOT NULL default '',
  `seq`     TINYINT (1) NOT NULL default '1',
  `type`    TINYINT (1) NOT NULL default '0',
  PRIMARY KEY (`keyword`,`seq`,`type`)
);

-- sipsettings/install.php defaults.
INSERT INTO `pjsipsettings` VALUES("allowguest","no","10","0");
INSERT INTO pjsipsettings (keyword,data,seq) values ('bindport','5066',1);
INSERT INTO pjsipsettings (keyword,data,seq) values ('tlsbindport','5067',1);
INSERT INTO sipsettings (keyword,data,seq) values ('bindport','5060',1);

-- A PJSIP extension 300 and a chan_sip extension 301 as IssabelPBX's
-- core_devices_add()/core_devices_addsip() store them (core/functions.inc.php:
-- dial PJSIP/<id> or SIP/<id>, sip rows keyed by the account, no sipdriver).
INSERT INTO users (extension, password, name, voicemail, ringtimer, noanswer, recording, outboundcid, sipname) VALUES
  ('300', '', 'Ana Pjsip', 'novm', 0, '', '', '', ''),
  ('301', '', 'Beto Sip', 'novm', 0, '', '', '', '');
INSERT INTO devices (id, tech, dial, devicetype, user, description, emergency_cid) VALUES
  ('300', 'pjsip', 'PJSIP/300', 'fixed', '300', 'Ana Pjsip', ''),
  ('301', 'sip', 'SIP/301', 'fixed', '301', 'Beto Sip', '');
INSERT INTO sip (id, keyword, data, flags) VALUES
  ('300', 'account', '300', 2), ('300', 'secret', 'iss300Secret', 3), ('300', 'context', 'from-internal', 4),
  ('301', 'account', '301', 2), ('301', 'secret', 'iss301Secret', 3), ('301', 'context', 'from-internal', 4);

-- FreePBX 2.x / trixbox: see README.md for the sources of each table.
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
  `directdid` varchar(50) default NULL,
  `didalert` varchar(50) default NULL,
  `faxexten` varchar(20) default NULL,
  `faxemail` varchar(50) default NULL,
  `answer` tinyint(1) default NULL,
  `wait` int(2) default NULL,
  `privacyman` tinyint(1) default NULL,
  `mohclass` varchar(80) NOT NULL default 'default',
  `sipname` varchar(50) default NULL
);
CREATE TABLE IF NOT EXISTS `sipsettings` (
  `keyword` VARCHAR (50) NOT NULL default '',
  `data`    VARCHAR (255) NOT NULL default '',
  `seq`     TINYINT (1),
  `type`    TINYINT (1) NOT NULL default '0',
  PRIMARY KEY (`keyword`,`seq`,`type`)
);
-- A trixbox site: two chan_sip extensions, chan_sip on 5062.
INSERT INTO `users` (extension, password, name, voicemail, ringtimer, noanswer, recording, outboundcid, sipname) VALUES
  ('201', '', 'Anna Front', 'default', 0, '', 'out=Adhoc|in=Adhoc', '', ''),
  ('202', '', 'Ben Back', 'default', 0, '', 'out=Adhoc|in=Adhoc', '', '');
INSERT INTO `devices` VALUES
  ('201', 'sip', 'SIP/201', 'fixed', '201', 'Anna Front', ''),
  ('202', 'sip', 'SIP/202', 'fixed', '202', 'Ben Back', '');
INSERT INTO `sip` VALUES
  ('201', 'secret', 'tb201secret', 2), ('201', 'account', '201', 3), ('201', 'context', 'from-internal', 4),
  ('202', 'secret', 'tb202secret', 2), ('202', 'account', '202', 3), ('202', 'context', 'from-internal', 4);
INSERT INTO `sipsettings` (keyword, data, seq, type) VALUES ('bindport', '5062', 0, 0), ('allowguest', 'no', 1, 0);

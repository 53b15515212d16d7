-- FreePBX-shaped schema for tests, the demo and the benchmark: the core
-- module's devices/users/sip/pjsip tables (FreePBX core module.xml, 16/17),
-- the sipsettings tables, and the OSS Endpoint Manager tables
-- (vsc55/freepbx_endpointman module.xml / install.php).
CREATE TABLE devices (
  id varchar(20) NOT NULL DEFAULT '',
  tech varchar(10) NOT NULL DEFAULT '',
  dial varchar(255) NOT NULL DEFAULT '',
  devicetype varchar(5) NOT NULL DEFAULT '',
  user varchar(50) DEFAULT NULL,
  description varchar(50) DEFAULT NULL,
  emergency_cid varchar(100) DEFAULT NULL,
  hint_override varchar(100) DEFAULT NULL,
  PRIMARY KEY (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE users (
  extension varchar(20) NOT NULL DEFAULT '',
  password varchar(20) DEFAULT NULL,
  name varchar(50) DEFAULT NULL,
  voicemail varchar(50) DEFAULT NULL,
  ringtimer int(3) DEFAULT NULL,
  noanswer varchar(100) DEFAULT NULL,
  recording varchar(50) DEFAULT NULL,
  outboundcid varchar(50) DEFAULT NULL,
  sipname varchar(50) DEFAULT NULL,
  PRIMARY KEY (extension)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE sip (
  id varchar(20) NOT NULL DEFAULT '-1',
  keyword varchar(30) NOT NULL DEFAULT '',
  data varchar(8100) NOT NULL,
  flags int(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id, keyword)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE pjsip (
  id varchar(20) NOT NULL DEFAULT '-1',
  keyword varchar(30) NOT NULL DEFAULT '',
  data varchar(8100) NOT NULL,
  flags int(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id, keyword)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE sipsettings (
  keyword varchar(50) NOT NULL DEFAULT '',
  data varchar(255) NOT NULL DEFAULT '',
  seq tinyint(1) NOT NULL DEFAULT 0,
  type tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (keyword, seq, type)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE kvstore_Sipsettings (
  `key` char(255) NOT NULL,
  val varchar(4096) DEFAULT NULL,
  type char(16) DEFAULT NULL,
  id char(255) DEFAULT NULL,
  UNIQUE KEY uniqueindex (`key`(190), id(190))
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE endpointman_brand_list (
  id varchar(11) NOT NULL,
  name varchar(255) NOT NULL,
  directory varchar(255) NOT NULL,
  cfg_ver varchar(255) NOT NULL DEFAULT '',
  installed int(1) NOT NULL DEFAULT 0,
  local int(1) NOT NULL DEFAULT 0,
  hidden int(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE endpointman_model_list (
  id varchar(11) NOT NULL,
  brand int(11) NOT NULL,
  model varchar(25) NOT NULL,
  max_lines smallint(2) NOT NULL DEFAULT 1,
  template_list text,
  template_data blob,
  product_id varchar(11) NOT NULL DEFAULT '',
  enabled int(1) NOT NULL DEFAULT 0,
  hidden int(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE endpointman_mac_list (
  id int(10) NOT NULL AUTO_INCREMENT,
  mac varchar(12) DEFAULT NULL,
  model varchar(11) NOT NULL,
  template_id int(11) NOT NULL DEFAULT 0,
  global_custom_cfg_data blob,
  global_user_cfg_data blob,
  config_files_override text,
  global_settings_override blob,
  specific_settings blob,
  PRIMARY KEY (id),
  UNIQUE KEY mac (mac)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE endpointman_line_list (
  luid int(11) NOT NULL AUTO_INCREMENT,
  mac_id int(11) NOT NULL,
  line smallint(2) NOT NULL,
  ext varchar(15) NOT NULL,
  description varchar(20) NOT NULL DEFAULT '',
  custom_cfg_data blob,
  user_cfg_data blob,
  PRIMARY KEY (luid)
) DEFAULT CHARSET=utf8mb4;
-- Outbound routes (FreePBX/core module.xml, release/16.0 5bdcf33e, module
-- 16.0.68.30: outbound_routes, outbound_route_patterns,
-- outbound_route_sequence) and feature codes (FreePBX/framework module.xml:
-- featurecodes).
CREATE TABLE outbound_routes (
  route_id int(11) NOT NULL AUTO_INCREMENT,
  name varchar(40) DEFAULT NULL,
  outcid varchar(255) DEFAULT NULL,
  outcid_mode varchar(20) DEFAULT NULL,
  password varchar(30) DEFAULT NULL,
  emergency_route varchar(4) DEFAULT NULL,
  intracompany_route varchar(4) DEFAULT NULL,
  mohclass varchar(80) DEFAULT NULL,
  time_group_id int(11) DEFAULT NULL,
  dest varchar(255) DEFAULT NULL,
  time_mode varchar(20) DEFAULT '',
  calendar_id varchar(255) DEFAULT NULL,
  calendar_group_id varchar(255) DEFAULT NULL,
  timezone varchar(255) DEFAULT NULL,
  notification_on varchar(255) DEFAULT 'call',
  PRIMARY KEY (route_id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE outbound_route_patterns (
  route_id int(11) NOT NULL,
  match_pattern_prefix varchar(60) NOT NULL DEFAULT '',
  match_pattern_pass varchar(60) NOT NULL DEFAULT '',
  match_cid varchar(60) NOT NULL DEFAULT '',
  prepend_digits varchar(100) NOT NULL DEFAULT '',
  PRIMARY KEY (route_id, match_pattern_prefix, match_pattern_pass, match_cid, prepend_digits)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE outbound_route_sequence (
  route_id int(11) NOT NULL,
  seq int(11) NOT NULL,
  PRIMARY KEY (route_id, seq)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE featurecodes (
  modulename varchar(50) NOT NULL DEFAULT '',
  featurename varchar(50) NOT NULL DEFAULT '',
  description varchar(200) NOT NULL DEFAULT '',
  helptext varchar(250) NOT NULL DEFAULT '',
  defaultcode varchar(20) DEFAULT NULL,
  customcode varchar(20) DEFAULT NULL,
  enabled tinyint(1) NOT NULL DEFAULT 0,
  providedest tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (modulename, featurename),
  KEY enabled (enabled)
) DEFAULT CHARSET=utf8mb4;
-- Internal numbers other than extensions (ringgroups 16.0.11, queues
-- 16.0.27, conferences 16.0.9: each module's module.xml).
CREATE TABLE ringgroups (
  grpnum varchar(20) NOT NULL DEFAULT '',
  strategy varchar(50) NOT NULL DEFAULT '',
  grptime smallint(6) NOT NULL DEFAULT 0,
  grppre varchar(100) DEFAULT NULL,
  grplist varchar(255) NOT NULL DEFAULT '',
  annmsg_id int(11) DEFAULT NULL,
  postdest varchar(255) DEFAULT NULL,
  description varchar(35) NOT NULL DEFAULT '',
  alertinfo varchar(255) DEFAULT NULL,
  remotealert_id int(11) DEFAULT NULL,
  needsconf varchar(10) DEFAULT NULL,
  toolate_id int(11) DEFAULT NULL,
  ringing varchar(80) DEFAULT NULL,
  cwignore varchar(10) DEFAULT NULL,
  cfignore varchar(10) DEFAULT NULL,
  cpickup varchar(10) DEFAULT NULL,
  recording varchar(10) DEFAULT NULL,
  progress varchar(10) DEFAULT NULL,
  elsewhere varchar(10) DEFAULT NULL,
  rvolume varchar(2) NOT NULL DEFAULT '',
  PRIMARY KEY (grpnum)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE queues_config (
  extension varchar(20) NOT NULL DEFAULT '',
  descr varchar(35) NOT NULL DEFAULT '',
  grppre varchar(100) NOT NULL DEFAULT '',
  alertinfo varchar(254) NOT NULL DEFAULT '',
  ringing tinyint(1) NOT NULL DEFAULT '0',
  maxwait varchar(8) NOT NULL DEFAULT '',
  password varchar(20) NOT NULL DEFAULT '',
  ivr_id varchar(8) NOT NULL DEFAULT '0',
  dest varchar(50) NOT NULL DEFAULT '',
  cwignore tinyint(1) NOT NULL DEFAULT '0',
  queuewait tinyint(1) DEFAULT NULL,
  use_queue_context tinyint(1) DEFAULT NULL,
  togglehint tinyint(1) DEFAULT NULL,
  qnoanswer tinyint(1) DEFAULT NULL,
  callconfirm tinyint(1) DEFAULT NULL,
  callconfirm_id int(11) DEFAULT NULL,
  qregex varchar(255) DEFAULT NULL,
  agentannounce_id int(11) DEFAULT NULL,
  joinannounce_id int(11) DEFAULT NULL,
  monitor_type varchar(5) DEFAULT NULL,
  monitor_heard int(11) DEFAULT NULL,
  monitor_spoken int(11) DEFAULT NULL,
  callback_id varchar(8) NOT NULL DEFAULT '',
  PRIMARY KEY (extension)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE meetme (
  exten varchar(50) NOT NULL DEFAULT '',
  options varchar(15) DEFAULT NULL,
  userpin varchar(50) DEFAULT NULL,
  adminpin varchar(50) DEFAULT NULL,
  description varchar(50) DEFAULT NULL,
  joinmsg_id int(11) DEFAULT NULL,
  music varchar(80) DEFAULT NULL,
  users smallint(6) DEFAULT NULL,
  language varchar(10) NOT NULL DEFAULT '',
  timeout int(11) DEFAULT NULL,
  PRIMARY KEY (exten)
) DEFAULT CHARSET=utf8mb4;

-- Endpoint Manager V2 2.2.x (2010; install.php with $version = "2.2.3",
-- "Copyright (C) 2009-2010 Ed Macri, John Mullinix and Andrew Nagy", found
-- with the code index, file id 11660290929). Before line_list existed, each
-- phone had one line, kept in endpointman_mac_list's own ext and
-- description columns; there is no endpointman_line_list table. The
-- table definitions below are that installer's (new-install branch).
DROP TABLE IF EXISTS endpointman_line_list, endpointman_mac_list, endpointman_model_list, endpointman_brand_list;
CREATE TABLE IF NOT EXISTS `endpointman_brand_list` (
  `id` varchar(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `directory` varchar(255) NOT NULL,
  `cfg_ver` varchar(255) NOT NULL,
  `installed` int(1) NOT NULL DEFAULT '0',
  `hidden` int(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE IF NOT EXISTS `endpointman_mac_list` (
  `id` int(10) NOT NULL AUTO_INCREMENT,
  `mac` varchar(12) DEFAULT NULL,
  `model` varchar(11) NOT NULL,
  `ext` varchar(15) DEFAULT 'Not Assigned',
  `description` varchar(20) DEFAULT NULL,
  `custom_cfg_template` int(11) NOT NULL,
  `custom_cfg_data` blob NOT NULL,
  `user_cfg_data` blob NOT NULL,
  `config_files_override` text NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `mac` (`mac`)
) ENGINE=MyISAM  DEFAULT CHARSET=latin1 AUTO_INCREMENT=1;
CREATE TABLE IF NOT EXISTS `endpointman_model_list` (
  `id` varchar(11) NOT NULL COMMENT 'Key ',
  `brand` int(11) NOT NULL COMMENT 'Brand',
  `model` varchar(25) NOT NULL COMMENT 'Model',
  `template_list` text NOT NULL,
  `template_data` blob NOT NULL,
  `product_id` varchar(11) NOT NULL,
  `enabled` int(1) NOT NULL DEFAULT '0',
  `hidden` int(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
-- One site: a 7960 on extension 2001 (chan_sip).
INSERT INTO users (extension, name) VALUES ('2001', 'Lab 7960');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES ('2001', 'sip', 'SIP/2001', 'fixed', '2001', 'Lab 7960');
INSERT INTO sip (id, keyword, data, flags) VALUES ('2001', 'secret', 'e7b5a3c41f6b8c0d2e5f7a9b1c3d4e56', 2), ('2001', 'account', '2001', 20);
INSERT INTO endpointman_brand_list (id, name, directory, cfg_ver, installed) VALUES ('7', 'Cisco/Linksys', 'cisco', '', 1);
INSERT INTO endpointman_model_list (id, brand, model, template_list, template_data, product_id, enabled) VALUES ('712', 7, '7960', '', '', '71', 1);
INSERT INTO endpointman_mac_list (id, mac, model, ext, description, custom_cfg_template, custom_cfg_data, user_cfg_data, config_files_override)
  VALUES (1, '0011223344B2', '712', '2001', 'Lab 7960', 0, '', '', '');

-- Sangoma's commercial Endpoint Manager (FreePBX module "endpoint"), as on
-- FreePBX Distro sites. Tables as its install.php creates them (copy in
-- valisystems/events-alerts-server admin000/modules/endpoint/install.php);
-- its Cisco catalogue has the 7940 and 7960 as models 'CP7940' (2 line
-- keys) and 'CP7960' (6) (install/ciscoInstall.php). One row per line:
-- endpoint_extensions(ext, brand, mac, template, model, account).
CREATE TABLE IF NOT EXISTS `endpoint_extensions` (`ext` BIGINT(15), `brand` VARCHAR(20), `mac` VARCHAR(20), `template` VARCHAR(45), `model` VARCHAR(25), `account` VARCHAR(12), `accessory` VARCHAR(12), `exp0` VARCHAR(20), `exp1` VARCHAR(20), `exp2` VARCHAR(20), `blf` VARCHAR(20), `blf_label` VARCHAR(20), UNIQUE KEY `ext` (`ext`));
CREATE TABLE IF NOT EXISTS `endpoint_models` (`brand` VARCHAR(20), `type` VARCHAR(10), `model` VARCHAR(25), `accounts` VARCHAR(3), `prgkey` VARCHAR(3), `softkeys` VARCHAR(3), `topsoftkey` VARCHAR(3), `extrakey` VARCHAR(3), `linekeys` VARCHAR(3), `speeddial` VARCHAR(3), `global` VARCHAR(1024), `firmware` VARCHAR(256), `exp` VARCHAR(3), UNIQUE KEY `model` (`model`));
INSERT INTO `endpoint_models` (`brand`, `model`, `speeddial`, `linekeys`, `firmware`, `type`, `exp`, `accounts`) VALUES ('cisco', 'CP7940','0', '2', '', 'phone', '', '2');
INSERT INTO `endpoint_models` (`brand`, `model`, `speeddial`, `linekeys`, `firmware`, `type`, `exp`, `accounts`) VALUES ('cisco', 'CP7960','0', '6', '', 'phone', '', '6');
-- One site: a 7940 on extension 2001 (chan_sip).
INSERT INTO users (extension, name) VALUES ('2001', 'Lab 7940');
INSERT INTO devices (id, tech, dial, devicetype, user, description) VALUES ('2001', 'sip', 'SIP/2001', 'fixed', '2001', 'Lab 7940');
INSERT INTO sip (id, keyword, data, flags) VALUES ('2001', 'secret', 'e7b5a3c41f6b8c0d2e5f7a9b1c3d4e56', 2), ('2001', 'account', '2001', 20);
INSERT INTO endpoint_extensions (ext, brand, mac, template, model, account) VALUES (2001, 'cisco', '0011223344C3', 'default', 'CP7940', 'account1');

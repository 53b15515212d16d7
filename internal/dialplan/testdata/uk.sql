-- A UK office without an outside-line prefix: 999/112, national numbers
-- 0 + 10 digits, freephone 0800 + 6, international 00, NHS 111, police 101,
-- directory enquiries 118XXX; three-digit extensions 2xx, a sales queue
-- 2500, a ring group 300 and four-digit extensions 3001-3005; the
-- voicemail code moved to *50.
INSERT INTO outbound_routes (route_id, name, emergency_route) VALUES
 (7, 'Emergency', 'YES'), (8, 'National', ''), (9, 'International', ''), (10, 'Services', '');
INSERT INTO outbound_route_sequence (route_id, seq) VALUES (7, 0), (8, 1), (10, 2), (9, 3);
INSERT INTO outbound_route_patterns (route_id, match_pattern_prefix, match_pattern_pass, match_cid, prepend_digits) VALUES
 (7, '', '999', '', ''), (7, '', '112', '', ''),
 (8, '', '0ZXXXXXXXXX', '', ''), (8, '', '0800XXXXXX', '', ''),
 (9, '', '00.', '', ''),
 (10, '', '111', '', ''), (10, '', '101', '', ''), (10, '', '118XXX', '', '');
INSERT INTO users (extension, name) VALUES ('201', 'Reception'), ('202', 'Kitchen'), ('250', 'Warehouse'),
 ('3001', 'Alice'), ('3002', 'Bob'), ('3005', 'Chris');
INSERT INTO ringgroups (grpnum, strategy, grptime, grplist, description) VALUES ('300', 'ringall', 20, '3001-3002-3005', 'All Phones');
INSERT INTO queues_config (extension, descr) VALUES ('2500', 'Sales');
UPDATE featurecodes SET customcode = '*50' WHERE modulename = 'voicemail' AND featurename = 'myvoicemail';

-- A German office with the outside-line prefix 0: emergency 110/112 with
-- and without it, national and international numbers of any length (the
-- prefix stripped before the trunk), five-digit extensions 31001-31050.
INSERT INTO outbound_routes (route_id, name, emergency_route) VALUES (20, 'Notruf', 'YES'), (21, 'Amt', '');
INSERT INTO outbound_route_sequence (route_id, seq) VALUES (20, 0), (21, 1);
INSERT INTO outbound_route_patterns (route_id, match_pattern_prefix, match_pattern_pass, match_cid, prepend_digits) VALUES
 (20, '', '110', '', ''), (20, '', '112', '', ''), (20, '0', '110', '', ''), (20, '0', '112', '', ''),
 (21, '0', '0[1-9]X.', '', ''), (21, '0', '00[1-9].', '', ''), (21, '0', '[2-9]XXX.', '', '');
INSERT INTO users (extension, name) VALUES ('31001', 'Anna Schäfer'), ('31002', 'Bernd Groß'), ('31050', 'Empfang');

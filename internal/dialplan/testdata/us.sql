-- A US office dialling 10 and 11 digits without an outside-line prefix:
-- emergency, N11 services, local, long distance, international; four-digit
-- extensions 2001-2099.
INSERT INTO outbound_routes (route_id, name, emergency_route) VALUES
 (1, 'Emergency', 'YES'), (2, 'Services', ''), (3, 'Local', ''), (4, 'LongDistance', ''), (5, 'International', '');
INSERT INTO outbound_route_sequence (route_id, seq) VALUES (1, 0), (2, 1), (3, 2), (4, 3), (5, 4);
INSERT INTO outbound_route_patterns (route_id, match_pattern_prefix, match_pattern_pass, match_cid, prepend_digits) VALUES
 (1, '', '911', '', ''), (1, '9', '911', '', ''),
 (2, '', 'N11', '', ''),
 (3, '', 'NXXNXXXXXX', '', '1'),
 (4, '', '1NXXNXXXXXX', '', ''),
 (5, '', '011.', '', '');
INSERT INTO users (extension, name) VALUES ('2001', 'Ann Front Desk'), ('2002', 'Bill Sales'), ('2010', 'Carla Support'), ('2099', 'Lobby Phone');

package freepbx

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/setup-cisco/setup-cisco/internal/dbrows"
)

// Route is one outbound route with its dial patterns, as FreePBX core keeps
// them (core module.xml: outbound_routes, outbound_route_patterns,
// outbound_route_sequence; Components/Outboundrouting.php).
type Route struct {
	ID        int
	Name      string
	Seq       int  // outbound_route_sequence.seq: the order FreePBX tries routes in
	Emergency bool // emergency_route = 'YES'
	Patterns  []RoutePattern
}

// RoutePattern is one outbound_route_patterns row. What the caller dials
// is Prefix+Pass (core functions.inc.php core_routing_formatpattern); the
// prefix is stripped and Prepend added before the call leaves on a trunk,
// so Prepend never concerns the phone.
type RoutePattern struct {
	Prefix  string // match_pattern_prefix
	Pass    string // match_pattern_pass
	CID     string // match_cid: only callers with this caller ID use it
	Prepend string // prepend_digits
}

// Dialled is what a user types for this pattern: prefix then pass, an
// Asterisk pattern (X, Z, N, [a-b], '.', '!') or a plain number.
func (p RoutePattern) Dialled() string { return p.Prefix + p.Pass }

// RouteTables are the tables ReadRoutes needs.
var RouteTables = []string{"outbound_routes", "outbound_route_patterns", "outbound_route_sequence"}

// ReadRoutes returns the outbound routes in FreePBX's order (the routes'
// sequence, as Core::getAllRoutes joins it), each with its patterns in the
// order FreePBX lists them. A database without the route tables (FreePBX
// before 2.8) has no routes here: ok is false.
func ReadRoutes(ctx context.Context, db *sql.DB, have map[string]bool) (routes []Route, ok bool, err error) {
	for _, t := range RouteTables {
		if !have[t] {
			return nil, false, nil
		}
	}
	at := map[int]int{}
	if err := dbrows.Each(ctx, db, "outbound_routes",
		"SELECT a.route_id, a.name, a.emergency_route, b.seq FROM outbound_routes a JOIN outbound_route_sequence b ON a.route_id = b.route_id ORDER BY b.seq, a.route_id",
		func(s dbrows.Scanner) error {
			var r Route
			var name, emergency sql.NullString
			if err := s.Scan(&r.ID, &name, &emergency, &r.Seq); err != nil {
				return err
			}
			r.Name, r.Emergency = name.String, emergency.String == "YES"
			if _, dup := at[r.ID]; dup {
				return fmt.Errorf("route %d (%s) appears twice in outbound_route_sequence", r.ID, r.Name)
			}
			at[r.ID] = len(routes)
			routes = append(routes, r)
			return nil
		}); err != nil {
		return nil, true, err
	}
	if err := dbrows.Each(ctx, db, "outbound_route_patterns",
		"SELECT route_id, match_pattern_prefix, match_pattern_pass, match_cid, prepend_digits FROM outbound_route_patterns ORDER BY route_id, match_pattern_prefix, match_pattern_pass",
		func(s dbrows.Scanner) error {
			var id int
			var pre, pass, cid, prep sql.NullString
			if err := s.Scan(&id, &pre, &pass, &cid, &prep); err != nil {
				return err
			}
			i, ok := at[id]
			if !ok {
				return nil // a route without a sequence entry is not in the dial plan
			}
			routes[i].Patterns = append(routes[i].Patterns, RoutePattern{Prefix: pre.String, Pass: pass.String, CID: cid.String, Prepend: prep.String})
			return nil
		}); err != nil {
		return nil, true, err
	}
	return routes, true, nil
}

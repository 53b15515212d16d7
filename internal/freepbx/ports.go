package freepbx

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/dbrows"
)

// Where each FreePBX generation keeps the SIP ports (sources in
// internal/testdb/generations/README.md):
//
//   - chan_sip: sipsettings(keyword, data), keyword 'bindport', on every
//     generation that has the sipsettings module (2.x on; sipsettings
//     install.php). No row: Asterisk's default 5060.
//   - chan_pjsip (FreePBX 12 on): the Sipsettings module's key-value
//     store. FreePBX 12/13 keep every module's keys in one table kvstore
//     with a module column (framework DB_Helper.class.php, 12/13: module =
//     the class name, "Sipsettings"); FreePBX 14 on keep one table per
//     module, kvstore_Sipsettings (sipsettings Restore.php, release/16.0).
//     Key 'binds' holds {"udp":{"<address>":"on"|"off"},...}; the UDP port
//     of a bind is key 'udpport-<address>'. Sipsettings::getBinds counts a
//     bind only when its state is "on", so a switched-off bind's leftover
//     port is not a port Asterisk listens on.
//   - FreePBX 2.x / trixbox: no chan_pjsip, no key-value store.
//   - IssabelPBX (the FreePBX 2.11 fork of Issabel 4/5): no key-value
//     store; its sipsettings module keeps chan_pjsip's options in its own
//     table pjsipsettings(keyword, data, seq, type), keyword 'bindport'
//     (UDP/TCP) and 'bindaddr'. Its install.php creates the table with
//     bindport 5066 (tlsbindport 5067) and puts 5066 back when the row is
//     missing or empty; the PJSIP Settings page offers 5066 too. chan_sip
//     keeps sipsettings' bindport (5060 there).
//
// Table names are matched without regard to case (lower_case_table_names).

// sipsettingsModules are the module column values of FreePBX 12/13's shared
// kvstore for the Sipsettings class (not namespaced in 12-14; namespaced
// classes are stored with their full name).
var sipsettingsModules = []any{"Sipsettings", `FreePBX\modules\Sipsettings`}

func readPorts(ctx context.Context, db *sql.DB, have map[string]bool) (Ports, []string, error) {
	var p Ports
	if have["sipsettings"] {
		if err := dbrows.Each(ctx, db, "sipsettings", "SELECT data FROM sipsettings WHERE keyword = 'bindport' ORDER BY seq, type", func(s dbrows.Scanner) error {
			var v sql.NullString
			if err := s.Scan(&v); err != nil {
				return err
			}
			if n := port(v.String); n != 0 && p.ChanSIP == 0 {
				p.ChanSIP = n
			}
			return nil
		}); err != nil {
			return p, nil, err
		}
		// chan_sip's bindaddr (Settings > Asterisk SIP Settings >
		// chan_sip, "Bind Address"): 0.0.0.0 or empty is every address.
		if err := dbrows.Each(ctx, db, "sipsettings", "SELECT data FROM sipsettings WHERE keyword = 'bindaddr' ORDER BY seq, type", func(s dbrows.Scanner) error {
			var v sql.NullString
			if err := s.Scan(&v); err != nil {
				return err
			}
			if a := strings.TrimSpace(v.String); a != "" && !isWildcard(a) && p.ChanSIPAddr == "" {
				p.ChanSIPAddr = strings.Trim(a, "[]")
			}
			return nil
		}); err != nil {
			return p, nil, err
		}
	}
	kv, err := sipsettingsKV(ctx, db, have)
	if err != nil {
		return p, nil, err
	}
	var notes []string
	p.PJSIP, p.PJSIPBinds, p.PJSIPNoUDP, notes = PJSIPBind(kv)
	if kv == nil && have["pjsipsettings"] {
		if err := issabelPJSIP(ctx, db, &p); err != nil {
			return p, nil, err
		}
	}
	return p, notes, nil
}

// issabelPJSIP reads chan_pjsip's port and bind address from IssabelPBX's
// pjsipsettings as Issabel's own generator of the transport reads them
// (core functions.inc.php, generate_pjsip_transport_additional): the last
// row of each keyword by seq, type, and a bindport that is missing or
// blank (its PJSIP Settings page recommends leaving Bind Port blank) is
// the default 5066, which it then writes as bind=0.0.0.0:5066. A bindport
// that is neither blank nor a port leaves the port unknown: p.PJSIPBad
// says so and names the table, and chan_pjsip lines become bad rows.
func issabelPJSIP(ctx context.Context, db *sql.DB, p *Ports) error {
	var bindport, addr string
	err := dbrows.Each(ctx, db, "pjsipsettings", "SELECT keyword, data FROM pjsipsettings WHERE keyword IN ('bindport', 'bindaddr') ORDER BY seq, type", func(s dbrows.Scanner) error {
		var k string
		var v sql.NullString
		if err := s.Scan(&k, &v); err != nil {
			return err
		}
		switch k {
		case "bindport":
			bindport = v.String
		case "bindaddr":
			addr = v.String
		}
		return nil
	})
	if err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(bindport) == "":
		p.PJSIP = issabelPJSIPDefaultPort
	case port(bindport) != 0:
		p.PJSIP = port(bindport)
	default:
		p.PJSIPBad = fmt.Sprintf("IssabelPBX's pjsipsettings bindport is %q, not a port (1-65535): chan_pjsip's port is not known; set Bind Port in IssabelPBX's PJSIP Settings, or leave it blank for its default %d", bindport, issabelPJSIPDefaultPort)
		return nil
	}
	if a := strings.Trim(strings.TrimSpace(addr), "[]"); a != "" && !isWildcard(a) {
		if ip, err := netip.ParseAddr(a); err == nil {
			p.PJSIPBinds = []Bind{{Addr: ip.String(), Port: p.PJSIP}}
		}
	}
	return nil
}

// issabelPJSIPDefaultPort is IssabelPBX's pjsipsettings bindport default
// (sipsettings install.php; core's transport generator for a blank one).
const issabelPJSIPDefaultPort = 5066

// sipsettingsKV reads the Sipsettings keys that matter for the ports
// ('binds' and 'udpport-*', sub-group id 'noid') from whichever key-value
// store this generation has; nil when there is none.
func sipsettingsKV(ctx context.Context, db *sql.DB, have map[string]bool) (map[string]string, error) {
	var table, q string
	var args []any
	switch {
	case have["kvstore_Sipsettings"]:
		table = "kvstore_Sipsettings"
		q = "SELECT `key`, val FROM kvstore_Sipsettings WHERE (`key` = 'binds' OR `key` LIKE 'udpport-%') AND (id = 'noid' OR id IS NULL)"
	case have["kvstore"]:
		table = "kvstore"
		q = "SELECT `key`, val FROM kvstore WHERE module IN (?, ?) AND (`key` = 'binds' OR `key` LIKE 'udpport-%') AND (id = 'noid' OR id IS NULL)"
		args = sipsettingsModules
	default:
		return nil, nil
	}
	kv := map[string]string{}
	err := dbrows.Each(ctx, db, table, q, func(s dbrows.Scanner) error {
		var k string
		var v sql.NullString
		if err := s.Scan(&k, &v); err != nil {
			return err
		}
		kv[k] = v.String
		return nil
	}, args...)
	return kv, err
}

// PJSIPPort picks chan_pjsip's UDP port from the Sipsettings keys: the
// port of a UDP bind whose state is "on" (Sipsettings::getBinds), the
// wildcard bind (0.0.0.0, ::) first, else the lowest address; 0 when no
// UDP bind is on. Without a 'binds' key (a store written by hand or by a
// version that kept none) every stored udpport-* counts, the wildcard
// first. notes says which bind was taken when there was a choice, and why
// there is no port when binds exist but none is on.
func PJSIPPort(kv map[string]string) (int, []string) {
	p, _, _, notes := PJSIPBind(kv)
	return p, notes
}

// PJSIPBind is PJSIPPort with the UDP binds that are on, when none of them
// is every address (nil then), and whether chan_pjsip has binds but none
// for UDP on.
func PJSIPBind(kv map[string]string) (chosen int, on []Bind, noUDP bool, notes []string) {
	if len(kv) == 0 {
		return 0, nil, false, nil
	}
	var addrs []string
	_, hasBinds := kv["binds"]
	if hasBinds {
		var binds map[string]map[string]string
		if err := json.Unmarshal([]byte(kv["binds"]), &binds); err != nil {
			return 0, nil, false, []string{fmt.Sprintf("chan_pjsip binds in the Sipsettings key-value store are not JSON (%v): chan_pjsip port not read", err)}
		}
		for a, state := range binds["udp"] {
			if state == "on" {
				addrs = append(addrs, a)
			}
		}
		if len(addrs) == 0 {
			return 0, nil, true, []string{"chan_pjsip has no UDP bind switched on (Settings > Asterisk SIP Settings > chan_pjsip): phones use UDP"}
		}
	} else {
		for k := range kv {
			if a, ok := strings.CutPrefix(k, "udpport-"); ok {
				addrs = append(addrs, a)
			}
		}
	}
	sort.Slice(addrs, func(i, j int) bool { return bindLess(addrs[i], addrs[j]) })
	wildcard := false
	var found []string
	distinct := map[int]bool{}
	for _, a := range addrs {
		v, stored := kv["udpport-"+a]
		if !stored && a == "0.0.0.0" {
			// No row: FreePBX's getConfig falls back to the module's
			// dbDefaults, which give the 0.0.0.0 bind UDP port 5061
			// (sipsettings Sipsettings.class.php, 16.0.27: "only used if
			// this is an upgrade"); other addresses have no default.
			v = sipsettingsDefaultUDPPort
		}
		wildcard = wildcard || isWildcard(a)
		n := port(v)
		if n == 0 {
			continue
		}
		if chosen == 0 {
			chosen = n
		}
		distinct[n] = true
		found = append(found, fmt.Sprintf("%s:%d", a, n))
		on = append(on, Bind{Addr: strings.Trim(a, "[]"), Port: n})
	}
	if len(distinct) > 1 {
		notes = append(notes, fmt.Sprintf("chan_pjsip listens on several UDP binds (%s); phones are given %s", strings.Join(found, ", "), found[0]))
	}
	// The binds matter only where none is every address; key-value
	// stores without "binds" (FreePBX 12/13's udpport-* rows) name none.
	if wildcard || !hasBinds || chosen == 0 {
		on = nil
	}
	return chosen, on, false, notes
}

// sipsettingsDefaultUDPPort is Sipsettings::$dbDefaults["udpport-0.0.0.0"].
const sipsettingsDefaultUDPPort = "5061"

// bindLess orders bind addresses: wildcards first, then by address.
func bindLess(a, b string) bool {
	wa, wb := isWildcard(a), isWildcard(b)
	if wa != wb {
		return wa
	}
	pa, ea := netip.ParseAddr(strings.Trim(a, "[]"))
	pb, eb := netip.ParseAddr(strings.Trim(b, "[]"))
	if ea == nil && eb == nil {
		return pa.Less(pb)
	}
	return a < b
}

func isWildcard(a string) bool {
	ip, err := netip.ParseAddr(strings.Trim(a, "[]"))
	return err == nil && ip.IsUnspecified()
}

package dhcpconf

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/isc"
)

// SyntaxError points at a line of a configuration file.
type SyntaxError = isc.SyntaxError

// Option66Name is dhcpd's built-in name for option 66 (RFC 2132 9.4).
const Option66Name = "tftp-server-name"

// Setting is one live statement of a dhcpd.conf (or a file it includes)
// that gives some clients option 150 or option 66.
type Setting struct {
	Option int    // 150 or 66
	Name   string // the option's name as the file spells it, without "dhcp."
	File   string
	Line   int
	Scope  string   // "global", or the enclosing blocks, e.g. `subnet 10.0.0.0 netmask 255.0.0.0 > pool`
	Kind   string   // innermost block keyword (subnet, pool, host, class, group, shared-network, ...), "" when global
	Values []string // option 150: the addresses (or host names) in order; option 66: the one string
	Text   string   // the statement as written, normalised to single spaces
	// Type is the option's type as the name in force there declares it
	// ("array of ip-address", "{ ip-address }", "string", ...): dhcpd
	// encodes a value by the definition of the name it is set under.
	Type string
	// Bytes is the value as written when it is a colon-separated
	// hexadecimal list under a "string" type, whose bytes dhcpd sends as
	// they are (dhcp-options(5): a data string "can be specified ... as a
	// list of hexadecimal contents separated by colons"): four bytes per
	// address, which Values then holds, as a phone reads them.
	Bytes string

	index int // in Inspection.Config.Stmts
}

// Carries reports whether the setting sends addresses: option 66 always
// counts (its text names the server), option 150 only under a name
// declared with an address type (tftp-server-name redefined as "code 150
// = string" sends the text "10.77.0.2", which no phone reads as a server).
func (s Setting) Carries() bool {
	return s.Option == 66 || s.Type == "" || s.Bytes != "" || addressCount(s.Type) != 0 // "": dnsmasq and Kea read 150 as addresses
}

// hexAddrs reads a "string" option's colon-hex value (0a:4d:00:01) as the
// addresses its bytes are, four bytes each; ok is false for quoted text,
// another type, or a byte count that is not a whole number of addresses.
func hexAddrs(typ string, vals []string) (addrs []string, ok bool) {
	if strings.Join(strings.Fields(typ), " ") != "string" || len(vals) != 1 {
		return nil, false
	}
	var b []byte
	for _, h := range strings.Split(vals[0], ":") {
		if len(h) == 0 || len(h) > 2 {
			return nil, false
		}
		v, err := strconv.ParseUint(h, 16, 8)
		if err != nil {
			return nil, false
		}
		b = append(b, byte(v))
	}
	if len(b) == 0 || len(b)%4 != 0 {
		return nil, false
	}
	for i := 0; i < len(b); i += 4 {
		addrs = append(addrs, netip.AddrFrom4([4]byte(b[i:i+4])).String())
	}
	return addrs, true
}

// Leads reports whether the setting's first address is servers[0]: a 79x0
// loads from the first server of option 150 and tries the next only when
// it does not answer (RFC 5859, section 3: "in order of preference").
func (s Setting) Leads(servers []netip.Addr) bool {
	for _, v := range s.Values {
		if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
			return len(servers) > 0 && a == servers[0]
		}
	}
	return false
}

// Global reports whether the setting applies at global scope.
func (s Setting) Global() bool { return s.Kind == "" }

// Value is Values joined the way dhcpd.conf writes a list.
func (s Setting) Value() string { return strings.Join(s.Values, ", ") }

// Where is "file:line".
func (s Setting) Where() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// Agrees reports whether the setting gives clients one of servers: for
// option 150 every one of servers must be in its list (a file that already
// lists a primary and a backup needs nothing when asked for either), for
// option 66 its one value must be one of them.
func (s Setting) Agrees(servers []netip.Addr) bool {
	if len(servers) == 0 || !s.Carries() {
		return false
	}
	var have []netip.Addr
	for _, v := range s.Values {
		if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil {
			have = append(have, a)
		}
	}
	if s.Option == 66 {
		return len(have) == 1 && slices.Contains(servers, have[0])
	}
	for _, a := range servers {
		if !slices.Contains(have, a) {
			return false
		}
	}
	return true
}

// AnyOf reports whether the setting names at least one of addrs (doctor:
// any listed server may be this host).
func (s Setting) AnyOf(addrs []netip.Addr) bool {
	if !s.Carries() {
		return false
	}
	for _, v := range s.Values {
		if a, err := netip.ParseAddr(strings.TrimSpace(v)); err == nil && slices.Contains(addrs, a) {
			return true
		}
	}
	return false
}

// Range is a dynamic address range (a range statement).
type Range struct {
	File        string
	Line        int
	First, Last netip.Addr
	// Mask is a dnsmasq dhcp-range's netmask, when the line gives one
	// (dnsmasq takes it from the interface otherwise).
	Mask netip.Addr
}

// Network is the range's network, from its netmask or from the local
// interface whose prefix holds it; false when neither tells.
func (r Range) Network(local []netip.Prefix) (netip.Prefix, bool) {
	if r.Mask.IsValid() {
		return netip.PrefixFrom(r.First, maskBits(r.Mask)).Masked(), true
	}
	for _, p := range local {
		if p.Contains(r.First) {
			return p.Masked(), true
		}
	}
	return netip.Prefix{}, false
}

// Contains reports whether a lies in the range.
func (r Range) Contains(a netip.Addr) bool { return inRange(a, r.First, r.Last) }

// Declaration is an "option NAME code 150 = TYPE" statement.
type Declaration struct {
	Name string
	Type string // as written: "ip-address", "array of ip-address", "{ ip-address }", "text" ...
	File string
	Line int

	index int
}

// Holds reports whether the declared type can carry n servers: any number
// for "array of ip-address", exactly one for "ip-address", exactly k for
// a record of k ip-address fields.
func (d Declaration) Holds(n int) bool {
	c := addressCount(d.Type)
	return c < 0 || c == n
}

// Address reports whether the declared type carries TFTP servers' addresses.
func (d Declaration) Address() bool { return addressCount(d.Type) != 0 }

// addressCount is how many IPv4 addresses a code 150 type carries: -1 for
// "array of ip-address" (any number); 1 for "ip-address"; k for a record
// of k ip-address fields ("{ ip-address }" is the same four bytes as
// ip-address, "{ ip-address, ip-address }" the eight of a primary and a
// backup: dhcp-options(5), "Defining new options"; NixOS and Juniper's ZTP
// examples declare the first, opsi's dhcpd.conf the second); 0 for any
// other type (Foreman declares code 150 as "text" for its own pxegrub
// option).
func addressCount(typ string) int {
	t := strings.Join(strings.Fields(typ), " ")
	switch t {
	case "ip-address":
		return 1
	case "array of ip-address":
		return -1
	}
	inner, ok := strings.CutPrefix(t, "{")
	if inner, ok2 := strings.CutSuffix(inner, "}"); ok && ok2 {
		n := 0
		for _, f := range strings.Split(inner, ",") {
			if strings.TrimSpace(f) != "ip-address" {
				return 0
			}
			n++
		}
		return n
	}
	return 0
}

// holdsText says how many servers a type holds, for messages.
func holdsText(typ string) string {
	switch c := addressCount(typ); c {
	case -1:
		return "any number of servers"
	case 1:
		return "one server"
	default:
		return fmt.Sprintf("exactly %d servers", c)
	}
}

// builtinNames are dhcpd's own names for options 66 and 150 (ISC DHCP
// common/tables.c; tftp-server-address since 4.4, which dhcpd -t here
// accepts undeclared), with their types. A declaration in the file
// replaces a name's meaning from there on: "option tftp-server-name code
// 150 = string" makes that name code 150.
var builtinNames = map[string]optionDef{
	Option66Name:          {code: 66, typ: "text"},
	"tftp-server-address": {code: 150, typ: "array of ip-address"},
}

type optionDef struct {
	code int
	typ  string
}

// Inspection is what a dhcpd.conf, with its includes, says about TFTP.
type Inspection struct {
	Config *isc.Config
	// Decls are the declarations of code 150 outside our block, in order;
	// the last one of a type that carries addresses is the name used.
	Decls []Declaration
	// Settings of option 150 and 66 outside our block, in file order.
	Settings []Setting
	// Block are the settings inside our managed block.
	Block []Setting
	// Names are every name declared for code 150 as addresses, in our
	// block too.
	Names  []string
	Ranges []Range
	// Redefined66 is the declaration (file:line) that makes dhcpd's name
	// for option 66, tftp-server-name, mean another code; "" when none.
	Redefined66 string
	// Failover are the failover peer declarations (file:line and the peer
	// address): the peer serves part of the clients from its own file.
	Failover []Peer
	// DenyKnown are the pools that refuse known clients (file:line): a
	// host entry without fixed-address takes such a pool from a phone.
	DenyKnown []string
	// KnownOnly are the subnets whose every range serves known clients
	// only (a host declaration makes a client known): for each, file:line
	// of what restricts its first range (a pool's "deny unknown-clients"
	// or "allow known-clients" permit list, or a "deny"/"ignore
	// unknown-clients" flag in a scope around it; dhcpd.conf(5), "PERMIT
	// LISTS" and "The unknown-clients keyword"). A phone without a host
	// entry gets no lease there.
	KnownOnly []string
	// NoRange are the subnets (file:line and the subnet) of a file that
	// has no range statement at all, in any scope: dhcpd then leases an
	// address only to a host declared with a fixed-address
	// (dhcpd.conf(5), "The range statement" and "host"), and a phone
	// without one gets no lease. Empty when any range exists (it may be
	// in a shared-network's pool), or subnets may come from LDAP or an
	// include that could not be read.
	NoRange []string
	// NoPhonePool are the subnets (each "file:line: pool { PERMITS; }",
	// its first pool) whose every range lies in a pool whose permit list
	// admits no 79x0 ("allow members of" only classes no phone joins,
	// "deny all clients"; poolHoldsPhones, dhcpd.conf(5) "PERMIT
	// LISTS"): no phone gets a lease there, host entry or not, unless a
	// host gives it a fixed-address. A subnet with also a known-only
	// range is KnownOnly's.
	NoPhonePool []string
	// LDAP is the file:line of an ldap-server statement: dhcpd built with
	// LDAP reads subnets and hosts from the directory, not the file.
	LDAP string
	// Begin and End are the marker lines of our block in the main file (0: none).
	Begin, End int

	final map[string]optionDef // each declared name's last declaration
}

// Peer is a "failover peer NAME { ... }" declaration.
type Peer struct {
	Name    string
	Address string // its "peer address", or ""
	File    string
	Line    int
}

// failoverPeer recognises a failover peer declaration (dhcpd.conf(5),
// "CONFIGURING FAILOVER"); the "failover peer NAME;" reference inside a
// pool is not one.
func failoverPeer(stmts []isc.Stmt, i int) (Peer, bool) {
	s := stmts[i]
	if !s.Block || s.Word(0) != "failover" || s.Word(1) != "peer" {
		return Peer{}, false
	}
	p := Peer{Name: s.Word(2), File: s.File, Line: s.Line}
	for _, k := range isc.Children(stmts, i) {
		if c := stmts[k]; c.Word(0) == "peer" && c.Word(1) == "address" {
			p.Address = c.Word(2)
		}
	}
	return p, true
}

// knownOnlySubnets finds the subnets whose ranges all serve known clients
// only (see Inspection.KnownOnly), and those whose every range is in a
// pool that admits no 79x0 at all (Inspection.NoPhonePool).
func knownOnlySubnets(stmts []isc.Stmt) (known, nophone []string) {
	// restricts is where the unknown-clients flag is off in the scope
	// that is the block at index p (-1: global), "" where it is not.
	restricts := func(p int) string {
		for _, c := range stmts {
			if c.Block || c.Parent != p {
				continue
			}
			what := strings.Join(wordsFrom(c, 1), " ")
			switch {
			case (c.Word(0) == "deny" || c.Word(0) == "ignore") && (what == "unknown-clients" || what == "unknown clients"),
				c.Word(0) == "boot-unknown-clients" && (what == "false" || what == "off"):
				return fmt.Sprintf("%s:%d", c.File, c.Line)
			}
		}
		return ""
	}
	var classes map[string]map[string]any // read once, where a pool has a permit list
	for i, sub := range stmts {
		if !sub.Block || sub.Word(0) != "subnet" {
			continue
		}
		first, firstNone, ranges, open, allNone := "", "", 0, false, true
		for j := i + 1; j < len(stmts) && stmts[j].Depth > sub.Depth; j++ {
			if _, ok := rangeStmt(stmts[j]); !ok {
				continue
			}
			ranges++
			why, none := "", ""
			for p := stmts[j].Parent; ; p = stmts[p].Parent {
				if p >= 0 && stmts[p].Block && stmts[p].Word(0) == "pool" {
					if len(poolPermits(stmts, p)) > 0 && classes == nil {
						classes = iscClasses(stmts)
					}
					if len(poolPermits(stmts, p)) > 0 && poolHoldsPhones(stmts, p, classes) == No {
						none = fmt.Sprintf("%s:%d: pool { %s; }", stmts[p].File, stmts[p].Line, permitText(stmts, p))
						break
					}
				}
				if p >= 0 && stmts[p].Block && stmts[p].Word(0) == "pool" && knownOnlyPool(stmts, p) {
					why = fmt.Sprintf("%s:%d", stmts[p].File, stmts[p].Line)
				} else if w := restricts(p); w != "" {
					why = w
				}
				if why != "" || p < 0 {
					break
				}
			}
			if why == "" && none == "" {
				open = true
				break
			}
			if none != "" {
				if firstNone == "" {
					firstNone = none
				}
				continue
			}
			allNone = false
			if first == "" {
				first = why
			}
		}
		switch {
		case ranges == 0 || open:
		case allNone:
			nophone = append(nophone, firstNone)
		default:
			known = append(known, first)
		}
	}
	return known, nophone
}

// permitText is the pool at i's permit list as written, "; " between.
func permitText(stmts []isc.Stmt, i int) string {
	var t []string
	for _, p := range poolPermits(stmts, i) {
		t = append(t, stmts[p.stmt].Text())
	}
	return strings.Join(t, "; ")
}

// permit is one "allow" or "deny" line of a pool (dhcpd.conf(5), PERMIT
// LISTS): what it names, known and unknown clients in one spelling each
// ("known-clients", "unknown-clients"), and its statement.
type permit struct {
	deny bool
	what string
	stmt int
}

// poolPermits lists the permit list of the pool at i.
func poolPermits(stmts []isc.Stmt, i int) []permit {
	var out []permit
	for _, k := range isc.Children(stmts, i) {
		c := stmts[k]
		if c.Block || (c.Word(0) != "allow" && c.Word(0) != "deny") {
			continue
		}
		what := strings.Join(wordsFrom(c, 1), " ")
		switch what {
		case "known clients":
			what = "known-clients"
		case "unknown clients":
			what = "unknown-clients"
		}
		out = append(out, permit{deny: c.Word(0) == "deny", what: what, stmt: k})
	}
	return out
}

// knownOnlyPool reports whether the pool at i admits known clients only:
// "deny unknown-clients", or "allow known-clients" without "allow
// unknown-clients" or "allow all clients" (an allow list admits only
// what it lists).
func knownOnlyPool(stmts []isc.Stmt, i int) bool {
	allowKnown, allowOther := false, false
	for _, p := range poolPermits(stmts, i) {
		known := p.what == "known-clients"
		switch {
		case p.deny && p.what == "unknown-clients":
			return true
		case !p.deny:
			allowKnown = allowKnown || known
			allowOther = allowOther || !known
		}
	}
	return allowKnown && !allowOther
}

// deniesKnown reports whether pool i refuses a client that has a host
// declaration (a "known" client): "deny known-clients", or a permit list
// of "allow unknown-clients" without known clients on it (dhcpd.conf(5),
// "PERMIT LISTS": with a permit list, only clients matching it are
// eligible).
func deniesKnown(stmts []isc.Stmt, i int) bool {
	allowUnknown, allowKnown := false, false
	for _, p := range poolPermits(stmts, i) {
		switch {
		case p.deny && p.what == "known-clients":
			return true
		case !p.deny:
			allowKnown = allowKnown || p.what == "known-clients" || p.what == "all clients"
			allowUnknown = allowUnknown || p.what == "unknown-clients"
		}
	}
	return allowUnknown && !allowKnown
}

func wordsFrom(s isc.Stmt, i int) []string {
	var out []string
	for _, w := range s.Words[min(i, len(s.Words)):] {
		out = append(out, w.Text)
	}
	return out
}

// Inspect reads a dhcpd.conf whose content is src; readFile (nil: do not)
// follows include statements. Errors are *SyntaxError naming file:line.
func Inspect(path string, src []byte, readFile func(string) ([]byte, error)) (*Inspection, error) {
	c, err := isc.Load(path, src, readFile)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Config: c}
	for _, cm := range c.Comments {
		text := strings.TrimSpace(cm.Text)
		isBegin := strings.HasPrefix(text, "# BEGIN setup-dhcp")
		isEnd := strings.HasPrefix(text, EndMarker)
		switch {
		case isBegin && in.Begin != 0:
			return nil, &SyntaxError{File: path, Line: cm.Line, Msg: "second BEGIN setup-dhcp marker"}
		case isBegin && cm.Depth != 0:
			return nil, &SyntaxError{File: path, Line: cm.Line, Msg: "BEGIN setup-dhcp marker inside a { } scope"}
		case isBegin:
			in.Begin = cm.Line
		case isEnd && (in.Begin == 0 || in.End != 0):
			return nil, &SyntaxError{File: path, Line: cm.Line, Msg: "END setup-dhcp marker without BEGIN"}
		case isEnd:
			in.End = cm.Line
		}
	}
	if in.Begin != 0 && in.End == 0 {
		return nil, &SyntaxError{File: path, Line: in.Begin, Msg: "BEGIN setup-dhcp marker without END"}
	}
	for _, s := range c.Stmts {
		if s.File == path && in.Begin != 0 && (s.Line < in.Begin && s.EndLine > in.Begin || s.Line < in.End && s.EndLine > in.End) {
			return nil, &SyntaxError{File: path, Line: s.Line, Msg: "statement crosses a setup-dhcp marker"}
		}
	}

	// Every name declared for code 150 as addresses, in our block too. A
	// name declared with another type (Foreman's pxegrub text) is not a
	// TFTP server for phones.
	names := map[string]bool{}
	var decls []int // indexes of every option declaration, in order
	final := map[string]optionDef{}
	for i, s := range c.Stmts {
		name, code, typ, ok := optionDecl(s)
		if !ok {
			continue
		}
		decls = append(decls, i)
		final[name] = optionDef{code, typ}
		if code == 150 && !names[name] && addressCount(typ) != 0 {
			names[name] = true
			in.Names = append(in.Names, name)
		}
		if in.inBlock(i) {
			continue
		}
		if name == Option66Name && code != 66 {
			in.Redefined66 = fmt.Sprintf("%s:%d", s.File, s.Line)
		}
		if code != 150 {
			if name == DefaultOptionName {
				return nil, &SyntaxError{File: s.File, Line: s.Line, Msg: fmt.Sprintf("option %s is declared with code %d, not 150", name, code)}
			}
			continue
		}
		in.Decls = append(in.Decls, Declaration{Name: name, Type: typ, File: s.File, Line: s.Line, index: i})
	}
	in.final = final
	// A name means what the last declaration before the statement says
	// (dhcpd reads the file in order), else dhcpd's built-in meaning, else
	// (a name used before its declaration) the first declaration after it.
	meaning := func(name string, at int) (optionDef, bool) {
		var d optionDef
		found := false
		for _, k := range decls {
			if k > at {
				break
			}
			if n, code, typ, _ := optionDecl(c.Stmts[k]); n == name {
				d, found = optionDef{code, typ}, true
			}
		}
		if found {
			return d, true
		}
		if d, ok := builtinNames[name]; ok {
			return d, true
		}
		for _, k := range decls {
			if in.inBlock(k) && !in.inBlock(at) {
				continue // our block's declaration does not reach back
			}
			if n, code, typ, _ := optionDecl(c.Stmts[k]); n == name && k > at {
				return optionDef{code, typ}, true
			}
		}
		return d, false
	}
	in.KnownOnly, in.NoPhonePool = knownOnlySubnets(c.Stmts)
	for i, s := range c.Stmts {
		if r, ok := rangeStmt(s); ok {
			in.Ranges = append(in.Ranges, r)
			continue
		}
		if p, ok := failoverPeer(c.Stmts, i); ok {
			in.Failover = append(in.Failover, p)
			continue
		}
		if s.Block && s.Word(0) == "pool" && deniesKnown(c.Stmts, i) {
			in.DenyKnown = append(in.DenyKnown, fmt.Sprintf("%s:%d", s.File, s.Line))
			continue
		}
		if !s.Block && strings.HasPrefix(s.Word(0), "ldap-server") && in.LDAP == "" {
			in.LDAP = fmt.Sprintf("%s:%d", s.File, s.Line)
			continue
		}
		name, vals, ok := optionSetting(s)
		if !ok {
			continue
		}
		def, ok := meaning(name, i)
		if !ok || def.code != 66 && def.code != 150 {
			continue
		}
		set := Setting{Option: def.code, Name: name, Type: def.typ, File: s.File, Line: s.Line, Scope: isc.Scope(c.Stmts, i), Kind: isc.ScopeKind(c.Stmts, i), Values: vals, Text: s.Text(), index: i}
		if a, ok := hexAddrs(def.typ, vals); ok && def.code == 150 {
			set.Bytes, set.Values = vals[0], a
		}
		// A code 150 option of another type (Foreman's pxegrub text) set
		// for the clients a class or host selects is someone else's: not
		// a TFTP server for phones, and left alone.
		if set.Option == 150 && !set.Carries() && !addressScoped(set.Kind) {
			continue
		}
		if in.inBlock(i) {
			in.Block = append(in.Block, set)
		} else {
			in.Settings = append(in.Settings, set)
		}
	}
	if len(in.Ranges) == 0 && in.LDAP == "" && len(c.Notes) == 0 {
		for _, s := range c.Stmts {
			if s.Block && s.Word(0) == "subnet" {
				in.NoRange = append(in.NoRange, fmt.Sprintf("%s:%d: subnet %s", s.File, s.Line, strings.Join(wordsFrom(s, 1), " ")))
			}
		}
	}
	return in, nil
}

// Declared is the last declaration of code 150 outside our block, if any.
func (in *Inspection) Declared() (Declaration, bool) {
	for i := len(in.Decls) - 1; i >= 0; i-- {
		d := in.Decls[i]
		if f, ok := in.final[d.Name]; ok && f.code != 150 {
			continue // the name was declared again as another code
		}
		if d.Address() {
			return in.Decls[i], true
		}
	}
	return Declaration{}, false
}

func (in *Inspection) inBlock(i int) bool {
	s := in.Config.Stmts[i]
	return in.Begin != 0 && s.File == in.Config.Path && s.Line > in.Begin && s.Line < in.End
}

// optionDecl recognises "option NAME code N = TYPE" in the DHCP space.
func optionDecl(s isc.Stmt) (name string, code int, typ string, ok bool) {
	if s.Block || s.Word(0) != "option" || s.Word(2) != "code" || s.Word(4) != "=" {
		return "", 0, "", false
	}
	name, ok = dhcpSpace(s.Word(1))
	if !ok {
		return "", 0, "", false
	}
	code, err := strconv.Atoi(s.Word(3))
	if err != nil {
		return "", 0, "", false
	}
	var t []string
	for _, w := range s.Words[5:] {
		t = append(t, w.Text)
	}
	return name, code, strings.Join(t, " "), true
}

// optionSetting recognises the statements that give clients an option
// value: "option NAME VALUE" and the supersede, default, prepend and append
// forms of dhcp-eval(5). vals are the list items (commas dropped).
func optionSetting(s isc.Stmt) (name string, vals []string, ok bool) {
	if s.Block || len(s.Words) < 3 {
		return "", nil, false
	}
	i := 1
	switch s.Word(0) {
	case "option":
		if s.Word(2) == "code" || s.Word(1) == "space" {
			return "", nil, false
		}
	case "supersede", "default", "prepend", "append":
		if s.Word(1) == "option" {
			i = 2
		}
	default:
		return "", nil, false
	}
	name, ok = dhcpSpace(s.Word(i))
	if !ok {
		return "", nil, false
	}
	for _, w := range s.Words[i+1:] {
		if w.Kind == isc.Punct && w.Text == "," {
			continue
		}
		vals = append(vals, w.Text)
	}
	return name, vals, len(vals) > 0
}

// rangeStmt recognises "range [dynamic-bootp] LOW [HIGH]".
func rangeStmt(s isc.Stmt) (Range, bool) {
	if s.Block || s.Word(0) != "range" {
		return Range{}, false
	}
	w := s.Words[1:]
	if len(w) > 0 && w[0].Text == "dynamic-bootp" {
		w = w[1:]
	}
	if len(w) == 0 {
		return Range{}, false
	}
	first, err := netip.ParseAddr(w[0].Text)
	if err != nil || !first.Is4() {
		return Range{}, false
	}
	last := first
	if len(w) > 1 {
		if last, err = netip.ParseAddr(w[1].Text); err != nil || !last.Is4() {
			return Range{}, false
		}
	}
	return Range{File: s.File, Line: s.Line, First: first, Last: last}, true
}

// dhcpSpace strips a "dhcp." prefix; names in other option spaces are not
// DHCP option 150 even with code 150.
func dhcpSpace(name string) (string, bool) {
	if rest, ok := strings.CutPrefix(name, "dhcp."); ok {
		return rest, true
	}
	return name, !strings.Contains(name, ".")
}

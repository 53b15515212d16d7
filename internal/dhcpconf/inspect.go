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

	index int // in Inspection.Config.Stmts
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
	if len(servers) == 0 {
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

// Multi reports whether the declared type holds several servers.
func (d Declaration) Multi() bool { return addressType(d.Type) == "array of ip-address" }

// Address reports whether the declared type carries TFTP servers' addresses.
func (d Declaration) Address() bool { return addressType(d.Type) != "" }

// addressType is the wire form of a code 150 type that carries addresses:
// "ip-address" (also the one-field record "{ ip-address }", the same four
// bytes: dhcp-options(5), "Defining new options"; NixOS and Juniper's ZTP
// examples declare it so), "array of ip-address", or "" for any other
// type (Foreman declares code 150 as "text" for its own pxegrub option).
func addressType(typ string) string {
	t := strings.Join(strings.Fields(typ), " ")
	switch t {
	case "ip-address", "{ ip-address }":
		return "ip-address"
	case "array of ip-address":
		return "array of ip-address"
	}
	return ""
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
	// Begin and End are the marker lines of our block in the main file (0: none).
	Begin, End int
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
	// TFTP server for phones: its settings are not option 150's here.
	names := map[string]bool{}
	for i, s := range c.Stmts {
		name, code, typ, ok := optionDecl(s)
		if ok && code == 150 && !names[name] && addressType(typ) != "" {
			names[name] = true
			in.Names = append(in.Names, name)
		}
		if !ok || in.inBlock(i) {
			continue
		}
		if code != 150 {
			if name == DefaultOptionName {
				return nil, &SyntaxError{File: s.File, Line: s.Line, Msg: fmt.Sprintf("option %s is declared with code %d, not 150", name, code)}
			}
			continue
		}
		in.Decls = append(in.Decls, Declaration{Name: name, Type: typ, File: s.File, Line: s.Line, index: i})
	}
	for i, s := range c.Stmts {
		if r, ok := rangeStmt(s); ok {
			in.Ranges = append(in.Ranges, r)
			continue
		}
		name, vals, ok := optionSetting(s)
		if !ok {
			continue
		}
		set := Setting{Name: name, File: s.File, Line: s.Line, Scope: isc.Scope(c.Stmts, i), Kind: isc.ScopeKind(c.Stmts, i), Values: vals, Text: s.Text(), index: i}
		switch {
		case name == Option66Name:
			set.Option = 66
		case names[name]:
			set.Option = 150
		default:
			continue
		}
		if in.inBlock(i) {
			in.Block = append(in.Block, set)
		} else {
			in.Settings = append(in.Settings, set)
		}
	}
	return in, nil
}

// Declared is the last declaration of code 150 outside our block, if any.
func (in *Inspection) Declared() (Declaration, bool) {
	for i := len(in.Decls) - 1; i >= 0; i-- {
		if in.Decls[i].Address() {
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

package dhcpconf

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/isc"
)

// TakeOverMarker starts each hand-written line that setup-dhcp --take-over
// commented out; the rest of the line is the statement as it was.
const TakeOverMarker = "# setup-dhcp --take-over: "

// MergeOptions says what Merge adds.
type MergeOptions struct {
	TFTPServer  netip.Addr
	TFTPBackups []netip.Addr // further option 150 servers, in order
	// Reservations nil keeps those already in the managed block; non-nil
	// (even empty) replaces them.
	Reservations []Reservation
	// ReadFile follows include statements; nil does not follow them.
	ReadFile func(string) ([]byte, error)
	// TakeOver comments out (with TakeOverMarker) every hand-written
	// statement that would give clients another TFTP server than ours,
	// in the main file and in included ones; without it such statements
	// are Conflicts and nothing is changed.
	TakeOver bool

	// judgeOnly: Merge is run on the file that includes the one merged
	// into, for its conflicts alone; the checks of where a block may be
	// written (UCR's file, dhcpd -6's, one without subnet) are not made.
	judgeOnly bool
}

func (o MergeOptions) servers() []netip.Addr {
	return append([]netip.Addr{o.TFTPServer}, o.TFTPBackups...)
}

// Conflict is a hand-written statement that keeps option 150 (or 66) from
// reaching some clients with the requested servers.
type Conflict struct {
	File  string
	Line  int
	Scope string // "global" or the enclosing blocks
	Text  string // the statement
	Msg   string // file:line: what it does and what --take-over does with it
}

func (c Conflict) String() string { return c.Msg }

// FileChange is the new content of a file other than the one merged into
// (an included file whose statements --take-over commented out).
type FileChange struct {
	Path     string
	Old, New []byte
}

// MergeResult is the merged file and what Merge found on the way.
type MergeResult struct {
	Content    []byte
	OptionName string   // the name option 150 is set under
	Notes      []string // findings worth telling when the file changes, as file:line: text
	Warnings   []string // findings to tell even when nothing changes
	// Conflicts are the statements that give clients another TFTP server.
	// Without TakeOver, Content is the input unchanged when there are any.
	Conflicts []Conflict
	// Included are included files changed by TakeOver, in reading order.
	Included []FileChange
	// Ranges are the file's dynamic ranges (for checking reservations).
	Ranges []Range
	// Hosts are the reservations written as host entries: those the file
	// did not already have.
	Hosts []Reservation
}

// addressScoped reports whether a scope kind hands options to clients by
// where they are (their network, pool or group) rather than by who they
// are. Option 66 is read by every vendor's phones; a class or host that
// sets it has chosen its clients (say, "polycom"), so it is left alone. Any
// scope that sets option 150 addresses Cisco phones, which alone read it.
func addressScoped(kind string) bool {
	switch kind {
	case "class", "subclass", "host":
		return false
	}
	return true
}

type edit struct {
	off, end int
	repl     string
}

// Merge adds option 150 (declaration and value) and reservations to a
// hand-written dhcpd.conf inside a marked block. Every line outside the
// block is kept byte for byte and in order, except those TakeOver comments
// out; merging twice changes nothing.
func Merge(path string, src []byte, opt MergeOptions) (MergeResult, error) {
	in, err := Inspect(path, src, opt.ReadFile)
	if err != nil {
		return MergeResult{}, err
	}
	servers := opt.servers()
	if err := CheckServers(servers); err != nil {
		return MergeResult{}, fmt.Errorf("--tftp-server: %v", err)
	}
	if v6 := DHCPv6(path, src); v6 != "" && !opt.judgeOnly {
		return MergeResult{}, fmt.Errorf("%s: %s", v6, DHCPv6Advice)
	}
	if err := generatedByUCR(path, in, servers); err != nil && !opt.judgeOnly {
		return MergeResult{}, err
	}
	var includedBy, incName string
	var incSrc []byte
	if err := declaresSubnet(path, in); err != nil && !opt.judgeOnly {
		// An include (Univention's local.conf, a site's options file)
		// needs no subnet of its own: the file that includes it is
		// what dhcpd starts with.
		if includedBy, incName, incSrc = includer(path, opt.ReadFile); includedBy == "" {
			return MergeResult{}, err
		}
	}
	list := joinAddrs(servers, ", ")
	if refused := in.RefusesPhones(); len(refused) > 0 {
		return MergeResult{}, fmt.Errorf("%s not changed: dhcpd would not answer the phones, and option 150 would reach none of them:\n%s\nremove that statement (or narrow the class's match so that it leaves the phones out), then rerun", path, strings.Join(refused, "\n"))
	}
	if includedBy != "" {
		var outer []Conflict
		// The including file's own settings (a subnet's option 150 to
		// another server) override a global one set here, as they would
		// ours merged into it directly (dhcpd.conf(5): the innermost
		// scope wins): judged as that merge judges them. Its statements
		// in path itself are judged below.
		sub := opt
		sub.TakeOver, sub.Reservations, sub.judgeOnly = false, nil, true
		r, err := Merge(incName, incSrc, sub)
		if err != nil {
			return MergeResult{}, fmt.Errorf("%s, which includes %s (%s): %w", incName, path, includedBy, err)
		}
		abs, _ := filepath.Abs(path)
		for _, c := range r.Conflicts {
			if a, _ := filepath.Abs(c.File); a == abs {
				continue
			}
			c.Msg = fmt.Sprintf("%s:%d: %s (%s) gives phones another TFTP server than %s and overrides, for its clients, option 150 set in %s (included at %s); setup-dhcp edits no line of the including file when merging into an include: merge into %s instead (setup-dhcp --merge --out %s, --take-over to comment that line out), or change it by hand", c.File, c.Line, strings.TrimSpace(c.Text), c.Scope, list, path, includedBy, incName, incName)
			outer = append(outer, c)
		}
		if len(outer) > 0 {
			var msgs []string
			for _, c := range outer {
				msgs = append(msgs, c.Msg)
			}
			return MergeResult{}, fmt.Errorf("%s not changed: %s", path, strings.Join(msgs, "\n"))
		}
	}
	// An include that cannot be read may hide a conflict: said every time.
	res := MergeResult{Warnings: append([]string(nil), in.Config.Notes...), Ranges: in.Ranges}
	if includedBy != "" {
		res.Notes = append(res.Notes, fmt.Sprintf("%s declares no subnet; it is included by %s, which dhcpd serves from: option 150 set here reaches that configuration's clients", path, includedBy))
	}
	m := managed{name: DefaultOptionName, set: true, servers: servers, hosts: opt.Reservations}
	edits := map[string][]edit{}
	conflict := func(file string, off, end int, c Conflict, extra string) {
		res.Conflicts = append(res.Conflicts, c)
		edits[file] = append(edits[file], commentOut(in.Config.Files[file], off, end, extra))
	}

	// A declaration of code 150 that carries no address (Foreman's
	// "option pxegrub code 150 = text") is left alone: dhcpd encodes a
	// setting by the definition of the name it uses, so ours, declared as
	// addresses, is sent as addresses. A statement setting such an option
	// is one of the settings below, and competes like any other.
	bytesSet := map[string]bool{} // names set as colon-hex addresses
	for _, st := range in.Settings {
		if st.Bytes != "" {
			bytesSet[st.Name] = true
		}
	}
	for _, d := range in.Decls {
		if !d.Address() && !bytesSet[d.Name] {
			res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: option %s (code 150) is declared as %s, which carries no address; left alone, as setup-dhcp sets code 150 under a name declared as addresses", d.File, d.Line, d.Name, strings.Join(strings.Fields(d.Type), " ")))
		}
	}
	decl, declared := in.Declared()
	if declared && !decl.Holds(len(servers)) && addressCount(decl.Type) > 1 && decl.Name != DefaultOptionName {
		// A record of k addresses: its settings are written as k
		// addresses without commas, which an array declaration would no
		// longer read. It stays as it is; ours is declared under our own
		// name (dhcpd keeps each name's own definition of code 150).
		res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: option %s (code 150) is declared as %s, which holds %s, not the %d of --tftp-server %s; left as it is, setup-dhcp declares its own name %s", decl.File, decl.Line, decl.Name, strings.Join(strings.Fields(decl.Type), " "), holdsText(decl.Type), len(servers), list, DefaultOptionName))
		declared = false
	}
	if declared {
		m.name = decl.Name
		m.record = strings.HasPrefix(strings.TrimSpace(decl.Type), "{") && decl.Holds(len(servers))
		res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: option 150 is already declared as %s; using that name", decl.File, decl.Line, m.name))
		if !decl.Holds(len(servers)) {
			s := in.Config.Stmts[decl.index]
			msg := fmt.Sprintf("%s:%d: option %s is declared as %s, which holds %s, not the %d of --tftp-server %s", decl.File, decl.Line, decl.Name, strings.Join(strings.Fields(decl.Type), " "), holdsText(decl.Type), len(servers), list)
			if opt.TakeOver {
				msg += ": commented out and declared again as array of ip-address (--take-over)"
			} else {
				msg += "; --take-over declares it as array of ip-address"
			}
			conflict(decl.File, s.Off, s.End, Conflict{File: decl.File, Line: decl.Line, Scope: isc.Scope(in.Config.Stmts, decl.index), Text: s.Text(), Msg: msg},
				fmt.Sprintf("option %s code 150 = array of ip-address;", decl.Name))
		}
	} else {
		m.declare = true
	}
	res.OptionName = m.name

	// A class every 79x0 joins that gives them our servers already
	// (Cisco phones by option 60, beside an old server for the rest)
	// overrides wider settings for every phone.
	ours := func(o Setting) bool { return o.Agrees(servers) && (o.Option == 66 || o.Leads(servers)) }
	phones150, phones66 := in.PhonesClassGives(150, ours), in.PhonesClassGives(66, ours)
	global150, global66, took66 := false, false, false
	for _, st := range in.Settings {
		label := "option 150"
		switch {
		case st.Option == 66:
			label = "option 66 (" + st.Name + ")"
		case !st.Carries():
			label = fmt.Sprintf("option 150 (%s, declared as %s: text, which no phone reads as a server)", st.Name, strings.Join(strings.Fields(st.Type), " "))
		case st.Name == "tftp-server-address":
			label = "option 150 (dhcpd's built-in tftp-server-address)"
		case st.Bytes != "":
			label = fmt.Sprintf("option 150 (%s, declared as string, written as the bytes %s)", st.Name, st.Bytes)
		}
		where := fmt.Sprintf("inside a %q scope (%s)", st.Kind, st.Scope)
		// Our server only as a backup: phones keep loading from the
		// first one while it answers. Said every time; --take-over puts
		// ours first.
		backup := st.Option == 150 && st.Agrees(servers) && !st.Leads(servers)
		if backup && !opt.TakeOver {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: warning: option 150 lists %s first and %s only as a backup: phones load from %s while it answers; --take-over comments this out and sets %s", st.Where(), st.Values[0], servers[0], st.Values[0], list))
		}
		if st.Agrees(servers) && !(backup && opt.TakeOver) {
			switch {
			case st.Global() && st.Option == 150:
				global150 = true
				res.Notes = append(res.Notes, fmt.Sprintf("%s: option 150 is already set globally (%s %s); not adding a second setting", st.Where(), st.Name, st.Value()))
			case st.Global():
				global66 = true
			default:
				res.Notes = append(res.Notes, fmt.Sprintf("%s: %s is set to %s %s, which agrees", st.Where(), label, st.Value(), where))
			}
			continue
		}
		if why := in.OverriddenForPhones(st, ours); why != "" {
			at := "globally"
			if !st.Global() {
				at = where
			}
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %s is set to %s %s, which no phone receives: %s; left alone", st.Where(), label, st.Value(), at, why))
			continue
		}
		if why := iscNoPhone(in.Config.Stmts, st.index); why != "" && !st.Global() {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %s is set to %s %s, which no phone receives: %s; left alone", st.Where(), label, st.Value(), where, why))
			continue
		}
		if st.Option == 66 && !addressScoped(st.Kind) {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %s is set to %s %s for the clients it selects; left as it is", st.Where(), label, st.Value(), where))
			continue
		}
		var msg string
		switch {
		case st.Global() && st.Option == 150 && !opt.TakeOver:
			msg = fmt.Sprintf("%s: option 150 is already set globally (%s %s); not adding a second setting; warning: it is not %s; --take-over comments it out and sets %s", st.Where(), st.Name, st.Value(), list, list)
		case st.Global() && !opt.TakeOver:
			msg = fmt.Sprintf("%s: %s is set globally to %s, not %s; --take-over comments it out and sets %s", st.Where(), label, st.Value(), servers[0], servers[0])
		case backup:
			msg = fmt.Sprintf("%s: %s lists %s first, not %s: commented out (--take-over)", st.Where(), label, st.Values[0], servers[0])
		case st.Global():
			msg = fmt.Sprintf("%s: %s is set globally to %s, not %s: commented out (--take-over)", st.Where(), label, st.Value(), list)
		case !opt.TakeOver:
			msg = fmt.Sprintf("%s: %s is set to %s %s, which gives its clients another TFTP server than %s; --take-over comments it out", st.Where(), label, st.Value(), where, list)
		default:
			msg = fmt.Sprintf("%s: %s is set to %s %s, which would override %s for its clients: commented out (--take-over)", st.Where(), label, st.Value(), where, list)
		}
		s := in.Config.Stmts[st.index]
		conflict(st.File, s.Off, s.End, Conflict{File: st.File, Line: st.Line, Scope: st.Scope, Text: st.Text, Msg: msg}, "")
		if st.Option == 66 {
			took66 = true
		}
	}
	had66 := false
	for _, b := range in.Block {
		had66 = had66 || b.Option == 66
	}
	// The phones' own class makes our global setting needless, but one
	// our block already holds stays: other devices may have come to
	// rely on it since.
	had150 := false
	for _, b := range in.Block {
		had150 = had150 || b.Option == 150
	}
	m.set = !global150 && (!phones150 || had150)
	m.set66 = !global66 && (took66 && !phones66 || had66)
	if phones150 && !m.set && !declared && !blockDeclares(in) {
		m.declare = false // the phones' class uses dhcpd's own name
	}
	if in.Redefined66 != "" && m.set66 {
		// The file's declaration decides what the name means: setting
		// tftp-server-name there would send another code.
		m.set66 = false
		res.Notes = append(res.Notes, fmt.Sprintf("%s: %s is declared as another code than 66; option 66 is not set (option 150 alone gives 79x0 phones their server)", in.Redefined66, Option66Name))
	}
	for _, p := range in.Failover {
		peer := ""
		if p.Address != "" {
			peer = " (peer address " + p.Address + ")"
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: warning: failover peer %q%s: its server answers part of the clients from its own configuration and needs the same option 150 (%s), or the block belongs in the file both servers include; run setup-dhcp --merge there too", p.File, p.Line, p.Name, peer, list))
	}

	if len(res.Conflicts) > 0 && !opt.TakeOver {
		for _, c := range res.Conflicts {
			res.Warnings = append(res.Warnings, c.Msg)
		}
		res.Content = src
		return res, nil
	}
	for _, c := range res.Conflicts {
		res.Notes = append(res.Notes, c.Msg)
	}

	if opt.Reservations == nil {
		if in.Begin != 0 {
			m.kept = keptReservations(src)
		}
		if len(m.kept) == 0 {
			w, n := in.PhonesGetNoLease()
			res.Warnings = append(res.Warnings, w...)
			res.Notes = append(res.Notes, n...)
		}
	} else {
		if m.hosts, err = skipKnownHosts(in, opt.Reservations, &res.Notes, &res.Warnings); err != nil {
			return MergeResult{}, err
		}
		m.hosts = skipDeniedHosts(in, m.hosts, &res.Notes)
		if err := checkHostAddrs(in, m.hosts, append([]netip.Addr{opt.TFTPServer}, opt.TFTPBackups...)); err != nil {
			return MergeResult{}, err
		}
		res.Hosts = m.hosts
		if len(in.NoRange) > 0 {
			for _, r := range m.hosts {
				if !r.IP.IsValid() {
					res.Warnings = append(res.Warnings, fmt.Sprintf("%s: warning: the file has no range statement, so host %s (%s), which has no fixed address, gets no lease; give it one with setup-cisco phone set %s --ip ADDRESS", in.NoRange[0], r.HostName(), commentText(r.Name), strings.ToUpper(strings.ReplaceAll(r.MAC.String(), ":", ""))))
				}
			}
		}
	}

	// Our block stays where it is, unless the declaration we now rely on
	// comes after it: a name must be declared before it is used.
	var block strings.Builder
	writeBlock(&block, m)
	appendBlock := true
	if in.Begin != 0 {
		lines := isc.SplitLines(string(src))
		off := 0
		for _, l := range lines[:in.Begin-1] {
			off += len(l)
		}
		end := off
		for _, l := range lines[in.Begin-1 : in.End] {
			end += len(l)
		}
		if declared && in.Config.At[decl.index] > in.End {
			edits[path] = append(edits[path], edit{off, end, ""})
		} else {
			edits[path] = append(edits[path], edit{off, end, block.String()})
			appendBlock = false
		}
	}
	out := applyEdits(src, edits[path])
	if appendBlock && block.Len() > 0 {
		if len(out) > 0 && !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		out += block.String()
	}
	res.Content = []byte(out)
	for _, name := range in.Config.Order[1:] {
		if e := edits[name]; len(e) > 0 {
			old := in.Config.Files[name]
			res.Included = append(res.Included, FileChange{Path: name, Old: old, New: []byte(applyEdits(old, e))})
		}
	}
	return res, nil
}

// declaresSubnet fails for a dhcpd.conf without a subnet declaration (the
// stock Debian file: every subnet a commented-out example): dhcpd answers
// no client on a network it has no subnet for, and exits when it has none
// at all ("No subnet declaration for ...", dhcpd.conf(5)), so option 150
// added there reaches no phone. An include that could not be read may hold
// one: then it is not judged.
func declaresSubnet(path string, in *Inspection) error {
	if len(in.Config.Notes) > 0 || in.LDAP != "" {
		return nil // an unread include, or subnets from LDAP
	}
	for _, st := range in.Config.Stmts {
		if st.Block && st.Word(0) == "subnet" {
			return nil
		}
	}
	return fmt.Errorf("%s declares no subnet: dhcpd serves no client with it (it does not even start), so option 150 added there reaches no phone. Declare the phones' subnet in it, or write a whole file for one subnet instead (without --merge): setup-dhcp --tftp-server SERVER --subnet NET/LEN --router ADDR --range FIRST-LAST --out %s", path, path)
}

// includer finds the dhcpd.conf that includes path (an include statement
// naming it, relative names taken from the including file's directory as
// dhcpd takes them) among the .conf files of path's directory, and returns
// "FILE:LINE" of that include when the including configuration declares a
// subnet or takes its subnets from LDAP (dhcpd.conf(5) "ldap-server"): then
// dhcpd starts, and what path sets reaches its clients. "" otherwise.
func includer(path string, readFile func(string) ([]byte, error)) (where, file string, content []byte) {
	if readFile == nil {
		return "", "", nil
	}
	dir := filepath.Dir(path)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", "", nil
	}
	want, _ := filepath.Abs(path)
	for _, e := range ents {
		name := filepath.Join(dir, e.Name())
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".conf") || name == filepath.Clean(path) {
			continue
		}
		src, err := readFile(name)
		if err != nil {
			continue
		}
		stmts, _, err := isc.ParseFile(name, src)
		if err != nil {
			continue
		}
		for _, s := range stmts {
			if s.Word(0) != "include" || len(s.Words) < 2 || s.Words[1].Kind != isc.String {
				continue
			}
			inc := s.Words[1].Text
			if !filepath.IsAbs(inc) {
				inc = filepath.Join(dir, inc)
			}
			if abs, _ := filepath.Abs(inc); abs != want {
				continue
			}
			in, err := Inspect(name, src, readFile)
			if err != nil {
				break
			}
			if in.LDAP != "" {
				return fmt.Sprintf("%s:%d (its subnets come from LDAP, %s)", s.File, s.Line, in.LDAP), name, src
			}
			for _, st := range in.Config.Stmts {
				if st.Block && st.Word(0) == "subnet" {
					return fmt.Sprintf("%s:%d", s.File, s.Line), name, src
				}
			}
			break
		}
	}
	return "", "", nil
}

// DHCPv6Advice follows DHCPv6's finding in messages.
const DHCPv6Advice = "option 150 is a DHCPv4 option, which dhcpd -6 never sends; the phones' server is dhcpd -4, whose file is dhcpd.conf (on Debian /etc/dhcp/dhcpd.conf): give that as --out"

// DHCPv6 names what makes a dhcpd configuration one for dhcpd -6 (Debian's
// isc-dhcp-server runs it with /etc/dhcp/dhcpd6.conf): its name, or a
// subnet6, range6, prefix6 or dhcp6.* option statement (dhcpd.conf(5),
// dhcp-options(5) "DHCPv6 options"); "" for a DHCPv4 file.
func DHCPv6(path string, src []byte) string {
	if stmts, _, err := isc.ParseFile(path, src); err == nil {
		for _, s := range stmts {
			w := s.Word(0)
			opt := ""
			if w == "option" {
				opt = s.Word(1)
			}
			if w == "subnet6" || w == "range6" || w == "prefix6" || strings.HasPrefix(opt, "dhcp6.") {
				return fmt.Sprintf("%s:%d: %s is DHCPv6 (dhcpd -6): this is a DHCPv6 configuration", s.File, s.Line, strings.Join(wordsFrom(s, 0)[:min(2, len(s.Words))], " "))
			}
		}
	}
	if filepath.Base(path) == "dhcpd6.conf" {
		return path + " is dhcpd -6's file, a DHCPv6 configuration"
	}
	return ""
}

// generatedByUCR refuses a dhcpd.conf that Univention Corporate Server's
// univention-config-registry writes from its template (its header says
// so; univention-dhcp conffiles/etc/dhcp/dhcpd.conf): "ucr commit"
// rewrites it and a merged block would be lost. The template includes
// local.conf for local additions; the message names it and the lines to
// put there.
func generatedByUCR(path string, in *Inspection, servers []netip.Addr) error {
	line := 0
	for _, c := range in.Config.Comments {
		if c.File == path && strings.Contains(c.Text, "univention-config-registry") {
			line = c.Line
			break
		}
	}
	if line == 0 {
		return nil
	}
	where := "the file it includes for local additions"
	for _, s := range in.Config.Stmts {
		if s.File == path && s.Word(0) == "include" && filepath.Base(s.Word(1)) == "local.conf" {
			where = fmt.Sprintf("%s, which it includes for local additions (%s:%d)", s.Word(1), s.File, s.Line)
		}
	}
	ldap := ""
	if in.LDAP != "" {
		ldap = fmt.Sprintf("; its subnets come from LDAP (%s)", in.LDAP)
	}
	return fmt.Errorf("%s:%d: this dhcpd.conf is written by univention-config-registry, and ucr commit rewrites it: a block merged here would be lost%s. Add option 150 to %s instead: option %s code 150 = array of ip-address; option %s %s;",
		path, line, ldap, where, DefaultOptionName, DefaultOptionName, joinAddrs(servers, ", "))
}

// commentOut turns the statement at src[off:end] into comment lines that
// start with TakeOverMarker, keeping its indentation. A statement alone on
// its line(s) is commented in place; one that shares a line with other
// statements is moved onto lines of its own, and what followed it goes on
// the next line. extra, if not empty, is a statement added after it.
func commentOut(src []byte, off, end int, extra string) edit {
	lineStart := off
	for lineStart > 0 && src[lineStart-1] != '\n' {
		lineStart--
	}
	lineEnd := end
	for lineEnd < len(src) && src[lineEnd] != '\n' {
		lineEnd++
	}
	before, after := string(src[lineStart:off]), string(src[end:lineEnd])
	indent := before[:len(before)-len(strings.TrimLeft(before, " \t"))]
	mark := func(text string) string {
		ls := strings.Split(text, "\n")
		for i, l := range ls {
			if i > 0 {
				l = strings.TrimLeft(l, " \t")
				ls[i] = indent + TakeOverMarker + l
				continue
			}
			ls[i] = TakeOverMarker + l
		}
		return strings.Join(ls, "\n")
	}
	tail := ""
	if extra != "" {
		tail = "\n" + indent + extra
	}
	trimmed := strings.TrimSpace(after)
	if strings.TrimSpace(before) == "" && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
		return edit{lineStart, lineEnd, indent + mark(string(src[off:lineEnd])) + tail}
	}
	// Shared line: the statement goes on lines of its own, indented one
	// step further, and the code after it starts a new line.
	stmt := string(src[off:end])
	for off > lineStart && (src[off-1] == ' ' || src[off-1] == '\t') {
		off--
	}
	for end < lineEnd && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	indent += "  "
	if extra != "" {
		tail = "\n" + indent + extra
	}
	return edit{off, end, "\n" + indent + mark(stmt) + tail + "\n" + indent}
}

// applyEdits replaces non-overlapping byte ranges of src.
func applyEdits(src []byte, edits []edit) string {
	sort.Slice(edits, func(i, j int) bool { return edits[i].off < edits[j].off })
	var b strings.Builder
	pos := 0
	for _, e := range edits {
		b.Write(src[pos:e.off])
		b.WriteString(e.repl)
		pos = e.end
	}
	b.Write(src[pos:])
	return b.String()
}

func writeBlock(b *strings.Builder, m managed) {
	for _, l := range m.lines() {
		b.WriteString(l + "\n")
	}
}

// skipKnownHosts drops reservations whose MAC or host name the file already
// has outside our block: dhcpd refuses duplicate host names, and two
// entries for one MAC would fight. A phone whose fixed address another
// host's fixed-address already gives is an error naming that line: dhcpd
// accepts both and hands the one address to both devices.
// declaresHosts reports whether the file, outside our block, has a host
// declaration with a hardware address (dhcpd.conf(5): such a client is
// "known" and may use a deny unknown-clients pool).
func declaresHosts(in *Inspection) bool {
	for i, s := range in.Config.Stmts {
		if !in.inBlock(i) && !s.Block && s.Word(0) == "hardware" && s.Word(1) == "ethernet" {
			return true
		}
	}
	return false
}

// blockDeclares reports whether our block declares code 150: a name the
// file's own lines (the phones' class) may use since.
func blockDeclares(in *Inspection) bool {
	for i, st := range in.Config.Stmts {
		if _, code, _, ok := optionDecl(st); ok && code == 150 && in.inBlock(i) {
			return true
		}
	}
	return false
}

// declaresFixedHosts reports whether the file, outside our block, gives a
// host a fixed-address.
func declaresFixedHosts(in *Inspection) bool {
	for i, s := range in.Config.Stmts {
		if !in.inBlock(i) && !s.Block && s.Word(0) == "fixed-address" {
			return true
		}
	}
	return false
}

// skipKnownHosts also refuses a phone whose own host entry (by MAC) says
// "deny booting" or "ignore booting", there or in a group around it:
// dhcpd never answers that MAC (dhcpd.conf(5), "The booting keyword"),
// and keeping the entry would leave the phone without an address.
func skipKnownHosts(in *Inspection, rs []Reservation, notes, warnings *[]string) ([]Reservation, error) {
	macs := map[string]isc.Stmt{}
	hosts := map[string]int{}
	type fixed struct {
		s     isc.Stmt
		scope string
	}
	addrs := map[netip.Addr]fixed{}
	for i, s := range in.Config.Stmts {
		if in.inBlock(i) {
			continue
		}
		if !s.Block && s.Word(0) == "fixed-address" {
			for _, w := range s.Words[1:] {
				if a, err := netip.ParseAddr(w.Text); err == nil {
					if _, seen := addrs[a]; !seen {
						addrs[a] = fixed{s, isc.Scope(in.Config.Stmts, i)}
					}
				}
			}
		}
		if s.Block && s.Word(0) == "host" {
			hosts[strings.ToLower(s.Word(1))] = i
		}
		if !s.Block && s.Word(0) == "hardware" && s.Word(1) == "ethernet" {
			if hw, err := parseISCMAC(s.Word(2)); err == nil {
				macs[hw.String()] = s
			}
		}
	}
	out := []Reservation{}
	for _, r := range rs {
		if s, ok := macs[r.MAC.String()]; ok {
			if refused := in.RefusedPhones([]string{r.MAC.String()}); len(refused) > 0 {
				return nil, fmt.Errorf("--reservations: %s: dhcpd never answers that phone, which gets no address and no option 150; remove that statement (or the host entry, and setup-dhcp adds its own), then rerun", refused[0])
			}
			*notes = append(*notes, fmt.Sprintf("%s:%d: %s already has a host entry; not adding one", s.File, s.Line, r.MAC))
			// The kept entry, not the inventory, decides the phone's
			// address: say so where they disagree.
			if s.Parent >= 0 && r.IP.IsValid() {
				_, f, _, hasFixed := hostChildren(in.Config.Stmts, s.Parent)
				mac := strings.ToUpper(strings.ReplaceAll(r.MAC.String(), ":", ""))
				switch {
				case !hasFixed:
					*notes = append(*notes, fmt.Sprintf("%s:%d: that host entry has no fixed-address, so the phone gets a dynamic lease, not the inventory's %s; add \"fixed-address %s;\" to it (or remove the entry, and setup-dhcp writes one)", s.File, s.Line, r.IP, r.IP))
				case strings.Join(wordsFrom(f, 1), " ") != r.IP.String():
					*notes = append(*notes, fmt.Sprintf("%s:%d: that host entry gives the phone %s, not the inventory's %s: dhcpd gives %s; change the line or the phone's address (setup-cisco phone set %s --ip ADDRESS) so they agree", f.File, f.Line, strings.Join(wordsFrom(f, 1), " "), r.IP, strings.Join(wordsFrom(f, 1), " "), mac))
				}
			}
			continue
		}
		if i, ok := hosts[strings.ToLower(r.HostName())]; ok {
			s := in.Config.Stmts[i]
			hw, _, hasHW, _ := hostChildren(in.Config.Stmts, i)
			other := "no hardware ethernet"
			if hasHW {
				other = "hardware ethernet " + hw.Word(2)
			}
			*warnings = append(*warnings, fmt.Sprintf("%s:%d: warning: host %s already exists, with %s, not this phone's %s: phone %s gets no host entry (dhcpd refuses a second host of one name) and no fixed address %s; rename or remove that entry (a phone swapped out?), then rerun", s.File, s.Line, r.HostName(), other, r.MAC, r.MAC, addrOrNone(r.IP)))
			continue
		}
		if f, ok := addrs[r.IP]; ok && r.IP.IsValid() {
			mac := strings.ToUpper(strings.ReplaceAll(r.MAC.String(), ":", ""))
			return nil, fmt.Errorf("--reservations: %s:%d: the fixed-address of %s already gives %s to another device, and dhcpd would hand that one address to both: give phone %s another address (setup-cisco phone set %s --ip ADDRESS) or change that line",
				f.s.File, f.s.Line, f.scope, r.IP, r.MAC, mac)
		}
		out = append(out, r)
	}
	return out, nil
}

// skipDeniedHosts drops the reservations without a fixed address where a
// pool refuses known clients: a host entry makes the phone known
// (dhcpd.conf(5), "PERMIT LISTS"), such a pool then gives it no address,
// and the entry brings the phone nothing else.
func skipDeniedHosts(in *Inspection, rs []Reservation, notes *[]string) []Reservation {
	if len(in.DenyKnown) == 0 {
		return rs
	}
	out := []Reservation{}
	for _, r := range rs {
		if r.IP.IsValid() {
			out = append(out, r)
			continue
		}
		*notes = append(*notes, fmt.Sprintf("%s: the pool denies known-clients: no host entry for %s (%s), which has no fixed address and would get no lease from it; give it one with setup-cisco phone set %s --ip ADDRESS", in.DenyKnown[0], r.HostName(), commentText(r.Name), strings.ToUpper(strings.ReplaceAll(r.MAC.String(), ":", ""))))
	}
	return out
}

// ReservationsInRanges names each fixed address that lies inside one of
// ranges: dhcpd may lease it to another client while the phone is off, and
// logs "Dynamic and static leases present" (dhcpd.conf(5), "host").
func ReservationsInRanges(res []Reservation, ranges []Range) []string {
	var out []string
	for _, r := range res {
		if !r.IP.IsValid() {
			continue
		}
		for _, g := range ranges {
			if g.Contains(r.IP) {
				out = append(out, fmt.Sprintf("%s:%d: fixed address %s of %s (%s) is inside the dynamic range %s-%s: dhcpd may lease it to another client; give the phone an address outside the range (setup-cisco phone set %s --ip ADDRESS) or shrink the range",
					g.File, g.Line, r.IP, r.HostName(), commentText(r.Name), g.First, g.Last, strings.ToUpper(strings.ReplaceAll(r.MAC.String(), ":", ""))))
				break
			}
		}
	}
	return out
}

// parseISCMAC reads a "hardware ethernet" address as dhcpd does: six
// colon-separated octets of one or two hex digits each ("0:0:c0:5d:bd:95"
// in ISC's example dhcpd.conf, host passacaglia).
func parseISCMAC(s string) (net.HardwareAddr, error) {
	f := strings.Split(s, ":")
	if len(f) != 6 {
		return ParseMAC(s)
	}
	hw := make(net.HardwareAddr, 6)
	for i, x := range f {
		v, err := strconv.ParseUint(x, 16, 8)
		if err != nil || len(x) == 0 || len(x) > 2 {
			return nil, fmt.Errorf("%q is not an Ethernet MAC address", s)
		}
		hw[i] = byte(v)
	}
	return hw, nil
}

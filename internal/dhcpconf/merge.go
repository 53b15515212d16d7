package dhcpconf

import (
	"fmt"
	"net/netip"
	"sort"
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
	if err := declaresSubnet(path, in); err != nil {
		return MergeResult{}, err
	}
	list := joinAddrs(servers, ", ")
	// An include that cannot be read may hide a conflict: said every time.
	res := MergeResult{Warnings: append([]string(nil), in.Config.Notes...), Ranges: in.Ranges}
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
	for _, d := range in.Decls {
		if !d.Address() {
			res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: option %s (code 150) is declared as %s, which carries no address; left alone, as setup-dhcp sets code 150 under a name declared as addresses", d.File, d.Line, d.Name, strings.Join(strings.Fields(d.Type), " ")))
		}
	}
	decl, declared := in.Declared()
	if declared {
		m.name = decl.Name
		res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: option 150 is already declared as %s; using that name", decl.File, decl.Line, m.name))
		if !decl.Multi() && len(servers) > 1 {
			s := in.Config.Stmts[decl.index]
			msg := fmt.Sprintf("%s:%d: option %s is declared as ip-address, which holds one server, not the %d of --tftp-server %s", decl.File, decl.Line, decl.Name, len(servers), list)
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

	global150, global66, took66 := false, false, false
	for _, st := range in.Settings {
		label := "option 150"
		if st.Option == 66 {
			label = "option 66 (" + Option66Name + ")"
		}
		where := fmt.Sprintf("inside a %q scope (%s)", st.Kind, st.Scope)
		if st.Agrees(servers) {
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
	m.set = !global150
	m.set66 = !global66 && (took66 || had66)

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
	} else {
		m.hosts = skipKnownHosts(in, opt.Reservations, &res.Notes)
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
	if len(in.Config.Notes) > 0 {
		return nil
	}
	for _, st := range in.Config.Stmts {
		if st.Block && st.Word(0) == "subnet" {
			return nil
		}
	}
	return fmt.Errorf("%s declares no subnet: dhcpd serves no client with it (it does not even start), so option 150 added there reaches no phone. Declare the phones' subnet in it, or write a whole file for one subnet instead (without --merge): setup-dhcp --tftp-server SERVER --subnet NET/LEN --router ADDR --range FIRST-LAST --out %s", path, path)
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
// entries for one MAC would fight.
func skipKnownHosts(in *Inspection, rs []Reservation, notes *[]string) []Reservation {
	macs := map[string]isc.Stmt{}
	hosts := map[string]isc.Stmt{}
	for i, s := range in.Config.Stmts {
		if in.inBlock(i) {
			continue
		}
		if s.Block && s.Word(0) == "host" {
			hosts[strings.ToLower(s.Word(1))] = s
		}
		if !s.Block && s.Word(0) == "hardware" && s.Word(1) == "ethernet" {
			if hw, err := ParseMAC(s.Word(2)); err == nil {
				macs[hw.String()] = s
			}
		}
	}
	out := []Reservation{}
	for _, r := range rs {
		if s, ok := macs[r.MAC.String()]; ok {
			*notes = append(*notes, fmt.Sprintf("%s:%d: %s already has a host entry; not adding one", s.File, s.Line, r.MAC))
			continue
		}
		if s, ok := hosts[strings.ToLower(r.HostName())]; ok {
			*notes = append(*notes, fmt.Sprintf("%s:%d: host %s already exists; not adding one", s.File, s.Line, r.HostName()))
			continue
		}
		out = append(out, r)
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

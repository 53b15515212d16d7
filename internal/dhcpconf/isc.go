package dhcpconf

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
)

// Markers around the only lines setup-dhcp writes into a dhcpd.conf.
const (
	BeginMarker = "# BEGIN setup-dhcp (managed; do not edit)"
	EndMarker   = "# END setup-dhcp"
	// DefaultOptionName is the how-to's name for option 150; dhcpd has
	// no built-in name for it.
	DefaultOptionName = "voip-tftp-servers"

	reservationsHeader = "# reservations (setup-dhcp --reservations)"
)

// managed is the content of our marked block.
type managed struct {
	declare bool // add "option NAME code 150 = ..."
	name    string
	set     bool // add "option NAME SERVER;"
	server  netip.Addr
	hosts   []Reservation
	kept    []string // reservation lines of a previous block, verbatim
}

func (m managed) lines() []string {
	if !m.declare && !m.set && len(m.hosts) == 0 && len(m.kept) == 0 {
		return nil
	}
	l := []string{BeginMarker}
	if m.declare || m.set {
		l = append(l, "# Option 150: the TFTP server Cisco 79x0 phones load their firmware and config from.")
	}
	if m.declare {
		// An array because option 150 is a list of servers; one address
		// is sent exactly as with the how-to's plain ip-address.
		l = append(l, fmt.Sprintf("option %s code 150 = array of ip-address;", m.name))
	}
	if m.set {
		l = append(l, fmt.Sprintf("option %s %s;", m.name, m.server))
	}
	if m.kept != nil {
		l = append(l, m.kept...)
	} else if len(m.hosts) > 0 {
		l = append(l, reservationsHeader)
		for _, r := range m.hosts {
			first := "host " + r.HostName() + " {"
			if r.Name != "" {
				first += " # " + commentText(r.Name)
			}
			l = append(l, first, "  hardware ethernet "+r.MAC.String()+";")
			if r.IP.IsValid() {
				l = append(l, "  fixed-address "+r.IP.String()+";")
			}
			l = append(l, "}")
		}
	}
	return append(l, EndMarker)
}

// GenerateISC renders a complete dhcpd.conf for one subnet. Reservations
// nil keeps those in previous's managed block (the file being replaced, may
// be nil); non-nil replaces them.
func GenerateISC(n Network, res []Reservation, previous []byte) []byte {
	m := managed{declare: true, name: DefaultOptionName, set: true, server: n.TFTPServer, hosts: res}
	if res == nil && previous != nil {
		m.kept = keptReservations(previous)
	}
	var b strings.Builder
	b.WriteString("# dhcpd.conf for Cisco 7940/7960 SIP phones, written by setup-dhcp.\n")
	b.WriteString("# Regenerating replaces this file; to keep hand edits, use setup-dhcp --merge.\n\n")
	b.WriteString("ddns-update-style none;\n\n")
	for _, l := range m.lines() {
		b.WriteString(l + "\n")
	}
	fmt.Fprintf(&b, "\nsubnet %s netmask %s {\n", n.Subnet.Addr(), Netmask(n.Subnet))
	if n.Router.IsValid() {
		fmt.Fprintf(&b, "  option routers %s;\n", n.Router)
	}
	fmt.Fprintf(&b, "  option subnet-mask %s;\n", Netmask(n.Subnet))
	if len(n.DNS) > 0 {
		fmt.Fprintf(&b, "  option domain-name-servers %s;\n", joinAddrs(n.DNS, ", "))
	}
	if n.Domain != "" {
		fmt.Fprintf(&b, "  option domain-name %q;\n", n.Domain)
	}
	if len(n.NTP) > 0 {
		fmt.Fprintf(&b, "  option ntp-servers %s;\n", joinAddrs(n.NTP, ", "))
	}
	// Option 66 as well: some SIP loads only look at it.
	fmt.Fprintf(&b, "  option tftp-server-name \"%s\";\n", n.TFTPServer)
	fmt.Fprintf(&b, "  range %s %s;\n", n.RangeFirst, n.RangeLast)
	fmt.Fprintf(&b, "  default-lease-time %d;\n", n.DefaultLease)
	fmt.Fprintf(&b, "  max-lease-time %d;\n", n.MaxLease)
	b.WriteString("}\n")
	return []byte(b.String())
}

func joinAddrs(as []netip.Addr, sep string) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, sep)
}

// keptReservations returns the reservation lines of the managed block in
// src, or nil when there are none or src cannot be read as a dhcpd.conf.
func keptReservations(src []byte) []string {
	f, err := analyze("", src, nil)
	if err != nil || f.begin == 0 {
		return nil
	}
	block := f.lines[f.begin-1 : f.end-1] // BEGIN up to, not including, END
	for i, l := range block {
		if strings.TrimRight(l, "\r\n") == reservationsHeader {
			out := make([]string, 0, len(block)-i)
			for _, k := range block[i:] {
				out = append(out, strings.TrimRight(k, "\r\n"))
			}
			return out
		}
	}
	return nil
}

// iscFile is a dhcpd.conf split into lines and statements.
type iscFile struct {
	path       string
	lines      []string // each with its line ending
	stmts      []stmt   // including those of included files
	at         []int    // for each stmt: its line in the main file, or that of its include
	begin, end int      // marker lines (1-based) of our block; 0 if none
	notes      []string
}

const maxIncludeDepth = 8

// analyze reads a dhcpd.conf. readFile, if not nil, is used to follow
// include statements so that declarations made there are seen.
func analyze(path string, src []byte, readFile func(string) ([]byte, error)) (*iscFile, error) {
	f := &iscFile{path: path, lines: splitLines(string(src))}
	toks, err := lex(path, src)
	if err != nil {
		return nil, err
	}
	stmts, comments, err := parse(path, toks, 0, "")
	if err != nil {
		return nil, err
	}
	for _, c := range comments {
		text := strings.TrimSpace(c.text)
		isBegin := strings.HasPrefix(text, "# BEGIN setup-dhcp")
		isEnd := strings.HasPrefix(text, EndMarker)
		switch {
		case isBegin && f.begin != 0:
			return nil, &SyntaxError{path, c.line, "second BEGIN setup-dhcp marker"}
		case isBegin && c.depth != 0:
			return nil, &SyntaxError{path, c.line, "BEGIN setup-dhcp marker inside a { } scope"}
		case isBegin:
			f.begin = c.line
		case isEnd && (f.begin == 0 || f.end != 0):
			return nil, &SyntaxError{path, c.line, "END setup-dhcp marker without BEGIN"}
		case isEnd:
			f.end = c.line
		}
	}
	if f.begin != 0 && f.end == 0 {
		return nil, &SyntaxError{path, f.begin, "BEGIN setup-dhcp marker without END"}
	}
	for _, s := range stmts {
		if f.begin != 0 && (s.line < f.begin && s.end > f.begin || s.line < f.end && s.end > f.end) {
			return nil, &SyntaxError{path, s.line, "statement crosses a setup-dhcp marker"}
		}
	}
	if err := f.add(stmts, nil, readFile, 0); err != nil {
		return nil, err
	}
	return f, nil
}

// add appends statements; anchor is the main-file line of the include that
// brought them in (nil for the main file).
func (f *iscFile) add(stmts []stmt, anchor *int, readFile func(string) ([]byte, error), nest int) error {
	for _, s := range stmts {
		at := s.line
		if anchor != nil {
			at = *anchor
		}
		f.stmts = append(f.stmts, s)
		f.at = append(f.at, at)
		if s.word(0) != "include" || readFile == nil || len(s.words) < 2 || s.words[1].kind != tokString {
			continue
		}
		name := s.words[1].text
		if !filepath.IsAbs(name) && f.path != "" {
			name = filepath.Join(filepath.Dir(f.path), name)
		}
		if nest >= maxIncludeDepth {
			return &SyntaxError{s.file, s.line, "includes nested too deeply"}
		}
		src, err := readFile(name)
		if err != nil {
			f.notes = append(f.notes, fmt.Sprintf("%s:%d: not following include: %v", s.file, s.line, err))
			continue
		}
		toks, err := lex(name, src)
		if err != nil {
			return err
		}
		sub, _, err := parse(name, toks, s.depth, s.scope)
		if err != nil {
			return err
		}
		if err := f.add(sub, &at, readFile, nest+1); err != nil {
			return err
		}
	}
	return nil
}

func (f *iscFile) inBlock(i int) bool {
	s := f.stmts[i]
	return f.begin != 0 && s.file == f.path && s.line > f.begin && s.line < f.end
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// optionDecl recognises "option NAME code N = TYPE" in the DHCP space.
func optionDecl(s stmt) (name string, code int, typ string, ok bool) {
	if s.block || s.word(0) != "option" || s.word(2) != "code" || s.word(4) != "=" {
		return "", 0, "", false
	}
	name, ok = dhcpSpace(s.word(1))
	if !ok {
		return "", 0, "", false
	}
	code, err := strconv.Atoi(s.word(3))
	if err != nil {
		return "", 0, "", false
	}
	var t []string
	for _, w := range s.words[5:] {
		t = append(t, w.text)
	}
	return name, code, strings.Join(t, " "), true
}

// dhcpSpace strips a "dhcp." prefix; names in other option spaces are not
// DHCP option 150 even with code 150.
func dhcpSpace(name string) (string, bool) {
	if rest, ok := strings.CutPrefix(name, "dhcp."); ok {
		return rest, true
	}
	return name, !strings.Contains(name, ".")
}

// MergeOptions says what Merge adds.
type MergeOptions struct {
	TFTPServer netip.Addr
	// Reservations nil keeps those already in the managed block; non-nil
	// (even empty) replaces them.
	Reservations []Reservation
	// ReadFile follows include statements; nil does not follow them.
	ReadFile func(string) ([]byte, error)
}

// MergeResult is the merged file and what Merge found on the way.
type MergeResult struct {
	Content    []byte
	OptionName string   // the name option 150 is set under
	Notes      []string // findings worth telling when the file changes, as file:line: text
	Warnings   []string // findings to tell even when nothing changes
}

// Merge adds option 150 (declaration and value) and reservations to a
// hand-written dhcpd.conf inside a marked block. Every line outside the
// block is kept byte for byte and in order; merging twice changes nothing.
func Merge(path string, src []byte, opt MergeOptions) (MergeResult, error) {
	f, err := analyze(path, src, opt.ReadFile)
	if err != nil {
		return MergeResult{}, err
	}
	res := MergeResult{Notes: f.notes}
	m := managed{name: DefaultOptionName, set: true, server: opt.TFTPServer, hosts: opt.Reservations}

	// Declarations of code 150 outside our block decide the name.
	names := map[string]bool{}
	lastDecl := -1
	for i, s := range f.stmts {
		if f.inBlock(i) {
			continue
		}
		name, code, typ, ok := optionDecl(s)
		if !ok {
			continue
		}
		if code != 150 {
			if name == DefaultOptionName {
				return res, &SyntaxError{s.file, s.line, fmt.Sprintf("option %s is declared with code %d, not 150", name, code)}
			}
			continue
		}
		if typ != "ip-address" && typ != "array of ip-address" {
			return res, &SyntaxError{s.file, s.line, fmt.Sprintf("option %s (code 150) has type %q; phones need ip-address", name, typ)}
		}
		names[name] = true
		lastDecl = i
	}
	if lastDecl >= 0 {
		d := f.stmts[lastDecl]
		m.name = d.word(1)
		res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: option 150 is already declared as %s; using that name", d.file, d.line, m.name))
	} else {
		m.declare = true
		names[DefaultOptionName] = true
	}
	res.OptionName = m.name

	// Settings outside our block: a global one means we add none.
	for i, s := range f.stmts {
		if f.inBlock(i) || s.block || s.word(0) != "option" || s.word(2) == "code" {
			continue
		}
		name, ok := dhcpSpace(s.word(1))
		if !ok || !names[name] {
			continue
		}
		var v []string
		for _, w := range s.words[2:] {
			v = append(v, w.text)
		}
		val := strings.Join(v, " ")
		if s.depth > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: option 150 is set to %s inside a %q scope, which keeps that value", s.file, s.line, val, s.scope))
			continue
		}
		m.set = false
		msg := fmt.Sprintf("%s:%d: option 150 is already set globally (%s %s); not adding a second setting", s.file, s.line, name, val)
		if val != opt.TFTPServer.String() {
			res.Warnings = append(res.Warnings, msg+fmt.Sprintf("; warning: it is not %s", opt.TFTPServer))
		} else {
			res.Notes = append(res.Notes, msg)
		}
	}

	if opt.Reservations == nil {
		if f.begin != 0 {
			m.kept = keptReservations(src)
		}
	} else {
		m.hosts = skipKnownHosts(f, opt.Reservations, &res.Notes)
	}

	// Our block stays where it is, unless the declaration we now rely on
	// comes after it: a name must be declared before it is used.
	lines := f.lines
	pos := len(lines)
	if f.begin != 0 {
		lines = append(append([]string(nil), lines[:f.begin-1]...), lines[f.end:]...)
		pos = f.begin - 1
		if lastDecl >= 0 && f.at[lastDecl] > f.end {
			pos = len(lines)
		}
	}
	var out strings.Builder
	for i, l := range lines {
		if i == pos {
			writeBlock(&out, m)
		}
		out.WriteString(l)
	}
	if pos == len(lines) {
		if n := out.Len(); n > 0 && !strings.HasSuffix(out.String(), "\n") {
			out.WriteString("\n")
		}
		writeBlock(&out, m)
	}
	res.Content = []byte(out.String())
	return res, nil
}

func writeBlock(b *strings.Builder, m managed) {
	for _, l := range m.lines() {
		b.WriteString(l + "\n")
	}
}

// skipKnownHosts drops reservations whose MAC or host name the file already
// has outside our block: dhcpd refuses duplicate host names, and two
// entries for one MAC would fight.
func skipKnownHosts(f *iscFile, rs []Reservation, notes *[]string) []Reservation {
	macs := map[string]stmt{}
	hosts := map[string]stmt{}
	for i, s := range f.stmts {
		if f.inBlock(i) {
			continue
		}
		if s.block && s.word(0) == "host" {
			hosts[strings.ToLower(s.word(1))] = s
		}
		if !s.block && s.word(0) == "hardware" && s.word(1) == "ethernet" {
			if hw, err := ParseMAC(s.word(2)); err == nil {
				macs[hw.String()] = s
			}
		}
	}
	out := []Reservation{}
	for _, r := range rs {
		if s, ok := macs[r.MAC.String()]; ok {
			*notes = append(*notes, fmt.Sprintf("%s:%d: %s already has a host entry; not adding one", s.file, s.line, r.MAC))
			continue
		}
		if s, ok := hosts[strings.ToLower(r.HostName())]; ok {
			*notes = append(*notes, fmt.Sprintf("%s:%d: host %s already exists; not adding one", s.file, s.line, r.HostName()))
			continue
		}
		out = append(out, r)
	}
	return out
}

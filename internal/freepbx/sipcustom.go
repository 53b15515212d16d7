package freepbx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// DefaultAsteriskConf is where Asterisk's configuration is read from when
// no directory is named.
const DefaultAsteriskConf = "/etc/asterisk"

// SIPGeneralCustom is the file FreePBX leaves to the admin for chan_sip's
// [general] options: its etc/sip.conf (core release/16.0) includes the
// generated sip_general_additional.conf (from the sipsettings table) and
// then sip_general_custom.conf, so an option set here is the one chan_sip
// uses. Moving chan_sip off 5060 with bindport here is the FreePBX 2.x /
// trixbox recipe from before the GUI had the field.
const SIPGeneralCustom = "sip_general_custom.conf"

// SIPGeneralAdditional is the [general] file FreePBX generates from the
// sipsettings table (sipsettings functions.inc.php, release/16.0: a
// udpbindaddr of bindaddr:bindport; FreePBX 2.x wrote bindport itself).
const SIPGeneralAdditional = "sip_general_additional.conf"

// SIPConf is chan_sip's configuration file; FreePBXSIPIncludes is what
// FreePBX's own sip.conf (core etc/sip.conf) includes, in order, all while
// in [general]: the generated file, the custom file, sip_nat.conf ("for
// legacy support reasons and for those that upgrade from previous
// versions"), then registrations and peers. IssabelPBX's is the same.
// Without a sip.conf in the directory these are read as #tryinclude.
const SIPConf = "sip.conf"

var FreePBXSIPIncludes = []string{
	SIPGeneralAdditional, SIPGeneralCustom, "sip_nat.conf",
	"sip_registrations_custom.conf", "sip_registrations.conf",
	"sip_custom.conf", "sip_additional.conf", "sip_custom_post.conf",
}

// sipGeneral is what chan_sip's [general] sets of its listening options.
type sipGeneral struct {
	port     int // last bindport; 0 none
	portAt   string
	portGen  bool   // set by the generated file
	addr     string // last bindaddr/udpbindaddr
	addrPort int    // its port; 0 none
	addrAt   string
	addrGen  bool
}

// ReadSIPCustom applies chan_sip's listening options, as Asterisk reads
// them from dir/sip.conf, to d.Ports (the database's, from sipsettings).
//
// The files: sip.conf and what it includes, in order (#include and
// #tryinclude, relative names from dir, wildcards as glob(3): Asterisk
// main/config.c); without a sip.conf, FreePBX's own list
// (FreePBXSIPIncludes). Comments as main/config.c reads them: ';' to the
// end of the line ("\;" a literal ';'), ";--" to "--;" a block comment
// across lines, nested. Only the first [general] counts (a later
// [general] is another category, which chan_sip does not browse), with
// what [general](+) adds to it.
//
// chan_sip's precedence (channels/chan_sip.c reload_config, Asterisk
// 13-18): the last bindaddr or udpbindaddr is the bind address, port and
// all, so one without a port drops an earlier one's; the last bindport, if
// any, then replaces its port; no port at all is 5060
// (STANDARD_SIP_PORT). An option that decides the port and comes from the
// generated sip_general_additional.conf leaves the database's port (the
// file is written from it); one from any other file replaces it, and
// ChanSIPFrom names its file:line.
//
// named says whether the admin named dir (--asterisk-conf): then a
// directory that does not exist is said too; the default (/etc/asterisk)
// is read only where it exists. A file that exists but cannot be read, an
// #include that cannot be read, a line whose value is not a port or
// address, an #exec, and an unterminated block comment go to d.Warnings
// naming file:line: the phones may be sent to a port chan_sip does not
// listen on.
func ReadSIPCustom(d *Data, dir string, named bool) {
	if dir == "" {
		dir = DefaultAsteriskConf
	}
	if _, err := os.Stat(dir); err != nil {
		if named {
			d.Warnings = append(d.Warnings, fmt.Sprintf("--asterisk-conf %s: %v; chan_sip's port is taken from the FreePBX database only", dir, err))
		}
		return
	}
	r := &confReader{dir: dir, section: "", warns: &d.Warnings, db: d.Ports.ChanSIP}
	root := filepath.Join(dir, SIPConf)
	if _, err := os.Stat(root); err == nil {
		r.file(root, true, 0)
	} else {
		// As inside FreePBX's sip.conf, whose own [general] header
		// comes first: a [general](+) in an included file adds to it.
		r.section = "general"
		r.inGeneral, r.seenGen = true, true
		for _, f := range FreePBXSIPIncludes {
			r.file(filepath.Join(dir, f), false, 1)
		}
	}
	g := r.g
	if g.addrAt != "" && !g.addrGen {
		d.Ports.ChanSIPAddr = ""
		if !isWildcard(g.addr) {
			d.Ports.ChanSIPAddr = g.addr
		}
		d.Notes = append(d.Notes, fmt.Sprintf("chan_sip bind address %s (%s)", g.addr, g.addrAt))
	}
	switch {
	case g.portAt != "" && g.portGen:
		if g.addrAt != "" && !g.addrGen && g.addrPort != 0 {
			d.Notes = append(d.Notes, fmt.Sprintf("%s: the port of the bind address is not chan_sip's: %s sets bindport %d, which wins", g.addrAt, g.portAt, g.port))
		}
	case g.portAt != "":
		d.Ports.ChanSIP, d.Ports.ChanSIPFrom = g.port, g.portAt
	case g.addrAt != "" && g.addrGen:
	case g.addrAt != "" && g.addrPort != 0:
		d.Ports.ChanSIP, d.Ports.ChanSIPFrom = g.addrPort, g.addrAt
	case g.addrAt != "":
		// An address without a port, and no bindport: chan_sip's default.
		d.Ports.ChanSIP, d.Ports.ChanSIPFrom = standardSIPPort, g.addrAt
		d.Notes = append(d.Notes, fmt.Sprintf("%s: bind address %s without a port and no bindport: chan_sip listens on %d", g.addrAt, g.addr, standardSIPPort))
	}
}

// standardSIPPort is chan_sip's STANDARD_SIP_PORT.
const standardSIPPort = 5060

// maxIncludeDepth bounds #include nesting (a file that includes itself).
const maxIncludeDepth = 16

// confReader reads chan_sip's [general] through sip.conf's includes.
type confReader struct {
	dir       string
	section   string // current category, lower case
	inGeneral bool   // the current category is the first [general]
	seenGen   bool   // the first [general] has begun
	warns     *[]string
	db        int
	g         sipGeneral
	open      []string // files being read, for include loops
}

// file reads one configuration file; must says whether a missing file is
// said (#include, sip.conf itself) or not (#tryinclude).
func (r *confReader) file(name string, must bool, depth int) {
	if slices.Contains(r.open, name) || depth > maxIncludeDepth {
		*r.warns = append(*r.warns, fmt.Sprintf("%s: included from itself (or nested over %d deep): not read again", name, maxIncludeDepth))
		return
	}
	f, err := os.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !must {
			return
		}
		*r.warns = append(*r.warns, fmt.Sprintf("%s cannot be read (%v): a bindport set there (chan_sip's port) is not seen; phones are given chan_sip port %s from the FreePBX database unless another file sets it", name, err, portText(r.db)))
		return
	}
	defer f.Close()
	r.open = append(r.open, name)
	defer func() { r.open = r.open[:len(r.open)-1] }()
	if err := r.lines(f, name, depth); err != nil {
		*r.warns = append(*r.warns, fmt.Sprintf("%s cannot be read (%v): a bindport set there (chan_sip's port) may not be seen", name, err))
	}
}

func (r *confReader) lines(f io.Reader, name string, depth int) error {
	generated := filepath.Base(name) == SIPGeneralAdditional
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	comment, commentAt := 0, 0
	for n := 1; sc.Scan(); n++ {
		at := func() string { return fmt.Sprintf("%s:%d", name, n) }
		var line string
		line, comment = stripComments(sc.Text(), comment)
		if comment > 0 && commentAt == 0 {
			commentAt = n
		} else if comment == 0 {
			commentAt = 0
		}
		if line == "" {
			continue
		}
		switch {
		case line[0] == '#':
			r.directive(line, at(), depth)
		case line[0] == '[':
			r.header(line)
		case r.inGeneral:
			r.option(line, at, generated)
		}
	}
	if comment > 0 {
		*r.warns = append(*r.warns, fmt.Sprintf("%s:%d: block comment ;-- not closed by --; before the end of the file (Asterisk reads nothing after it)", name, commentAt))
	}
	return sc.Err()
}

// directive follows #include and #tryinclude; #exec is said.
func (r *confReader) directive(line, at string, depth int) {
	var word, arg string
	if i := strings.IndexAny(line[1:], " \t"); i >= 0 {
		word, arg = line[1:1+i], line[2+i:]
	} else {
		word, arg = line[1:], ""
	}
	arg = strings.TrimSpace(arg)
	if len(arg) > 1 && (arg[0] == '"' || arg[0] == '<') {
		arg = strings.TrimRight(arg[1:], "\">")
	}
	switch strings.ToLower(word) {
	case "include", "tryinclude":
		must := strings.EqualFold(word, "include")
		if arg == "" {
			*r.warns = append(*r.warns, fmt.Sprintf("%s: #%s without a file name", at, word))
			return
		}
		pattern := arg
		if !filepath.IsAbs(pattern) {
			pattern = filepath.Join(r.dir, pattern)
		}
		names, err := filepath.Glob(pattern)
		if err != nil || len(names) == 0 {
			names = []string{pattern} // glob(3) GLOB_NOCHECK: the name itself
		}
		for _, n := range names {
			if must {
				if _, err := os.Stat(n); errors.Is(err, fs.ErrNotExist) {
					*r.warns = append(*r.warns, fmt.Sprintf("%s: #include %s: %s does not exist; Asterisk's loader fails on an #include it cannot open (#tryinclude is the optional one)", at, arg, n))
					continue
				}
			}
			r.file(n, must, depth+1)
		}
	case "exec":
		*r.warns = append(*r.warns, fmt.Sprintf("%s: %s is not run by setup-cisco: a chan_sip port it sets is not seen", at, line))
	}
}

// header starts a category: only the first [general] (and what
// [general](+) appends to it) is chan_sip's.
func (r *confReader) header(line string) {
	name, rest, _ := strings.Cut(line[1:], "]")
	name = strings.ToLower(strings.TrimSpace(name))
	r.section = name
	if name != "general" {
		r.inGeneral = false
		return
	}
	opts := strings.TrimSpace(rest)
	if strings.HasPrefix(opts, "(") && slices.Contains(strings.Split(strings.Trim(opts, "()"), ","), "+") {
		r.inGeneral = r.seenGen
		return
	}
	r.inGeneral = !r.seenGen
	r.seenGen = true
}

// option applies one [general] line.
func (r *confReader) option(line string, at func() string, generated bool) {
	r.seenGen = true
	k, v, ok := strings.Cut(line, "=")
	if !ok {
		return
	}
	k = strings.ToLower(strings.TrimSpace(k))
	v = strings.TrimSpace(strings.TrimPrefix(v, ">"))
	switch k {
	case "bindport":
		p := port(v)
		if p == 0 {
			*r.warns = append(*r.warns, fmt.Sprintf("%s: bindport=%s is not a port (1-65535)", at(), v))
			return
		}
		r.g.port, r.g.portAt, r.g.portGen = p, at(), generated
	case "bindaddr", "udpbindaddr":
		a, p, err := splitBind(v)
		if err != nil {
			*r.warns = append(*r.warns, fmt.Sprintf("%s: %s=%s: %v", at(), k, v, err))
			return
		}
		r.g.addr, r.g.addrPort, r.g.addrAt, r.g.addrGen = a, p, at(), generated
	}
}

// stripComments drops Asterisk config comments from one line, given how
// many ;-- block comments are open before it (main/config.c: ";--" opens
// one unless followed by a third '-', "--;" closes one, ';' elsewhere
// ends the line outside a block, "\;" is a literal ';'), and returns the
// rest, trimmed, and how many are open after it.
func stripComments(s string, open int) (string, int) {
	if strings.IndexByte(s, ';') < 0 { // most lines: nothing to strip
		if open > 0 {
			return "", open
		}
		return strings.TrimSpace(s), 0
	}
	var b strings.Builder
	from := 0 // after the last ;-- or --; (";--;" does not close itself)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == ';' {
			if open == 0 {
				b.WriteByte(';')
			}
			i++
			continue
		}
		if c != ';' {
			if open == 0 {
				b.WriteByte(c)
			}
			continue
		}
		switch {
		case strings.HasPrefix(s[i:], ";--") && !strings.HasPrefix(s[i:], ";---"):
			open++
			i += 2
			from = i + 1
		case open > 0 && i-2 >= from && s[i-2:i] == "--":
			open--
			from = i + 1
		case open > 0:
			// a ';' inside a block comment: a closer must follow it
			from = i + 1
		default:
			return strings.TrimSpace(b.String()), open
		}
	}
	return strings.TrimSpace(b.String()), open
}

// splitBind parses chan_sip's bindaddr: an address, "[v6]" or either with
// :port; port 0 when none is given.
func splitBind(v string) (string, int, error) {
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap.Addr().String(), int(ap.Port()), nil
	}
	if a, err := netip.ParseAddr(strings.Trim(v, "[]")); err == nil {
		return a.String(), 0, nil
	}
	return "", 0, fmt.Errorf("not an address, or address:port")
}

func portText(p int) string {
	if p == 0 {
		return "5060 (default)"
	}
	return strconv.Itoa(p)
}

package dhcpconf

import (
	"bufio"
	"bytes"
	"fmt"
	"math/bits"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// GenerateDnsmasq renders a dnsmasq configuration that makes dnsmasq a
// DHCP server only: port=0 switches its DNS service off for every client
// (dnsmasq(8), --port). setup-dhcp writes it only with --dhcp-only; a
// dnsmasq that also serves DNS gets GenerateDnsmasqDropIn.
func GenerateDnsmasq(n Network, res []Reservation) []byte {
	var b strings.Builder
	b.WriteString("# dnsmasq DHCP for Cisco 7940/7960 SIP phones, written by setup-dhcp.\n")
	b.WriteString("# DHCP only: port=0 turns dnsmasq's DNS off, clients use the servers below.\n")
	b.WriteString("port=0\n")
	dnsmasqBody(&b, n, true, res)
	return []byte(b.String())
}

// DropIn is what a dnsmasq drop-in (a file in /etc/dnsmasq.d) adds to a
// dnsmasq that may also serve DNS, TFTP or DHCP for other clients.
type DropIn struct {
	Network Network // TFTP servers always; the rest only where set
	// Range adds Network's dynamic range: set it only where the server has
	// none (it would otherwise hand out a second pool).
	Range bool
	// Tags ("tag:phones") limit the options 150 and 66 lines to the
	// clients with those tags: where the phones carry a tag and the
	// server's own untagged line gives the other clients another TFTP
	// server, a tagged line reaches every phone first (dnsmasq(8): a
	// tagged dhcp-option is used in preference to an untagged one) and
	// leaves the others theirs.
	Tags []string
}

// GenerateDnsmasqDropIn renders a drop-in that adds only what the phones
// need: options 150 and 66, the reservations, and, where d.Range is set,
// a dynamic range. Router, DNS, NTP, domain and interface lines appear
// only when d.Network sets them (the caller sets them from explicit flags,
// or the router for a new range). It never contains port=0 or anything
// else that changes the server's DNS.
func GenerateDnsmasqDropIn(d DropIn, res []Reservation) []byte {
	var b strings.Builder
	b.WriteString("# dnsmasq drop-in for Cisco 7940/7960 SIP phones, written by setup-dhcp.\n")
	b.WriteString("# It adds the phones' TFTP server (DHCP options 150 and 66); dnsmasq's DNS and\n")
	b.WriteString("# its other settings stay as the main configuration has them.\n")
	dnsmasqBody(&b, d.Network, d.Range, res, d.Tags...)
	return []byte(b.String())
}

// dnsmasqBody writes the lines both forms share: interface and range,
// the options n sets, options 150 and 66 (limited to tags, if any) and
// the reservations.
func dnsmasqBody(b *strings.Builder, n Network, withRange bool, res []Reservation, tags ...string) {
	if n.Interface != "" {
		fmt.Fprintf(b, "interface=%s\n", n.Interface)
	}
	if withRange {
		fmt.Fprintf(b, "dhcp-range=%s,%s,%s,%d\n", n.RangeFirst, n.RangeLast, Netmask(n.Subnet), n.DefaultLease)
	}
	dnsmasqOptions(b, n)
	dnsmasqTFTP(b, n, res, tags)
}

func dnsmasqOptions(b *strings.Builder, n Network) {
	if n.Router.IsValid() {
		fmt.Fprintf(b, "dhcp-option=option:router,%s\n", n.Router)
	}
	if len(n.DNS) > 0 {
		fmt.Fprintf(b, "dhcp-option=option:dns-server,%s\n", joinAddrs(n.DNS, ","))
	}
	if len(n.NTP) > 0 {
		fmt.Fprintf(b, "dhcp-option=option:ntp-server,%s\n", joinAddrs(n.NTP, ","))
	}
	if n.Domain != "" {
		fmt.Fprintf(b, "dhcp-option=option:domain-name,%s\n", n.Domain)
	}
}

func dnsmasqTFTP(b *strings.Builder, n Network, res []Reservation, tags []string) {
	pre := ""
	for _, t := range tags {
		pre += t + ","
	}
	fmt.Fprintf(b, "dhcp-option=%s150,%s\n", pre, joinAddrs(n.TFTPServers(), ","))
	fmt.Fprintf(b, "dhcp-option=%s66,\"%s\"\n", pre, n.TFTPServer)
	for _, r := range res {
		if r.IP.IsValid() {
			fmt.Fprintf(b, "dhcp-host=%s,%s,%s\n", r.MAC, r.IP, r.HostName())
		} else {
			fmt.Fprintf(b, "dhcp-host=%s,%s\n", r.MAC, r.HostName())
		}
	}
}

// DnsmasqSite is what the dnsmasq configuration around a drop-in already
// does, read from its main file and the conf-file and conf-dir files it
// names.
type DnsmasqSite struct {
	Files    []string // read, in order
	ConfDirs []string // the conf-dir directories named, in order
	// TFTPRoot is where dnsmasq's TFTP server serves from (tftp-root);
	// a tftp-root=DIR,INTERFACE line serves one interface only, so the
	// root is the last line without one, else the first with one.
	TFTPRoot string
	Ranges   []Range // dhcp-range lines (IPv4)
	NoDNS    string  // file:line of a port=0, or ""
	// Options are the dhcp-option lines for option 150 and 66; Kind is
	// "tag" for one limited to tagged clients, "" for all.
	Options []Setting
	// Dirs are the conf-dir lines, with their filters.
	Dirs []ConfDir
	// Hosts are the dhcp-host lines (and dhcp-hostsfile and
	// dhcp-hostsdir entries).
	Hosts []DnsmasqHost
	// StaticRanges are "dhcp-range=NET,static" lines (known hosts
	// only), ProxyRanges "dhcp-range=NET,proxy" (proxy DHCP, PXE only);
	// neither is in Ranges, which hand out addresses to any client.
	StaticRanges, ProxyRanges []Range
	// Ignores are dhcp-ignore lines that ignore clients without a
	// dhcp-host line (tag:!known), unless their other tags keep every
	// 79x0 out of them.
	Ignores []DnsmasqLine

	optReqs   map[string][]tagReq // "file:line" of an Options entry -> the tags it asks for
	rangeReqs map[string][]tagReq // "file:line" of a dhcp-range -> the tags it asks for
	ignores   []DnsmasqLine       // every dhcp-ignore line, reqs set
	tagLines  []DnsmasqLine       // lines that may set a tag
}

// ConfDir is a conf-dir=DIR[,FILTER...] line.
type ConfDir struct {
	Dir, Filters string
	File         string
	Line         int
}

// Reads says whether dnsmasq reads the file name from this directory:
// not hidden, no editor backup, and through the filters.
func (d ConfDir) Reads(name string) bool { return !dnsmasqSkips(name) && dirFilter(name, d.Filters) }

// DnsmasqHost is a dhcp-host entry: its MACs and IPv4 address.
type DnsmasqHost struct {
	MACs []string // as written, lower case
	IP   netip.Addr
	File string
	Line int
	Text string
	// HostsFile: read from a dhcp-hostsfile, which dnsmasq reads at
	// start and on SIGHUP, not at --test.
	HostsFile bool
	// Ignore: the "ignore" keyword, dnsmasq never offers these clients a
	// lease (dnsmasq(8) --dhcp-host); Patterns are its MACs with '*'
	// bytes; Tagged: it has tag: filters, so it is used only for some
	// requests.
	Ignore   bool
	Patterns []string
	Tagged   bool
}

// PiholeDnsmasqConf is the file pihole-FTL (Pi-hole v6) writes itself
// and runs its built-in dnsmasq with (pi-hole/FTL
// src/config/dnsmasq_config.c).
const PiholeDnsmasqConf = "/etc/pihole/dnsmasq.conf"

// InspectDnsmasq reads main (e.g. /etc/dnsmasq.conf; a missing file reads
// as empty) and the files it pulls in with conf-file= and conf-dir=, plus
// the files in extraDirs (Debian's init script adds /etc/dnsmasq.d on its
// command line). skip, the drop-in being written, is not read.
func InspectDnsmasq(main string, extraDirs []string, skip string) (DnsmasqSite, error) {
	site := DnsmasqSite{optReqs: map[string][]tagReq{}, rangeReqs: map[string][]tagReq{}}
	seen := map[string]bool{filepath.Clean(skip): true}
	var read func(path string, depth int) error
	readDir := func(spec string, depth int) error {
		dir, filters := splitConfDir(spec)
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil // dnsmasq itself fails on a missing conf-dir; not ours to judge
		}
		var names []string
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || dnsmasqSkips(name) {
				continue
			}
			if !dirFilter(name, filters) {
				continue
			}
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := read(filepath.Join(dir, name), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	// addOption records a dhcp-option value for option 150 or 66 (v) read
	// at path:line, whose whole line is text.
	addOption := func(v, path string, line int, text string) {
		if st, ok := dnsmasqOption(v); ok {
			st.File, st.Line, st.Scope, st.Text = path, line, "global", text
			if st.Kind != "" {
				st.Scope = "tagged clients"
			}
			site.Options = append(site.Options, st)
			site.optReqs[fmt.Sprintf("%s:%d", path, line)] = optionReqs(v)
		}
	}
	// readOpts reads a dhcp-optsfile (dnsmasq(8) --dhcp-optsfile): a file,
	// or every file of a directory in alphabetical order, each line what
	// follows "dhcp-option=".
	var readOpts func(path string) error
	readOpts = func(path string) error {
		if seen[filepath.Clean(path)] {
			return nil
		}
		seen[filepath.Clean(path)] = true
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			entries, err := os.ReadDir(path)
			if err != nil {
				return fmt.Errorf("reading the dnsmasq configuration: %w", err)
			}
			for _, e := range entries {
				name := e.Name()
				if e.IsDir() || dnsmasqSkips(name) {
					continue
				}
				if err := readOpts(filepath.Join(path, name)); err != nil {
					return err
				}
			}
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading the dnsmasq configuration (dhcp-optsfile): %w", err)
		}
		site.Files = append(site.Files, path)
		for i, text := range strings.Split(string(src), "\n") {
			if text = dnsmasqLine(text); text != "" {
				addOption(text, path, i+1, text)
			}
		}
		return nil
	}
	// readHosts reads a dhcp-hostsfile (a file, or a directory's files)
	// or a dhcp-hostsdir, each line what follows "dhcp-host=".
	readHosts := func(path string) {
		files := []string{path}
		if entries, err := os.ReadDir(path); err == nil {
			files = nil
			for _, e := range entries {
				if !e.IsDir() && !dnsmasqSkips(e.Name()) {
					files = append(files, filepath.Join(path, e.Name()))
				}
			}
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				continue // dnsmasq itself reports a missing hosts file
			}
			for i, text := range strings.Split(string(src), "\n") {
				if text = dnsmasqLine(text); text != "" {
					if h, ok := dnsmasqHost(text); ok {
						h.File, h.Line, h.Text, h.HostsFile = f, i+1, text, true
						site.Hosts = append(site.Hosts, h)
					}
				}
			}
		}
	}
	read = func(path string, depth int) error {
		if seen[filepath.Clean(path)] || depth > 8 {
			return nil
		}
		seen[filepath.Clean(path)] = true
		src, err := os.ReadFile(path)
		if os.IsNotExist(err) && depth == 0 {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the dnsmasq configuration: %w", err)
		}
		site.Files = append(site.Files, path)
		sc := bufio.NewScanner(bytes.NewReader(src))
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for line := 1; sc.Scan(); line++ {
			text := dnsmasqLine(sc.Text())
			k, v, _ := strings.Cut(text, "=")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if strings.Contains(v, "set:") || strings.Contains(k, "class") || k == "dhcp-mac" || k == "dhcp-match" || strings.HasSuffix(k, "id") {
				site.tagLines = append(site.tagLines, DnsmasqLine{File: path, Line: line, Text: text, key: k, value: v})
			}
			switch k {
			case "port":
				if v == "0" {
					site.NoDNS = fmt.Sprintf("%s:%d", path, line)
				}
			case "dhcp-range":
				if r, ok := dnsmasqRange(v); ok {
					r.File, r.Line = path, line
					site.rangeReqs[fmt.Sprintf("%s:%d", path, line)] = fieldReqs(v, true)
					switch rangeMode(v) {
					case "static":
						site.StaticRanges = append(site.StaticRanges, r)
					case "proxy":
						site.ProxyRanges = append(site.ProxyRanges, r)
					default:
						site.Ranges = append(site.Ranges, r)
					}
				}
			case "dhcp-ignore":
				site.ignores = append(site.ignores, DnsmasqLine{File: path, Line: line, Text: text, key: k, value: v, reqs: fieldReqs(v, false)})
			case "dhcp-option", "dhcp-option-force":
				addOption(v, path, line, text)
			case "conf-file":
				if err := read(v, depth+1); err != nil {
					return err
				}
			case "tftp-root":
				if dir, iface, _ := strings.Cut(v, ","); iface == "" || site.TFTPRoot == "" {
					site.TFTPRoot = dir
				}
			case "dhcp-optsfile", "dhcp-optsdir":
				if err := readOpts(v); err != nil {
					return err
				}
			case "dhcp-host":
				if h, ok := dnsmasqHost(v); ok {
					h.File, h.Line, h.Text = path, line, text
					site.Hosts = append(site.Hosts, h)
				}
			case "dhcp-hostsfile", "dhcp-hostsdir":
				// dhcp-hostsdir: every file of the directory, one
				// dhcp-host per line, read at start and again when
				// files change (dnsmasq(8) --dhcp-hostsdir; inotify.c
				// skips the same hidden and backup files).
				readHosts(v)
			case "conf-dir":
				dir, filters := splitConfDir(v)
				site.ConfDirs = append(site.ConfDirs, dir)
				site.Dirs = append(site.Dirs, ConfDir{Dir: dir, Filters: filters, File: path, Line: line})
				if err := readDir(v, depth); err != nil {
					return err
				}
			}
		}
		return sc.Err()
	}
	if err := read(main, 0); err != nil {
		return site, err
	}
	for _, d := range extraDirs {
		if err := readDir(d, 0); err != nil {
			return site, err
		}
	}
	site.Ignores = site.unknownIgnores()
	return site, nil
}

// dnsmasqSkips says whether dnsmasq leaves a file of a directory it reads
// (conf-dir, dhcp-optsdir) unread: hidden, an editor's backup (~) or an
// Emacs autosave (#...#), as dnsmasq's read_dir does.
func dnsmasqSkips(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#")
}

// dnsmasqLine is a configuration line as dnsmasq reads it (option.c,
// read_file): a '#' at its start or after white space, outside double
// quotes, starts a comment ("dhcp-option=150,172.20.0.1 # TFTP Server"),
// and the rest is trimmed; "" for a line with nothing else.
func dnsmasqLine(line string) string {
	white, quoted := true, false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '"':
			quoted = !quoted
		case c == '#' && white && !quoted:
			return strings.TrimSpace(line[:i])
		}
		white = line[i] == ' ' || line[i] == '\t'
	}
	return strings.TrimSpace(line)
}

// dnsmasqOption reads a dhcp-option value for option 150 or 66. dnsmasq
// (option.c, parse_dhcp_opt; dnsmasq(8) --dhcp-option) reads fields up
// to the option: a decimal number or option:NAME ends the prefix
// (names case-insensitive, `dnsmasq --help dhcp`: tftp-server is 66,
// tftp-server-address 150); vendor:, encap:, vi-encap: and option6: make
// it another option than the plain one; any other field is a tag the
// client must match, with or without tag:/net: ("eth0.30", the interface
// a request came in on, is one).
func dnsmasqOption(v string) (Setting, bool) {
	f := strings.Split(v, ",")
	st := Setting{}
	for len(f) > 0 {
		x := strings.TrimSpace(f[0])
		f = f[1:]
		if x != "" && strings.Trim(x, "0123456789") == "" {
			switch strings.TrimLeft(x, "0") {
			case "150":
				st.Option, st.Name = 150, "150"
			case "66":
				st.Option, st.Name = 66, "66"
			}
			break
		}
		if name, ok := strings.CutPrefix(x, "option:"); ok {
			switch strings.ToLower(name) {
			case "tftp-server-address":
				st.Option, st.Name = 150, "150"
			case "tftp-server":
				st.Option, st.Name = 66, "66"
			}
			break
		}
		if strings.HasPrefix(x, "option6:") || strings.HasPrefix(x, "vendor:") || strings.HasPrefix(x, "encap:") || strings.HasPrefix(x, "vi-encap:") {
			return st, false
		}
		if !strings.HasPrefix(x, "set:") && x != "" {
			st.Kind = "tag"
		}
	}
	if st.Option == 0 || len(f) == 0 {
		return st, false
	}
	for _, x := range f {
		st.Values = append(st.Values, strings.Trim(strings.TrimSpace(x), `"`))
	}
	return st, true
}

// DnsmasqThisHost is st with each 0.0.0.0 of an option 150 line read as
// host: dnsmasq(8) --dhcp-option, "the special address 0.0.0.0 is taken
// to mean 'the address of the machine running dnsmasq'" (rfc2131.c sends
// its own address on the interface the request came in on). host is the
// address of this machine in question (invalid: st as it is).
func DnsmasqThisHost(st Setting, host netip.Addr) Setting {
	if st.Option != 150 || !host.IsValid() || !slices.Contains(st.Values, "0.0.0.0") {
		return st
	}
	vals := slices.Clone(st.Values)
	for i, v := range vals {
		if v == "0.0.0.0" {
			vals[i] = host.String()
		}
	}
	st.Values = vals
	return st
}

// ThisHost says whether the option 150 line st names 0.0.0.0, which
// dnsmasq sends as its own address.
func ThisHost(st Setting) bool { return st.Option == 150 && slices.Contains(st.Values, "0.0.0.0") }

// dnsmasqHost reads a dhcp-host value (dnsmasq(8) --dhcp-host:
// [HWADDR]...[,id:CLIENT_ID|*][,set:TAG][,tag:TAG][,IPADDR][,HOSTNAME]
// [,LEASETIME][,ignore]): its MAC addresses and its IPv4 address.
func dnsmasqHost(v string) (DnsmasqHost, bool) {
	var h DnsmasqHost
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if a, err := netip.ParseAddr(f); err == nil && a.Is4() {
			h.IP = a
			continue
		}
		switch {
		case f == "ignore":
			h.Ignore = true
		case strings.HasPrefix(f, "tag:"):
			h.Tagged = true
		case strings.Contains(f, "*") && strings.Count(f, ":") == 5:
			h.Patterns = append(h.Patterns, strings.ToLower(f))
		default:
			if _, err := ParseMAC(f); err == nil && strings.Count(f, ":") == 5 {
				h.MACs = append(h.MACs, strings.ToLower(f))
			}
		}
	}
	return h, h.IP.IsValid() || len(h.MACs) > 0 || len(h.Patterns) > 0
}

// splitConfDir reads a conf-dir value DIR[,FILTER...] as dnsmasq does
// (option.c, --conf-dir, split()): the fields are split at commas and the
// white space around each is dropped, empty ones ignored, so
// "d, *.cfg" is "d,*.cfg". filters is the cleaned list joined by commas.
func splitConfDir(v string) (dir, filters string) {
	f := strings.Split(v, ",")
	var keep []string
	for _, x := range f[1:] {
		if x = strings.TrimSpace(x); x != "" {
			keep = append(keep, x)
		}
	}
	return strings.TrimSpace(f[0]), strings.Join(keep, ",")
}

// dirFilter applies conf-dir's suffix list: ",.bak" skips, ",*.conf" keeps.
func dirFilter(name, filters string) bool {
	if filters == "" {
		return true
	}
	var keep []string
	for _, f := range strings.Split(filters, ",") {
		f = strings.TrimSpace(f)
		if s, ok := strings.CutPrefix(f, "*"); ok {
			if s != "" { // a bare "*" is no filter (option.c)
				keep = append(keep, s)
			}
		} else if f != "" && strings.HasSuffix(name, f) {
			return false
		}
	}
	return len(keep) == 0 || slices.ContainsFunc(keep, func(s string) bool { return strings.HasSuffix(name, s) })
}

// dnsmasqRange reads the addresses of a dhcp-range value
// ([tag:T,][set:T,]START[,END][,MODE][,NETMASK[,BCAST]][,LEASE]).
func dnsmasqRange(v string) (Range, bool) {
	var addrs []netip.Addr
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if strings.HasPrefix(f, "tag:") || strings.HasPrefix(f, "set:") || strings.HasPrefix(f, "net:") {
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			if len(addrs) > 0 {
				break
			}
			continue
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 || !addrs[0].Is4() {
		return Range{}, false
	}
	r := Range{First: addrs[0], Last: addrs[0]}
	if len(addrs) > 1 && !isMask(addrs[1]) {
		r.Last = addrs[1]
	}
	// The netmask may follow the mode word ("NET,static,255.255.255.0").
	seen := false
	for _, f := range strings.Split(v, ",") {
		a, err := netip.ParseAddr(strings.TrimSpace(f))
		if err != nil || !a.Is4() {
			continue
		}
		if seen && isMask(a) && a != r.Last {
			r.Mask = a
			break
		}
		seen = true
	}
	return r, true
}

// isMask reports whether a is a netmask (ones, then zeros).
func isMask(a netip.Addr) bool {
	inv := ^u32(a)
	return u32(a)>>31 == 1 && inv&(inv+1) == 0
}

// maskBits is the prefix length of netmask a (its leading one bits).
func maskBits(a netip.Addr) int {
	return bits.LeadingZeros32(^u32(a))
}

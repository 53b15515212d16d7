// Package dhcpsetup is setup-dhcp's run as plain stages: read the
// configuration file (and, for a dnsmasq drop-in, the server's own
// configuration) -> model (the TFTP servers, the network, the
// reservations) -> plan (the new file contents, notes and conflicts) ->
// install (check with the server's parser, replace atomically, keep .bak).
// cmd/setup-dhcp turns flags into a Request and a Plan's outcome into
// messages and exit codes.
package dhcpsetup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
	"github.com/setup-cisco/setup-cisco/internal/hostnet"
)

// Request is a run as the command line asks for it. String fields are the
// flags' text ("" when not given); errors about them name the flag.
type Request struct {
	Out         string // "" means the format's default path
	Format      dhcpconf.Format
	Merge       bool
	TakeOver    bool // --take-over: comment out hand-written settings that override ours
	DHCPOnly    bool // --dhcp-only: dnsmasq serves DHCP only (port=0)
	DnsmasqConf string
	TFTPServer  string // IP[,IP...]
	Subnet      string
	Router      string
	Range       string
	DNS         string
	NTP         string
	Domain      string
	Interface   string
	DefaultLease,
	MaxLease int
	// Reservations nil keeps those already in the file's managed block;
	// non-nil (even empty) replaces them.
	Reservations []dhcpconf.Reservation
	// Given reports whether a flag (without dashes) was on the command line.
	Given func(flag string) bool
	// Root is "/" outside tests; default paths and services are found under it.
	Root string
}

// Plan is what a run would change.
type Plan struct {
	Format   dhcpconf.Format
	Path     string
	Old      []byte
	Exists   bool
	New      []byte
	Included []dhcpconf.FileChange // files included by Path that --take-over edits
	// Info are lines about what was detected or assumed ("detected ...").
	Info []string
	// Notes are worth telling when a file changes; Warnings always.
	Notes, Warnings []string
	// Conflicts keep the result from taking effect; without --take-over
	// New equals Old when there are any.
	Conflicts []dhcpconf.Conflict
	// KeepBackup leaves Backup as it is: it holds a file setup-dhcp did
	// not write (the hand-written one a first generating run replaced),
	// and Old is only setup-dhcp's own output, which regenerating gives
	// again.
	KeepBackup bool
	// DnsmasqMain is the dnsmasq configuration a drop-in joins, checked
	// as it stands before the drop-in is written (DnsmasqMainCheck).
	DnsmasqMain string
}

// Changed reports whether installing the plan changes any file.
func (p *Plan) Changed() bool {
	return !p.Exists || string(p.Old) != string(p.New) || len(p.Included) > 0
}

// DefaultDnsmasqConf is dnsmasq's main configuration file.
const DefaultDnsmasqConf = "/etc/dnsmasq.conf"

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// Build reads the file the run works on and plans its new content.
func Build(req Request) (*Plan, error) {
	if req.Root == "" {
		req.Root = "/"
	}
	if req.Given == nil {
		req.Given = func(string) bool { return false }
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	p := &Plan{Format: req.Format, Path: req.Out}
	if p.Path == "" {
		p.Path = req.Format.DefaultPath(req.Root)
	}
	old, err := dhcpconf.ReadExisting(p.Path) // never through a planted symlink
	p.Exists = err == nil
	if err != nil && !(errors.Is(err, os.ErrNotExist) && !req.Merge) {
		return nil, fmt.Errorf("--out: %w", err)
	}
	p.Old = old
	switch {
	case req.Merge:
		err = p.merge(req)
	case req.Format == dhcpconf.Dnsmasq && !req.DHCPOnly && p.keepsDHCPOnly(req):
		p.Info = append(p.Info, fmt.Sprintf("%s is setup-dhcp's DHCP-only file (port=0): kept so (dnsmasq's DNS stays off, as another DNS server may hold port 53); --dhcp-only=false writes a drop-in instead", p.Path))
		err = p.generate(req)
	case req.Format == dhcpconf.Dnsmasq && !req.DHCPOnly:
		err = p.dropIn(req)
	default:
		err = p.generate(req)
	}
	if err != nil {
		return nil, err
	}
	if req.Out == "" && req.Format == dhcpconf.ISC {
		if path, where := dhcpconf.DebianDHCPDConf(req.Root); path == p.Path {
			p.Notes = append(p.Notes, fmt.Sprintf("%s: DHCPDv4_CONF names %s, the file Debian's isc-dhcp-server starts dhcpd with: using it as --out", where, path))
		}
	}
	p.keepBackup()
	return p, nil
}

// keepBackup sets KeepBackup when the file is setup-dhcp's own whole
// output and its backup holds a file setup-dhcp did not write (the
// hand-written one a generating run replaced, as its note said): whatever
// this run does, generate again or --merge (as that note advises), the
// backup stays the one copy of the hand-written file.
func (p *Plan) keepBackup() {
	if !p.Exists || !strings.Contains(string(p.Old), "written by setup-dhcp") {
		return
	}
	if bak, err := dhcpconf.ReadExisting(p.Backup()); err == nil && !strings.Contains(string(bak), "written by setup-dhcp") {
		p.KeepBackup = true
	}
}

// Validate rejects flag combinations that cannot work; errors name the flag.
func (r Request) Validate() error {
	if r.Merge && r.Format == dhcpconf.Dnsmasq {
		return fmt.Errorf("--merge works on ISC dhcpd.conf and Kea files; for dnsmasq setup-dhcp writes a drop-in (without --merge)")
	}
	if r.Merge {
		for _, f := range []string{"subnet", "router", "range", "dns", "ntp", "domain", "interface", "default-lease-time", "max-lease-time"} {
			if r.Given(f) {
				return fmt.Errorf("--%s has no effect with --merge, which only adds option 150 and reservations", f)
			}
		}
	}
	if r.TakeOver && !r.Merge {
		return fmt.Errorf("--take-over works with --merge only (a generated file has no hand-written lines)")
	}
	if r.Format != dhcpconf.Dnsmasq {
		for _, f := range []string{"dhcp-only", "dnsmasq-conf"} {
			if r.Given(f) {
				return fmt.Errorf("--%s is for --format dnsmasq only", f)
			}
		}
	}
	if r.DHCPOnly && r.Given("dnsmasq-conf") {
		return fmt.Errorf("--dnsmasq-conf has no effect with --dhcp-only, which writes a whole DHCP-only configuration")
	}
	return nil
}

// servers parses --tftp-server, or detects this host's address.
func (p *Plan) servers(req Request) ([]netip.Addr, error) {
	if req.TFTPServer != "" {
		return parseTFTPServers(req.TFTPServer)
	}
	addr, err := hostnet.PrimaryIPv4()
	if err != nil {
		return nil, fmt.Errorf("%v; give --tftp-server", err)
	}
	p.Info = append(p.Info, "detected --tftp-server "+addr.String())
	return []netip.Addr{addr}, nil
}

func (p *Plan) merge(req Request) error {
	servers, err := p.servers(req)
	if err != nil {
		return err
	}
	if f, ok := dhcpconf.Sniff(p.Path, p.Old); ok && f.Format != req.Format {
		// Merging into another server's file reads it in the wrong
		// grammar ("unterminated string" for a Kea JSON read as dhcpd.conf).
		return dhcpconf.OtherFormat(req.Format, p.Path, p.Old)
	}
	if err := dhcpconf.CheckReservations(req.Reservations, nil); err != nil {
		return fmt.Errorf("--reservations: %w", err)
	}
	mo := dhcpconf.MergeOptions{
		TFTPServer:   servers[0],
		TFTPBackups:  servers[1:],
		Reservations: req.Reservations,
		ReadFile:     dhcpconf.ReadExisting,
		TakeOver:     req.TakeOver,
	}
	merge := dhcpconf.Merge
	if req.Format == dhcpconf.Kea {
		if req.Reservations != nil {
			return fmt.Errorf("--reservations with a Kea --merge: not built; add the phones' reservations to the file by hand, or generate it whole")
		}
		merge = dhcpconf.MergeKea
	}
	r, err := merge(p.Path, p.Old, mo)
	if err != nil {
		return err
	}
	p.New, p.Included, p.Conflicts = r.Content, r.Included, r.Conflicts
	p.Notes, p.Warnings = r.Notes, r.Warnings
	// Only the entries written: a phone whose own entry is kept gets
	// that entry's address, not the inventory's.
	p.Warnings = append(p.Warnings, dhcpconf.ReservationsInRanges(r.Hosts, r.Ranges)...)
	return nil
}

func (p *Plan) generate(req Request) error {
	if v6 := dhcpconf.DHCPv6(p.Path, p.Old); req.Format == dhcpconf.ISC && v6 != "" && (p.Exists || filepath.Base(p.Path) == "dhcpd6.conf") {
		return fmt.Errorf("--out: %s; not replaced: %s", v6, dhcpconf.DHCPv6Advice)
	}
	if err := dhcpconf.OtherFormat(req.Format, p.Path, p.Old); err != nil {
		return err
	}
	n, err := p.network(req, true)
	if err != nil {
		return err
	}
	if err := dhcpconf.CheckReservations(req.Reservations, &n); err != nil {
		return fmt.Errorf("--reservations: %w", err)
	}
	switch req.Format {
	case dhcpconf.Kea:
		if p.New, err = dhcpconf.GenerateKea(n, req.Reservations); err != nil {
			return err
		}
	case dhcpconf.Dnsmasq:
		p.New = dhcpconf.GenerateDnsmasq(n, req.Reservations)
	default:
		p.New = dhcpconf.GenerateISC(n, req.Reservations, p.Old)
	}
	if p.Exists && !strings.Contains(string(p.Old), "written by setup-dhcp") && string(p.Old) != string(p.New) {
		keep := "--merge keeps hand edits"
		if req.Format == dhcpconf.Kea {
			// --merge is for dhcpd.conf: name what keeps a Kea file.
			flag := joinAddrs(n.TFTPServers()) // 10.0.0.5,10.0.0.6
			keep = fmt.Sprintf(`to keep your Kea configuration instead, put %s back and run setup-dhcp --format kea --merge --tftp-server %s --out %s, which adds option 150 to it (or add to its Dhcp4 map the option-def {"name": %q, "code": 150, "type": "ipv4-address", "array": true, "space": "dhcp4"} and, in its option-data, {"name": %q, "data": %q}, by hand)`,
				p.Backup(), flag, p.Path, dhcpconf.DefaultOptionName, dhcpconf.DefaultOptionName, strings.ReplaceAll(flag, ",", ", "))
		}
		p.Notes = append(p.Notes, fmt.Sprintf("%s was not written by setup-dhcp; it is replaced (the old one is kept as %s); %s", p.Path, p.Backup(), keep))
	}
	return nil
}

// keepsDHCPOnly: a file an earlier setup-dhcp wrote with port=0 (the old
// default) stays DHCP-only unless --dhcp-only is given either way;
// switching dnsmasq's DNS on could collide with another DNS server.
func (p *Plan) keepsDHCPOnly(req Request) bool {
	old := string(p.Old)
	return p.Exists && !req.Given("dhcp-only") && strings.Contains(old, "written by setup-dhcp") && strings.Contains("\n"+old, "\nport=0\n")
}

// dropIn plans a file for /etc/dnsmasq.d: options 150 and 66 always, a
// range only where the server has none, anything else only when asked.
func (p *Plan) dropIn(req Request) error {
	main := req.DnsmasqConf
	if main == "" {
		main = filepath.Join(req.Root, DefaultDnsmasqConf)
		// Pi-hole v6 runs its own dnsmasq inside pihole-FTL, without the
		// dnsmasq package: its file is the one read.
		if _, err := os.Stat(main); errors.Is(err, fs.ErrNotExist) {
			if pi := filepath.Join(req.Root, dhcpconf.PiholeDnsmasqConf); fileExists(pi) {
				main = pi
			}
		}
	}
	site, err := dhcpconf.InspectDnsmasq(main, []string{filepath.Dir(p.Path)}, p.Path)
	if err != nil {
		return err
	}
	if p.Exists && !strings.Contains(string(p.Old), "written by setup-dhcp") {
		return fmt.Errorf("%s exists and was not written by setup-dhcp; give another --out for the drop-in", p.Path)
	}
	if err := readsDropIn(main, p.Path, site); err != nil {
		return err
	}
	if err := passesConfDir(p.Path, site); err != nil {
		return err
	}
	var macs []string
	for _, r := range req.Reservations {
		macs = append(macs, r.MAC.String())
	}
	res, err := dnsmasqHosts(req.Reservations, site, &p.Notes)
	if err != nil {
		return err
	}
	req.Reservations = res
	if err := site.ProxyOnly(); err != nil {
		return err
	}
	// A dhcp-ignore or dhcp-range whose tags shut every 79x0 out leaves
	// the phones nothing from this dnsmasq: the drop-in would not take
	// effect.
	ignored, err := site.IgnoresPhones(macs)
	if err != nil {
		return err
	}
	p.Notes = append(p.Notes, ignored...)
	dynamic, static, closed := site.PhoneRanges(macs)
	if closed != "" && len(dynamic) == 0 && len(static) == 0 && !req.Given("range") {
		return fmt.Errorf("%s, and dnsmasq has no other range: the phones get no address and no option 150 from this dnsmasq, so a drop-in here would not take effect; set option 150 on the DHCP server that gives the phones their addresses, or give --range FIRST-LAST to add a range they may use", closed)
	}
	kw, kn := site.KnownOnly(res, req.Reservations != nil)
	p.Warnings, p.Notes = append(p.Warnings, kw...), append(p.Notes, kn...)
	withRange := len(dynamic) == 0 && len(static) == 0 || req.Given("range")
	var n dhcpconf.Network
	if withRange {
		if n, err = p.network(req, site.NoDNS != ""); err != nil {
			return err
		}
		if err := dhcpconf.CheckReservations(req.Reservations, &n); err != nil {
			return fmt.Errorf("--reservations: %w", err)
		}
	} else {
		p.Info = append(p.Info, site.RangeInfo(macs))
		if n, err = p.explicit(req); err != nil {
			return err
		}
		if err := dhcpconf.CheckReservations(req.Reservations, nil); err != nil {
			return fmt.Errorf("--reservations: %w", err)
		}
		p.Warnings = append(p.Warnings, dhcpconf.ReservationsInRanges(req.Reservations, dynamic)...)
		w, err := dnsmasqOffNetwork(req.Reservations, append(append([]dhcpconf.Range{}, dynamic...), static...))
		if err != nil {
			return err
		}
		p.Warnings = append(p.Warnings, w...)
	}
	// Another dhcp-option line for 150 (or an untagged 66) would compete
	// with the drop-in's: setup-dhcp does not edit dnsmasq's own files, so
	// it refuses rather than write a drop-in that may not take effect,
	// unless no phone gets that line: its tags shut the phones out, or it
	// is untagged and a tagged line every phone matches comes first (the
	// site's own, or the drop-in's, tagged with a tag every phone
	// carries, which leaves the other clients their server).
	servers := n.TFTPServers()
	host := thisHost(servers)
	agrees := func(st dhcpconf.Setting) bool { return dhcpconf.DnsmasqThisHost(st, host).Agrees(servers) }
	phonesTag, tagWhere := site.PhonesTag(macs)
	var tags []string
	for _, st := range site.Options {
		if agrees(st) || st.Option == 66 && st.Kind != "" {
			continue
		}
		if why := site.NoPhoneGets(st, macs); why != "" {
			p.Notes = append(p.Notes, why)
			continue
		}
		if why, by := site.OverriddenForPhones(st, macs, agrees); why != "" {
			p.Notes = append(p.Notes, why)
			if tags == nil {
				tags = site.TagFields(by)
			}
			continue
		}
		if st.Kind == "" && phonesTag != "" {
			if tags == nil {
				tags = []string{"tag:" + phonesTag}
			}
			p.Notes = append(p.Notes, fmt.Sprintf("%s: %s gives the other clients option %d %s; the drop-in's lines are for %s (every 79x0 is, %s), which dnsmasq uses before an untagged line: that line is left to the other clients", st.Where(), st.Text, st.Option, st.Value(), strings.Join(tags, ","), tagWhere))
			continue
		}
		msg := fmt.Sprintf("%s: %s gives %s option %d %s, not %s: remove or change that line, then rerun", st.Where(), st.Text, st.Scope, st.Option, st.Value(), joinAddrs(servers))
		if dhcpconf.ThisHost(st) {
			msg = fmt.Sprintf("%s: %s gives %s option %d %s, which dnsmasq sends as this host's own address (dnsmasq(8) --dhcp-option), and %s is not one of this host's addresses: remove or change that line, then rerun", st.Where(), st.Text, st.Scope, st.Option, st.Value(), joinAddrs(servers))
		}
		p.Conflicts = append(p.Conflicts, dhcpconf.Conflict{File: st.File, Line: st.Line, Scope: st.Scope, Text: st.Text, Msg: msg})
	}
	p.New = dhcpconf.GenerateDnsmasqDropIn(dhcpconf.DropIn{Network: n, Range: withRange, Tags: tags}, req.Reservations)
	if len(p.Conflicts) > 0 {
		for _, c := range p.Conflicts {
			p.Warnings = append(p.Warnings, c.Msg)
		}
		p.New = p.Old
	}
	p.DnsmasqMain = main
	return nil
}

// thisHost is the first of servers that is an address of this host
// (invalid when none is): what dnsmasq's 0.0.0.0 stands for.
func thisHost(servers []netip.Addr) netip.Addr {
	ifaces, err := hostnet.Interfaces()
	if err != nil {
		return netip.Addr{}
	}
	for _, s := range servers {
		for _, i := range ifaces {
			for _, a := range i.Addrs {
				if a.Addr() == s {
					return s
				}
			}
		}
	}
	return netip.Addr{}
}

// readsDropIn refuses a drop-in that Pi-hole's dnsmasq would never read.
// Pi-hole v6 runs dnsmasq inside pihole-FTL with /etc/pihole/dnsmasq.conf,
// which FTL writes itself (pi-hole/FTL src/config/dnsmasq_config.c) with
// conf-dir=/etc/dnsmasq.d only when misc.etc_dnsmasq_d is true, off by
// default: the drop-in would be written, exit 0, and never read. (Debian's
// dnsmasq service adds /etc/dnsmasq.d on its command line, so a plain
// dnsmasq.conf without conf-dir is no sign of that.)
func readsDropIn(main, dropIn string, site dhcpconf.DnsmasqSite) error {
	src, err := os.ReadFile(main)
	if err != nil || !strings.Contains(string(src), "POPULATED BY PI-HOLE") && !strings.HasPrefix(filepath.Clean(main), filepath.Dir(dhcpconf.PiholeDnsmasqConf)+"/") {
		return nil
	}
	dir := filepath.Clean(filepath.Dir(dropIn))
	for _, d := range site.ConfDirs {
		if filepath.Clean(d) == dir {
			return nil
		}
	}
	return fmt.Errorf("%s is Pi-hole's, which reads no %s unless misc.etc_dnsmasq_d is true: the drop-in %s would never be read; set it (pihole-FTL --config misc.etc_dnsmasq_d true) and rerun, or put the drop-in's lines in misc.dnsmasq_lines", main, dir, dropIn)
}

// passesConfDir refuses a drop-in name that the conf-dir lines naming its
// directory do not read: "conf-dir=DIR,*.cfg" loads only *.cfg files, and
// dnsmasq never reads a hidden file or an editor backup there (dnsmasq(8),
// --conf-dir). The message proposes a name that passes.
func passesConfDir(dropIn string, site dhcpconf.DnsmasqSite) error {
	dir, name := sameDir(filepath.Dir(dropIn)), filepath.Base(dropIn)
	var naming []dhcpconf.ConfDir
	for _, d := range site.Dirs {
		if sameDir(d.Dir) == dir {
			if d.Reads(name) {
				return nil
			}
			naming = append(naming, d)
		}
	}
	if len(naming) == 0 {
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
			return fmt.Errorf("--out: dnsmasq reads no hidden file or editor backup from a conf-dir: %s would never be read; give a name such as %s", dropIn, filepath.Join(filepath.Dir(dropIn), "setup-dhcp.conf"))
		}
		return nil
	}
	d := naming[0]
	better := "setup-dhcp.conf"
	for _, f := range strings.Split(d.Filters, ",") {
		if suffix, ok := strings.CutPrefix(f, "*"); ok && suffix != "" {
			better = "setup-dhcp" + suffix
			break
		}
	}
	return fmt.Errorf("%s:%d: conf-dir=%s,%s does not read %s: the drop-in would never be read; give --out %s", d.File, d.Line, d.Dir, d.Filters, name, filepath.Join(filepath.Dir(dropIn), better))
}

// sameDir is a directory as an absolute, clean path, for comparing.
func sameDir(d string) string {
	if a, err := filepath.Abs(d); err == nil {
		return a
	}
	return filepath.Clean(d)
}

// dnsmasqHosts checks the reservations against dnsmasq's own dhcp-host
// entries: dnsmasq refuses its whole configuration when two dhcp-host
// entries give one address ("duplicate dhcp-host IP address", dnsmasq
// 2.90 option.c), so an address another device has is an error naming
// that line; a MAC that already has an entry gets none of ours (two would
// fight), with a note.
func dnsmasqHosts(rs []dhcpconf.Reservation, site dhcpconf.DnsmasqSite, notes *[]string) ([]dhcpconf.Reservation, error) {
	if rs == nil {
		return nil, nil
	}
	out := []dhcpconf.Reservation{}
next:
	for _, r := range rs {
		mac := r.MAC.String()
		for _, h := range site.Hosts {
			if !h.Ignore || !slices.Contains(h.MACs, mac) && !slices.ContainsFunc(h.Patterns, func(pat string) bool { return dhcpconf.MACPattern(pat, mac) }) {
				continue
			}
			// dnsmasq(8) --dhcp-host: "ignore" tells dnsmasq never to
			// offer that machine a lease.
			if h.Tagged {
				*notes = append(*notes, fmt.Sprintf("%s:%d: %s: dnsmasq ignores phone %s when the line's tags match, and then gives it no address and no option 150", h.File, h.Line, h.Text, mac))
				continue
			}
			return nil, fmt.Errorf("--reservations: %s:%d: %s: dnsmasq never offers phone %s a lease (\"ignore\"), so it gets no address and no option 150: remove that line (or the phone from FreePBX), then rerun", h.File, h.Line, h.Text, mac)
		}
		for _, h := range site.Hosts {
			if slices.Contains(h.MACs, mac) {
				*notes = append(*notes, fmt.Sprintf("%s:%d: %s already has a dhcp-host entry; not adding one", h.File, h.Line, mac))
				continue next
			}
		}
		for _, h := range site.Hosts {
			if r.IP.IsValid() && h.IP == r.IP {
				why := "dnsmasq refuses two dhcp-host lines with one address (it would not start)"
				if h.HostsFile {
					why = "two devices cannot share one address"
				}
				return nil, fmt.Errorf("--reservations: %s:%d: %s already gives %s to another device, and %s: give phone %s another address (setup-cisco phone set %s --ip ADDRESS) or change that line",
					h.File, h.Line, h.Text, r.IP, why, mac, strings.ToUpper(strings.ReplaceAll(mac, ":", "")))
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// dnsmasqOffNetwork refuses a reservation whose address lies on no
// network of the site's dhcp-ranges: dnsmasq gives a dhcp-host address
// only "in the same subnet as some valid dhcp-range" (dnsmasq(8),
// --dhcp-host), and offers the phone a dynamic address instead (seen with
// dnsmasq 2.90). A range's network is its netmask, or the local
// interface's prefix that holds it; where neither tells, a warning.
func dnsmasqOffNetwork(rs []dhcpconf.Reservation, ranges []dhcpconf.Range) ([]string, error) {
	if len(ranges) == 0 {
		return nil, nil
	}
	var local []netip.Prefix
	if ifs, err := hostnet.Interfaces(); err == nil {
		for _, i := range ifs {
			local = append(local, i.Addrs...)
		}
	}
	var warn []string
	for _, r := range rs {
		if !r.IP.IsValid() {
			continue
		}
		on, unknown := false, []string{}
		var nets []string
		for _, g := range ranges {
			n, ok := g.Network(local)
			if !ok {
				unknown = append(unknown, fmt.Sprintf("%s:%d: %s-%s", g.File, g.Line, g.First, g.Last))
				continue
			}
			nets = append(nets, n.String())
			if n.Contains(r.IP) && r.IP != n.Masked().Addr() {
				on = true
				break
			}
		}
		if on {
			continue
		}
		mac := strings.ToUpper(strings.ReplaceAll(r.MAC.String(), ":", ""))
		if len(unknown) == 0 {
			return nil, fmt.Errorf("--reservations: the fixed address %s of %s (%s) is on no network of dnsmasq's dhcp-ranges (%s): dnsmasq gives a dhcp-host address only on a network it serves, so the phone would get a dynamic address instead; give phone %s another address (setup-cisco phone set %s --ip ADDRESS), then rerun",
				r.IP, r.HostName(), r.Name, strings.Join(nets, ", "), r.MAC, mac)
		}
		warn = append(warn, fmt.Sprintf("%s: warning: the fixed address %s of %s (%s) is on no network setup-dhcp knows dnsmasq serves (this range gives no netmask and no interface here holds it): unless %s is on that range's network, dnsmasq gives the phone a dynamic address instead; check it, or give phone %s another address (setup-cisco phone set %s --ip ADDRESS)",
			unknown[0], r.IP, r.HostName(), r.Name, r.IP, r.MAC, mac))
	}
	return warn, nil
}

// explicit is a Network with the TFTP servers and only the options the
// command line gave.
func (p *Plan) explicit(req Request) (dhcpconf.Network, error) {
	for _, f := range []string{"subnet", "default-lease-time", "max-lease-time"} {
		if req.Given(f) {
			return dhcpconf.Network{}, fmt.Errorf("--%s has no effect: dnsmasq already has a dhcp-range and the drop-in adds none (give --range to add one)", f)
		}
	}
	n, err := req.given()
	if err != nil || req.TFTPServer != "" {
		return n, err
	}
	servers, err := p.servers(req)
	if err != nil {
		return n, err
	}
	n.TFTPServer = servers[0]
	return n, nil
}

// Diffs is the plan as unified diffs, one per changed file, each secret
// (a key's secret, an LDAP or database password) replaced by a
// fingerprint, as setup-cisco --diff shows them: dry runs go to terminals,
// tickets and cron mail.
func (p *Plan) Diffs() string {
	from := p.Path
	if !p.Exists {
		from = "/dev/null"
	}
	mask := dhcpconf.MaskSecrets
	out := dhcpconf.UnifiedDiff(from, p.Path, mask(p.Old), mask(p.New))
	for _, f := range p.Included {
		out += dhcpconf.UnifiedDiff(f.Path, f.Path, mask(f.Old), mask(f.New))
	}
	return out
}

// Check runs the server's own parser on the planned content without
// installing it. An error wraps dhcpconf.ErrNoTool when the parser is not
// installed, or is a *dhcpconf.RejectedError.
func (p *Plan) Check(ctx context.Context) error {
	if err := p.DnsmasqMainCheck(ctx); err != nil {
		return err
	}
	if len(p.Included) == 0 {
		return dhcpconf.CheckContentFor(ctx, p.Format, p.New, p.Path, p.old())
	}
	content, err := p.checkable()
	if err != nil {
		return err
	}
	return dhcpconf.CheckContent(ctx, p.Format, content)
}

// CheckUnchanged runs the server's own parser on Path as it is, for a run
// that changes nothing: a dhcpd.conf dhcpd rejects ("semicolon expected")
// keeps dhcpd from starting, and "no change" would hide that. Only for
// ISC, whose file setup-dhcp reads with a lexer of its own, not dhcpd's
// grammar. The file is checked with its includes inlined (relative names
// from its directory, as setup-dhcp reads them); dhcpd's message names
// Path when it has none. An include that cannot be read is already a
// warning: then nothing is checked. Errors as dhcpconf.Check's.
func (p *Plan) CheckUnchanged(ctx context.Context) error {
	if p.Format == dhcpconf.Dnsmasq && !p.Changed() {
		// The drop-in needs nothing, but the configuration it joins
		// must start; no dnsmasq to ask stays quiet (cron).
		if err := p.DnsmasqMainCheck(ctx); !errors.Is(err, dhcpconf.ErrNoTool) {
			return err
		}
		return nil
	}
	if p.Format != dhcpconf.ISC || !p.Exists || p.Changed() {
		return nil
	}
	content, err := dhcpconf.Flatten(p.Path, p.Old, nil)
	if err != nil {
		return nil
	}
	err = dhcpconf.CheckContent(ctx, p.Format, content)
	var rej *dhcpconf.RejectedError
	if errors.As(err, &rej) {
		name := p.Path
		if string(content) != string(p.Old) {
			name += " (with its includes inlined)"
		}
		rej.Output = candidateName.ReplaceAllLiteralString(rej.Output, name)
	}
	return err
}

// candidateName is CheckContent's temporary file as dhcpd names it.
var candidateName = regexp.MustCompile(`\S*/setup-dhcp-[^/\s]*/candidate\.conf`)

// checkable is the content the parser judges: for a dnsmasq drop-in, the
// drop-in alone (dnsmasq --test reads it as a whole configuration); for a
// dhcpd.conf whose included files change too, all of it as one file.
func (p *Plan) checkable() ([]byte, error) {
	if len(p.Included) == 0 {
		return p.New, nil
	}
	files := map[string][]byte{}
	for _, f := range p.Included {
		files[f.Path] = f.New
	}
	return dhcpconf.Flatten(p.Path, p.New, files)
}

package doctor

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// DHCPOptions is what a DHCP server configuration tells phones about TFTP.
type DHCPOptions struct {
	Format   string // "isc", "kea" or "dnsmasq"
	Declared bool   // option 150 has a definition (ISC, Kea) or needs none
	Name     string // ISC/Kea name of option 150
	Opt150   []string
	Opt66    []string
	// ISC is the dhcpd.conf as dhcpconf reads it for setup-dhcp --merge,
	// included files and scopes too (nil for Kea and dnsmasq).
	ISC *dhcpconf.Inspection
	// Ours: the file was written by setup-dhcp.
	Ours bool
	// DropInDir: dnsmasq's directory of extra files, where setup-dhcp's
	// drop-in goes.
	DropInDir string
	// Dnsmasq are dnsmasq's option 150 and 66 lines, each with file:line.
	Dnsmasq []dhcpconf.Setting
	// DnsmasqSite is the dnsmasq configuration as setup-dhcp reads it.
	DnsmasqSite dhcpconf.DnsmasqSite
	// Kea are a Kea file's option 150 and 66 entries, each where it stands.
	Kea []dhcpconf.KeaSetting
	// KeaPeers name a Kea file's High Availability peers, each with what
	// it needs.
	KeaPeers []string
	// KeaBlocks are what keeps a Kea file from answering phones at all.
	KeaBlocks []dhcpconf.KeaBlock
}

// ReadDHCPConfig reads a dhcpd.conf (with the files it includes),
// kea-dhcp4.conf or dnsmasq file, telling the format from the content.
func ReadDHCPConfig(path string) (DHCPOptions, error) {
	// As setup-dhcp reads it: a link another user could have planted is
	// not followed (nor then handed to dhcpd -t, which quotes what it
	// rejects).
	b, err := dhcpconf.ReadExisting(path)
	if err != nil {
		return DHCPOptions{}, err
	}
	var o DHCPOptions
	switch {
	case isKea(b):
		if b, err = dhcpconf.KeaIncludes(path, b, dhcpconf.ReadExisting); err == nil {
			o, err = parseKea(b)
			o.KeaPeers = dhcpconf.KeaHAPeerNotes(path, b)
			o.KeaBlocks = dhcpconf.KeaPhoneBlocks(path, b)
		}
	case dnsmasqLine.Match(b):
		o, err = readDnsmasq(path)
	default:
		o, err = parseISC(path, b)
	}
	o.Ours = bytes.Contains(b, []byte("written by setup-dhcp")) || bytes.Contains(b, []byte(dhcpconf.BeginMarker))
	return o, err
}

// isKea tells a kea-dhcp4 configuration by its JSON: with Kea's
// comments ("#", "//" and "/* */", Kea ARM "JSON Syntax") taken out
// (dhcpconf.KeaJSON), the text is one object. A dhcpd.conf never opens
// with "{"; its "#" and "//" comment lines are stripped the same way.
func isKea(b []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(dhcpconf.KeaJSON(b)), []byte("{"))
}

// dnsmasqLine is a line only a dnsmasq configuration has (dhcpd.conf
// statements end with ";").
var dnsmasqLine = regexp.MustCompile(`(?m)^\s*(dhcp-[a-z-]+|conf-dir|conf-file|port|no-resolv|server|address|interface|listen-address|bind-interfaces|domain-needed|bogus-priv|cache-size)\s*(=[^;]*)?$`)

// DebianDnsmasqDir is the directory Debian's dnsmasq init script adds to
// the command line (-7 /etc/dnsmasq.d) for /etc/dnsmasq.conf.
const DebianDnsmasqDir = "/etc/dnsmasq.d"

// readDnsmasq reads a dnsmasq file and the files it pulls in (conf-file,
// conf-dir; with /etc/dnsmasq.conf also /etc/dnsmasq.d): a drop-in that
// sets option 150 counts for the main file.
func readDnsmasq(path string) (DHCPOptions, error) {
	site, err := inspectDnsmasq(path)
	if err != nil {
		return DHCPOptions{}, err
	}
	// The options as setup-dhcp reads them (dhcpconf: every form
	// dnsmasq takes, dhcp-optsfile, comments), so doctor and setup-dhcp
	// agree on what a file says.
	o := DHCPOptions{Format: "dnsmasq", Declared: true}
	for _, st := range site.Options {
		if st.Option == 150 {
			o.Opt150 = append(o.Opt150, st.Values...)
		} else if len(st.Values) > 0 {
			o.Opt66 = append(o.Opt66, st.Values[0])
		}
	}
	o.Dnsmasq, o.DnsmasqSite = site.Options, site
	o.DropInDir = DebianDnsmasqDir
	if len(site.ConfDirs) > 0 {
		o.DropInDir = site.ConfDirs[0]
	}
	return o, nil
}

// inspectDnsmasq reads a dnsmasq configuration as setup-dhcp does, with
// /etc/dnsmasq.d for /etc/dnsmasq.conf (DebianDnsmasqDir).
func inspectDnsmasq(path string) (dhcpconf.DnsmasqSite, error) {
	var extra []string
	if filepath.Clean(path) == "/etc/dnsmasq.conf" {
		extra = []string{DebianDnsmasqDir}
	}
	return dhcpconf.InspectDnsmasq(path, extra, "")
}

// parseISC reads a dhcpd.conf with the lexer setup-dhcp merges with,
// following includes, so that doctor sees what dhcpd and setup-dhcp see.
func parseISC(path string, src []byte) (DHCPOptions, error) {
	o := DHCPOptions{Format: "isc"}
	in, err := dhcpconf.Inspect(path, src, os.ReadFile)
	if err != nil {
		return o, err
	}
	o.ISC = in
	if len(in.Names) > 0 {
		o.Declared, o.Name = true, in.Names[len(in.Names)-1]
	}
	for _, st := range append(append([]dhcpconf.Setting(nil), in.Settings...), in.Block...) {
		if st.Option == 150 {
			o.Opt150 = append(o.Opt150, st.Values...)
		} else {
			o.Opt66 = append(o.Opt66, st.Values...)
		}
	}
	return o, nil
}

// parseKea reads a kea-dhcp4 configuration as setup-dhcp's merge does
// (dhcpconf.KeaOptions): each option 150 and 66 entry where it stands.
func parseKea(b []byte) (DHCPOptions, error) {
	o := DHCPOptions{Format: "kea"}
	name, settings, err := dhcpconf.KeaOptions(b)
	if err != nil {
		return o, err
	}
	o.Name, o.Declared, o.Kea = name, name != "", settings
	for _, st := range settings {
		if st.Option == 150 {
			// Raw bytes need no definition (Kea ARM, "csv-format":
			// false), as Cisco's hex examples write them.
			o.Declared = o.Declared || st.Hex
			o.Opt150 = append(o.Opt150, st.Values...)
		} else {
			o.Opt66 = append(o.Opt66, strings.TrimSpace(st.Data))
		}
	}
	return o, nil
}

// CheckDHCPConfig checks that the configuration declares option 150 and
// that every statement setting it, in any scope and included file, names
// one of want (this host's addresses, or --tftp-server) or another server
// listed with it; the same for option 66 where the file sets it for a
// network, pool or group. Each fix is a setup-dhcp command for this very
// file (--out) that makes the finding go.
func CheckDHCPConfig(path string, want []netip.Addr) []Finding {
	o, err := ReadDHCPConfig(path)
	if errors.Is(err, os.ErrNotExist) {
		return []Finding{unchecked(path, "give the DHCP server's file with --dhcpd-conf; if another host (the router) is the phones' DHCP server, set option 150 there to "+first(want)+" (an IP address; for a server that only takes option 66, the text \""+first(want)+"\")", "no such file")}
	}
	if err != nil {
		return []Finding{problem(path, "correct the file (setup-dhcp writes a valid one)", "%v", err)}
	}
	if o.Format == "isc" && stockISC(o.ISC) {
		// The distribution's stock file (CentOS 7's comments, Debian's
		// sample): dhcpd serves nobody from it, as from no file.
		return []Finding{unchecked(path, "give the DHCP server's file with --dhcpd-conf; if another host (the router) is the phones' DHCP server, set option 150 there to "+first(want)+" (an IP address; for a server that only takes option 66, the text \""+first(want)+"\")", "declares no subnet (a stock file): dhcpd serves no phone from it")}
	}
	if o.Format == "isc" {
		return checkISC(path, o.ISC, want)
	}
	servers := first(want)
	fix := "setup-dhcp --format " + o.Format + " --tftp-server " + servers + " --out " + path
	if o.Format == "kea" && !o.Ours {
		// The admin's own Kea file: added to, not regenerated.
		fix = "setup-dhcp --format kea --merge --tftp-server " + servers + " --out " + path
	}
	if o.Format == "dnsmasq" && !o.Ours {
		// Regenerating would replace the admin's own dnsmasq file; a
		// drop-in in its conf-dir adds the options instead.
		fix = "setup-dhcp --format dnsmasq --tftp-server " + servers + " --dnsmasq-conf " + path + " --out " + filepath.Join(o.DropInDir, "setup-dhcp.conf")
	}
	fs := keaBlockFindings(path, o)
	if o.Format == "dnsmasq" {
		fs = append(fs, dnsmasqBlockFindings(path, o.DnsmasqSite)...)
	}
	switch {
	case len(o.Opt150) == 0 && len(o.Opt66) == 0:
		fs = append(fs, problem(path, fix, "neither option 150 nor option 66: phones show \"Protocol Application Invalid\""))
	case !o.Declared:
		fs = append(fs, problem(path, fix, "declares no option with code 150 (dhcpd has no name for it): phones get no TFTP server from it"))
	case len(o.Opt150) == 0:
		fs = append(fs, problem(path, fix, "option 150 (%s) is declared but never set: phones get no TFTP server from it", o.Name))
	case o.Format == "kea":
		fs = append(fs, checkKea(path, o, want, fix)...)
		for _, p := range o.KeaPeers {
			fs = append(fs, note(path, "%s", p))
		}
		return fs
	case o.Format == "dnsmasq":
		// Each line on its own: one naming another server competes with
		// the right one (dnsmasq's own files are the admin's to edit).
		for _, st := range o.Dnsmasq {
			if dnsmasqGood(st, want) || st.Option == 66 && st.Kind != "" {
				continue
			}
			// A tag only non-phones carry (Juniper ZTP's
			// dhcp-vendorclass), or the lack of one every phone
			// carries, judged as setup-dhcp judges it.
			if why := o.DnsmasqSite.NoPhoneGets(st, nil); why != "" {
				fs = append(fs, note(path, "%s", why))
				continue
			}
			if why, _ := o.DnsmasqSite.OverriddenForPhones(st, nil, func(t dhcpconf.Setting) bool { return dnsmasqGood(t, want) }); why != "" {
				fs = append(fs, note(path, "%s", why))
				continue
			}
			fs = append(fs, problem(path, "remove or change "+st.Where()+", then "+fix,
				"option %d is %s, not this TFTP server (%s), at %s", st.Option, st.Value(), joinAddrs(want), st.Where()))
		}
		return fs
	default:
		if !slices.ContainsFunc(o.Opt150, func(s string) bool { return containsAddr(want, s) }) {
			fs = append(fs, problem(path, "set option 150 to "+servers+" ("+fix+")",
				"option 150 is %s, not this TFTP server (%s)", join(o.Opt150), joinAddrs(want)))
		}
	}
	for _, v := range o.Opt66 {
		if !containsAddr(want, v) {
			fs = append(fs, problem(path, "set option 66 (tftp-server-name) to \""+servers+"\" ("+fix+")", "option 66 is %q, not this TFTP server", v))
		}
	}
	return fs
}

// CheckDHCPPhoneHosts reports each phone of macs (the inventory's) whose
// own host entry in a dhcpd.conf says "deny booting" or "ignore booting"
// (in it or a group around it): dhcpd never answers that phone
// (dhcpconf.Inspection.RefusedPhones, the rule setup-dhcp --merge
// --reservations refuses a run by). Nothing for Kea, dnsmasq or a file
// that cannot be read (CheckDHCPConfig says so).
func CheckDHCPPhoneHosts(path string, macs []string) []Finding {
	o, err := ReadDHCPConfig(path)
	if err != nil || o.Format != "isc" || o.ISC == nil {
		return nil
	}
	var fs []Finding
	for _, r := range o.ISC.RefusedPhones(macs) {
		fs = append(fs, problem(path, "remove that statement (or the host entry), then restart dhcpd", "%s: dhcpd never answers that phone, which gets no address", r))
	}
	return fs
}

// checkISC judges each option 150 and 66 statement of a dhcpd.conf where
// it stands: a subnet, pool, class or host that sets another server
// overrides a right global one for its clients.
func checkISC(path string, in *dhcpconf.Inspection, want []netip.Addr) []Finding {
	all := append(append([]dhcpconf.Setting(nil), in.Settings...), in.Block...)
	// A list that names this host makes its other servers (backups) good too.
	accepted := append([]netip.Addr(nil), want...)
	servers := first(want)
	for _, st := range all {
		if st.Option == 150 && st.Global() && st.AnyOf(want) {
			servers = strings.ReplaceAll(st.Value(), " ", "")
			for _, v := range st.Values {
				if a, err := netip.ParseAddr(v); err == nil {
					accepted = append(accepted, a)
				}
			}
		}
	}
	var bad []dhcpconf.Setting
	var notes []Finding
	has150 := false
	for _, st := range all {
		has150 = has150 || st.Option == 150
		if st.AnyOf(accepted) {
			continue
		}
		if why := in.NoPhone(st); why != "" {
			notes = append(notes, note(path, "%s: option %d is %s in %s, which no Cisco 79x0 phone receives: %s (setup-dhcp leaves it alone)", st.Where(), st.Option, st.Value(), st.Scope, why))
			continue
		}
		// The phones' own class sets this host: dhcpd applies it after
		// the global, subnet and pool scopes (dhcpconf).
		if why := in.OverriddenForPhones(st, func(o dhcpconf.Setting) bool { return o.AnyOf(want) }); why != "" {
			notes = append(notes, note(path, "%s: option %d is %s in %s, which no Cisco 79x0 phone receives: %s (setup-dhcp leaves it alone)", st.Where(), st.Option, st.Value(), st.Scope, why))
			continue
		}
		if st.Option == 66 && (st.Kind == "class" || st.Kind == "subclass" || st.Kind == "host") {
			notes = append(notes, note(path, "%s: option 66 is %s in %s, for the clients it selects (setup-dhcp leaves it alone)", st.Where(), st.Value(), st.Scope))
			continue
		}
		bad = append(bad, st)
	}
	fix := "setup-dhcp --merge --tftp-server " + servers + " --out " + path
	if len(bad) > 0 {
		fix = "setup-dhcp --merge --take-over --tftp-server " + servers + " --out " + path
	}
	var fs []Finding
	switch {
	case !has150 && len(all) == 0:
		fs = append(fs, problem(path, fix, "neither option 150 nor option 66: phones show \"Protocol Application Invalid\""))
	case !has150 && len(in.Names) == 0:
		fs = append(fs, problem(path, fix, "declares no option with code 150 (dhcpd has no name for it): phones get no TFTP server from it"))
	case !has150:
		fs = append(fs, problem(path, fix, "option 150 (%s) is declared but never set: phones get no TFTP server from it", in.Names[len(in.Names)-1]))
	}
	for _, st := range bad {
		where := ""
		if !st.Global() || st.File != path {
			where = fmt.Sprintf(", in %s at %s", st.Scope, st.Where())
		}
		if st.Bytes != "" {
			// Declared string, set as hex bytes: Values are the
			// addresses they spell (dhcpconf).
			where += " (written " + st.Bytes + ")"
		}
		if st.Option == 150 {
			fs = append(fs, problem(path, "set option 150 to "+servers+" (commenting out "+st.Where()+"): "+fix,
				"option 150 is %s, not this TFTP server (%s)%s", st.Value(), joinAddrs(want), where))
		} else {
			fs = append(fs, problem(path, "set option 66 (tftp-server-name) to \""+strings.SplitN(servers, ",", 2)[0]+"\" (commenting out "+st.Where()+"): "+fix,
				"option 66 is %q, not this TFTP server%s", st.Value(), where))
		}
	}
	// Where a phone without a host entry gets no lease, by the rule
	// setup-dhcp --merge warns by (a note where the file's own hosts
	// may be the phones).
	noLease, maybe := in.PhonesGetNoLease()
	for _, w := range noLease {
		fs = append(fs, problem(path, "give the phones a lease there (see the message), then restart dhcpd", "%s", strings.Replace(w, ": warning: ", ": ", 1)))
	}
	for _, w := range maybe {
		notes = append(notes, note(path, "%s", strings.Replace(w, ": warning: ", ": ", 1)))
	}
	for _, r := range in.RefusesPhones() {
		fs = append(fs, problem(path, "remove that statement, or narrow the class's match so that it leaves the phones out; then restart dhcpd", "%s", r))
	}
	if in.LDAP != "" {
		// dhcpd built with LDAP (Debian's isc-dhcp-server-ldap, UCS)
		// takes subnets, pools, hosts and their options from the
		// directory (dhcpd.conf(5) "LDAP SUPPORT"); one there setting
		// option 150 or 66 overrides this file's for its clients.
		fs = append(fs, unchecked(path, "check option 150 and 66 in the directory's DHCP subnets, pools and hosts (UCS: their DHCP policies)",
			"%s: ldap-server: dhcpd reads its subnets and hosts from LDAP, whose option 150 and 66 were not checked", in.LDAP))
	}
	for _, p := range in.Failover {
		addr := p.Address
		if addr == "" {
			addr = "its peer address not given"
		}
		// dhcpd.conf(5) "DHCP FAILOVER": each server of a pair answers
		// part of the clients (split/hba) from its own file.
		notes = append(notes, note(path, "%s:%d: failover peer %q (%s) answers part of the phones from its own dhcpd.conf, which doctor cannot check from here: it needs the same option 150 (%s); run setup-cisco doctor there too",
			p.File, p.Line, p.Name, addr, servers))
	}
	return append(fs, notes...)
}

// checkKea judges each option 150 and 66 entry of a Kea file where it
// stands: Kea gives a client the option-data of its reservation, pool,
// subnet, shared network and classes before Dhcp4's own (Kea ARM,
// "DHCPv4 option precedence"), so an entry there naming another server
// overrides a right global one for its clients; a class's only when 79x0
// phones can be its members (dhcpconf.KeaClassHoldsPhones, the rule
// setup-dhcp --merge applies).
//
// An entry of a scope only members of client classes may use (a
// subnet4's "client-class") is judged like a class's: left alone when no
// 79x0 can be a member (Juniper's ZTP subnet).
func checkKea(path string, o DHCPOptions, want []netip.Addr, fix string) []Finding {
	settings := o.Kea
	// A global list that names this host makes its other servers
	// (backups) good too.
	accepted := append([]netip.Addr(nil), want...)
	for _, st := range settings {
		if st.Option == 150 && st.Global() && slices.ContainsFunc(st.Values, func(v string) bool { return containsAddr(want, v) }) {
			for _, v := range st.Values {
				if a, err := netip.ParseAddr(v); err == nil {
					accepted = append(accepted, a)
				}
			}
		}
	}
	var fs, notes []Finding
	for _, st := range settings {
		if slices.ContainsFunc(st.Values, func(v string) bool { return containsAddr(accepted, strings.Trim(v, `"`)) }) {
			continue
		}
		where := ""
		if !st.Global() {
			where = " in " + st.Where
		}
		switch {
		case st.Option == 150 && st.PhonesGet != "":
			notes = append(notes, note(path, "Dhcp4 sets option 150 to %s, which no Cisco 79x0 phone gets: %s, whose member every 79x0 is, sets its own and comes first (setup-dhcp leaves it alone)", st.Shown(), st.PhonesGet))
		case st.Class != "" && st.Phones == dhcpconf.No:
			notes = append(notes, note(path, "%s sets option %d to %s for its members, which are no Cisco 79x0 phones (setup-dhcp leaves it alone)", st.Where, st.Option, st.Shown()))
		case st.Gate != "" && st.Phones == dhcpconf.No:
			notes = append(notes, note(path, "%s sets option %d to %s where only client-class %s may get an address, and no Cisco 79x0 phone is a member (setup-dhcp leaves it alone)", st.Where, st.Option, st.Shown(), st.Gate))
		case st.Option == 66 && (st.Class != "" || strings.HasPrefix(st.Where, "reservation")):
			notes = append(notes, note(path, "%s sets option 66 to %q, for the clients it selects; phones use option 150 first", st.Where, st.Data))
		case st.Option == 66:
			fs = append(fs, problem(path, "set option 66 (tftp-server-name) to \""+first(want)+"\""+editFirst(st)+" ("+fix+")", "option 66 is %q, not this TFTP server%s", st.Data, where))
		default:
			why := ""
			if st.Class != "" {
				why = ": a Cisco 79x0's option 60 makes it a member"
				if st.Phones == dhcpconf.Unknown {
					why = ": its members may be Cisco phones (its test does not tell)"
				}
			}
			if st.Hex {
				where += " (written " + st.Data + ")"
			}
			fs = append(fs, problem(path, "set option 150 to "+first(want)+editFirst(st)+" ("+fix+")",
				"option 150 is %s, not this TFTP server (%s)%s%s", join(st.Values), joinAddrs(want), where, why))
		}
	}
	return append(fs, notes...)
}

// editFirst: what the admin edits by hand before setup-dhcp can help (it
// edits Dhcp4's own option-data only).
func editFirst(st dhcpconf.KeaSetting) string {
	if st.Global() {
		return ""
	}
	return ", changing or removing the entry in " + st.Where + " by hand"
}

func containsAddr(as []netip.Addr, s string) bool {
	a, err := netip.ParseAddr(strings.Trim(s, `"`))
	return err == nil && slices.Contains(as, a)
}

func first(as []netip.Addr) string {
	if len(as) == 0 {
		return "ADDRESS"
	}
	return as[0].String()
}

func joinAddrs(as []netip.Addr) string {
	var s []string
	for _, a := range as {
		s = append(s, a.String())
	}
	return join(s)
}

// DHCPServers are the command names of DHCP servers. pihole-FTL is
// Pi-hole's dnsmasq (FTLDNS), a DHCP server when it serves
// UDP port 67 (Pi-hole's DHCP switched on).
var DHCPServers = []string{"dhcpd", "kea-dhcp4", "dnsmasq", "pihole-FTL"}

// LibvirtDnsmasqDir holds the files of the dnsmasq libvirt starts for
// each of its virtual networks (--conf-file=/var/lib/libvirt/dnsmasq/
// NETWORK.conf): DHCP for the virtual machines on that network's bridge
// (virbr0), never for the LAN.
const LibvirtDnsmasqDir = "/var/lib/libvirt/dnsmasq/"

// servesDHCP: dhcpd and kea-dhcp4 are DHCP servers; a dnsmasq (or
// pihole-FTL) only with UDP port 67 open. A DNS-only dnsmasq, such as
// NetworkManager's local cache (dns=dnsmasq: --conf-file=/dev/null, no
// dhcp-range), has port 53 alone. A dnsmasq whose sockets could not be
// read (doctor not root) counts, as it cannot be told apart; pihole-FTL
// always runs, DHCP or not, so it counts only with port 67 seen.
//
// None of them is the phones' DHCP server when it can give a 79x0 no
// address: dhcpd -6 (the DHCPv6 server Debian's isc-dhcp-server starts
// from INTERFACESv6, UDP 547; the phones speak DHCPv4 only) and a
// dnsmasq whose every dhcp-range is proxy (dnsmasq(8) --dhcp-range
// "proxy": it answers PXE clients only, with no address) or IPv6.
func servesDHCP(p Proc) bool {
	switch p.Comm {
	case "dhcpd":
		if slices.Contains(p.Args, "-6") || len(p.UDPPort) > 0 && !slices.Contains(p.UDPPort, 67) && slices.Contains(p.UDPPort, 547) {
			return false
		}
	case "dnsmasq":
		if len(p.UDPPort) == 0 && procConf(p) == "/dev/null" {
			// Sockets unknown, but it reads no file: DHCP only with a
			// range on its command line (NetworkManager's shared
			// connections pass --dhcp-range; its DNS cache does not).
			return slices.ContainsFunc(p.Args, func(a string) bool {
				return strings.HasPrefix(a, "--dhcp-range") || strings.HasPrefix(a, "-F")
			}) && !dnsmasqNoAddresses(p)
		}
		return (len(p.UDPPort) == 0 || slices.Contains(p.UDPPort, 67)) && !dnsmasqNoAddresses(p)
	case "pihole-FTL":
		return slices.Contains(p.UDPPort, 67) && !dnsmasqNoAddresses(p)
	}
	return true
}

// dnsmasqNoAddresses: every dhcp-range a dnsmasq started as p reads (its
// command line, its file and the files that pulls in) is proxy-DHCP or
// IPv6, so it leases no IPv4 address to anyone. False when no range is
// found (a file doctor cannot read: it may hold one).
func dnsmasqNoAddresses(p Proc) bool {
	var ranges []string
	for i := 0; i < len(p.Args); i++ {
		a := p.Args[i]
		switch {
		case strings.HasPrefix(a, "--dhcp-range="):
			ranges = append(ranges, strings.TrimPrefix(a, "--dhcp-range="))
		case (a == "--dhcp-range" || a == "-F") && i+1 < len(p.Args):
			ranges = append(ranges, p.Args[i+1])
			i++
		case strings.HasPrefix(a, "-F"):
			ranges = append(ranges, a[2:])
		}
	}
	conf := defaultConf(p)
	if conf != "/dev/null" {
		for _, f := range confFiles(p, conf) {
			b, err := dhcpconf.ReadExisting(f)
			if err != nil {
				continue
			}
			for _, l := range strings.Split(string(b), "\n") {
				l = strings.TrimSpace(l)
				if v, ok := strings.CutPrefix(l, "dhcp-range="); ok {
					ranges = append(ranges, v)
				}
			}
		}
	}
	if len(ranges) == 0 {
		return false
	}
	for _, r := range ranges {
		if !dnsmasqRangeNoLease(r) {
			return false
		}
	}
	return true
}

// dnsmasqRangeNoLease: a dhcp-range value that leases no IPv4 address:
// mode "proxy", or an IPv6 range (an address with ':' or constructor:).
func dnsmasqRangeNoLease(v string) bool {
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "proxy" || strings.HasPrefix(f, "constructor:") {
			return true
		}
		if a, err := netip.ParseAddr(f); err == nil {
			if a.Is6() {
				return true
			}
		}
	}
	return false
}

// defaultConf is the file a DHCP server started as p reads: procConf, or
// the one it reads when its command line names none (dhcpd(8),
// kea-dhcp4(8) as Debian builds it, dnsmasq(8)).
func defaultConf(p Proc) string {
	if cf := procConf(p); cf != "" {
		return cf
	}
	return map[string]string{"dhcpd": "/etc/dhcp/dhcpd.conf", "kea-dhcp4": "/etc/kea/kea-dhcp4.conf", "dnsmasq": "/etc/dnsmasq.conf"}[p.Comm]
}

// procConf is the file a DHCP server was started with ("" when its
// command line does not say): dhcpd -cf, kea-dhcp4 -c, dnsmasq
// -C/--conf-file (dnsmasq's -c is its cache size); pihole-FTL's own file.
func procConf(p Proc) string {
	switch p.Comm {
	case "dhcpd":
		return argAfter(p.Args, "-cf")
	case "kea-dhcp4":
		return argAfter(p.Args, "-c")
	case "dnsmasq":
		return argAfter(p.Args, "-C", "--conf-file")
	case "pihole-FTL":
		return dhcpconf.PiholeDnsmasqConf // FTL's own, whatever its arguments
	}
	return ""
}

// restartFix is the command that makes a running server reread its files.
func restartFix(p Proc) string {
	unit := map[string]string{"dhcpd": "isc-dhcp-server", "kea-dhcp4": "kea-dhcp4-server", "dnsmasq": "dnsmasq", "pihole-FTL": "pihole-FTL"}[p.Comm]
	return "systemctl restart " + unit
}

// confFiles lists the files a server started as p reads along with
// conf, each read only at start: for dnsmasq those conf's conf-file and
// conf-dir lines and its own -7/--conf-dir arguments pull in (Debian's
// init script passes -7 /etc/dnsmasq.d,...), for dhcpd those conf
// includes. conf comes first; files that cannot be read are left out.
func confFiles(p Proc, conf string) []string {
	files := []string{conf}
	switch p.Comm {
	case "dnsmasq", "pihole-FTL":
		if site, err := dnsmasqSite(p, conf); err == nil {
			files = append(files, site.Files...)
		}
	case "dhcpd":
		if b, err := dhcpconf.ReadExisting(conf); err == nil {
			if in, err := dhcpconf.Inspect(conf, b, os.ReadFile); err == nil {
				files = append(files, in.Config.Order...)
			}
		}
	}
	seen := map[string]bool{}
	return slices.DeleteFunc(files, func(f string) bool {
		f = filepath.Clean(f)
		dup := seen[f]
		seen[f] = true
		return dup
	})
}

// stockISC: a dhcpd.conf that declares no subnet (nor LDAP) and sets no
// option 150 or 66, as the distributions ship it (CentOS 7's five
// comment lines, Debian's sample with its subnets commented out): dhcpd
// serves nobody from it (it does not start), so it is no more the
// phones' DHCP server than a missing file.
func stockISC(in *dhcpconf.Inspection) bool {
	return !in.DeclaresSubnet() && len(in.Settings) == 0 && len(in.Block) == 0 && len(in.Names) == 0
}

// dnsmasqSite reads the configuration a dnsmasq started as p reads from
// conf, as dnsmasq does: conf, the files its conf-file and conf-dir lines
// pull in, and the directories of its own -7/--conf-dir arguments (with
// their filters: Debian's init script and systemd helper pass
// "-7 /etc/dnsmasq.d,.dpkg-dist,.dpkg-old,.dpkg-new").
func dnsmasqSite(p Proc, conf string) (dhcpconf.DnsmasqSite, error) {
	var dirs []string
	for i := 0; i < len(p.Args); i++ {
		switch a := p.Args[i]; {
		case (a == "-7" || a == "--conf-dir") && i+1 < len(p.Args):
			dirs = append(dirs, p.Args[i+1])
			i++
		case strings.HasPrefix(a, "--conf-dir="):
			dirs = append(dirs, strings.TrimPrefix(a, "--conf-dir="))
		case strings.HasPrefix(a, "-7") && len(a) > 2:
			dirs = append(dirs, a[2:])
		}
	}
	if len(dirs) == 0 && filepath.Clean(conf) == "/etc/dnsmasq.conf" {
		dirs = []string{DebianDnsmasqDir}
	}
	return dhcpconf.InspectDnsmasq(conf, dirs, "")
}

// serverTFTP says whether the server started as p, reading cf, sets
// option 150 or 66 (sets), and whether it leases an address to a client
// it knows nothing of, as a phone without a dhcp-host line is (leases):
// a dnsmasq whose every range is static or proxy, or that ignores
// unknown clients, offers such a phone nothing (dnsmasq(8) --dhcp-range,
// --dhcp-ignore; judged as setup-dhcp judges it,
// dhcpconf.DnsmasqSite.LeasesToAnyone). A range on dnsmasq's command
// line counts too.
func serverTFTP(p Proc, cf string) (sets, leases bool, err error) {
	if p.Comm != "dnsmasq" && p.Comm != "pihole-FTL" {
		o, err := ReadDHCPConfig(cf)
		return len(o.Opt150) > 0 || len(o.Opt66) > 0, true, err
	}
	site, err := dnsmasqSite(p, cf)
	if err != nil {
		return false, true, err
	}
	for _, st := range site.Options {
		sets = sets || len(st.Values) > 0
	}
	leases = site.LeasesToAnyone()
	for i, a := range p.Args {
		v, ok := strings.CutPrefix(a, "--dhcp-range=")
		if !ok && (a == "--dhcp-range" || a == "-F") && i+1 < len(p.Args) {
			v, ok = p.Args[i+1], true
		} else if !ok && strings.HasPrefix(a, "-F") && len(a) > 2 {
			v, ok = a[2:], true
		}
		if ok && dhcpconf.DnsmasqRangeMode(v) == "" && !dnsmasqRangeNoLease(v) {
			leases = len(site.Ignores) == 0
		}
	}
	return sets, leases, nil
}

// CheckDHCPServer checks that a DHCP server runs, that it reads conf,
// and that neither conf nor a file it pulls in (an include, a conf-dir
// drop-in) has changed since it started: each server reads its files at
// start only. Two servers handing out addresses, one of whose files
// sets neither option 150 nor 66, is a problem: a phone takes whichever
// offer comes first (RFC 2131 4.4.1). With no server running and no conf
// at all, the phones' DHCP is another host's (the router's): a note, as
// starting a local server would put a second one on their LAN.
func CheckDHCPServer(procs []Proc, conf string) []Finding {
	var fs []Finding
	var serving []Proc
	for _, p := range Named(procs, DHCPServers...) {
		if !servesDHCP(p) {
			continue
		}
		cf := procConf(p)
		if p.Comm == "dnsmasq" && strings.HasPrefix(cf, LibvirtDnsmasqDir) {
			fs = append(fs, note(p.Comm, "pid %d reads %s: libvirt's DHCP for its virtual machines, not the phones' DHCP server", p.PID, cf))
			continue
		}
		serving = append(serving, p)
	}
	for _, p := range serving {
		cf := procConf(p)
		if cf == "" && p.Comm == "dnsmasq" {
			// dnsmasq without -C reads /etc/dnsmasq.conf (dnsmasq(8)
			// --conf-file), as Debian's init script starts it; a dnsmasq
			// file given with --dhcpd-conf is taken as the one it reads.
			if o, err := ReadDHCPConfig(conf); err != nil || o.Format != "dnsmasq" {
				cf = defaultConf(p)
			}
		}
		if cf != "" && conf != "" && filepath.Clean(cf) != filepath.Clean(conf) {
			if len(serving) > 1 {
				if why := dnsmasqShutsPhones(p, cf); why != "" {
					fs = append(fs, note(p.Comm, "pid %d (%s) offers no 79x0 phone an address (%s), so %s stays the phones' DHCP server", p.PID, cf, why, others(serving, p)))
					continue
				}
				sets, leases, err := serverTFTP(p, cf)
				if err == nil && !sets && !leases {
					fs = append(fs, note(p.Comm, "pid %d (%s) leases addresses only to the hosts it names (its ranges are static or proxy, or it ignores unknown clients): a phone without a dhcp-host line there gets no offer from it, so %s stays the phones' DHCP server",
						p.PID, cf, others(serving, p)))
					continue
				}
				if err == nil && !sets {
					fs = append(fs, problem(p.Comm, "stop one of them, or give "+cf+" option 150 too (setup-cisco doctor --dhcpd-conf "+cf+" tells how)",
						"%s: %s hands out addresses too (pid %d, %s sets neither option 150 nor option 66): a phone that takes its offer instead of the other server's gets no TFTP server (\"Protocol Application Invalid\"), if both serve the phones' LAN",
						others(serving, p), p.Comm, p.PID, cf))
					continue
				}
			}
			fs = append(fs, note(p.Comm, "pid %d reads %s, not %s: check that one (--dhcpd-conf %s)", p.PID, cf, conf, cf))
			continue
		}
		if p.Start.IsZero() || conf == "" {
			continue
		}
		for _, f := range confFiles(p, conf) {
			fi, err := os.Stat(f)
			if err != nil || !fi.ModTime().After(p.Start.Add(time.Second)) {
				continue
			}
			what := "changed"
			if filepath.Clean(f) != filepath.Clean(conf) {
				what = f + ", which it reads, changed"
			}
			fs = append(fs, problem(conf, restartFix(p),
				"%s after %s (pid %d) started: the running server still uses the old settings", what, p.Comm, p.PID))
			break
		}
	}
	if len(serving) == 0 {
		if _, err := os.Stat(conf); conf == "" || errors.Is(err, os.ErrNotExist) {
			return append([]Finding{note("DHCP server", "no dhcpd, kea-dhcp4 or dnsmasq runs on this host and %s does not exist: the phones get their addresses from another DHCP server (the router's), which must give them option 150 (do not start a second DHCP server here)", orNone(conf))}, fs...)
		}
		if o, err := ReadDHCPConfig(conf); err == nil && o.Format == "isc" && stockISC(o.ISC) {
			// A stock dhcpd.conf: dhcpd would not even start on it.
			return append([]Finding{note("DHCP server", "no dhcpd, kea-dhcp4 or dnsmasq runs on this host and %s declares no subnet (the distribution's stock file; dhcpd serves nobody from it): the phones get their addresses from another DHCP server (the router's), which must give them option 150 (do not start a second DHCP server here)", conf)}, fs...)
		}
		fs = append([]Finding{problem("DHCP server", "systemctl start isc-dhcp-server (or kea-dhcp4-server, dnsmasq)", "no dhcpd, kea-dhcp4 or dnsmasq is running: phones get no address")}, fs...)
	}
	return fs
}

// others names the servers of all but p, with pid and file.
func others(all []Proc, p Proc) string {
	var out []string
	for _, q := range all {
		if q.PID != p.PID {
			out = append(out, fmt.Sprintf("%s (pid %d, %s)", q.Comm, q.PID, defaultConf(q)))
		}
	}
	return strings.Join(out, ", ")
}

func orNone(conf string) string {
	if conf == "" {
		return "no DHCP configuration"
	}
	return conf
}

func argAfter(args []string, flags ...string) string {
	for i := 0; i < len(args); i++ {
		if slices.Contains(flags, args[i]) && i+1 < len(args) {
			return args[i+1]
		}
		for _, f := range flags {
			if v, ok := strings.CutPrefix(args[i], f+"="); ok && strings.HasPrefix(f, "--") {
				return v
			}
		}
	}
	return ""
}

// LocalAddrs lists this host's IPv4 addresses, from the kernel's view of
// the current network namespace.
func LocalAddrs(ifaceAddrs []string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ifaceAddrs {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			continue
		}
		if a := p.Addr(); a.Is4() && !a.IsLoopback() {
			out = append(out, a)
		}
	}
	return out
}

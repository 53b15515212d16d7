package doctor

import (
	"net/netip"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/dhcpconf"
)

// dnsmasqGood says whether a dnsmasq option 150 or 66 line names one of
// want, reading option 150's 0.0.0.0 as this host (dnsmasq(8)
// --dhcp-option: "the address of the machine running dnsmasq"), which is
// the TFTP server doctor checks: want holds this host's addresses, or
// --tftp-server's.
func dnsmasqGood(st dhcpconf.Setting, want []netip.Addr) bool {
	if len(want) > 0 {
		st = dhcpconf.DnsmasqThisHost(st, want[0])
	}
	return st.AnyOf(want)
}

// dnsmasqShutsPhones says why a dnsmasq (or pihole-FTL) started as p,
// reading cf, gives no 79x0 an address, "" when it may: a dhcp-ignore
// every phone matches, or ranges whose tags shut every phone out (the
// rules setup-dhcp applies, dhcpconf.DnsmasqSite.PhonesIgnoredBy and
// PhoneRanges). A range on its command line may serve the phones.
func dnsmasqShutsPhones(p Proc, cf string) string {
	if p.Comm != "dnsmasq" && p.Comm != "pihole-FTL" {
		return ""
	}
	site, err := dnsmasqSite(p, cf)
	if err != nil {
		return ""
	}
	if why := site.PhonesIgnoredBy(nil); why != "" {
		return why
	}
	for _, a := range p.Args {
		if strings.HasPrefix(a, "--dhcp-range") || strings.HasPrefix(a, "-F") {
			return ""
		}
	}
	return dnsmasqRangesShut(site)
}

// dnsmasqRangesShut says why no range of site serves a 79x0: it has
// ranges, and the tags of each shut every phone out ("" otherwise).
func dnsmasqRangesShut(site dhcpconf.DnsmasqSite) string {
	dynamic, static, closed := site.PhoneRanges(nil)
	if closed != "" && len(dynamic) == 0 && len(static) == 0 {
		return closed + ", and dnsmasq has no other range"
	}
	return ""
}

// dnsmasqBlockFindings: a dnsmasq file given as the phones' DHCP
// configuration that ignores every 79x0, or whose every range shuts them
// out, gives them no address and no option 150 (setup-dhcp refuses a
// drop-in there for the same reason). One that serves only clients with
// a dhcp-host line (dhcp-ignore=tag:!known, a static range only) is
// judged as setup-dhcp warns about it (DnsmasqSite.KnownOnly): a problem
// with no dhcp-host line to serve, a note where its own may be the
// phones'.
func dnsmasqBlockFindings(path string, site dhcpconf.DnsmasqSite) []Finding {
	var fs []Finding
	why := site.PhonesIgnoredBy(nil)
	if why == "" {
		why = dnsmasqRangesShut(site)
	}
	if why != "" {
		fs = append(fs, problem(path, "change that line, or give --dhcpd-conf the file of the DHCP server that gives the phones their addresses (and option 150 there)",
			"%s: the phones get no address and no option 150 from this dnsmasq", why))
	}
	warnings, notes := site.KnownOnly(nil, false)
	for _, w := range warnings {
		fs = append(fs, problem(path, "give the phones dhcp-host lines (see the message), or change that line", "%s", w))
	}
	for _, n := range notes {
		fs = append(fs, note(path, "%s", n))
	}
	return fs
}

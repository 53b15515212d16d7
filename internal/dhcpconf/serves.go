package dhcpconf

// DeclaresSubnet says whether the dhcpd.conf declares an IPv4 subnet
// ("subnet NET netmask MASK { ... }"), at any depth (inside a
// shared-network too) and in any included file; an include that could
// not be read counts as one, since it may hold one. dhcpd -4 serves
// nobody from a file without one: it exits with "No subnet declaration
// for IFACE" and "Not configured to listen on any interfaces!"
// (dhcpd.conf(5) "THE SUBNET STATEMENT"; checked with dhcpd 4.4.3 on the
// stock files of CentOS 7 and Debian's isc-dhcp-server). An LDAP-built
// dhcpd takes its subnets from the directory (Inspection.LDAP).
func (in *Inspection) DeclaresSubnet() bool {
	if in.LDAP != "" || len(in.Config.Notes) > 0 {
		return true
	}
	for _, s := range in.Config.Stmts {
		if s.Block && s.Word(0) == "subnet" {
			return true
		}
	}
	return false
}

// DnsmasqRangeMode is the mode word of a dnsmasq dhcp-range value,
// "static" (known hosts only) or "proxy" (PXE only), "" for a range that
// leases addresses to any client (dnsmasq(8) --dhcp-range); the rule
// InspectDnsmasq sorts a file's ranges by, for a range given on
// dnsmasq's command line.
func DnsmasqRangeMode(v string) string { return rangeMode(v) }

// LeasesToAnyone says whether the dnsmasq configuration leases an IPv4
// address to a client it knows nothing of (a Cisco phone without a
// dhcp-host line): a dynamic dhcp-range, not only static or proxy ones,
// and no dhcp-ignore=tag:!known. A site with no range at all counts as
// leasing (its ranges may come from dnsmasq's command line).
func (s DnsmasqSite) LeasesToAnyone() bool {
	if len(s.Ignores) > 0 {
		return false
	}
	return len(s.Ranges) > 0 || len(s.StaticRanges) == 0 && len(s.ProxyRanges) == 0
}

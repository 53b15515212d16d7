package dhcpconf

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/isc"
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
	set     bool // add "option NAME SERVER[, SERVER]...;"
	servers []netip.Addr
	set66   bool // add "option tftp-server-name "SERVER";" (the first server)
	hosts   []Reservation
	kept    []string // reservation lines of a previous block, verbatim
	// record: the name is declared as a record of addresses, whose
	// values dhcpd reads separated by spaces, not commas.
	record bool
}

func (m managed) lines() []string {
	if !m.declare && !m.set && !m.set66 && len(m.hosts) == 0 && len(m.kept) == 0 {
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
		sep := ", "
		if m.record {
			sep = " "
		}
		l = append(l, fmt.Sprintf("option %s %s;", m.name, joinAddrs(m.servers, sep)))
	}
	if m.set66 {
		l = append(l, fmt.Sprintf("option %s \"%s\";", Option66Name, m.servers[0]))
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
	m := managed{declare: true, name: DefaultOptionName, set: true, servers: n.TFTPServers(), hosts: res}
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
	fmt.Fprintf(&b, "  option %s \"%s\";\n", Option66Name, n.TFTPServer)
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
	in, err := Inspect("", src, nil)
	if err != nil || in.Begin == 0 {
		return nil
	}
	block := isc.SplitLines(string(src))[in.Begin-1 : in.End-1] // BEGIN up to, not including, END
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

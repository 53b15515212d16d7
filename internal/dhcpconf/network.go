// Package dhcpconf writes DHCP server configurations that give Cisco
// 7940/7960 phones their TFTP server (option 150, and option 66): it
// generates ISC dhcpd, Kea and dnsmasq files, merges a marked block into a
// hand-written dhcpd.conf, checks candidates with the server's own parser and
// installs them atomically.
package dhcpconf

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
)

// Network is what a generated configuration hands out.
type Network struct {
	TFTPServer   netip.Addr   // the primary TFTP server
	TFTPBackups  []netip.Addr // further servers for option 150, in order (RFC 5859 allows a list)
	Subnet       netip.Prefix
	Router       netip.Addr // zero: no router option
	RangeFirst   netip.Addr
	RangeLast    netip.Addr
	DNS          []netip.Addr
	NTP          []netip.Addr
	Domain       string
	Interface    string // Kea and dnsmasq only; empty means all
	DefaultLease int    // seconds
	MaxLease     int    // seconds
}

// TFTPServers is the option 150 list: TFTPServer, then TFTPBackups.
func (n Network) TFTPServers() []netip.Addr {
	return append([]netip.Addr{n.TFTPServer}, n.TFTPBackups...)
}

// Reservation is one phone that gets a host entry.
type Reservation struct {
	Name string           // free text, e.g. "201 Reception"; used in a comment
	MAC  net.HardwareAddr // 6 bytes
	IP   netip.Addr       // zero: no fixed address
}

// HostName is the name a reservation gets in the server configuration:
// Cisco's own device name, which is unique per MAC and a valid identifier
// for dhcpd, Kea and dnsmasq alike.
func (r Reservation) HostName() string {
	return "SEP" + strings.ToUpper(hex.EncodeToString(r.MAC))
}

// FieldError is an invalid input; Field names it as the command-line flag
// does, without dashes.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// ParseMAC accepts 001122AABBCC as well as the colon, dash and dot forms.
func ParseMAC(s string) (net.HardwareAddr, error) {
	t := strings.TrimSpace(s)
	if len(t) == 12 {
		b, err := hex.DecodeString(t)
		if err == nil {
			return net.HardwareAddr(b), nil
		}
	}
	hw, err := net.ParseMAC(t)
	if err != nil || len(hw) != 6 {
		return nil, fmt.Errorf("%q is not an Ethernet MAC address", s)
	}
	return hw, nil
}

// ParseRange parses FIRST-LAST.
func ParseRange(s string) (first, last netip.Addr, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return first, last, fmt.Errorf("%q is not FIRST-LAST", s)
	}
	if first, err = ParseIPv4(strings.TrimSpace(a)); err != nil {
		return first, last, err
	}
	if last, err = ParseIPv4(strings.TrimSpace(b)); err != nil {
		return first, last, err
	}
	return first, last, nil
}

// ParseIPv4 parses a dotted-quad IPv4 address.
func ParseIPv4(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Addr{}, fmt.Errorf("%q is not an IPv4 address", s)
	}
	return a, nil
}

// ParseIPv4List parses IP[,IP...].
func ParseIPv4List(s string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, f := range strings.Split(s, ",") {
		a, err := ParseIPv4(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// ParseSubnet parses an IPv4 CIDR; host bits are allowed and masked off, so
// the host's own 192.168.0.130/24 is accepted.
func ParseSubnet(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 CIDR such as 192.168.0.0/24", s)
	}
	return p.Masked(), nil
}

// usable reports the first and last host addresses of an IPv4 prefix.
func usable(p netip.Prefix) (first, last netip.Addr, ok bool) {
	if p.Bits() > 30 {
		return first, last, false
	}
	first = p.Masked().Addr().Next()
	last = broadcast(p).Prev()
	return first, last, true
}

func broadcast(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// Netmask returns the dotted-quad mask of an IPv4 prefix.
func Netmask(p netip.Prefix) string {
	m := net.CIDRMask(p.Bits(), 32)
	return net.IP(m).String()
}

func isHost(p netip.Prefix, a netip.Addr) bool {
	first, last, ok := usable(p)
	return ok && a.Compare(first) >= 0 && a.Compare(last) <= 0
}

// ProposeRange picks a dynamic range in the upper half of the subnet, below
// its last sixteenth (where routers and servers often sit), as the longest
// run of addresses that avoids every address in exclude.
func ProposeRange(p netip.Prefix, exclude ...netip.Addr) (first, last netip.Addr, err error) {
	lo, hi, ok := usable(p)
	if !ok {
		return first, last, fmt.Errorf("subnet %s is too small to propose a range", p)
	}
	size := u32(hi) - u32(lo) + 1
	start, end := u32(lo)+size/2, u32(hi)-size/16
	if size < 16 {
		start, end = u32(lo), u32(hi)
	}
	var ex []uint32
	for _, a := range exclude {
		if a.IsValid() && a.Is4() && u32(a) >= start && u32(a) <= end {
			ex = append(ex, u32(a))
		}
	}
	slices.Sort(ex)
	var bestLo, bestHi uint32
	found := false
	cur := start
	consider := func(a, b uint32) {
		if a > b {
			return
		}
		if !found || b-a > bestHi-bestLo {
			bestLo, bestHi, found = a, b, true
		}
	}
	for _, x := range ex {
		if x > cur {
			consider(cur, x-1)
		}
		cur = x + 1
	}
	consider(cur, end)
	if !found {
		return first, last, fmt.Errorf("no free addresses left in %s to propose a range", p)
	}
	return addr32(bestLo), addr32(bestHi), nil
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func addr32(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func inRange(a, first, last netip.Addr) bool {
	return a.Compare(first) >= 0 && a.Compare(last) <= 0
}

// Validate checks a generated network for the mistakes that would leave
// phones without a working lease; errors are *FieldError.
func (n Network) Validate() error {
	if err := reachable(n.TFTPServer); err != nil {
		return &FieldError{Field: "tftp-server", Err: err}
	}
	if !n.Subnet.IsValid() || !n.Subnet.Addr().Is4() {
		return fieldErr("subnet", "missing or not IPv4")
	}
	if _, _, ok := usable(n.Subnet); !ok {
		return fieldErr("subnet", "%s has no room for a range (at most /30)", n.Subnet)
	}
	if n.Router.IsValid() && !isHost(n.Subnet, n.Router) {
		return fieldErr("router", "%s is not a host address in subnet %s", n.Router, n.Subnet)
	}
	if !n.RangeFirst.Is4() || !n.RangeLast.Is4() {
		return fieldErr("range", "missing")
	}
	if n.RangeFirst.Compare(n.RangeLast) > 0 {
		return fieldErr("range", "first address %s is after last address %s", n.RangeFirst, n.RangeLast)
	}
	for _, a := range []netip.Addr{n.RangeFirst, n.RangeLast} {
		if !isHost(n.Subnet, a) {
			return fieldErr("range", "%s is not a host address in subnet %s", a, n.Subnet)
		}
	}
	if n.Router.IsValid() && inRange(n.Router, n.RangeFirst, n.RangeLast) {
		return fieldErr("range", "%s-%s contains the router %s", n.RangeFirst, n.RangeLast, n.Router)
	}
	if err := CheckServers(n.TFTPServers()); err != nil {
		return &FieldError{Field: "tftp-server", Err: err}
	}
	for _, a := range n.TFTPServers() {
		if inRange(a, n.RangeFirst, n.RangeLast) {
			return fieldErr("range", "%s-%s contains the TFTP server %s", n.RangeFirst, n.RangeLast, a)
		}
	}
	for _, a := range n.DNS {
		if err := reachable(a); err != nil {
			return &FieldError{Field: "dns", Err: err}
		}
	}
	for _, a := range n.NTP {
		if err := reachable(a); err != nil {
			return &FieldError{Field: "ntp", Err: err}
		}
	}
	if err := checkDomain(n.Domain); err != nil {
		return &FieldError{Field: "domain", Err: err}
	}
	if strings.ContainsFunc(n.Interface, func(r rune) bool { return r <= ' ' || r == '"' || r == ',' || r == 0x7f }) {
		return fieldErr("interface", "%q is not an interface name", n.Interface)
	}
	if n.DefaultLease <= 0 {
		return fieldErr("default-lease-time", "must be positive, not %d", n.DefaultLease)
	}
	if n.MaxLease < n.DefaultLease {
		return fieldErr("max-lease-time", "%d is shorter than default-lease-time %d", n.MaxLease, n.DefaultLease)
	}
	return nil
}

// CheckServers rejects a TFTP server list with an unusable or repeated
// address.
func CheckServers(as []netip.Addr) error {
	for i, a := range as {
		if err := reachable(a); err != nil {
			return err
		}
		if slices.Contains(as[:i], a) {
			return fmt.Errorf("%s is listed twice", a)
		}
	}
	return nil
}

// reachable rejects an address a phone on the LAN can never reach as its
// server: not IPv4, 0.0.0.0, loopback (127.0.0.1 would send every phone to
// itself: "Protocol Application Invalid" with exit 0 here), multicast and
// the limited broadcast 255.255.255.255.
func reachable(a netip.Addr) error {
	switch {
	case !a.Is4() || a.IsUnspecified():
		return fmt.Errorf("%v is not a usable IPv4 address", a)
	case a.IsLoopback():
		return fmt.Errorf("%v is a loopback address: each phone would look for the server on itself; give this host's LAN address", a)
	case a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return fmt.Errorf("%v is a multicast or broadcast address, not a server", a)
	}
	return nil
}

func checkDomain(d string) error {
	if d == "" {
		return nil
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 {
			return fmt.Errorf("%q is not a domain name", d)
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return fmt.Errorf("%q is not a domain name", d)
			}
		}
	}
	return nil
}

// CheckReservations rejects duplicate MACs and IPs, and, for a generated
// network, fixed addresses outside the subnet or inside the dynamic range.
func CheckReservations(res []Reservation, n *Network) error {
	macs := map[string]string{}
	ips := map[netip.Addr]string{}
	for _, r := range res {
		if len(r.MAC) != 6 {
			return fmt.Errorf("reservation %q: MAC %q is not 6 bytes", r.Name, r.MAC)
		}
		if prev, ok := macs[r.MAC.String()]; ok {
			return fmt.Errorf("reservations %q and %q have the same MAC %s", prev, r.Name, r.MAC)
		}
		macs[r.MAC.String()] = r.Name
		if !r.IP.IsValid() {
			continue
		}
		if !r.IP.Is4() {
			return fmt.Errorf("reservation %q: %s is not IPv4", r.Name, r.IP)
		}
		if prev, ok := ips[r.IP]; ok {
			return fmt.Errorf("reservations %q and %q have the same address %s", prev, r.Name, r.IP)
		}
		ips[r.IP] = r.Name
		if n == nil {
			continue
		}
		if !isHost(n.Subnet, r.IP) {
			return fmt.Errorf("reservation %q: %s is not in subnet %s", r.Name, r.IP, n.Subnet)
		}
		if inRange(r.IP, n.RangeFirst, n.RangeLast) {
			return fmt.Errorf("reservation %q: %s is inside the dynamic range %s-%s", r.Name, r.IP, n.RangeFirst, n.RangeLast)
		}
	}
	return nil
}

// commentText makes free text safe for a one-line # comment.
func commentText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

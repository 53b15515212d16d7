package dhcpconf

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/isc"
)

// iscSubnet is a "subnet NET netmask MASK" block of a dhcpd.conf and the
// routers given in it (or in a scope inside it).
type iscSubnet struct {
	Prefix  netip.Prefix
	File    string
	Line    int
	Routers []netip.Addr
}

// iscSubnets reads the file's IPv4 subnet declarations, at any depth.
func iscSubnets(stmts []isc.Stmt) []iscSubnet {
	var out []iscSubnet
	for i, s := range stmts {
		if !s.Block || s.Word(0) != "subnet" || s.Word(2) != "netmask" {
			continue
		}
		net, err1 := netip.ParseAddr(s.Word(1))
		mask, err2 := netip.ParseAddr(s.Word(3))
		if err1 != nil || err2 != nil || !net.Is4() || !isMask(mask) {
			continue
		}
		sub := iscSubnet{Prefix: netip.PrefixFrom(net, maskBits(mask)).Masked(), File: s.File, Line: s.Line}
		for j := i + 1; j < len(stmts) && stmts[j].Depth > s.Depth; j++ {
			if c := stmts[j]; !c.Block && c.Word(0) == "option" && c.Word(1) == "routers" {
				for _, w := range c.Words[2:] {
					if a, err := netip.ParseAddr(strings.TrimSuffix(w.Text, ",")); err == nil {
						sub.Routers = append(sub.Routers, a)
					}
				}
			}
		}
		out = append(out, sub)
	}
	return out
}

// checkHostAddrs refuses a host entry setup-dhcp would write whose fixed
// address dhcpd cannot give the phone, or must not: one in none of the
// file's subnets (dhcpd hands a fixed-address only to a client on that
// address's subnet, and the phone gets a dynamic lease instead:
// dhcpd.conf(5), "host"; seen with dhcpd 4.4.3), the subnet's network or
// broadcast address, a router of its subnet (option routers) or a TFTP
// server given to the phones. The same rule generate applies
// (CheckReservations), for the subnets the file declares. Subnets from
// LDAP or an include that could not be read are unknown: no subnet check.
func checkHostAddrs(in *Inspection, rs []Reservation, servers []netip.Addr) error {
	subs := iscSubnets(in.Config.Stmts)
	known := in.LDAP == "" && len(in.Config.Notes) == 0 && len(subs) > 0
	for _, r := range rs {
		if !r.IP.IsValid() {
			continue
		}
		mac := strings.ToUpper(strings.ReplaceAll(r.MAC.String(), ":", ""))
		fix := fmt.Sprintf("give phone %s another address (setup-cisco phone set %s --ip ADDRESS), then rerun", r.MAC, mac)
		for _, s := range servers {
			if s == r.IP {
				return fmt.Errorf("--reservations: the fixed address %s of %s (%s) is this TFTP server's (--tftp-server): the phone and the server would fight over it; %s", r.IP, r.HostName(), commentText(r.Name), fix)
			}
		}
		var in4 *iscSubnet
		for i := range subs {
			if subs[i].Prefix.Contains(r.IP) {
				in4 = &subs[i]
				break
			}
		}
		if in4 == nil {
			if !known {
				continue
			}
			var names []string
			for _, s := range subs {
				names = append(names, s.Prefix.String())
			}
			return fmt.Errorf("--reservations: the fixed address %s of %s (%s) is in no subnet of %s (%s): dhcpd gives a fixed-address only on its own subnet, so the phone would get a dynamic lease instead; %s, or add the subnet",
				r.IP, r.HostName(), commentText(r.Name), in.Config.Path, strings.Join(names, ", "), fix)
		}
		if !isHost(in4.Prefix, r.IP) {
			what := "network"
			if r.IP == broadcast(in4.Prefix) {
				what = "broadcast"
			}
			return fmt.Errorf("--reservations: %s:%d: the fixed address %s of %s (%s) is the %s address of subnet %s, which no client can have; %s",
				in4.File, in4.Line, r.IP, r.HostName(), commentText(r.Name), what, in4.Prefix, fix)
		}
		for _, g := range in4.Routers {
			if g == r.IP {
				return fmt.Errorf("--reservations: %s:%d: the fixed address %s of %s (%s) is the router (option routers) of subnet %s: the phone and the gateway would fight over it; %s",
					in4.File, in4.Line, r.IP, r.HostName(), commentText(r.Name), in4.Prefix, fix)
			}
		}
	}
	return nil
}

// hostChildren returns the hardware ethernet and fixed-address statements
// inside the host block at i ("" when absent).
func hostChildren(stmts []isc.Stmt, i int) (hw, fixed isc.Stmt, hasHW, hasFixed bool) {
	for _, k := range isc.Children(stmts, i) {
		c := stmts[k]
		if !c.Block && c.Word(0) == "hardware" && c.Word(1) == "ethernet" && !hasHW {
			hw, hasHW = c, true
		}
		if !c.Block && c.Word(0) == "fixed-address" && !hasFixed {
			fixed, hasFixed = c, true
		}
	}
	return
}

func addrOrNone(a netip.Addr) string {
	if !a.IsValid() {
		return "(none)"
	}
	return a.String()
}

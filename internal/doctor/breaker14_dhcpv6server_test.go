package doctor

import (
	"path/filepath"
	"testing"
	"time"
)

// Breaker round 14: Debian's isc-dhcp-server init script (package
// isc-dhcp-server, debian/isc-dhcp-server.init.d) starts a second dhcpd
// for DHCPv6 as soon as INTERFACESv6 is set in /etc/default/isc-dhcp-server:
//
//	/usr/sbin/dhcpd -6 -q -cf /etc/dhcp/dhcpd6.conf -pf /run/dhcp-server/dhcpd6.pid eth0
//
// Its process name is "dhcpd" like the IPv4 server's, but it serves
// DHCPv6 on UDP 547 and never answers a 7940/7960 (DHCPv4, UDP 67).
// CheckDHCPServer counts every "dhcpd" as a DHCP server whatever its
// sockets (servesDHCP: "dhcpd and kea-dhcp4 are DHCP servers"), so with
// the IPv4 dhcpd stopped (e.g. it refused a configuration at restart)
// doctor never says that no DHCP server runs; instead it notes "pid N
// reads /etc/dhcp/dhcpd6.conf, not dhcpd.conf: check that one
// (--dhcpd-conf /etc/dhcp/dhcpd6.conf)", sending the admin to check the
// DHCPv6 file for option 150.
//
// Right outcome: a dhcpd started with -6 (or seen only on UDP 547) is no
// DHCP server for the phones: "no dhcpd, kea-dhcp4 or dnsmasq is
// running", and no advice to check dhcpd6.conf.
func TestBreaker14DhcpdSixIsNoPhoneDHCPServer(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "dhcpd.conf")
	write(t, conf, "option voip-tftp-servers code 150 = ip-address;\n", 0o644)
	v6conf := filepath.Join(filepath.Dir(conf), "dhcpd6.conf")
	write(t, v6conf, "subnet6 2001:db8:0:1::/64 { range6 2001:db8:0:1::100 2001:db8:0:1::1ff; }\n", 0o644)
	dhcpd6 := Proc{PID: 911, Comm: "dhcpd",
		Args:  []string{"/usr/sbin/dhcpd", "-6", "-q", "-cf", v6conf, "-pf", "/run/dhcp-server/dhcpd6.pid", "eth0"},
		Start: time.Now().Add(-time.Hour), UDPPort: []int{547}}
	fs := CheckDHCPServer([]Proc{dhcpd6}, conf)
	has(t, fs, "no dhcpd, kea-dhcp4 or dnsmasq is running")
	for _, f := range fs {
		if contains(f.String(), "dhcpd6.conf") {
			t.Errorf("doctor sends the admin to the DHCPv6 server's file: %s", f)
		}
	}
}

package doctor

import (
	"path/filepath"
	"testing"
	"time"
)

// Breaker round 14: a dnsmasq in proxy-DHCP mode ("dhcp-range=NET,proxy",
// the PXE add-on of FOG/LTSP/netboot how-tos) listens on UDP 67 (and 4011)
// but hands out no address and answers no non-PXE client (checked with
// the real dnsmasq 2.90 in a network namespace: a client with a 7960's
// option 60 gets no answer). CheckDHCPServer counts any dnsmasq on UDP 67
// as a DHCP server, so with dhcpd stopped doctor never says that no DHCP
// server runs; it only notes that the proxy "reads dnsmasq.conf, not
// dhcpd.conf: check that one", whose option 150 would reach no phone.
//
// Right outcome: a dnsmasq whose every dhcp-range is proxy (or static
// with no phone's dhcp-host) is no DHCP server for the phones: "no dhcpd,
// kea-dhcp4 or dnsmasq is running".
func TestBreaker14ProxyDnsmasqIsNoDHCPServer(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhcpd.conf")
	write(t, conf, "subnet 10.77.0.0 netmask 255.255.255.0 { range 10.77.0.100 10.77.0.200; }\n", 0o644)
	dm := filepath.Join(dir, "dnsmasq.conf")
	write(t, dm, "port=0\ndhcp-range=10.77.0.0,proxy\npxe-service=x86PC,\"Network Boot\",pxelinux\nenable-tftp\ntftp-root=/srv/tftp\n", 0o644)
	proxy := Proc{PID: 733, Comm: "dnsmasq", Args: []string{"/usr/sbin/dnsmasq", "--conf-file=" + dm, "--keep-in-foreground"},
		Start: time.Now().Add(-time.Hour), UDPPort: []int{67, 69, 4011}}
	has(t, CheckDHCPServer([]Proc{proxy}, conf), "no dhcpd, kea-dhcp4 or dnsmasq is running")
}
